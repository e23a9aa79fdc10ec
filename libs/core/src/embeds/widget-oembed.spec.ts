import { oembedTarget } from './widget-oembed';

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
