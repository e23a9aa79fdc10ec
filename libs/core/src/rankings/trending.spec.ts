import { addDays, daysBetween } from '../days';
import {
  DEFAULT_TRENDING_PARAMS,
  rankTrending,
  scoreTrending,
  trendingLookbackDays,
  trendingVersion,
  type TrendingDay,
  type TrendingModel,
} from './trending';

/*
 * Every expected figure below is worked out by hand from the published formula with the
 * default parameters (k = 1000, surge cut to 0, weights 0.5 / 1 / 0.5), components rounded
 * half up to 4 decimals and the score computed from the rounded components, then rounded half up.
 *
 * Short-average weights 2^(-a/3) for a = 0..6 days before asOf:
 *   1, 0.793701, 0.629961, 0.5, 0.396850, 0.314980, 0.25   (sum 3.885492)
 * A flat baseline averages to its level whatever its weights.
 */
const AS_OF = '2025-01-21';

interface DayShape {
  /** Null: no source gave the figure that day. */
  downloads: number | null;
  likes?: number | null;
  stars?: number | null;
  imputed?: boolean;
  flags?: string[];
}

/** Days `from`..`to` (inclusive); `shape(a)` gives the day `a` days before AS_OF. */
function series(from: string, to: string, shape: (daysBeforeAsOf: number) => DayShape): TrendingDay[] {
  const days: TrendingDay[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const s = shape(daysBetween(day, AS_OF));
    days.push({
      day,
      downloads: s.downloads,
      likes: s.likes === undefined ? 0 : s.likes,
      stars: s.stars === undefined ? 0 : s.stars,
      imputed: s.imputed ?? false,
      ...(s.flags ? { flags: s.flags } : {}),
    });
  }
  return days;
}

/** An old model tracked since December, with whatever it did on each day. */
const oldModel = (modelId: string, shape: (a: number) => DayShape, to = AS_OF): TrendingModel => ({
  modelId,
  releaseDate: '2023-06-01',
  firstSeenDate: '2024-11-30',
  days: series('2024-11-30', to, shape),
});

/** Launched on 2025-01-20 (first reading that evening, a baseline), 20k downloads and 40 likes on day 1. */
const launch: TrendingModel = {
  modelId: 'deepseek-ai/DeepSeek-R1',
  releaseDate: '2025-01-20',
  firstSeenDate: '2025-01-20',
  days: series('2025-01-20', AS_OF, (a) => (a === 0 ? { downloads: 20_000, likes: 40 } : { downloads: 0 })),
};
const steadyGiant = oldModel('meta-llama/Llama-3.1-8B-Instruct', () => ({ downloads: 2_000_000, likes: 10 }));

