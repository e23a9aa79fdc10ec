import {
  monotonicDailyIncrements,
  netDailyChanges,
  sourceDailySeries,
  sourceDailySeriesAfter,
  spreadEvenly,
  type CounterReading,
  type SourceReading,
} from './daily-series';

const at = (iso: string, value: number): CounterReading => ({ observedAt: new Date(iso), value });
const values = (figures: { day: string; value: number }[]) => figures.map((f) => [f.day, f.value]);

describe('spreadEvenly', () => {
  it('gives integer parts with the remainder to the earliest days', () => {
    expect(spreadEvenly(10, 3)).toEqual([4, 3, 3]);
    expect(spreadEvenly(2, 3)).toEqual([1, 1, 0]);
    expect(spreadEvenly(-5, 2)).toEqual([-3, -2]);
    expect(spreadEvenly(0, 2)).toEqual([0, 0]);
  });
});

describe('monotonicDailyIncrements', () => {
  it('makes the first reading a baseline that adds nothing', () => {
    expect(monotonicDailyIncrements([at('2025-01-20T10:00:00Z', 5000)])).toEqual([
      { day: '2025-01-20', value: 0, imputed: false, flags: [] },
    ]);
  });

  it('gives an increment to the UTC day of the later reading, even one minute past midnight', () => {
    const figures = monotonicDailyIncrements([
      at('2025-01-20T12:00:00Z', 1000),
      at('2025-01-20T23:59:00Z', 1300),
      at('2025-01-21T00:01:00Z', 1310),
      at('2025-01-21T18:00:00Z', 2000),
    ]);
    expect(values(figures)).toEqual([
      ['2025-01-20', 300],
      ['2025-01-21', 700],
    ]);
  });

  it('spreads an increment after two missed days over them and marks them imputed', () => {
    const figures = monotonicDailyIncrements(
      [at('2025-01-01T12:00:00Z', 100), at('2025-01-02T12:00:00Z', 200), at('2025-01-05T12:00:00Z', 1200)].reverse(),
    );
    expect(figures).toEqual([
      { day: '2025-01-01', value: 0, imputed: false, flags: [] },
      { day: '2025-01-02', value: 100, imputed: false, flags: [] },
      { day: '2025-01-03', value: 334, imputed: true, flags: [] },
      { day: '2025-01-04', value: 333, imputed: true, flags: [] },
      { day: '2025-01-05', value: 333, imputed: true, flags: [] },
    ]);
  });

  it('writes 0 and a flag for a small decrease, and counts on from the high-water mark', () => {
    const figures = monotonicDailyIncrements([
      at('2025-01-01T00:00:00Z', 10_000),
      at('2025-01-02T00:00:00Z', 9_900),
      at('2025-01-03T00:00:00Z', 10_250),
    ]);
    expect(figures).toEqual([
      { day: '2025-01-01', value: 0, imputed: false, flags: [] },
      { day: '2025-01-02', value: 0, imputed: false, flags: ['decrease'] },
      { day: '2025-01-03', value: 250, imputed: false, flags: [] },
    ]);
  });

  it('holds back a large drop that later readings do not confirm', () => {
    const figures = monotonicDailyIncrements([
      at('2025-01-01T00:00:00Z', 10_000),
      at('2025-01-02T00:00:00Z', 0),
      at('2025-01-03T00:00:00Z', 10_400),
    ]);
    expect(figures).toEqual([
      { day: '2025-01-01', value: 0, imputed: false, flags: [] },
      // The glitch day is not trusted, so the next increment is spread over both days.
      { day: '2025-01-02', value: 200, imputed: true, flags: ['held_back'] },
      { day: '2025-01-03', value: 200, imputed: true, flags: [] },
    ]);
  });

  it('holds back a large drop at the end of the readings: no negative, no reset to zero', () => {
    const figures = monotonicDailyIncrements([at('2025-01-01T00:00:00Z', 10_000), at('2025-01-02T00:00:00Z', 500)]);
    expect(figures).toEqual([
      { day: '2025-01-01', value: 0, imputed: false, flags: [] },
      { day: '2025-01-02', value: 0, imputed: false, flags: ['held_back'] },
    ]);
  });

  it('takes a large drop as the new base once two later readings stay below the old mark', () => {
    const figures = monotonicDailyIncrements([
      at('2025-01-01T00:00:00Z', 10_000),
      at('2025-01-02T00:00:00Z', 2_000),
      at('2025-01-03T00:00:00Z', 2_300),
      at('2025-01-04T00:00:00Z', 2_700),
    ]);
    expect(figures).toEqual([
      { day: '2025-01-01', value: 0, imputed: false, flags: [] },
      { day: '2025-01-02', value: 0, imputed: false, flags: ['reset'] },
      { day: '2025-01-03', value: 300, imputed: false, flags: [] },
      { day: '2025-01-04', value: 400, imputed: false, flags: [] },
    ]);
  });

  it('gives the same days for the same readings replayed in any order', () => {
    const readings = [
      at('2025-01-01T01:00:00Z', 5),
      at('2025-01-01T05:00:00Z', 50),
      at('2025-01-02T05:00:00Z', 80),
      at('2025-01-04T05:00:00Z', 81),
    ];
    expect(monotonicDailyIncrements([...readings].reverse())).toEqual(monotonicDailyIncrements(readings));
    expect(values(monotonicDailyIncrements(readings))).toEqual([
      ['2025-01-01', 45],
      ['2025-01-02', 30],
      ['2025-01-03', 1],
      ['2025-01-04', 0],
    ]);
  });
});

