import { badgeTextWidth, normalizeBadgeColor, renderBadgeSvg } from './badge';

/** The attributes of every element named `tag`, in order. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map(([, attributes]) =>
    Object.fromEntries([...attributes.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])),
  );
}

const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map(([, text]) => text);

describe('badge text widths (anafanafo, Verdana)', () => {
  it.each([
    // 11px: "build" measures 26.7 px, drawn 27 wide as on shields.io's own build badge.
    ['build', '11px Verdana', 0, 27],
    ['passing', '11px Verdana', 0, 41],
    // 58.38 px floors to 58, then an odd width centres the text on a whole pixel.
    ['downloads', '11px Verdana', 0, 59],
    ['561k/month', '11px Verdana', 0, 69],
    ['#1', '11px Verdana', 0, 15],
    // for-the-badge: 67.78 px and 1.25 px after each of 9 letters.
    ['DOWNLOADS', '10px Verdana', 1.25, 79],
    ['561K/MONTH', 'bold 10px Verdana', 1.25, 91],
  ] as const)('draws %j in %s (spacing %d) %d px wide', (text, font, spacing, width) => {
    expect(badgeTextWidth(text, font, spacing)).toBe(width);
  });
});

describe('a flat badge: 20 px, label grey, message coloured, rounded', () => {
  const svg = renderBadgeSvg({ label: 'downloads', message: '561k/month', color: 'brightgreen' });

  it('is as wide as its two texts plus 5 px each side of each', () => {
    expect(elements(svg, 'svg')[0]).toMatchObject({ width: '148', height: '20', role: 'img' });
    expect(elements(svg, 'rect').slice(1, 3)).toEqual([
      { x: '0', width: '69', height: '20', fill: '#555' },
      { x: '69', width: '79', height: '20', fill: '#4c1' },
    ]);
    expect(elements(svg, 'rect')[0]).toMatchObject({ rx: '3' });
  });

  it('centres each text in its part, pinned to its measured width, with a shadow under it', () => {
    const drawn = elements(svg, 'text').map((t) => [t.x, t.y, t.textLength, t.fill]);
    expect(drawn).toEqual([
      ['355', '150', '590', '#010101'],
      ['355', '140', '590', '#fff'],
      ['1075', '150', '690', '#010101'],
      ['1075', '140', '690', '#fff'],
    ]);
    expect(texts(svg)).toEqual(['downloads', 'downloads', '561k/month', '561k/month']);
    expect(svg).toContain('font-family="Verdana,Geneva,DejaVu Sans,sans-serif"');
    expect(svg).toContain('font-size="110"');
  });

  it('tells screen readers what it says', () => {
    expect(svg).toContain('<title>downloads: 561k/month</title>');
    expect(elements(svg, 'svg')[0]['aria-label']).toBe('downloads: 561k/month');
  });
});

describe('several flat badges inlined in one page', () => {
  it('give their clip and gradient ids a suffix of their own, so none clips another', () => {
    const ids = (svg: string) => [...svg.matchAll(/ id="([^"]+)"/g)].map(([, id]) => id);
    const wide = renderBadgeSvg({ label: 'downloads', message: '561k/month', color: 'brightgreen' });
    const narrow = renderBadgeSvg({ label: 'likes', message: '2.6k', color: 'blue' });
    expect(ids(wide)).toHaveLength(2);
    expect(ids(wide).filter((id) => ids(narrow).includes(id))).toEqual([]);
    expect(renderBadgeSvg({ label: 'downloads', message: '561k/month', color: 'brightgreen' })).toBe(wide);
  });
});

describe('a flat-square badge', () => {
  it('has the flat layout with square corners, no gloss and no text shadow', () => {
    const svg = renderBadgeSvg({ label: 'downloads', message: '561k/month', color: 'brightgreen' }, 'flat-square');
    expect(elements(svg, 'svg')[0]).toMatchObject({ width: '148', height: '20' });
    expect(svg).not.toContain('rx=');
    expect(svg).not.toContain('linearGradient');
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(elements(svg, 'text').map((t) => [t.x, t.textLength])).toEqual([
      ['355', '590'],
      ['1075', '690'],
    ]);
  });
});

describe('a for-the-badge badge', () => {
  const svg = renderBadgeSvg({ label: 'downloads', message: '561k/month', color: 'blue' }, 'for-the-badge');

  it('is 28 px high, upper case, 12 px each side, the message bold', () => {
    expect(elements(svg, 'svg')[0]).toMatchObject({ width: '218', height: '28' });
    expect(elements(svg, 'rect')).toEqual([
      { x: '0', width: '103', height: '28', fill: '#555' },
      { x: '103', width: '115', height: '28', fill: '#007ec6' },
    ]);
    expect(texts(svg)).toEqual(['DOWNLOADS', '561K/MONTH']);
    expect(elements(svg, 'text').map((t) => [t.x, t.y, t.textLength, t['font-weight']])).toEqual([
      ['515', '175', '790', undefined],
      ['1605', '175', '910', 'bold'],
    ]);
    expect(svg).toContain('font-size="100"');
  });

  it('keeps the reader text in its own letter case', () => {
    expect(svg).toContain('<title>downloads: 561k/month</title>');
  });
});

describe('a badge with an empty label', () => {
  it('is the message part alone', () => {
    const svg = renderBadgeSvg({ label: '', message: '#1', color: 'orange' }, 'flat-square');
    expect(elements(svg, 'svg')[0]).toMatchObject({ width: '25', height: '20', 'aria-label': '#1' });
    expect(elements(svg, 'rect')).toEqual([{ x: '0', width: '25', height: '20', fill: '#fe7d37' }]);
  });
});

describe('colours', () => {
  it.each([
    ['blue', 'blue'],
    ['LightGrey', 'lightgrey'],
    ['ff69b4', 'ff69b4'],
    ['#ABC', 'abc'],
    ['f0f0f', null],
    ['notacolour', null],
    ['red;stroke:url(x)', null],
    ['"><script>', null],
  ])('reads %j as %j', (value, normalized) => {
    expect(normalizeBadgeColor(value)).toBe(normalized);
  });

  it('draws dark text on a light message colour, so it stays readable', () => {
    const svg = renderBadgeSvg({ label: 'likes', message: '2.6k', color: 'fff' }, 'flat-square');
    expect(elements(svg, 'rect')[1].fill).toBe('#fff');
    expect(elements(svg, 'text').map((t) => t.fill)).toEqual(['#fff', '#333']);
  });
});

describe('hostile text', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
  ])('draws %j as text in the label, the message, the title and the aria-label', (hostile, escaped) => {
    for (const style of ['flat', 'flat-square', 'for-the-badge'] as const) {
      const svg = renderBadgeSvg({ label: hostile, message: hostile, color: 'blue' }, style);
      expect(svg).not.toContain('<script');
      expect(svg).not.toContain('<img');
      expect(svg).toContain(`<title>${escaped}: ${escaped}</title>`);
      expect(svg).toContain(`aria-label="${escaped}: ${escaped}"`);
      expect(elements(svg, 'text')).toHaveLength(style === 'flat' ? 4 : 2);
    }
  });

  it('measures the text, not its escaped form: the box fits what is seen', () => {
    const svg = renderBadgeSvg({ label: '<b>', message: 'x', color: 'blue' }, 'flat-square');
    // "<b>": 9 + 6.85 + 9 = 24.85 px, drawn 25 wide; "&lt;b&gt;" would be 51.
    expect(elements(svg, 'text')[0].textLength).toBe('250');
  });

  it('drops control characters that XML cannot carry, so the image still loads', () => {
    const svg = renderBadgeSvg({ label: 'a\u0001b\u0007', message: 'x\ny', color: 'blue' }, 'flat-square');
    expect(texts(svg)).toEqual(['ab', 'x y']);
  });
});
