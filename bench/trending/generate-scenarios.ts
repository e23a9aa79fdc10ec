/**
 * Writes bench/trending/scenarios/*.json from the stories below, with a fixed seed, so the
 * files are the same on every run. The files are committed; run this only to change them
 * (`npm run eval:trending -- --generate`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { addDays } from '../../libs/core/src/days';
import { randomStream as seededRandom } from '../lib/random';
import type { Scenario, ScenarioModel, ScenarioReading } from './scenario';

const SCENARIO_DAYS = 60;
/** Everything interesting starts on this day of a scenario (index from its start). */
const EVENT_DAY = 30;
const EVAL_FROM_DAY = 28;
const EVAL_TO_DAY = 45;
const LEADERS_FROM_DAY = 46;
const LEADERS_SIZE = 10;

interface Story {
  id: string;
  role: string;
  /** Day index of the release (may be before the scenario); null: unknown to the catalogue. */
  releaseDay: number | null;
  /** Released this many days before the scenario when the catalogue does not know the date. */
  firstReadingDay?: number;
  /** True downloads, likes and stars on a day, before noise. */
  downloadsOn: (day: number) => number;
  likesOn?: (day: number) => number;
  starsOn?: (day: number) => number;
  /** Relative day-to-day noise on downloads (0.05 = ±5 %). */
  noise?: number;
  /** Days on which no reading was taken. */
  missedDays?: number[];
  /** The reading of a day reports this share of the true all-time count (a counter that goes down). */
  glitches?: Record<number, number>;
  /** From this day on, the upstream counts from a lower base (a confirmed reset). */
  resetFromDay?: { day: number; allTimeFactor: number };
}

const flat = (perDay: number) => () => perDay;
/** Zero before `day`, then `first` on it, growing by `dailyFactor` up to `peak`. */
const launch =
  (day: number, first: number, dailyFactor: number, peak: number, decayPerDay = 0) =>
  (d: number) => {
    if (d < day) return 0;
    const rising = first * dailyFactor ** (d - day);
    if (rising < peak) return rising;
    const peakDay = day + Math.ceil(Math.log(peak / first) / Math.log(dailyFactor));
    return peak * (1 - decayPerDay) ** Math.max(0, d - peakDay);
  };

function background(random: () => number): Story[] {
  const stories: Story[] = [];
  const giants = [3_800_000, 2_900_000, 2_200_000, 1_600_000, 1_100_000];
  giants.forEach((perDay, i) =>
    stories.push({
      id: `giant/steady-${i + 1}`,
      role: 'giant',
      releaseDay: -400 - i * 90,
      downloadsOn: flat(perDay),
      likesOn: () => 15 + Math.round(random() * 20),
      noise: 0.05,
    }),
  );
  const mids = [420_000, 260_000, 150_000];
  mids.forEach((perDay, i) =>
    stories.push({
      id: `mid/steady-${i + 1}`,
      role: 'mid',
      releaseDay: -200 - i * 60,
      downloadsOn: flat(perDay),
      likesOn: () => Math.round(random() * 8),
      noise: 0.1,
    }),
  );
  for (let i = 0; i < 12; i++) {
    const perDay = Math.round(600 * 1.45 ** i);
    stories.push({
      id: `tail/model-${String(i + 1).padStart(2, '0')}`,
      role: 'tail',
      releaseDay: -60 - i * 25,
      downloadsOn: flat(perDay),
      likesOn: () => (random() < 0.3 ? 1 : 0),
      noise: 0.2,
    });
  }
  return stories;
}

interface ScenarioStory {
  name: string;
  description: string;
  /** The scenario's start, chosen so that EVENT_DAY lands on a real date where one exists. */
  startDate: string;
  actors: (random: () => number) => Story[];
  /** Applied to the background (an outage that hits every model). */
  everyoneMisses?: number[];
}

