import { dayLabel, MAX_CHART_SERIES, niceTicks, rankTicks, renderChart, SERIES_STYLES, titleLines } from './chart';

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const polyline = (svg: string) =>
  /<polyline points="([^"]+)"/
    .exec(svg)![1]
    .split(' ')
    .map((pair) => pair.split(',').map(Number));

describe('niceTicks', () => {
  it.each([
    [0, 1_000, [0, 500, 1_000]],
    [0, 1_200, [0, 500, 1_000, 1_500]],
    [0, 7_300, [0, 2_000, 4_000, 6_000, 8_000]],
    [0, 305_000, [0, 100_000, 200_000, 300_000, 400_000]],
    [0, 2_000_000, [0, 500_000, 1_000_000, 1_500_000, 2_000_000]],
    [0, 3, [0, 1, 2, 3]],
    [-40, 120, [-50, 0, 50, 100, 150]],
  ])('covers %d to %d with round steps', (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });

  it('gives a zero-only series an axis from 0 to 1', () => {
    expect(niceTicks(0, 0)).toEqual([0, 1]);
  });

  it('steps by whole counts on a small series', () => {
    expect(niceTicks(0, 1)).toEqual([0, 1]);
    expect(niceTicks(0, 2)).toEqual([0, 1, 2]);
  });
});

describe('rankTicks', () => {
  it.each([
    [1, [1, 2, 3, 4]],
    [4, [1, 2, 3, 4]],
    [7, [1, 2, 4, 6, 8]],
    [37, [1, 10, 20, 30, 40]],
    [180, [1, 50, 100, 150, 200]],
  ])('runs from rank 1 down past rank %d in round steps', (worst, ticks) => {
    expect(rankTicks(worst)).toEqual(ticks);
  });
});

describe('titleLines', () => {
  it('keeps a title that fits on one line', () => {
    expect(titleLines('downloads a day, last 90 days', 576)).toEqual(['downloads a day, last 90 days']);
  });

  it('wraps a long title between words, up to three lines, cutting an id too long for one', () => {
    const title = 'deepseek-ai/DeepSeek-R1: trending rank each day, 30 days to 2025-01-27';
    expect(titleLines(title, 224)).toEqual([
      'deepseek-ai/DeepSeek-R1:',
      'trending rank each day, 30',
      'days to 2025-01-27',
    ]);
    expect(titleLines(title, 400)).toEqual([
      'deepseek-ai/DeepSeek-R1: trending rank each day, 30',
      'days to 2025-01-27',
    ]);
    expect(titleLines('a-very-long-organization/a-very-long-model-name-without-breaks: downloads', 224)).toEqual([
      'a-very-long-organization/a-v…',
      'downloads',
    ]);
    expect(titleLines('one two three four five six seven eight nine ten eleven twelve', 96)).toEqual([
      'one two',
      'three four',
      'five six se…',
    ]);
  });
});

describe('dayLabel', () => {
  it('writes a day short, with the year when asked', () => {
    expect(dayLabel('2025-01-20', false)).toBe('Jan 20');
    expect(dayLabel('2024-12-01', true)).toBe('Dec 1, 2024');
  });
});

