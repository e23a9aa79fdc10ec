/**
 * Trending score v1. Pure: no clock, no database, no Nest. `asOf` is always an argument.
 *
 * The published formula (docs/trending.md has the reasons and a worked example):
 *
 *   volume     V = log10(1 + downloads7d)
 *   growth     G = clip(log2((rShort + k) / (rBaseline + k)), growthMin, growthMax),
 *                  times surgeGrowthFactor when positive, large and uncorroborated
 *   engagement E = log10(1 + max(0, likes7d + starWeight × stars7d))
 *   score        = volumeWeight × V + growthWeight × G + engagementWeight × E
 *
 * computed on the returned, rounded components, so anyone can redo a rank by hand.
 *
 * Every day of a window is one of three things (see `dayKnowledge`):
 * - a figure: a day of the series after the first-seen day, imputed days included
 *   (a spread share is the best estimate of that day and keeps the total right);
 * - a known zero: a day before the release date on which no reading says otherwise
 *   (the model was not out, so a launch has a true baseline of nothing);
 * - unknown: the first-seen day (its first reading is a baseline, so the day is partial),
 *   days between the release and the first reading (or any day before the first reading
 *   when the release date is unknown: a newly tracked old model is not a launch), days
 *   absent after the first reading (a sync that has not caught up yet), and a day whose
 *   download counter went down and that shows 0 (the 0 is the differencing's, not the
 *   model's).
 * Each figure of a known day may still be unknown on its own (null): a day for which sources
 * gave likes or stars but no download figure is unknown for downloads, and the other way round.
 * Averages are taken over the days whose downloads are known, with their weights renormalised;
 * each 7-day sum is scaled to 7 days from the days on which its figure is known.
 */
import { createHash } from 'node:crypto';
import { addDays, daysBetween } from '../days';

export const TRENDING_ALGORITHM = 'trending';
export const TRENDING_FORMULA = 'v1';

export interface TrendingParams {
  /** Days summed into downloads7d, likes7d, stars7d (volume, engagement, eligibility). */
  recentWindowDays: number;
  /** Half-life of the weights of the short average of daily downloads (rShort). */
  shortHalfLifeDays: number;
  /** Days averaged into rShort, counting back from asOf. */
  shortWindowDays: number;
  /** Half-life of the weights of the baseline average of daily downloads (rBaseline). */
  baselineHalfLifeDays: number;
  /** Most recent days left out of the baseline, so a surge does not raise its own baseline. */
  baselineGapDays: number;
  /** Days averaged into rBaseline, after the gap. */
  baselineWindowDays: number;
  /**
   * k, in downloads per day: keeps a model going from 20 to 2000 a day from looking like a
   * rocket. The 100 let every small launch (3k a day, from a baseline of 0) sit in
   * the top 3 for weeks; 1000 still puts an R1-like launch first on its first full day.
   */
  growthSmoothingPerDay: number;
  growthMin: number;
  growthMax: number;
  /** How much a star counts against a like in the engagement count. */
  starWeight: number;
  volumeWeight: number;
  growthWeight: number;
  engagementWeight: number;
  /** Growth (log2) from which a surge must be corroborated by likes or stars. */
  surgeMinGrowth: number;
  /** Engagement count over the recent window below which a surge is uncorroborated. */
  surgeMinEngagement: number;
  /**
   * What is left of an uncorroborated surge's growth. The quarter still let a 5M-download
   * bot day on a mid-size model into the top 3 (6 × 0.25 on top of its volume); 0 does not.
   */
  surgeGrowthFactor: number;
  /** Eligibility: downloads over the recent window, or… */
  minDownloads7d: number;
  /** …new likes plus stars (unweighted, net) over the recent window. */
  minLikesPlusStars7d: number;
  /** `new` while the release date (else the first-seen date) is this recent. */
  newWithinDays: number;
}

export const DEFAULT_TRENDING_PARAMS: Readonly<TrendingParams> = Object.freeze({
  recentWindowDays: 7,
  shortHalfLifeDays: 3,
  shortWindowDays: 7,
  baselineHalfLifeDays: 21,
  baselineGapDays: 7,
  baselineWindowDays: 28,
  growthSmoothingPerDay: 1000,
  growthMin: -2,
  growthMax: 6,
  starWeight: 0.5,
  volumeWeight: 0.5,
  growthWeight: 1,
  engagementWeight: 0.5,
  surgeMinGrowth: 1,
  surgeMinEngagement: 10,
  surgeGrowthFactor: 0,
  minDownloads7d: 1000,
  minLikesPlusStars7d: 10,
  newWithinDays: 30,
});