const STORIES: ScenarioStory[] = [
  {
    name: 'r1-launch',
    description:
      'A launch like DeepSeek-R1 on 2025-01-20: from nothing to hundreds of thousands of downloads a day ' +
      'within days, with thousands of likes; its distills the same day; a small launch that goes nowhere.',
    startDate: '2024-12-21',
    actors: (random) => [
      {
        id: 'deepseek-ai/DeepSeek-R1',
        role: 'launch',
        releaseDay: EVENT_DAY,
        downloadsOn: launch(EVENT_DAY + 1, 20_000, 2.2, 700_000, 0.01),
        likesOn: (d) => (d <= EVENT_DAY ? 0 : Math.round(900 * 0.93 ** (d - EVENT_DAY))),
        starsOn: (d) => (d <= EVENT_DAY ? 0 : Math.round(2500 * 0.9 ** (d - EVENT_DAY))),
        noise: 0.05,
      },
      {
        id: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
        role: 'launch',
        releaseDay: EVENT_DAY,
        downloadsOn: launch(EVENT_DAY + 1, 8_000, 1.8, 450_000, 0.005),
        likesOn: (d) => (d <= EVENT_DAY ? 0 : Math.round(150 * 0.92 ** (d - EVENT_DAY))),
        noise: 0.05,
      },
      {
        id: 'small-lab/new-7b-flop',
        role: 'flop',
        releaseDay: EVENT_DAY + 2,
        downloadsOn: launch(EVENT_DAY + 3, 900, 1.2, 2_500, 0.05),
        likesOn: (d) => (d > EVENT_DAY + 2 && random() < 0.6 ? 1 : 0),
        noise: 0.15,
      },
    ],
  },
  {
    name: 'steady-giants',
    description:
      'Nothing happens: giants download millions a day, flat. Two new releases that stay small and a tiny ' +
      'model going from 5 to 400 downloads a day are the traps.',
    startDate: '2025-03-01',
    actors: (random) => [
      {
        id: 'new-lab/fresh-3b',
        role: 'flop',
        releaseDay: EVENT_DAY,
        downloadsOn: launch(EVENT_DAY + 1, 1_500, 1.1, 3_000, 0.03),
        likesOn: (d) => (d > EVENT_DAY && random() < 0.8 ? 2 : 0),
        noise: 0.15,
      },
      {
        id: 'new-lab/fresh-1b',
        role: 'flop',
        releaseDay: EVENT_DAY + 4,
        downloadsOn: launch(EVENT_DAY + 5, 1_200, 1.05, 1_800, 0.02),
        likesOn: (d) => (d > EVENT_DAY + 4 && random() < 0.5 ? 1 : 0),
        noise: 0.15,
      },
      {
        id: 'hobby/tiny-grower',
        role: 'tiny-grower',
        releaseDay: -120,
        downloadsOn: (d) => (d < EVENT_DAY ? 5 : Math.min(400, 5 * 1.5 ** (d - EVENT_DAY))),
        noise: 0.2,
      },
    ],
  },
  {
    name: 'bot-spike',
    description:
      'One-day bot or CI surges on old models with no likes: 100× on a small model, and a 5M-download day ' +
      'on a mid-size one. Neither leads later.',
    startDate: '2025-04-01',
    actors: () => [
      {
        id: 'old-org/bert-variant',
        role: 'bot-spike',
        releaseDay: -700,
        downloadsOn: (d) => (d === EVENT_DAY + 1 ? 300_000 : 3_000),
        noise: 0.1,
      },
      {
        id: 'old-org/clip-variant',
        role: 'bot-spike',
        releaseDay: -500,
        downloadsOn: (d) => (d === EVENT_DAY + 3 ? 5_000_000 : 20_000),
        likesOn: (d) => (d % 9 === 0 ? 1 : 0),
        noise: 0.1,
      },
    ],
  },
  {
    name: 'declining',
    description:
      'Last month’s hit fades 8 % a day from millions a day; a second one fades slower. Most downloads and ' +
      'newest first keep them on top.',
    startDate: '2025-05-01',
    actors: (random) => [
      {
        id: 'hot-lab/last-months-hit',
        role: 'declining',
        releaseDay: 4,
        downloadsOn: launch(5, 200_000, 2, 6_000_000, 0.08),
        likesOn: (d) => (d < 5 ? 0 : Math.round(400 * 0.85 ** (d - 5))),
        noise: 0.05,
      },
      {
        id: 'hot-lab/older-hit',
        role: 'declining',
        releaseDay: -20,
        downloadsOn: (d) => 1_500_000 * 0.96 ** d,
        likesOn: () => (random() < 0.5 ? 3 : 2),
        noise: 0.05,
      },
    ],
  },
  {
    name: 'resurgence',
    description:
      'An old model, 2k downloads a day for a year, is picked up by a new paper: it climbs to 600k a day ' +
      'over ten days, with likes and stars. Most downloads sees it only once the climb is over.',
    startDate: '2025-06-01',
    actors: () => [
      {
        id: 'old-org/revived-13b',
        role: 'resurgence',
        releaseDay: -380,
        downloadsOn: (d) => (d < EVENT_DAY ? 2_000 : Math.min(600_000, 2_000 * 1.8 ** (d - EVENT_DAY + 1))),
        likesOn: (d) => (d < EVENT_DAY ? 0 : 40),
        starsOn: (d) => (d < EVENT_DAY ? 0 : 25),
        noise: 0.05,
      },
    ],
  },
  {
    name: 'missed-sync',
    description:
      'A three-day outage of the sync right as a model launches: no readings for anyone, then one reading ' +
      'spreads the gap (imputed days). A popular old model is first tracked mid-scenario with no release ' +
      'date (found by discovery): it is no launch.',
    startDate: '2025-07-01',
    everyoneMisses: [EVENT_DAY + 3, EVENT_DAY + 4, EVENT_DAY + 5],
    actors: () => [
      {
        id: 'fresh-lab/launch-14b',
        role: 'launch',
        releaseDay: EVENT_DAY,
        downloadsOn: launch(EVENT_DAY + 1, 15_000, 1.9, 500_000, 0.01),
        likesOn: (d) => (d <= EVENT_DAY ? 0 : Math.round(250 * 0.93 ** (d - EVENT_DAY))),
        noise: 0.05,
        missedDays: [EVENT_DAY + 3, EVENT_DAY + 4, EVENT_DAY + 5],
      },
      {
        id: 'discovered/popular-old',
        role: 'newly-tracked',
        releaseDay: null,
        firstReadingDay: EVENT_DAY - 2,
        downloadsOn: flat(90_000),
        likesOn: () => 3,
        noise: 0.1,
        missedDays: [EVENT_DAY + 3, EVENT_DAY + 4, EVENT_DAY + 5],
      },
    ],
  },
  {
    name: 'counter-down',
    description:
      'Counters that go down: a giant’s all-time count dips 2 % for a day, a mid-size model reports 0 once, ' +
      'a third is recounted from a lower base for good. A modest launch is the one real riser.',
    startDate: '2025-08-01',
    actors: (random) => [
      {
        id: 'giant/dipping',
        role: 'giant',
        releaseDay: -300,
        downloadsOn: flat(2_500_000),
        likesOn: () => 20,
        noise: 0.05,
        glitches: { [EVENT_DAY + 2]: 0.98 },
      },
      {
        id: 'mid/zero-reading',
        role: 'mid',
        releaseDay: -250,
        downloadsOn: flat(200_000),
        likesOn: () => (random() < 0.5 ? 2 : 1),
        noise: 0.1,
        glitches: { [EVENT_DAY + 1]: 0 },
      },
      {
        id: 'mid/recounted',
        role: 'mid',
        releaseDay: -250,
        downloadsOn: flat(120_000),
        likesOn: () => 1,
        noise: 0.1,
        resetFromDay: { day: EVENT_DAY + 2, allTimeFactor: 0.6 },
      },
      {
        id: 'fresh-lab/launch-8b',
        role: 'launch',
        releaseDay: EVENT_DAY,
        downloadsOn: launch(EVENT_DAY + 1, 10_000, 1.7, 350_000, 0.005),
        likesOn: (d) => (d <= EVENT_DAY ? 0 : Math.round(120 * 0.93 ** (d - EVENT_DAY))),
        noise: 0.05,
      },
    ],
  },
];