describe('renderChart', () => {
  const week = (values: (number | null)[]) => values.map((value, i) => ({ date: `2025-01-${String(14 + i)}`, value }));

  it('draws a flat series of 1,000 a day as a level line under a 1k top tick', () => {
    const svg = renderChart({
      title: 'acme/flat: downloads a day',
      from: '2025-01-14',
      to: '2025-01-20',
      points: week([1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]),
    });
    expect(texts(svg)).toEqual([
      'acme/flat: downloads a day',
      '0',
      '500',
      '1k',
      'Jan 14, 2025',
      'Jan 16',
      'Jan 17',
      'Jan 19',
      'Jan 20',
    ]);
    const ys = new Set(polyline(svg).map(([, y]) => y));
    expect(ys).toEqual(new Set([36]));
    expect(svg).toContain('role="img" aria-label="acme/flat: downloads a day"');
    expect(svg).toContain('<title>acme/flat: downloads a day</title>');
  });

  it('draws a launch spike to the top of an axis that reaches it, the quiet days on the floor', () => {
    const svg = renderChart({
      title: 'spike',
      from: '2025-01-14',
      to: '2025-01-20',
      points: week([0, 0, 0, 0, 0, 0, 300_000]),
    });
    expect(texts(svg).slice(1, 5)).toEqual(['0', '100k', '200k', '300k']);
    const points = polyline(svg);
    expect(points[0]).toEqual([48, 212]);
    expect(points[6]).toEqual([624, 36]);
  });

  it('draws an empty series as "no data yet" over the whole window', () => {
    const svg = renderChart({ title: 'new model', from: '2024-10-23', to: '2025-01-20', points: [] });
    expect(texts(svg)).toEqual([
      'new model',
      '0',
      '1',
      'Oct 23, 2024',
      'Nov 14',
      'Dec 7',
      'Dec 29',
      'Jan 20',
      'no data yet',
    ]);
    expect(svg).not.toContain('<polyline');
  });

  it('starts the line where tracking started, days before it left empty', () => {
    const svg = renderChart({
      title: 'late',
      from: '2025-01-14',
      to: '2025-01-20',
      points: [
        { date: '2025-01-19', value: 10 },
        { date: '2025-01-20', value: 20 },
      ],
    });
    expect(polyline(svg).map(([x]) => x)).toEqual([528, 624]);
  });

  it('stops the line where the sync broke: the last three unknown days are a gap, not a drop to 0', () => {
    const svg = renderChart({
      title: 'broken sync',
      from: '2025-01-14',
      to: '2025-01-20',
      points: week([1_000, 1_000, 1_000, 1_000, null, null, null]),
    });
    // The axis is scaled to the known days only, and nothing is drawn on the floor (y 212).
    expect(texts(svg).slice(1, 4)).toEqual(['0', '500', '1k']);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(polyline(svg)).toEqual([
      [48, 36],
      [144, 36],
      [240, 36],
      [336, 36],
    ]);
    expect(svg).not.toContain('<circle');
  });

  it('breaks the line around an unknown day, and draws a known day between two gaps as a dot', () => {
    const svg = renderChart({
      title: 'gaps',
      from: '2025-01-14',
      to: '2025-01-20',
      points: week([100, 200, null, 300, null, 400, 200]),
    });
    // Ticks 0 to 400 on y 212 to 36: 44 px per 100; a day every 96 px from x 48.
    const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]);
    expect(lines).toEqual(['48,168 144,124', '528,36 624,124']);
    expect(svg).toContain('<circle cx="336" cy="80" r="3"');
  });

  it('says so when every day of the window is unknown, rather than drawing zeros', () => {
    const svg = renderChart({ title: 'stale', from: '2025-01-14', to: '2025-01-20', points: week([null, null]) });
    expect(texts(svg)).toContain('no figures for these days');
    expect(svg).not.toContain('<polyline');
    expect(svg).not.toContain('<circle');
  });

  it('escapes a hostile title in the title, the label and the text', () => {
    const svg = renderChart({ title: '"><script>alert(1)</script>', from: '2025-01-20', to: '2025-01-20', points: [] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('aria-label="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('renderChart on a narrow drawing', () => {
  it('wraps a long title onto a second line and moves the plot down by it, the full title kept for screen readers', () => {
    const title = 'deepseek-ai/DeepSeek-R1: downloads a day, last 90 days';
    const points = [{ date: '2025-01-20', value: 10 }];
    const wide = renderChart({ title, from: '2025-01-14', to: '2025-01-20', points, widthPx: 640 });
    const narrow = renderChart({ title, from: '2025-01-14', to: '2025-01-20', points, widthPx: 288 });
    expect(wide).toContain(`font-weight="600" fill="#1f2328">${title}</text>`);
    expect(wide).toMatch(/height="240"/);
    expect(narrow).toContain(
      '<tspan x="48" dy="0">deepseek-ai/DeepSeek-R1:</tspan><tspan x="48" dy="18">downloads a day, last 90 days</tspan>',
    );
    expect(narrow).toMatch(/^<svg [^>]*width="288" height="258" viewBox="0 0 288 258"/);
    expect(narrow).toContain(`<title>${title}</title>`);
    // The top grid line (the plot's top) is 18 px lower.
    expect(narrow).toContain('y1="54" y2="54"');
    expect(wide).toContain('y1="36" y2="36"');
  });
});

describe('renderChart of ranks', () => {
  const week = (values: (number | null)[]) => values.map((value, i) => ({ date: `2025-01-${String(14 + i)}`, value }));

  it('puts rank 1 on top and the worst tick at the bottom, with no zero line', () => {
    const svg = renderChart({
      title: 'acme/rising: trending rank each day',
      from: '2025-01-14',
      to: '2025-01-20',
      points: week([37, 30, 20, 12, 5, 2, 1]),
      scale: 'rank',
    });
    expect(texts(svg).slice(1, 6)).toEqual(['1', '10', '20', '30', '40']);
    const points = polyline(svg);
    // The plot runs from y 36 (rank 1) to y 212 (rank 40).
    expect(points[6]).toEqual([624, 36]);
    expect(points[0][1]).toBeCloseTo(212 - (3 / 39) * 176, 1);
    expect(points.map(([, y]) => y)).toEqual([...points.map(([, y]) => y)].sort((a, b) => b - a));
    // Grid lines only: no darker baseline drawn at a value of 0.
    expect(svg).not.toContain('stroke="#59636e"');
  });

  it('leaves the days a model was not ranked as gaps, and says so when it never was', () => {
    const gaps = renderChart({
      title: 'acme/in-and-out',
      from: '2025-01-14',
      to: '2025-01-20',
      points: week([3, 2, null, null, 4, 5, null]),
      scale: 'rank',
    });
    expect(gaps.match(/<polyline/g)).toHaveLength(2);
    const never = renderChart({
      title: 'acme/never',
      from: '2025-01-14',
      to: '2025-01-20',
      points: week([null, null, null, null, null, null, null]),
      scale: 'rank',
    });
    expect(texts(never)).toContain('not ranked on these days');
  });
});

describe('renderChart with several series', () => {
  const day = (i: number) => `2025-01-${String(14 + i)}`;
  const week = (values: (number | null)[]) => values.map((value, i) => ({ date: day(i), value }));
  const linesOf = (svg: string, colour: string) =>
    [...svg.matchAll(new RegExp(`<polyline points="([^"]+)" fill="none" stroke="${colour}"`, 'g'))].map((m) => m[1]);

  it('draws one line per model in its own colour and dash, the axis scaled to the largest', () => {
    const svg = renderChart({
      title: 'downloads a day',
      from: '2025-01-14',
      to: '2025-01-20',
      series: [
        { label: 'acme/big', points: week([400, 400, 400, 400, 400, 400, 400]) },
        { label: 'acme/small', points: week([100, 100, 100, 100, 100, 100, 100]) },
        { label: 'acme/third', points: week([0, 0, 0, 0, 0, 0, 200]) },
      ],
    });
    // Two legend rows of 18 px and 4 px more push the plot down by 58 px: top 94, bottom 270.
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="298"/);
    expect(texts(svg).slice(0, 4)).toEqual(['downloads a day', 'acme/big', 'acme/small', 'acme/third']);
    // Ticks 0 to 400 over 176 px: 44 px per 100.
    expect(linesOf(svg, SERIES_STYLES[0].colour)).toEqual(['48,94 144,94 240,94 336,94 432,94 528,94 624,94']);
    expect(linesOf(svg, SERIES_STYLES[1].colour)).toEqual(['48,226 144,226 240,226 336,226 432,226 528,226 624,226']);
    expect(linesOf(svg, SERIES_STYLES[2].colour)).toEqual(['48,270 144,270 240,270 336,270 432,270 528,270 624,182']);
    expect(svg).toContain(`stroke="${SERIES_STYLES[1].colour}" stroke-width="2" stroke-dasharray="8 4"`);
    expect(svg).toContain('aria-label="downloads a day: acme/big, acme/small, acme/third"');
  });

  it('leaves each model its own gaps: an unknown day of one is never a 0, nor a gap of another', () => {
    const svg = renderChart({
      title: 't',
      from: '2025-01-14',
      to: '2025-01-20',
      series: [
        { label: 'a/steady', points: week([100, 100, 100, 100, 100, 100, 100]) },
        { label: 'a/broken', points: week([100, 100, null, 100, null, 100, null]) },
      ],
    });
    expect(linesOf(svg, SERIES_STYLES[0].colour)).toHaveLength(1);
    // 100 is the top tick (y 76); the broken model's days 3 and 6 stand alone as dots.
    expect(linesOf(svg, SERIES_STYLES[1].colour)).toEqual(['48,76 144,76']);
    expect(svg).toContain(`<circle cx="336" cy="76" r="3" fill="${SERIES_STYLES[1].colour}"/>`);
    expect(svg).toContain(`<circle cx="528" cy="76" r="3" fill="${SERIES_STYLES[1].colour}"/>`);
    expect(svg).not.toMatch(/,252[ "]/);
  });

  it('says "no data yet" only when no model has a point', () => {
    const empty = renderChart({
      title: 't',
      from: '2025-01-14',
      to: '2025-01-20',
      series: [
        { label: 'a/one', points: [] },
        { label: 'a/two', points: [] },
      ],
    });
    expect(texts(empty)).toContain('no data yet');
    const some = renderChart({
      title: 't',
      from: '2025-01-14',
      to: '2025-01-20',
      series: [
        { label: 'a/one', points: [] },
        { label: 'a/two', points: week([5, 6]) },
      ],
    });
    expect(texts(some)).not.toContain('no data yet');
    expect(linesOf(some, SERIES_STYLES[1].colour)).toHaveLength(1);
  });

  it('escapes hostile model names in the legend and the label, and cuts a long one to its row', () => {
    const svg = renderChart({
      title: 't',
      from: '2025-01-14',
      to: '2025-01-20',
      widthPx: 288,
      series: [
        { label: 'a/"><script>x</script>', points: [] },
        { label: `deepseek-ai/DeepSeek-R1-Distill-${'Qwen-'.repeat(4)}32B`, points: [] },
      ],
    });
    expect(svg).not.toContain('<script>');
    expect(texts(svg)[1]).toBe('a/&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(svg).toContain(
      'aria-label="t: a/&quot;&gt;&lt;script&gt;x&lt;/script&gt;, deepseek-ai/DeepSeek-R1-Distill-Qwen-',
    );
    // 288 - 48 - 16 - 30 = 194 px of legend text: 27 characters, cut in the middle so the end still tells.
    expect(texts(svg)[2]).toBe('deepseek…Qwen-Qwen-Qwen-32B');
  });

  it('labels fewer days on a narrow chart so the labels do not run into each other', () => {
    const svg = renderChart({ title: 't', from: '2024-10-23', to: '2025-01-20', widthPx: 288, points: [] });
    expect(texts(svg).filter((text) => /^[A-Z][a-z]{2} \d/.test(text))).toEqual(['Oct 23, 2024', 'Dec 7', 'Jan 20']);
  });

  it('refuses more series than it has styles for', () => {
    const series = Array.from({ length: MAX_CHART_SERIES + 1 }, (_, i) => ({ label: `a/${i}`, points: [] }));
    expect(() => renderChart({ title: 't', from: '2025-01-14', to: '2025-01-20', series })).toThrow(RangeError);
  });
});
