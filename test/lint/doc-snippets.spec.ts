import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snippet } from '@modelpulse/core/embeds';
import { extractSnippets } from '../support/doc-snippets';

/**
 * The badge, iframe and chart snippets of the README and docs/*.md are what
 * `snippet()` writes for their own URLs, with the README's PUBLIC_URL: a
 * snippet edited by hand, or the function changed without the docs, fails
 * here, and so does a snippet in a form the extractor does not know.
 */
const ROOT = join(__dirname, '..', '..');
const PUBLIC_URL = 'http://localhost:3000';
const FILES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const FOUND = FILES.map((file) => extractSnippets(file, readFileSync(join(ROOT, file), 'utf8')));
const SNIPPETS = FOUND.flatMap((f) => f.snippets);

describe('the snippets of the README and docs', () => {
  it('are all in a form the function writes', () => {
    expect(FOUND.flatMap((f) => f.strays)).toEqual([]);
  });

  it('include the README badge and widget and every kind docs/embeds.md shows', () => {
    const kinds = (file: string) => SNIPPETS.filter((s) => s.file === file).map((s) => s.request.kind);
    expect(kinds('README.md')).toEqual(['markdown-badge', 'iframe']);
    expect(new Set(kinds('docs/embeds.md'))).toEqual(
      new Set(['markdown-badge', 'html-badge', 'shields-badge', 'iframe', 'chart']),
    );
  });

  it.each(SNIPPETS.map((s) => [`${s.file}:${s.line}`, s] as const))('%s is what snippet() writes', (_, found) => {
    expect(found.text).toBe(snippet(PUBLIC_URL, found.request));
  });
});

describe('extractSnippets', () => {
  const iframe = (height: number) =>
    `<iframe src="http://localhost:3000/embed/trending?limit=10" width="400" height="${height}" title="Trending models on modelpulse" ` +
    'style="border:0;max-width:100%" loading="lazy" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>';

  it("reads a widget's request from its src, so a height written by hand no longer matches", () => {
    const [good] = extractSnippets('x.md', iframe(592)).snippets;
    expect(good.text).toBe(snippet(PUBLIC_URL, good.request));
    const [edited] = extractSnippets('x.md', `text\n\n${iframe(520)}\n`).snippets;
    expect(edited.line).toBe(3);
    expect(edited.text).not.toBe(snippet(PUBLIC_URL, edited.request));
  });

  it('reads a linked badge with its options once, not its image again', () => {
    const markdown =
      '[![likes](http://localhost:3000/badges/a/b/likes.svg?style=social)](http://localhost:3000/models/a/b)';
    const { snippets, strays } = extractSnippets('x.md', markdown);
    expect(strays).toEqual([]);
    expect(snippets).toHaveLength(1);
    expect(snippets[0].text).toBe(snippet(PUBLIC_URL, snippets[0].request));
  });

  it('reports an iframe over several lines and a badge with no link as strays', () => {
    const markdown =
      '<iframe\n  src="http://localhost:3000/embed/trending"\n></iframe>\n\n![downloads](http://localhost:3000/badges/a/b/downloads.svg)';
    const { snippets, strays } = extractSnippets('x.md', markdown);
    expect(snippets).toEqual([]);
    expect(strays).toHaveLength(2);
    const chart = '<img\n  src="http://localhost:3000/v1/models/a/b/chart.svg"\n  alt="Daily downloads of a/b"\n/>';
    expect(extractSnippets('x.md', chart).strays).toHaveLength(1);
  });

  it("reads a chart's models and query back from its image", () => {
    const markdown =
      '<img src="http://localhost:3000/v1/chart.svg?models=a/b,c/d&amp;metric=rank&amp;days=30" alt="Trending rank of a/b and c/d each day over the last 30 days">';
    const [chart] = extractSnippets('x.md', markdown).snippets;
    expect(chart.request).toEqual({
      kind: 'chart',
      ids: ['a/b', 'c/d'],
      query: new URLSearchParams('metric=rank&days=30'),
    });
    expect(chart.text).toBe(snippet(PUBLIC_URL, chart.request));
  });
});