describe('trending score v1 (asOf 2025-01-21)', () => {
  it('a launch with 20k downloads on day 1 outranks a steady 2M/day model', () => {
    // Launch. Days 01-15..01-19 are before the release: known zeros. 01-20 is the first-seen day,
    // partial (its reading is the baseline): unknown. So 6 known days of the last 7:
    //   downloads7d = 20000 × 7/6 = 23333.33      V = log10(23334.33) = 4.3680
    //   rShort = 20000 × 1 / (3.885492 − 0.793701) = 20000 / 3.091791 = 6468.74
    //   rBaseline = 0 (01-14 and the 27 days before: all before the release)
    //   G = log2((6468.74 + 1000) / (0 + 1000)) = log2(7.46874) = 2.9009
    //   likes7d = 40 × 7/6 = 46.67                E = log10(47.67) = 1.6782
    //   score = 0.5 × 4.3680 + 2.9009 + 0.5 × 1.6782 = 2.1840 + 2.9009 + 0.8391 = 5.9240
    expect(scoreTrending(launch, AS_OF)).toEqual({
      score: 5.924,
      components: { volume: 4.368, growth: 2.9009, engagement: 1.6782 },
      figures: {
        downloads7d: 23333.3333,
        likes7d: 46.6667,
        stars7d: 0,
        shortRatePerDay: 6468.7424,
        baselineRatePerDay: 0,
        growthUncut: 2.9009,
      },
      flags: ['new', 'unknown_days'],
      eligible: true,
    });
    // Giant: downloads7d = 14,000,000, V = log10(14000001) = 7.1461; flat, so G = 0;
    //   likes7d = 70, E = log10(71) = 1.8513; score = 3.57305 + 0 + 0.92565 = 4.4987
    expect(scoreTrending(steadyGiant, AS_OF).score).toBe(4.4987);
    expect(rankTrending([steadyGiant, launch], AS_OF).map((r) => [r.rank, r.modelId, r.score])).toEqual([
      [1, 'deepseek-ai/DeepSeek-R1', 5.924],
      [2, 'meta-llama/Llama-3.1-8B-Instruct', 4.4987],
    ]);
  });

  it('a one-day bot spike on an old model with no likes is an uncorroborated surge and stays below', () => {
    // 5000 a day, then 500,000 on asOf and not one like.
    //   downloads7d = 500000 + 6 × 5000 = 530000   V = log10(530001) = 5.7243
    //   rShort = (500000 × 1 + 5000 × 2.885492) / 3.885492 = 132397.01;  rBaseline = 5000
    //   uncut G = log2(133397.01 / 6000) = 4.4746 ≥ 1 with 0 likes (< 10): cut to 0 × 4.4746 = 0
    //   score = 0.5 × 5.7243 + 0 + 0 = 2.86215 → 2.8622 (below the launch and the giant)
    const spiked = oldModel('old-org/bert-variant', (a) => ({ downloads: a === 0 ? 500_000 : 5_000 }));
    const scored = scoreTrending(spiked, AS_OF);
    expect(scored).toMatchObject({
      score: 2.8622,
      components: { volume: 5.7243, growth: 0, engagement: 0 },
      figures: { shortRatePerDay: 132397.0076, baselineRatePerDay: 5000, growthUncut: 4.4746 },
      flags: ['uncorroborated_surge'],
    });
    expect(rankTrending([spiked, steadyGiant, launch], AS_OF).map((r) => [r.rank, r.modelId])).toEqual([
      [1, 'deepseek-ai/DeepSeek-R1'],
      [2, 'meta-llama/Llama-3.1-8B-Instruct'],
      [3, 'old-org/bert-variant'],
    ]);
  });

  it('a declining model loses growth down to the floor of -2', () => {
    // 100k a day in the baseline, 20k a day over the last week.
    //   downloads7d = 140000                     V = log10(140001) = 5.1461
    //   G = log2(21000 / 101000) = −2.2659, clipped to −2
    //   score = 2.57305 − 2 + 0 = 0.57305 → 0.5731 (half up)
    const declining = oldModel('hot-lab/last-months-hit', (a) => ({ downloads: a < 7 ? 20_000 : 100_000 }));
    expect(scoreTrending(declining, AS_OF)).toMatchObject({
      score: 0.5731,
      components: { volume: 5.1461, growth: -2, engagement: 0 },
      eligible: true,
    });
  });

  it('an old model resurging with likes and stars climbs above the steady giant', () => {
    // 2000 a day in the baseline, 50k a day over the last week, 20 likes and 10 stars a day.
    //   downloads7d = 350000                     V = log10(350001) = 5.5441
    //   G = log2(51000 / 3000) = log2(17) = 4.0875 (corroborated: 140 + 0.5 × 70 = 175 ≥ 10)
    //   E = log10(1 + 175) = 2.2455
    //   score = 2.77205 + 4.0875 + 1.12275 = 7.9823
    const resurging = oldModel('old-org/revived-13b', (a) =>
      a < 7 ? { downloads: 50_000, likes: 20, stars: 10 } : { downloads: 2_000 },
    );
    expect(scoreTrending(resurging, AS_OF)).toMatchObject({
      score: 7.9823,
      components: { volume: 5.5441, growth: 4.0875, engagement: 2.2455 },
      flags: [],
    });
    expect(rankTrending([steadyGiant, resurging], AS_OF)[0].modelId).toBe('old-org/revived-13b');
  });

  it('missed sync days: imputed days count as figures, days not synced yet are unknown, not zero', () => {
    // 10k downloads and 2 likes a day. Caught up after an outage: the last three days are imputed
    // shares, so nothing changes but the flag:
    //   V = log10(70001) = 4.8451, G = 0, E = log10(15) = 1.1761, score = 2.42255 + 0.58805 = 3.0106
    const caughtUp = oldModel('org/caught-up', (a) => ({ downloads: 10_000, likes: 2, imputed: a < 3 }));
    expect(scoreTrending(caughtUp, AS_OF)).toMatchObject({
      score: 3.0106,
      components: { volume: 4.8451, growth: 0, engagement: 1.1761 },
      flags: ['imputed_days'],
    });
    // Still in the outage: the last reading was on 01-19, so 01-20 and 01-21 are absent. Five known
    // days scaled to seven: downloads7d = 50000 × 7/5 = 70000, likes7d = 10 × 7/5 = 14; rShort over
    // the known days = 10000; the same 3.0106, not a collapse.
    const behind = oldModel('org/behind', () => ({ downloads: 10_000, likes: 2 }), '2025-01-19');
    expect(scoreTrending(behind, AS_OF)).toMatchObject({
      score: 3.0106,
      figures: { downloads7d: 70000, likes7d: 14, shortRatePerDay: 10000 },
      flags: ['unknown_days'],
    });
  });

  it('a day with stars but no download figure is unknown for downloads, not a day of nothing', () => {
    // 10k downloads, 2 likes and 1 star a day; the hub sync broke three days ago, while GitHub's stars
    // still came in. Downloads and likes are scaled from the 4 days that have them, stars from all 7:
    //   downloads7d = 40000 × 7/4 = 70000, V = log10(70001) = 4.8451; rShort = 10000, G = 0
    //   likes7d = 8 × 7/4 = 14, stars7d = 7, E = log10(1 + 14 + 3.5) = 1.2672
    //   score = 2.42255 + 0 + 0.6336 = 3.05615 → 3.0562, as with every reading in
    const starsOnly = oldModel('org/hub-broke', (a) =>
      a < 3 ? { downloads: null, likes: null, stars: 1 } : { downloads: 10_000, likes: 2, stars: 1 },
    );
    const everyReading = oldModel('org/all-in', () => ({ downloads: 10_000, likes: 2, stars: 1 }));
    expect(scoreTrending(everyReading, AS_OF).score).toBe(3.0562);
    expect(scoreTrending(starsOnly, AS_OF)).toMatchObject({
      score: 3.0562,
      components: { volume: 4.8451, growth: 0, engagement: 1.2672 },
      figures: { downloads7d: 70000, likes7d: 14, stars7d: 7, shortRatePerDay: 10000 },
      flags: ['unknown_days'],
    });
    // Had those been days of nothing, it would fall:
    //   downloads7d = 40000, V = log10(40001) = 4.6021
    //   rShort = 10000 × (0.5 + 0.396850 + 0.314980 + 0.25) / 3.885492 = 3762.27
    //   G = log2(4762.27 / 11000) = −1.2078; E = log10(1 + 8 + 3.5) = 1.0969
    //   score = 2.30105 − 1.2078 + 0.54845 = 1.6417
    const nothing = oldModel('org/quiet-days', (a) =>
      a < 3 ? { downloads: 0, likes: 0, stars: 1 } : { downloads: 10_000, likes: 2, stars: 1 },
    );
    expect(scoreTrending(nothing, AS_OF)).toMatchObject({
      score: 1.6417,
      components: { volume: 4.6021, growth: -1.2078, engagement: 1.0969 },
    });
  });

  it('a counter that went down: its 0 day is unknown, while a real 0 day counts', () => {
    // Same 10k a day and 2 likes; on 01-20 the all-time count dipped, so the stats wrote 0 and `decrease`.
    // Six known days scaled: downloads7d = 60000 × 7/6 = 70000, likes7d = 12 × 7/6 = 14 → 3.0106 again.
    const dipped = oldModel('org/dipped', (a) =>
      a === 1 ? { downloads: 0, flags: ['decrease'] } : { downloads: 10_000, likes: 2 },
    );
    expect(scoreTrending(dipped, AS_OF)).toMatchObject({ score: 3.0106, flags: ['unknown_days'] });
    // Without the flag the 0 is a real day of nothing:
    //   downloads7d = 60000, V = log10(60001) = 4.7782
    //   rShort = 10000 × (3.885492 − 0.793701) / 3.885492 = 7957.27; G = log2(8957.27 / 11000) = −0.2964
    //   E = log10(1 + 12) = 1.1139; score = 2.3891 − 0.2964 + 0.55695 = 2.64965 → 2.6497
    const quiet = oldModel('org/quiet-day', (a) => (a === 1 ? { downloads: 0 } : { downloads: 10_000, likes: 2 }));
    expect(scoreTrending(quiet, AS_OF)).toMatchObject({
      score: 2.6497,
      components: { volume: 4.7782, growth: -0.2964, engagement: 1.1139 },
    });
  });

  it('the eligibility floor: 1000 downloads or 10 new likes plus stars over 7 days', () => {
    const belowFloor = oldModel('org/below', (a) => ({ downloads: 142, likes: a === 0 ? 9 : 0 })); // 994, 9
    const downloadsFloor = oldModel('org/downloads', () => ({ downloads: 143 })); // 1001
    // No downloads, 6 likes and 4 stars: V = 0, G = 0, E = log10(1 + 6 + 0.5 × 4) = 0.9542, score 0.4771.
    const likesFloor = oldModel('org/likes', (a) =>
      a === 0 ? { downloads: 0, likes: 6, stars: 4 } : { downloads: 0 },
    );
    expect(scoreTrending(belowFloor, AS_OF).eligible).toBe(false);
    expect(scoreTrending(likesFloor, AS_OF)).toMatchObject({ score: 0.4771, eligible: true });
    expect(rankTrending([belowFloor, likesFloor, downloadsFloor], AS_OF).map((r) => r.modelId)).toEqual([
      'org/downloads',
      'org/likes',
    ]);
  });

  it('a newly tracked old model with no release date has no growth rather than a launch', () => {
    // First reading on 01-18 and no release date: nothing before 01-19 is known, the baseline
    // window (01-14 and earlier) is empty. 90k a day and 3 likes on 01-19..01-21 (3 known days):
    //   downloads7d = 270000 × 7/3 = 630000, V = log10(630001) = 5.7993; G = 0
    //   likes7d = 9 × 7/3 = 21, E = log10(22) = 1.3424; score = 2.89965 + 0.6712 = 3.57085 → 3.5709
    const discovered: TrendingModel = {
      modelId: 'discovered/popular-old',
      releaseDate: null,
      firstSeenDate: '2025-01-18',
      days: series('2025-01-18', AS_OF, (a) => (a === 3 ? { downloads: 0 } : { downloads: 90_000, likes: 3 })),
    };
    expect(scoreTrending(discovered, AS_OF)).toMatchObject({
      score: 3.5709,
      components: { volume: 5.7993, growth: 0, engagement: 1.3424 },
      flags: ['new', 'unknown_days', 'insufficient_history'],
    });
  });

  it('a net loss of likes counts as no engagement, not negative engagement', () => {
    const unliked = oldModel('org/unliked', () => ({ downloads: 10_000, likes: -5, stars: 1 }));
    expect(scoreTrending(unliked, AS_OF).components.engagement).toBe(0);
  });

  it('breaks ties by model id and numbers ranks from 1', () => {
    const twin = (id: string) => oldModel(id, () => ({ downloads: 10_000, likes: 2 }));
    expect(rankTrending([twin('b/x'), twin('a/x')], AS_OF).map((r) => [r.rank, r.modelId])).toEqual([
      [1, 'a/x'],
      [2, 'b/x'],
    ]);
  });

  it('the score is the weighted sum of the returned components', () => {
    for (const r of rankTrending([launch, steadyGiant], AS_OF)) {
      const { volume, growth, engagement } = r.components;
      expect(r.score).toBeCloseTo(0.5 * volume + growth + 0.5 * engagement, 4);
    }
  });

  it('names the formula and its parameters in the version, and reads 35 days', () => {
    expect(trendingVersion()).toMatch(/^trending-v1-[0-9a-f]{8}$/);
    expect(trendingVersion({ ...DEFAULT_TRENDING_PARAMS })).toBe(trendingVersion());
    expect(trendingVersion({ ...DEFAULT_TRENDING_PARAMS, growthSmoothingPerDay: 100 })).not.toBe(trendingVersion());
    expect(trendingLookbackDays()).toBe(35);
  });
});
