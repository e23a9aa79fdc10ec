import { BADGE_STYLES, normalizeBadgeColor, renderBadgeSvg } from './badge';

/** The attributes of every element named `tag`, in order. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map(([, attributes]) =>
    Object.fromEntries([...attributes.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])),
  );
}

/** The texts drawn, shadows left out. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text (?![^>]*aria-hidden)[^>]*>([^<]*)<\/text>/g)].map(([, text]) => text);

/** The logo a badge carries, decoded from its data: URI. */
function logoOf(svg: string): string | null {
  const href = elements(svg, 'image')[0]?.['xlink:href'];
  if (!href) return null;
  return Buffer.from(href.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
}

const DOWNLOADS = { label: 'downloads', message: '561k/month', color: 'brightgreen' };

describe('a flat badge, the default: shields.io\u2019s own layout', () => {
  const svg = renderBadgeSvg(DOWNLOADS);

  it('is 20 px high, its parts as wide as shields.io draws "downloads | 561k/month"', () => {
    expect(elements(svg, 'svg')[0]).toMatchObject({ width: '148', height: '20', role: 'img' });
    expect(elements(svg, 'rect').slice(1, 3)).toEqual([
      { width: '69', height: '20', fill: '#555' },
      { x: '69', width: '79', height: '20', fill: '#4c1' },
    ]);
    expect(elements(svg, 'rect')[0]).toMatchObject({ rx: '3' });
    expect(texts(svg)).toEqual(['downloads', '561k/month']);
  });

  it('tells screen readers what it says', () => {
    expect(svg).toContain('<title>downloads: 561k/month</title>');
    expect(elements(svg, 'svg')[0]['aria-label']).toBe('downloads: 561k/month');
  });
});

describe('every style', () => {
  it.each([
    ['flat', '20'],
    ['flat-square', '20'],
    ['plastic', '18'],
    ['for-the-badge', '28'],
    ['social', '20'],
  ] as const)('draws %s, %s px high, saying the same to a screen reader', (style, height) => {
    const svg = renderBadgeSvg(DOWNLOADS, { style });
    expect(elements(svg, 'svg')[0]).toMatchObject({ height });
    // for-the-badge writes it in capitals, social capitalises the label, as on shields.io.
    expect(elements(svg, 'svg')[0]['aria-label'].toLowerCase()).toBe('downloads: 561k/month');
    expect(Number(elements(svg, 'svg')[0].width)).toBeGreaterThan(100);
  });

  it('lists the five shields.io styles', () => {
    expect([...BADGE_STYLES].sort()).toEqual(['flat', 'flat-square', 'for-the-badge', 'plastic', 'social']);
  });

  it('writes for-the-badge in capitals, the message bold', () => {
    const svg = renderBadgeSvg(DOWNLOADS, { style: 'for-the-badge' });
    expect(texts(svg)).toEqual(['DOWNLOADS', '561K/MONTH']);
    expect(elements(svg, 'text').map((t) => t['font-weight'])).toEqual([undefined, 'bold']);
  });
});

describe('several badges inlined in one page', () => {
  it('give their clip and gradient ids a suffix of their own, so none clips another', () => {
    const ids = (svg: string) => [...svg.matchAll(/ id="([^"]+)"/g)].map(([, id]) => id);
    const wide = renderBadgeSvg(DOWNLOADS);
    const narrow = renderBadgeSvg({ label: 'likes', message: '2.6k', color: 'blue' });
    expect(ids(wide)).toHaveLength(2);
    expect(ids(wide).filter((id) => ids(narrow).includes(id))).toEqual([]);
    expect(renderBadgeSvg(DOWNLOADS)).toBe(wide);
  });
});

describe('a badge with an empty label', () => {
  it('is the message part alone', () => {
    const svg = renderBadgeSvg({ label: '', message: '#1', color: 'orange' }, { style: 'flat-square' });
    expect(elements(svg, 'svg')[0]).toMatchObject({ width: '25', height: '20', 'aria-label': '#1' });
    expect(elements(svg, 'rect').map((r) => r.width)).toEqual(['0', '25']);
    expect(texts(svg)).toEqual(['#1']);
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

  it('paints the label with labelColor and the message with color', () => {
    const svg = renderBadgeSvg({ ...DOWNLOADS, color: 'ff69b4' }, { style: 'flat-square', labelColor: 'blue' });
    expect(elements(svg, 'rect').map((r) => r.fill)).toEqual(['#007ec6', '#ff69b4']);
  });

  it('draws dark text on a light message colour, so it stays readable', () => {
    const svg = renderBadgeSvg({ label: 'likes', message: '2.6k', color: 'fff' }, { style: 'flat-square' });
    expect(elements(svg, 'rect')[1].fill).toBe('#fff');
    expect(elements(svg, 'text').map((t) => t.fill)).toEqual(['#fff', '#333']);
  });
});

describe('the Hugging Face logo', () => {
  it('sits before the label and widens the badge by its 14 px and a gap', () => {
    const plain = renderBadgeSvg(DOWNLOADS);
    const svg = renderBadgeSvg(DOWNLOADS, { logo: 'huggingface' });
    expect(elements(svg, 'image')[0]).toMatchObject({ x: '5', width: '14', height: '14' });
    expect(Number(elements(svg, 'svg')[0].width)).toBe(Number(elements(plain, 'svg')[0].width) + 17);
    expect(logoOf(plain)).toBeNull();
  });

  it('is drawn white by default, dark grey on social, in logoColor when asked', () => {
    expect(logoOf(renderBadgeSvg(DOWNLOADS, { logo: 'huggingface' }))).toContain('fill="#fff"');
    expect(logoOf(renderBadgeSvg(DOWNLOADS, { logo: 'hf', style: 'social' }))).toContain('fill="#333"');
    expect(logoOf(renderBadgeSvg(DOWNLOADS, { logo: 'huggingface', logoColor: 'yellow' }))).toContain('fill="#dfb317"');
    expect(logoOf(renderBadgeSvg(DOWNLOADS, { logo: 'huggingface', logoColor: 'ffd21e' }))).toContain('fill="#ffd21e"');
  });

  it.each(BADGE_STYLES)('sits on a %s badge too, with or without a label', (style) => {
    for (const label of ['downloads', '']) {
      const svg = renderBadgeSvg({ ...DOWNLOADS, label }, { style, logo: 'huggingface', labelColor: '333' });
      expect(logoOf(svg)).toContain('<circle');
      expect(Number(elements(svg, 'svg')[0].width)).toBeGreaterThan(
        Number(elements(renderBadgeSvg({ ...DOWNLOADS, label }, { style }), 'svg')[0].width),
      );
    }
  });

  it('is itself a well-formed SVG with the mark\u2019s shapes', () => {
    const logo = logoOf(renderBadgeSvg(DOWNLOADS, { logo: 'huggingface' }))!;
    expect(logo).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 24 24"[^>]*>.*<\/svg>$/);
    expect(elements(logo, 'circle')).toHaveLength(2);
  });
});

describe('hostile text', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
  ])('draws %j as text in the label, the message, the title and the aria-label', (hostile, escaped) => {
    for (const style of BADGE_STYLES) {
      // Lower-cased: for-the-badge draws (and says) it in capitals.
      const svg = renderBadgeSvg({ label: hostile, message: hostile, color: 'blue' }, { style }).toLowerCase();
      expect(svg).not.toContain('<script');
      expect(svg).not.toContain('<img');
      expect(svg).toContain(`<title>${escaped}: ${escaped}</title>`);
      expect(svg).toContain(`aria-label="${escaped}: ${escaped}"`);
      expect(texts(svg)).toContain(escaped);
    }
  });

  it('drops control characters that XML cannot carry, so the image still loads', () => {
    const svg = renderBadgeSvg({ label: 'a\u0001b\u0007', message: 'x\ny', color: 'blue' }, { style: 'flat-square' });
    expect(texts(svg)).toEqual(['ab', 'x y']);
  });
});
