/**
 * `npm run eval:trending`: replays the scenario files day by day through the real code (the
 * stats differencing, then the trending ranking) and through naive rankings, and prints how
 * well each foresaw the models that later lead by downloads.
 *
 * `npm run eval:trending -- --generate` rewrites the scenario files first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDailySeries, type SourceReading } from '../../libs/core/src/stats/daily-series';
import { addDays, daysBetween } from '../../libs/core/src/days';
import {
  DEFAULT_TRENDING_PARAMS,
  rankTrending,
  trendingVersion,
  type TrendingModel,
  type TrendingParams,
} from '../../libs/core/src/rankings/trending';
import { generateScenarios } from './generate-scenarios';
import type { Scenario } from './scenario';

// Compiled to dist/eval/bench/trending/; the scenario files stay in the source tree.
const SCENARIO_DIR = join(__dirname, '..', '..', '..', '..', 'bench', 'trending', 'scenarios');
const PRECISION_AT = 10;
/** "The trending ranking had it in the top N" for lead time; also the false-alarm band. */
const TOP_N = 3;

interface Ranking {
  name: string;
  /** Model ids, best first, eligible models only. */
  rank: (models: readonly TrendingModel[], asOf: string) => string[];
}

/** What the ranking code would have been handed at the end of `asOf`. */
function observedAsOf(scenario: Scenario, asOf: string): TrendingModel[] {
  const endOfDay = new Date(`${addDays(asOf, 1)}T00:00:00.000Z`).getTime();
  return scenario.models.flatMap((model) => {
    const readings: SourceReading[] = model.readings
      .filter(([at]) => new Date(at).getTime() < endOfDay)
      .map(([at, downloadsAllTime, likes, stars]) => ({
        observedAt: new Date(at),
        downloadsAllTime,
        downloads30d: null,
        likes,
        stars,
      }));
    if (readings.length === 0) return [];
    const days = sourceDailySeries(readings, null).map((d) => ({
      day: d.day,
      downloads: d.downloads,
      likes: d.likes,
      stars: d.stars,
      imputed: d.imputed.length > 0,
      flags: d.flags,
    }));
    return [{ modelId: model.id, releaseDate: model.releaseDate, firstSeenDate: days[0].day, days }];
  });
}

/** Plain sums over stored days, the way a naive leaderboard would read them. */
function naiveSum(
  model: TrendingModel,
  asOf: string,
  fromOffset: number,
  toOffset: number,
  pick: 'downloads' | 'engagement',
) {
  let sum = 0;
  for (const day of model.days) {
    const offset = daysBetween(day.day, asOf);
    if (offset < fromOffset || offset > toOffset) continue;
    sum += pick === 'downloads' ? (day.downloads ?? 0) : (day.likes ?? 0) + (day.stars ?? 0);
  }
  return sum;
}

/** The same floor as the trending score, so the naive rankings differ only in their order. */
const naiveEligible = (m: TrendingModel, asOf: string) =>
  naiveSum(m, asOf, 0, 6, 'downloads') >= DEFAULT_TRENDING_PARAMS.minDownloads7d ||
  naiveSum(m, asOf, 0, 6, 'engagement') >= DEFAULT_TRENDING_PARAMS.minLikesPlusStars7d;

function naiveRanking(name: string, key: (m: TrendingModel, asOf: string) => number): Ranking {
  return {
    name,
    rank: (models, asOf) =>
      models
        .filter((m) => naiveEligible(m, asOf))
        .map((m) => ({ id: m.modelId, key: key(m, asOf) }))
        .sort((a, b) => b.key - a.key || (a.id < b.id ? -1 : 1))
        .map((m) => m.id),
  };
}

const trendingRanking = (name: string, params: TrendingParams): Ranking => ({
  name,
  rank: (models, asOf) => rankTrending(models, asOf, params).map((r) => r.modelId),
});

const RANKINGS: Ranking[] = [
  trendingRanking(`trending v1 (${trendingVersion()})`, DEFAULT_TRENDING_PARAMS),
  trendingRanking('  issue draft: k = 100, cut to 1/4', {
    ...DEFAULT_TRENDING_PARAMS,
    growthSmoothingPerDay: 100,
    surgeGrowthFactor: 0.25,
  }),
  trendingRanking('  variant: k = 100', { ...DEFAULT_TRENDING_PARAMS, growthSmoothingPerDay: 100 }),
  trendingRanking('  variant: surge cut to 1/4', { ...DEFAULT_TRENDING_PARAMS, surgeGrowthFactor: 0.25 }),
  trendingRanking('  variant: no surge cut', { ...DEFAULT_TRENDING_PARAMS, surgeGrowthFactor: 1 }),
  trendingRanking('  variant: k = 10000', { ...DEFAULT_TRENDING_PARAMS, growthSmoothingPerDay: 10_000 }),
  naiveRanking('naive: newest first', (m) => -daysBetween(m.releaseDate ?? m.firstSeenDate, '2000-01-01')),
  naiveRanking('naive: most downloads 7d', (m, asOf) => naiveSum(m, asOf, 0, 6, 'downloads')),
  naiveRanking(
    'naive: biggest growth 7d/prev 7d',
    (m, asOf) => (naiveSum(m, asOf, 0, 6, 'downloads') + 1) / (naiveSum(m, asOf, 7, 13, 'downloads') + 1),
  ),
];

