import { iframeSnippet, oembedSize, oembedTarget, widgetUrl } from './widget-oembed';

const target = (publicUrl: string, url: string) => oembedTarget(publicUrl, new URL(url));

describe('oembedTarget', () => {
  it('knows the leaderboard and a model page, on either scheme and in any host case', () => {
    expect(target('https://models.example.org', 'http://MODELS.example.org/models/Qwen/QwQ-32B')).toEqual({
      kind: 'model',
      id: 'Qwen/QwQ-32B',
    });
    const trending = target('https://models.example.org', 'https://models.example.org/?task=text-generation&q=x');
    expect(trending?.kind === 'trending' && trending.filters.toString()).toBe('task=text-generation');
  });

  it('works under a PUBLIC_URL with a path', () => {
    expect(target('https://example.org/mp', 'https://example.org/mp/models/a/b')).toEqual({ kind: 'model', id: 'a/b' });
    expect(target('https://example.org/mp', 'https://example.org/mp')?.kind).toBe('trending');
    expect(target('https://example.org/mp', 'https://example.org/models/a/b')).toBeNull();
  });

  it.each([
    'https://elsewhere.example.org/models/a/b',
    'https://models.example.org:8443/models/a/b',
    'ftp://models.example.org/models/a/b',
    'https://models.example.org/models/a',
    'https://models.example.org/models/a/b/stats',
    'https://models.example.org/models/a/%3Cb%3E',
    'https://models.example.org/docs',
  ])('has nothing for %s', (url) => {
    expect(target('https://models.example.org', url)).toBeNull();
  });
});

describe('oembedSize', () => {
  it('shrinks to maxwidth and maxheight, never grows', () => {
    const card = { kind: 'model', id: 'a/b' } as const;
    expect(oembedSize(card, {})).toEqual({ width: 400, height: 380 });
    expect(oembedSize(card, { widthPx: 300, heightPx: 1000 })).toEqual({ width: 300, height: 380 });
  });

  it('makes room for the rows the trending widget shows, at most 25', () => {
    const trending = (limit: string) => ({ kind: 'trending', filters: new URLSearchParams({ limit }) }) as const;
    expect(oembedSize(trending('3'), {}).height).toBe(136 + 3 * 52);
    expect(oembedSize(trending('100'), {}).height).toBe(136 + 25 * 52);
    expect(oembedSize(trending('ten'), {}).height).toBe(136 + 10 * 52);
  });
});

describe('widgetUrl and iframeSnippet', () => {
  it('builds an escaped, sandboxed iframe of the widget', () => {
    const src = widgetUrl('https://models.example.org', {
      kind: 'trending',
      filters: new URLSearchParams({ license: 'mit', task: 'a"b' }),
    });
    expect(src).toBe('https://models.example.org/embed/trending?license=mit&task=a%22b');
    expect(iframeSnippet(src, { width: 400, height: 300 }, 'Trending "models"')).toBe(
      '<iframe src="https://models.example.org/embed/trending?license=mit&amp;task=a%22b" width="400" height="300" ' +
        'title="Trending &quot;models&quot;" style="border:0;max-width:100%" loading="lazy" ' +
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>',
    );
  });
});
