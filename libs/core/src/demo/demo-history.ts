/**
 * The demo's history (`npm run cli -- demo`): one counter reading a day, at
 * noon UTC, for every seeded model released by the end of January 2025,
 * telling the stories the trending evaluation replays (bench/trending/):
 * DeepSeek-R1's launch on 2025-01-20 and its distills, steady giants, a bot
 * spike, a resurgence and declines. Pure and deterministic: the same models
 * give the same readings on every machine and every day, so the documented
 * examples (asked with explicit dates) stay true.
 */
import { addDays, daysBetween } from '../days';

/** The first and last day with a demo reading. */
export const DEMO_FROM = '2024-12-01';
export const DEMO_TO = '2025-01-31';
/** The day the docs' rankings examples are asked for: a week after R1's launch. */
export const DEMO_AS_OF = '2025-01-27';

export interface DemoModel {
  slug: string;
  releaseDate: string | null;
}

export interface DemoReading {
  slug: string;
  observedAt: Date;
  downloadsAllTime: number;
  likes: number;
}

/** True downloads of a model on a day, before noise. */
type Curve = (day: string) => number;

interface Story {
  downloads: Curve;
  /** Likes per 1000 downloads. */
  likesPerThousand: number;
}

const flat =
  (perDay: number): Curve =>
  () =>
    perDay;

/** Nothing before `from`, then `first` a day growing by `factor` up to `peak`, then `decay` a day. */
const launch =
  (from: string, first: number, factor: number, peak: number, decay = 0): Curve =>
  (day) => {
    if (day < from) return 0;
    const rising = first * factor ** daysBetween(from, day);
    if (rising < peak) return rising;
    const peakDay = addDays(from, Math.ceil(Math.log(peak / first) / Math.log(factor)));
    return peak * (1 - decay) ** Math.max(0, daysBetween(peakDay, day));
  };

/** Falls by `decay` a day from `perDay` on the demo's first day. */
const declining =
  (perDay: number, decay: number): Curve =>
  (day) =>
    perDay * (1 - decay) ** daysBetween(DEMO_FROM, day);

/** `base` every day, and `factor` times it on `day` alone: downloads no person made. */
const botSpike =
  (base: number, day: string, factor: number): Curve =>
  (d) =>
    d === day ? base * factor : base;

/** A curve, and from `from` on another one added to it. */
const plus =
  (curve: Curve, from: string, extra: Curve): Curve =>
  (day) =>
    curve(day) + (day >= from ? extra(day) : 0);

const R1_LAUNCH = '2025-01-20';

const distill = (first: number, peak: number): Story => ({
  downloads: launch(R1_LAUNCH, first, 1.8, peak, 0.02),
  likesPerThousand: 2,
});

/** Who plays which part; a model not named here is steady at a level of its own. */
const STORIES: Record<string, Story> = {
  'deepseek-ai/DeepSeek-R1': { downloads: launch(R1_LAUNCH, 20_000, 1.9, 900_000), likesPerThousand: 6 },
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B': distill(8_000, 320_000),
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B': distill(6_000, 260_000),
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B': distill(4_000, 150_000),
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B': distill(5_000, 210_000),
  'deepseek-ai/DeepSeek-R1-Distill-Llama-8B': distill(4_000, 160_000),
  'deepseek-ai/DeepSeek-R1-Distill-Llama-70B': distill(2_000, 80_000),
  // Launched at Christmas, fading, then found again when R1 made its base famous: a resurgence.
  'deepseek-ai/DeepSeek-V3': {
    downloads: plus(
      launch('2024-12-26', 30_000, 1.6, 160_000, 0.06),
      R1_LAUNCH,
      launch(R1_LAUNCH, 20_000, 1.5, 300_000),
    ),
    likesPerThousand: 4,
  },
  'deepseek-ai/DeepSeek-V3-Base': { downloads: launch('2024-12-26', 6_000, 1.5, 40_000, 0.05), likesPerThousand: 3 },
  // The giants: millions a day, month after month.
  'meta-llama/Llama-3.1-8B-Instruct': { downloads: flat(1_900_000), likesPerThousand: 0.05 },
  'Qwen/Qwen2.5-7B-Instruct': { downloads: flat(1_400_000), likesPerThousand: 0.05 },
  'meta-llama/Llama-3.2-1B-Instruct': { downloads: flat(1_100_000), likesPerThousand: 0.03 },
  'mistralai/Mistral-7B-Instruct-v0.1': { downloads: flat(650_000), likesPerThousand: 0.03 },
  'google/gemma-2-9b-it': { downloads: flat(420_000), likesPerThousand: 0.05 },
  // A model that is downloaded 30 times as much on one day, by a bot.
  'microsoft/Phi-3-mini-4k-instruct': { downloads: botSpike(90_000, '2025-01-14', 30), likesPerThousand: 0.1 },
  // December's launch that January forgot, and an old model on its way out.
  'meta-llama/Llama-3.3-70B-Instruct': {
    downloads: launch('2024-12-06', 40_000, 1.5, 350_000, 0.04),
    likesPerThousand: 1,
  },
  'mistralai/Mixtral-8x7B-Instruct-v0.1': { downloads: declining(160_000, 0.03), likesPerThousand: 0.1 },
  'microsoft/phi-4': { downloads: launch('2024-12-12', 10_000, 1.4, 120_000), likesPerThousand: 1 },
};

/** FNV-1a of a string: the seed of a model's own noise and level. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: small and seedable, enough to jitter counts the same way on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A model with no part of its own: steady, between 5 000 and 200 000 a day. */
function steady(slug: string): Story {
  const level = 5_000 + (hash(slug) % 196) * 1_000;
  return { downloads: flat(level), likesPerThousand: 0.2 };
}

/** Relative day-to-day noise on downloads: ±5 %. */
const NOISE = 0.05;

/**
 * The readings of one model: from its release (or the demo's first day) to
 * the demo's last, none for a model released later. The first reading is a
 * baseline: the downloads of the days before it, up to a year of them.
 */
export function demoReadingsOf(model: DemoModel): DemoReading[] {
  const first = model.releaseDate !== null && model.releaseDate > DEMO_FROM ? model.releaseDate : DEMO_FROM;
  if (first > DEMO_TO) return [];
  const story = STORIES[model.slug] ?? steady(model.slug);
  const random = seededRandom(hash(model.slug));
  const ageDays = model.releaseDate === null ? 365 : Math.min(365, daysBetween(model.releaseDate, first));
  let downloads = Math.round(story.downloads(first) * (ageDays + 0.5));
  let likes = Math.round((downloads * story.likesPerThousand) / 1000);
  const readings: DemoReading[] = [];
  for (let day = first; day <= DEMO_TO; day = addDays(day, 1)) {
    if (day > first) {
      const today = Math.round(story.downloads(day) * (1 + (random() * 2 - 1) * NOISE));
      downloads += today;
      likes += Math.round((today * story.likesPerThousand) / 1000);
    }
    readings.push({ slug: model.slug, observedAt: new Date(`${day}T12:00:00Z`), downloadsAllTime: downloads, likes });
  }
  return readings;
}

/** Every model's readings, models in id order. */
export function demoHistory(models: DemoModel[]): DemoReading[] {
  return [...models].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)).flatMap(demoReadingsOf);
}