interface Result {
  precisionAt10: number;
  /** Per rising leader: days the ranking had it in its top N before it reached the downloads top; null: never. */
  leadDays: (number | null)[];
  falseAlarms: string[];
}

/** Day index at which a model first sits in the top `size` by true downloads over the trailing 7 days. */
function reachesTop(scenario: Scenario, id: string, fromIndex: number): number | null {
  const ids = Object.keys(scenario.truthDownloads);
  const total7 = (m: string, i: number) =>
    scenario.truthDownloads[m].slice(Math.max(0, i - 6), i + 1).reduce((a, b) => a + b, 0);
  const length = scenario.truthDownloads[id].length;
  for (let i = fromIndex; i < length; i++) {
    const top = ids
      .map((m) => ({ m, total: total7(m, i) }))
      .sort((a, b) => b.total - a.total || (a.m < b.m ? -1 : 1))
      .slice(0, scenario.leaders.size)
      .map((x) => x.m);
    if (top.includes(id)) return i;
  }
  return null;
}

function evaluate(scenario: Scenario, ranking: Ranking): Result {
  const leaders = new Set(scenario.leaders.models);
  const evalFromIndex = daysBetween(scenario.startDate, scenario.evalFrom);
  const days = daysBetween(scenario.startDate, scenario.endDate) + 1;
  const rankings = new Map<number, string[]>();
  for (let i = evalFromIndex; i < days; i++) {
    const asOf = addDays(scenario.startDate, i);
    rankings.set(i, ranking.rank(observedAsOf(scenario, asOf), asOf));
  }
  const evalToIndex = daysBetween(scenario.startDate, scenario.evalTo);
  let precision = 0;
  const falseAlarms = new Set<string>();
  for (let i = evalFromIndex; i <= evalToIndex; i++) {
    const order = rankings.get(i) ?? [];
    precision += order.slice(0, PRECISION_AT).filter((id) => leaders.has(id)).length / PRECISION_AT;
    for (const id of order.slice(0, TOP_N)) if (!leaders.has(id)) falseAlarms.add(id);
  }
  // Rising leaders: not yet in the downloads top when the evaluation starts.
  const leadDays = scenario.leaders.models.flatMap((id) => {
    const reached = reachesTop(scenario, id, evalFromIndex);
    if (reached === null || reached === evalFromIndex) return [];
    let firstTop: number | null = null;
    for (let i = evalFromIndex; i < days && firstTop === null; i++) {
      if ((rankings.get(i) ?? []).slice(0, TOP_N).includes(id)) firstTop = i;
    }
    return [firstTop === null ? null : reached - firstTop];
  });
  return {
    precisionAt10: precision / (evalToIndex - evalFromIndex + 1),
    leadDays,
    falseAlarms: [...falseAlarms].sort(),
  };
}

const pad = (s: string, n: number) => s.padEnd(n);
const formatLead = (leads: (number | null)[]) => {
  if (leads.length === 0) return 'n/a';
  const caught = leads.filter((l): l is number => l !== null);
  const mean = caught.length ? (caught.reduce((a, b) => a + b, 0) / caught.length).toFixed(1) : '-';
  return `${mean} (${caught.length}/${leads.length})`;
};

function main(): void {
  const files = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const scenarios = files.map((f) => JSON.parse(readFileSync(join(SCENARIO_DIR, f), 'utf8')) as Scenario);
  const totals = new Map<string, { precision: number; leads: (number | null)[]; falseAlarms: number }>();
  const header = `${pad('ranking', 36)} ${pad('P@10', 6)} ${pad('lead days (caught)', 19)} false alarms (top ${TOP_N}, never lead)`;
  for (const scenario of scenarios) {
    console.log(
      `\n## ${scenario.name} (${scenario.models.length} models; asOf ${scenario.evalFrom}..${scenario.evalTo})`,
    );
    console.log(scenario.description);
    console.log(header);
    for (const ranking of RANKINGS) {
      const result = evaluate(scenario, ranking);
      const total = totals.get(ranking.name) ?? { precision: 0, leads: [], falseAlarms: 0 };
      total.precision += result.precisionAt10 / scenarios.length;
      total.leads.push(...result.leadDays);
      total.falseAlarms += result.falseAlarms.length;
      totals.set(ranking.name, total);
      const alarms = result.falseAlarms.length ? `${result.falseAlarms.length}: ${result.falseAlarms.join(', ')}` : '0';
      console.log(
        `${pad(ranking.name, 36)} ${pad(result.precisionAt10.toFixed(2), 6)} ${pad(formatLead(result.leadDays), 19)} ${alarms}`,
      );
    }
  }
  console.log(`\n## overall (${scenarios.length} scenarios; P@10 is the mean over scenarios)`);
  console.log(header);
  for (const [name, total] of totals) {
    console.log(
      `${pad(name, 36)} ${pad(total.precision.toFixed(2), 6)} ${pad(formatLead(total.leads), 19)} ${total.falseAlarms}`,
    );
  }
}

async function run(): Promise<void> {
  if (process.argv.includes('--generate')) {
    for (const path of await generateScenarios(SCENARIO_DIR)) console.log(`wrote ${path}`);
  }
  main();
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