describe('netDailyChanges', () => {
  it('keeps decreases as negative net changes', () => {
    const figures = netDailyChanges([
      at('2025-01-01T00:00:00Z', 40),
      at('2025-01-02T00:00:00Z', 45),
      at('2025-01-03T00:00:00Z', 43),
    ]);
    expect(values(figures)).toEqual([
      ['2025-01-01', 0],
      ['2025-01-02', 5],
      ['2025-01-03', -2],
    ]);
  });
});

describe('sourceDailySeries', () => {
  const reading = (iso: string, counters: Partial<SourceReading>): SourceReading => ({
    observedAt: new Date(iso),
    downloadsAllTime: null,
    downloads30d: null,
    likes: null,
    stars: null,
    ...counters,
  });

  it('merges downloads and likes per day', () => {
    const days = sourceDailySeries(
      [
        reading('2025-01-20T06:00:00Z', { downloadsAllTime: 0, downloads30d: 0, likes: 10 }),
        reading('2025-01-21T06:00:00Z', { downloadsAllTime: 40_000, downloads30d: 40_000, likes: 310 }),
      ],
      null,
    );
    expect(days).toEqual([
      { day: '2025-01-20', downloads: 0, likes: 0, stars: null, imputed: [], flags: [] },
      { day: '2025-01-21', downloads: 40_000, likes: 300, stars: null, imputed: [], flags: [] },
    ]);
  });

  it('never differences the rolling 30-day figure of a model that has an all-time figure', () => {
    const days = sourceDailySeries(
      [
        reading('2025-03-01T00:00:00Z', { downloadsAllTime: 1000, downloads30d: 900 }),
        reading('2025-03-02T00:00:00Z', { downloadsAllTime: 1100, downloads30d: 500 }),
      ],
      new Date('2025-02-25T00:00:00Z'),
    );
    expect(days.map((d) => d.downloads)).toEqual([0, 100]);
  });

  it('uses the 30-day figure of a model younger than 30 days with no all-time figure, and stops at 30 days', () => {
    const days = sourceDailySeries(
      [
        reading('2025-01-21T00:00:00Z', { downloads30d: 100 }),
        reading('2025-01-22T00:00:00Z', { downloads30d: 700 }),
        // 30 days after birth the rolling figure no longer counts everything.
        reading('2025-02-20T00:00:00Z', { downloads30d: 600 }),
      ],
      new Date('2025-01-20T00:00:00Z'),
    );
    expect(days.map((d) => [d.day, d.downloads])).toEqual([
      ['2025-01-21', 0],
      ['2025-01-22', 600],
    ]);
  });

  it('ignores a 30-day figure when the age of the model is unknown', () => {
    expect(sourceDailySeries([reading('2025-01-21T00:00:00Z', { downloads30d: 100 })], null)).toEqual([]);
  });
});

describe('sourceDailySeriesAfter', () => {
  const hourly = (hours: number, value: (hour: number) => number, likes: (hour: number) => number): SourceReading[] =>
    Array.from({ length: hours }, (_, hour) => ({
      observedAt: new Date(Date.parse('2025-03-01T00:00:00Z') + hour * 3_600_000 + 17 * 60_000),
      downloadsAllTime: value(hour),
      downloads30d: null,
      likes: likes(hour),
      stars: null,
    }));

  it('carries on from a checkpoint exactly as a full recomputation does, dips and gaps included', () => {
    const readings = hourly(
      24 * 6,
      (h) => 1_000 * h + (h === 30 ? -1_400 : 0) + (h > 100 ? 7 * (h - 100) : 0),
      (h) => 10 + Math.floor(h / 5) - (h === 70 ? 3 : 0),
    ).filter((r) => !r.observedAt.toISOString().startsWith('2025-03-04'));
    const full = sourceDailySeries(readings, null);
    for (const cut of ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-05']) {
      const before = readings.filter((r) => r.observedAt.toISOString().slice(0, 10) <= cut);
      const last = before[before.length - 1];
      const baseline = { ...last, downloadsAllTime: Math.max(...before.map((r) => r.downloadsAllTime!)) };
      const after = readings.filter((r) => r.observedAt.toISOString().slice(0, 10) > cut);
      expect(sourceDailySeriesAfter({ day: cut, baseline }, after)).toEqual(full.filter((d) => d.day > cut));
    }
    // The gap on the 4th is spread over the 4th and the 5th, starting from the checkpoint of the 3rd.
    // 25,000 between 23:17 on the 3rd and 00:17 on the 5th; then 23,133 more on the 5th (7 extra an hour after hour 100).
    expect(full.map((d) => [d.day, d.downloads, d.imputed, d.flags])).toEqual([
      ['2025-03-01', 23_000, [], []],
      ['2025-03-02', 24_000, [], ['decrease']],
      ['2025-03-03', 24_000, [], []],
      ['2025-03-04', 12_500, ['downloads', 'likes'], []],
      ['2025-03-05', 12_500 + 23_133, ['downloads', 'likes'], []],
      ['2025-03-06', 24_168, [], []],
    ]);
  });
});
