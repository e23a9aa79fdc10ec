import { renderErrorPage } from './error-page';
import { downloadsOver, parameterInput } from './home-page';
import { sparkline } from './sparkline';
import { modelPath } from './layout';
import { embedSnippets } from './model-page';

describe('site pages', () => {
  it('writes a parameter count back as a person typed it, when that is exact', () => {
    expect(parameterInput(7_000_000_000)).toBe('7B');
    expect(parameterInput(1_500_000_000_000)).toBe('1.5T');
    expect(parameterInput(350_000_000)).toBe('350M');
    expect(parameterInput(8_030_261_248)).toBe('8030261248');
    expect(parameterInput(999)).toBe('999');
  });

  it('builds model paths with each part encoded', () => {
    expect(modelPath('deepseek-ai/DeepSeek-R1')).toBe('/models/deepseek-ai/DeepSeek-R1');
    expect(modelPath('a b/c?d')).toBe('/models/a%20b/c%3Fd');
  });

  it('gives embed snippets with absolute URLs under PUBLIC_URL', () => {
    const s = embedSnippets('https://pulse.example.org', 'Qwen/QwQ-32B');
    expect(s.markdownBadge).toBe(
      '[![downloads](https://pulse.example.org/badges/Qwen/QwQ-32B/downloads.svg)](https://pulse.example.org/models/Qwen/QwQ-32B)',
    );
    expect(s.oembed).toBe(
      'https://pulse.example.org/oembed?url=https%3A%2F%2Fpulse.example.org%2Fmodels%2FQwen%2FQwQ-32B&format=json',
    );
  });

  it('draws a line per run of known days, zero at the bottom, and nothing when no day is known', () => {
    const svg = sparkline({
      values: [0, 10, null, 5, 10, null],
      domain: [0, 10],
      width: 56,
      height: 26,
      className: 'spark',
      label: 'a "quoted" label',
    });
    expect(svg).toContain('aria-label="a &quot;quoted&quot; label"');
    expect([...svg.matchAll(/points="([^"]+)"/g)].map((m) => m[1])).toEqual(['3,23 13,3', '33,13 43,3']);
    expect(svg).not.toContain('<circle');
    expect(sparkline({ values: [null, null], domain: [0, 1], width: 10, height: 10, className: 's', label: '' })).toBe(
      '',
    );
  });

  it("gives the downloads of the 7 days to a ranking's day, unknown when none of them is known", () => {
    const days = (values: (number | null)[]) => ({
      downloads: values.map((value, i) => ({ date: `2025-01-${String(10 + i).padStart(2, '0')}`, value })),
      likes: null,
    });
    // 2025-01-10 … 2025-01-19: the 7 days to the 19th are the 13th to the 19th.
    expect(downloadsOver(days([100, 100, 100, 1, 2, null, 4, 5, 6, 7]), '2025-01-19', 7)).toBe(25);
    expect(downloadsOver(days([100, 100, 100, 1, 2, null, 4, 5, 6, 7]), '2025-01-19', 30)).toBe(325);
    expect(downloadsOver(days([1, null, null, null, null, null, null, null, null, null]), '2025-01-19', 7)).toBeNull();
    expect(downloadsOver(undefined, '2025-01-19', 7)).toBeNull();
  });

  it('escapes what an error page repeats from the request', () => {
    const page = renderErrorPage({ status: 400, detail: '<b>x</b>', errors: [{ field: 'q', message: '"><i>' }] });
    expect(page).toContain('<p>&lt;b&gt;x&lt;/b&gt;</p>');
    expect(page).toContain('<li><strong>q</strong>: &quot;&gt;&lt;i&gt;</li>');
  });
});
