import { addDays, DAY_MS } from '../days';
import type { SourceReading } from '../stats';
import { historyStart, modelHistories } from './history';
import { scoreTrending, trendingLookbackDays, type TrendingModel } from './trending';

/*
 * From readings to the trending score, as RankingsService does it: a model at a flat 10,000
 * downloads, 2 likes (hub) and 1 star (GitHub) a day, read every evening at 23:00. With every
 * reading in, by hand (docs/trending.md):
 *   downloads7d = 70000, V = log10(70001) = 4.8451; flat, so G = 0
 *   likes7d + 0.5 × stars7d = 14 + 3.5, E = log10(18.5) = 1.2672
 *   score = 0.5 × 4.8451 + 0 + 0.5 × 1.2672 = 2.42255 + 0.6336 = 3.05615 → 3.0562
 */
const AS_OF = '2025-01-21';
const FROM_DAY = historyStart(AS_OF, trendingLookbackDays());
const FIRST_READING = addDays(FROM_DAY, -2);

/** A reading each evening from FIRST_READING to `lastDay`, the counters of the i-th. */
function evenings(lastDay: string, counters: (i: number) => Partial<SourceReading>): SourceReading[] {
  const out: SourceReading[] = [];
  for (let t = Date.parse(`${FIRST_READING}T23:00:00Z`), i = 0; t <= Date.parse(`${lastDay}T23:00:00Z`); t += DAY_MS) {
    out.push({
      observedAt: new Date(t),
      downloadsAllTime: null,
      downloads30d: null,
      likes: null,
      stars: null,
      ...counters(i++),
    });
  }
  return out;
}

const hub = (lastDay: string) => ({
  modelId: '1',
  source: 'huggingface',
  readings: evenings(lastDay, (i) => ({ downloadsAllTime: 1_000_000 + 10_000 * i, likes: 100 + 2 * i })),
});
const github = (lastDay: string) => ({
  modelId: '1',
  source: 'github',
  readings: evenings(lastDay, (i) => ({ stars: 50 + i })),
});

function history(
  readings: ReturnType<typeof hub>[],
  events: { modelId: string; day: string; downloads: number }[] = [],
) {
  return modelHistories({ readings, events, bornAt: new Map([['1', null]]), fromDay: FROM_DAY, asOf: AS_OF }).get('1')!;
}

const trending = (days: TrendingModel['days']): TrendingModel => ({
  modelId: 'acme/steady',
  releaseDate: '2023-06-01',
  firstSeenDate: FIRST_READING,
  days,
});

describe('trending from the readings of a model whose sync broke for its last three days', () => {
  const everyReading = scoreTrending(trending(history([hub(AS_OF), github(AS_OF)])), AS_OF);

  it('scores the steady model by hand with every reading in', () => {
    expect(everyReading).toMatchObject({
      score: 3.0562,
      components: { volume: 4.8451, growth: 0, engagement: 1.2672 },
      flags: [],
    });
  });

  it('keeps its score when no source read it on its last three days: they are unknown, not zeros', () => {
    const days = history([hub('2025-01-18'), github('2025-01-18')]);
    expect(days.at(-1)!.day).toBe('2025-01-18');
    expect(scoreTrending(trending(days), AS_OF)).toMatchObject({
      score: everyReading.score,
      figures: { downloads7d: 70_000, likes7d: 14, stars7d: 7, shortRatePerDay: 10_000 },
      flags: ['unknown_days'],
    });
  });

  it('keeps its score when only GitHub stars came in on those days: no download figure is no zero', () => {
    const days = history([hub('2025-01-18'), github(AS_OF)]);
    // Downloads and likes scaled from the four days that have them, stars from all seven.
    expect(scoreTrending(trending(days), AS_OF)).toMatchObject({
      score: everyReading.score,
      figures: { downloads7d: 70_000, likes7d: 14, stars7d: 7, shortRatePerDay: 10_000 },
      flags: ['unknown_days'],
    });
    expect(days.slice(-3)).toEqual(
      ['2025-01-19', '2025-01-20', '2025-01-21'].map((day) => ({
        day,
        downloads: null,
        likes: null,
        stars: 1,
        imputed: false,
        flags: [],
      })),
    );
  });

  it('counts a day without events as a known zero once our mirror has counted any', () => {
    const days = history([hub('2025-01-18')], [{ modelId: '1', day: '2025-01-19', downloads: 5 }]);
    expect(days.slice(-3).map((d) => [d.day, d.downloads])).toEqual([
      ['2025-01-19', 5],
      ['2025-01-20', 0],
      ['2025-01-21', 0],
    ]);
  });
});