function build(story: ScenarioStory, seed: number): Scenario {
  const random = seededRandom(seed);
  const stories = [...background(random), ...story.actors(random)];
  const dayOf = (i: number) => addDays(story.startDate, i);
  const truthDownloads: Record<string, number[]> = {};
  const models: ScenarioModel[] = stories.map((s) => {
    const firstDay = s.firstReadingDay ?? Math.max(0, s.releaseDay ?? 0);
    // Old models come with a history; its size only matters for the counter glitches.
    let allTime = Math.round(s.downloadsOn(0) * 365);
    let likes = s.releaseDay !== null && s.releaseDay >= 0 ? 0 : 500 + Math.round(random() * 2000);
    let stars = 0;
    const truth: number[] = [];
    const readings: ScenarioReading[] = [];
    const missed = new Set([...(s.missedDays ?? []), ...(story.everyoneMisses ?? [])]);
    for (let d = 0; d < SCENARIO_DAYS; d++) {
      const jitter = 1 + (s.noise ?? 0) * (2 * random() - 1);
      const downloads = Math.round(s.downloadsOn(d) * jitter);
      truth.push(downloads);
      allTime += downloads;
      likes += s.likesOn?.(d) ?? 0;
      stars += s.starsOn?.(d) ?? 0;
      if (d < firstDay || missed.has(d)) continue;
      let reported = allTime;
      if (s.resetFromDay && d >= s.resetFromDay.day) reported = Math.round(allTime * s.resetFromDay.allTimeFactor);
      const glitch = s.glitches?.[d];
      if (glitch !== undefined) reported = Math.round(reported * glitch);
      readings.push([`${dayOf(d)}T23:00:00.000Z`, reported, likes, stars]);
    }
    truthDownloads[s.id] = truth;
    return {
      id: s.id,
      role: s.role,
      releaseDate: s.releaseDay === null ? null : dayOf(s.releaseDay),
      readings,
    };
  });
  const leaderTotals = stories
    .map((s) => ({ id: s.id, total: truthDownloads[s.id].slice(LEADERS_FROM_DAY).reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || (a.id < b.id ? -1 : 1));
  return {
    name: story.name,
    description: story.description,
    startDate: story.startDate,
    endDate: dayOf(SCENARIO_DAYS - 1),
    evalFrom: dayOf(EVAL_FROM_DAY),
    evalTo: dayOf(EVAL_TO_DAY),
    leaders: {
      from: dayOf(LEADERS_FROM_DAY),
      to: dayOf(SCENARIO_DAYS - 1),
      size: LEADERS_SIZE,
      models: leaderTotals.slice(0, LEADERS_SIZE).map((l) => l.id),
    },
    truthDownloads,
    models,
  };
}

export async function generateScenarios(directory: string): Promise<string[]> {
  mkdirSync(directory, { recursive: true });
  const written: string[] = [];
  const options = { ...(await resolveConfig(join(directory, 'x.json'))), parser: 'json' };
  for (const [i, story] of STORIES.entries()) {
    const path = join(directory, `${story.name}.json`);
    writeFileSync(path, await format(JSON.stringify(build(story, 20250120 + i)), options));
    written.push(path);
  }
  return written;
}
