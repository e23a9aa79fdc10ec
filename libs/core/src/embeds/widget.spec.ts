import { rankChange, renderModelCard, renderSparkline, renderTrendingWidget } from './widget';

const site = { publicUrl: 'https://models.example.org', pageUrl: 'https://models.example.org/' };

describe('rankChange', () => {
  it.each([
    [1, null, '<span class="change new">new</span>'],
    [2, 5, '<span class="change up"><span aria-hidden="true">▲3</span><span class="sr">up 3</span></span>'],
    [4, 1, '<span class="change down"><span aria-hidden="true">▼3</span><span class="sr">down 3</span></span>'],
    [3, 3, '<span class="change same"><span aria-hidden="true">–</span><span class="sr">unchanged</span></span>'],
  ])('rank %d after %s reads %s', (rank, previous, html) => {
    expect(rankChange(rank, previous)).toBe(html);
  });
});

describe('renderTrendingWidget', () => {
  it('says why nothing is ranked, in the sentences it is given, escaped', () => {
    const empty = {
      lines: ['No download figures are stored yet.', 'Load the demo: npm run cli -- demo <now>.'],
      suggestAsOf: null,
    };
    const html = renderTrendingWidget({
      site,
      theme: 'light',
      asOf: '2025-01-21',
      entries: [],
      demo: false,
      empty,
      limit: 3,
    });
    expect(html).toContain(
      '<p class="empty clamp">No download figures are stored yet. Load the demo: npm run cli -- demo &lt;now&gt;.</p>',
    );
    expect(html).not.toContain('<ol');
  });

  it("gives an empty leaderboard's explanation the lines the rows would take, two a row", () => {
    const empty = { lines: ['Nothing.'], suggestAsOf: null };
    const input = { site, theme: 'light' as const, asOf: '2025-01-21', entries: [], demo: false, empty };
    expect(renderTrendingWidget({ ...input, limit: 1 })).toContain('.empty{--lines:2}');
    expect(renderTrendingWidget({ ...input, limit: 25 })).toContain('.empty{--lines:50}');
  });

  it('marks a ranking of demo data as such, and no other', () => {
    const entries = [{ rank: 1, previousRank: null, id: 'deepseek-ai/DeepSeek-R1', license: null, downloads30d: null }];
    const input = { site, theme: 'light' as const, asOf: '2025-01-27', entries, empty: null, limit: 10 };
    expect(renderTrendingWidget({ ...input, demo: true })).toContain('<strong>Demo data</strong>');
    expect(renderTrendingWidget({ ...input, demo: false })).not.toContain('Demo data');
  });

  it('links each model to its page on this site, in a new tab, its name above its organization', () => {
    const html = renderTrendingWidget({
      site,
      theme: 'dark',
      asOf: '2025-01-21',
      entries: [{ rank: 1, previousRank: null, id: 'deepseek-ai/DeepSeek-R1', license: null, downloads30d: null }],
      demo: false,
      empty: null,
      limit: 10,
    });
    expect(html).toContain(
      '<a class="line" href="https://models.example.org/models/deepseek-ai/DeepSeek-R1" ' +
        'title="deepseek-ai/DeepSeek-R1" target="_blank" rel="noopener">DeepSeek-R1</a>',
    );
    expect(html).toContain('<span class="muted line">deepseek-ai · licence unknown</span>');
    expect(html).toContain('<span class="num"><span class="line">–</span>');
    expect(html).toContain('<body class="theme-dark">');
  });
});

describe('renderSparkline', () => {
  it('draws a flat line on the floor before the first reading', () => {
    expect(renderSparkline([], 'none')).toContain('<line x1="0" y1="39" x2="100" y2="39"');
  });

  it('scales the busiest day to the top', () => {
    expect(renderSparkline([0, 50, 100], 'three days')).toContain('<polyline points="0,38 50,20 100,2"');
  });

  const lines = (svg: string) => [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]);

  it('stops the line where the sync broke: the last three unknown days are a gap, not a dip to the floor', () => {
    // Six days a fifth of the width apart; the busiest known day at the top.
    expect(lines(renderSparkline([50, 100, 50, null, null, null], 'broken sync'))).toEqual(['0,20 20,2 40,20']);
  });

  it('breaks the line around an unknown day and draws a known day between two gaps as a dot', () => {
    expect(lines(renderSparkline([100, 100, null, 50, null], 'gaps'))).toEqual(['0,2 25,2', '75,20 75,20']);
  });

  it('draws no line at all when every day is unknown', () => {
    expect(renderSparkline([null, null], 'stale')).not.toContain('<polyline');
  });
});

describe('renderModelCard', () => {
  const model = {
    id: 'acme/Rocket-7B',
    description: `${'a'.repeat(200)}<b>`,
    licenseName: 'Apache License 2.0',
    parameters: 7_610_000_000,
    releaseDate: null,
    tags: ['one', 'two', 'three', 'four', 'five', 'six'],
    downloads30d: 1_250_000,
    demo: false,
  };

  it('cuts a long description, keeps five tags and writes numbers short', () => {
    const html = renderModelCard({ site, theme: 'light', model, dailyDownloads: [1, 2], trending: null });
    expect(html).toContain(`<p class="desc clamp">${'a'.repeat(159)}…</p>`);
    expect(html).toContain('<li>five</li></ul>');
    expect(html).not.toContain('<li>six</li>');
    expect(html).toContain('<dd>7.6B parameters</dd>');
    expect(html).toContain('<dd>unknown</dd>');
    expect(html).toContain('<dd>not ranked</dd>');
    expect(html).toContain('<strong>1.2M</strong>');
  });

  it('tells a screen reader how many days of the sparkline are unknown, since it cannot see the gap', () => {
    const html = renderModelCard({
      site,
      theme: 'light',
      model,
      dailyDownloads: [5, 6, null, null, null],
      trending: null,
    });
    expect(html).toContain('aria-label="Downloads a day over the last 30 days, acme/Rocket-7B (3 days unknown)"');
    const known = renderModelCard({ site, theme: 'light', model, dailyDownloads: [5, 6], trending: null });
    expect(known).toContain('aria-label="Downloads a day over the last 30 days, acme/Rocket-7B"');
  });

  it('marks a card of demo figures as such', () => {
    const card = (demo: boolean) =>
      renderModelCard({ site, theme: 'light', model: { ...model, demo }, dailyDownloads: [5, 6], trending: null });
    expect(card(true)).toContain('<footer><strong>Demo data</strong>, made up, not counted · <a ');
    expect(card(false)).not.toContain('Demo data');
  });

  it('keeps the lines of a missing description and of no tags, so every card is as tall', () => {
    const html = renderModelCard({
      site,
      theme: 'light',
      model: { ...model, description: null, tags: [] },
      dailyDownloads: [],
      trending: null,
    });
    expect(html).toContain('<p class="desc clamp muted">No description given.</p><div class="tags"></div><dl>');
  });
});