/** One day of a model's series, summed over its independent sources; null where no source gave the figure. */
export interface TrendingDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  downloads: number | null;
  /** Net change; may be negative. */
  likes: number | null;
  /** Net change; may be negative. */
  stars: number | null;
  imputed: boolean;
  /** The differencing's flags (`decrease`, `held_back`, `reset`); absent means none. */
  flags?: readonly string[];
}

export interface TrendingModel {
  /** `org/name`; breaks ties. */
  modelId: string;
  /** Public release day, or null when unknown; days before it count as zero downloads. */
  releaseDate: string | null;
  /** UTC day of the model's first reading on any source. */
  firstSeenDate: string;
  /**
   * The stored daily series up to and including asOf, in any order. At least the last
   * `trendingLookbackDays(params)` days when the model has them; later days are ignored.
   * Do not fill days after the last reading with zeros: absent days are unknown.
   */
  days: readonly TrendingDay[];
}

export type TrendingFlag = 'new' | 'uncorroborated_surge' | 'imputed_days' | 'unknown_days' | 'insufficient_history';

export interface TrendingComponents {
  volume: number;
  /** After the surge cut when `uncorroborated_surge` is flagged. */
  growth: number;
  engagement: number;
}

/** The figures the components are made of, so a reader can check them too. */
export interface TrendingFigures {
  /** Scaled to the whole window from its days that are not unknown. */
  downloads7d: number;
  likes7d: number;
  stars7d: number;
  shortRatePerDay: number;
  baselineRatePerDay: number;
  /** Growth before the surge cut. */
  growthUncut: number;
}

export interface TrendingScore {
  score: number;
  components: TrendingComponents;
  figures: TrendingFigures;
  flags: TrendingFlag[];
  eligible: boolean;
}

export interface TrendingRank extends TrendingScore {
  rank: number;
  modelId: string;
}

/** The version snapshots are kept under: the formula plus a short hash of the parameters. */
export function trendingVersion(params: Readonly<TrendingParams> = DEFAULT_TRENDING_PARAMS): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))));
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 8);
  return `${TRENDING_ALGORITHM}-${TRENDING_FORMULA}-${hash}`;
}

/** How many days up to asOf (inclusive) the formula reads. */
export function trendingLookbackDays(params: Readonly<TrendingParams> = DEFAULT_TRENDING_PARAMS): number {
  return Math.max(params.recentWindowDays, params.shortWindowDays, params.baselineGapDays + params.baselineWindowDays);
}

/** Published figures carry 4 decimals, rounded half up; the score is computed from the rounded components. */
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000 || 0;

const clip = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));

/** A day that is not wholly unknown; a figure no source gave for it is null. */
type Known = { downloads: number | null; likes: number | null; stars: number | null; imputed: boolean } | null;

const ZERO_DAY: Known = { downloads: 0, likes: 0, stars: 0, imputed: false };
const FIGURES = ['downloads', 'likes', 'stars'] as const;

/** What the formula knows of one day (null: unknown). The rules are in the header comment. */
function dayKnowledge(model: TrendingModel, byDay: ReadonlyMap<string, TrendingDay>, day: string): Known {
  const beforeRelease = model.releaseDate !== null && day < model.releaseDate;
  const stored = byDay.get(day);
  if (day <= model.firstSeenDate) {
    // Before release nobody could download it; a reading there showing more wins.
    if (beforeRelease && (stored === undefined || stored.downloads === null || stored.downloads === 0)) return ZERO_DAY;
    return null;
  }
  if (stored === undefined) return beforeRelease ? ZERO_DAY : null;
  if (stored.downloads === 0 && (stored.flags?.length ?? 0) > 0) return null;
  // Before release what no source gave is zero, as on an absent day.
  const orZero = (figure: number | null) => figure ?? (beforeRelease ? 0 : null);
  const known = { downloads: orZero(stored.downloads), likes: orZero(stored.likes), stars: orZero(stored.stars) };
  if (known.downloads === null && known.likes === null && known.stars === null) return null;
  return { ...known, imputed: stored.imputed };
}

/** Weighted mean of downloads over the days at `offsets` (days before asOf) that know them; null when none does. */
function weightedMean(
  knowledge: (offset: number) => Known,
  firstOffset: number,
  count: number,
  halfLifeDays: number,
): number | null {
  let sum = 0;
  let weights = 0;
  for (let i = 0; i < count; i++) {
    const known = knowledge(firstOffset + i);
    if (known === null || known.downloads === null) continue;
    const weight = 2 ** (-i / halfLifeDays);
    sum += weight * known.downloads;
    weights += weight;
  }
  return weights === 0 ? null : sum / weights;
}

