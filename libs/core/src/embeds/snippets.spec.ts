import { CARD_HEIGHT_PX, oembedSize, snippet, TRENDING_CHROME_PX, TRENDING_ROW_PX } from './snippets';

const SITE = 'https://models.example.org';
const trending = (query: Record<string, string>) =>
  ({ kind: 'trending', filters: new URLSearchParams(query) }) as const;

describe('oembedSize', () => {
  it('is the whole card, shrunk to maxwidth and maxheight, never grown', () => {
    const card = { kind: 'model', id: 'a/b' } as const;
    expect(oembedSize(card)).toEqual({ width: 400, height: CARD_HEIGHT_PX });
    expect(oembedSize(card, { widthPx: 300, heightPx: 1000 })).toEqual({ width: 300, height: CARD_HEIGHT_PX });
    expect(oembedSize(card, { widthPx: 1000, heightPx: 200 })).toEqual({ width: 400, height: 200 });
  });

  it('makes room for the header, the footer and each row the trending widget shows: 1 to 25, 10 unless told', () => {
    expect(oembedSize(trending({ limit: '1' })).height).toBe(TRENDING_CHROME_PX + TRENDING_ROW_PX);
    expect(oembedSize(trending({ limit: '3' })).height).toBe(TRENDING_CHROME_PX + 3 * TRENDING_ROW_PX);
    expect(oembedSize(trending({ limit: '100' })).height).toBe(TRENDING_CHROME_PX + 25 * TRENDING_ROW_PX);
    expect(oembedSize(trending({ limit: 'ten' })).height).toBe(TRENDING_CHROME_PX + 10 * TRENDING_ROW_PX);
    expect(oembedSize(trending({ license: 'mit' })).height).toBe(TRENDING_CHROME_PX + 10 * TRENDING_ROW_PX);
  });

  it('gives ten rows the 592 px measured in Chromium, and a card 308 px', () => {
    expect(oembedSize(trending({})).height).toBe(592);
    expect(oembedSize({ kind: 'model', id: 'a/b' }).height).toBe(308);
  });
});

describe('snippet', () => {
  it('writes the trending widget as an escaped, sandboxed, lazy iframe of its height, filters kept in order', () => {
    expect(snippet(SITE, { kind: 'iframe', widget: trending({ license: 'mit', task: 'a"b', limit: '5' }) })).toBe(
      '<iframe src="https://models.example.org/embed/trending?license=mit&amp;task=a%22b&amp;limit=5" ' +
        `width="400" height="${TRENDING_CHROME_PX + 5 * TRENDING_ROW_PX}" title="Trending models on modelpulse" ` +
        'style="border:0;max-width:100%" loading="lazy" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>',
    );
  });

  it('writes a model card with its id encoded, its theme when one is asked for, within the size given', () => {
    const card = snippet(SITE, {
      kind: 'iframe',
      widget: { kind: 'model', id: 'acme/a b', theme: 'dark' },
      max: { widthPx: 320, heightPx: 100 },
    });
    expect(card).toBe(
      '<iframe src="https://models.example.org/embed/models/acme/a%20b?theme=dark" width="320" height="100" ' +
        'title="acme/a b on modelpulse" style="border:0;max-width:100%" loading="lazy" ' +
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>',
    );
  });

  it('links a badge to the model page, in Markdown and in HTML, with its options', () => {
    const options = new URLSearchParams({ style: 'for-the-badge', label: 'R1 & co' });
    expect(snippet(SITE, { kind: 'markdown-badge', id: 'Qwen/QwQ-32B' })).toBe(
      '[![downloads](https://models.example.org/badges/Qwen/QwQ-32B/downloads.svg)](https://models.example.org/models/Qwen/QwQ-32B)',
    );
    expect(snippet(SITE, { kind: 'markdown-badge', id: 'Qwen/QwQ-32B', metric: 'likes', options })).toBe(
      '[![likes](https://models.example.org/badges/Qwen/QwQ-32B/likes.svg?style=for-the-badge&label=R1+%26+co)]' +
        '(https://models.example.org/models/Qwen/QwQ-32B)',
    );
    expect(snippet(SITE, { kind: 'html-badge', id: 'Qwen/QwQ-32B', options })).toBe(
      '<a href="https://models.example.org/models/Qwen/QwQ-32B"><img ' +
        'src="https://models.example.org/badges/Qwen/QwQ-32B/downloads.svg?style=for-the-badge&amp;label=R1+%26+co" ' +
        'alt="downloads of Qwen/QwQ-32B"></a>',
    );
  });

  it("hands shields.io the badge's endpoint JSON, encoded", () => {
    expect(snippet(SITE, { kind: 'shields-badge', id: 'Qwen/QwQ-32B' })).toBe(
      '![downloads](https://img.shields.io/endpoint?url=https%3A%2F%2Fmodels.example.org%2Fbadges%2FQwen%2FQwQ-32B%2Fdownloads.json)',
    );
  });

  it('names the oEmbed endpoint of a page, under a PUBLIC_URL with a path too', () => {
    expect(
      snippet('https://example.org/mp', { kind: 'oembed-endpoint', pageUrl: 'https://example.org/mp/models/a/b' }),
    ).toBe('https://example.org/mp/oembed?url=https%3A%2F%2Fexample.org%2Fmp%2Fmodels%2Fa%2Fb&format=json');
    expect(snippet('https://example.org/mp', { kind: 'iframe', widget: { kind: 'model', id: 'a/b' } })).toContain(
      'src="https://example.org/mp/embed/models/a/b"',
    );
  });

  it('writes a chart as an image of one model or of several, its alt saying what the query draws', () => {
    expect(snippet(SITE, { kind: 'chart', ids: ['Qwen/QwQ-32B'] })).toBe(
      '<img src="https://models.example.org/v1/models/Qwen/QwQ-32B/chart.svg" ' +
        'alt="Daily downloads of Qwen/QwQ-32B over the last 90 days">',
    );
    expect(
      snippet(SITE, { kind: 'chart', ids: ['a/b', 'c/d', 'e/f'], query: new URLSearchParams('metric=likes&days=30') }),
    ).toBe(
      '<img src="https://models.example.org/v1/chart.svg?models=a/b,c/d,e/f&amp;metric=likes&amp;days=30" ' +
        'alt="Daily likes of a/b, c/d and e/f over the last 30 days">',
    );
    expect(
      snippet(SITE, { kind: 'chart', ids: ['a/b'], query: new URLSearchParams('metric=rank&days=30&to=2025-01-27') }),
    ).toBe(
      '<img src="https://models.example.org/v1/models/a/b/chart.svg?metric=rank&amp;days=30&amp;to=2025-01-27" ' +
        'alt="Trending rank of a/b each day over the 30 days to 2025-01-27">',
    );
  });
});