/** The trending score of one model as of the end of `asOf` (UTC day). */
export function scoreTrending(
  model: TrendingModel,
  asOf: string,
  params: Readonly<TrendingParams> = DEFAULT_TRENDING_PARAMS,
): TrendingScore {
  const byDay = new Map(model.days.map((d) => [d.day, d]));
  const knowledge = (offset: number) => dayKnowledge(model, byDay, addDays(asOf, -offset));
  const flags: TrendingFlag[] = [];

  // Each figure is summed over the recent days that know it, then scaled from as many days.
  const recent = { downloads: 0, likes: 0, stars: 0 };
  const knownDays = { downloads: 0, likes: 0, stars: 0 };
  let knownRecent = 0;
  let imputedRecent = false;
  for (let offset = 0; offset < params.recentWindowDays; offset++) {
    const known = knowledge(offset);
    if (known === null) continue;
    knownRecent++;
    imputedRecent ||= known.imputed;
    for (const figure of FIGURES) {
      const value = known[figure];
      if (value === null) continue;
      recent[figure] += value;
      knownDays[figure]++;
    }
  }
  const scaled = (figure: (typeof FIGURES)[number]) =>
    knownDays[figure] === 0 ? 0 : recent[figure] * (params.recentWindowDays / knownDays[figure]);
  const downloads7d = scaled('downloads');
  const likes7d = scaled('likes');
  const stars7d = scaled('stars');
  if (knownDays.downloads < params.recentWindowDays) flags.push('unknown_days');
  if (imputedRecent) flags.push('imputed_days');

  const shortRate = weightedMean(knowledge, 0, params.shortWindowDays, params.shortHalfLifeDays) ?? 0;
  let baselineRate = weightedMean(
    knowledge,
    params.baselineGapDays,
    params.baselineWindowDays,
    params.baselineHalfLifeDays,
  );
  if (baselineRate === null || knownDays.downloads === 0) {
    // Nothing to compare with: no growth either way rather than a guess.
    flags.push('insufficient_history');
    baselineRate = shortRate;
  }

  const k = params.growthSmoothingPerDay;
  const growthUncut = clip(Math.log2((shortRate + k) / (baselineRate + k)), params.growthMin, params.growthMax);
  // A net loss of likes is no engagement, not negative engagement: a wave of unlikes
  // should not sink a model below one nobody looks at.
  const engagementCount = Math.max(0, likes7d + params.starWeight * stars7d);
  let growth = growthUncut;
  if (growthUncut >= params.surgeMinGrowth && engagementCount < params.surgeMinEngagement) {
    growth = growthUncut * params.surgeGrowthFactor;
    flags.push('uncorroborated_surge');
  }

  const components: TrendingComponents = {
    volume: round4(Math.log10(1 + downloads7d)),
    growth: round4(growth),
    engagement: round4(Math.log10(1 + engagementCount)),
  };
  // In whole ten-thousandths, so a sum ending in exactly 5 rounds half up as it does by hand
  // (0.5 × 5.1461 − 2 is 0.57305, not the 0.5730499… of binary fractions).
  const tenThousandths = (x: number) => Math.round(x * 10_000);
  const score =
    Math.round(
      params.volumeWeight * tenThousandths(components.volume) +
        params.growthWeight * tenThousandths(components.growth) +
        params.engagementWeight * tenThousandths(components.engagement),
    ) / 10_000 || 0;

  const bornDay = model.releaseDate ?? model.firstSeenDate;
  const ageDays = daysBetween(bornDay, asOf);
  if (ageDays >= 0 && ageDays < params.newWithinDays) flags.unshift('new');

  const eligible =
    knownRecent > 0 && (downloads7d >= params.minDownloads7d || likes7d + stars7d >= params.minLikesPlusStars7d);

  return {
    score,
    components,
    figures: {
      downloads7d: round4(downloads7d),
      likes7d: round4(likes7d),
      stars7d: round4(stars7d),
      shortRatePerDay: round4(shortRate),
      baselineRatePerDay: round4(baselineRate),
      growthUncut: round4(growthUncut),
    },
    flags,
    eligible,
  };
}

/** Eligible models by score, highest first, ties by model id; ranks from 1. */
export function rankTrending(
  models: readonly TrendingModel[],
  asOf: string,
  params: Readonly<TrendingParams> = DEFAULT_TRENDING_PARAMS,
): TrendingRank[] {
  return models
    .map((model) => ({ modelId: model.modelId, ...scoreTrending(model, asOf, params) }))
    .filter((scored) => scored.eligible)
    .sort((a, b) => b.score - a.score || (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0))
    .map((scored, i) => ({ rank: i + 1, ...scored }));
}
