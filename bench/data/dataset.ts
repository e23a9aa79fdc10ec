/**
 * The bench's synthetic catalogue and counter readings. Pure and
 * deterministic: the same seed, sizes and last day give the same rows, and
 * each model's readings come from a random stream of its own, so they do not
 * depend on the order they are generated in.
 *
 * The shapes follow what the hub shows (docs/stats.md, /work/shared/data):
 * a few organizations publish most models; most models are finetunes,
 * quantizations, adapters or merges of a few bases; downloads are heavy-tailed
 * (most models a handful a day, a few millions); launches spike and decay,
 * some models fade; syncs are missed now and then (the app spreads the
 * increment over the gap), hubs recount downwards a little, and a few days
 * carry a bot's burst.
 */
import { addDays, DAY_MS } from '@modelpulse/core/days';
import { randomStream } from '../lib/random';

export const DATASET_SOURCE = 'huggingface';

/** A seed of its own for item `index` of stream `stream`, mixed from the dataset's seed. */
const subSeed = (seed: number, stream: number, index: number) =>
  (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(index + 1, 0x27d4eb2f)) >>>
  0;

/** A standard normal draw (Box-Muller). */
function normal(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/** Draws from a list that grows (bases by popularity), by binary search over the running sums of the weights. */
class WeightedDraw {
  private readonly values: number[] = [];
  private sums = new Float64Array(1024);

  get size(): number {
    return this.values.length;
  }

  add(value: number, weight: number): void {
    const n = this.values.length;
    if (n === this.sums.length) {
      const grown = new Float64Array(n * 2);
      grown.set(this.sums);
      this.sums = grown;
    }
    this.sums[n] = (n === 0 ? 0 : this.sums[n - 1]) + weight;
    this.values.push(value);
  }

  draw(next: () => number): number {
    const n = this.values.length;
    const target = next() * this.sums[n - 1];
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.sums[mid] > target) high = mid;
      else low = mid + 1;
    }
    return this.values[low];
  }
}

function pick<T>(next: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = next() * total;
  for (const [value, weight] of weighted) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

export interface DatasetOptions {
  models: number;
  days: number;
  seed: number;
  /** The last day with readings (YYYY-MM-DD): the latest complete day when the bench runs. */
  lastDay: string;
}

export interface DatasetLicense {
  id: string;
  name: string;
  spdx: string | null;
  url: string | null;
  commercialUse: boolean | null;
}

export interface DatasetOrganization {
  id: string;
  name: string;
}

export type DatasetRelation = 'finetune' | 'quantized' | 'adapter' | 'merge';

export interface DatasetModel {
  index: number;
  slug: string;
  organization: string;
  name: string;
  description: string;
  license: string | null;
  parameters: number | null;
  releaseDate: string;
  tasks: string[];
  tags: string[];
  bases: { index: number; relation: DatasetRelation }[];
  /** Typical downloads a day at the model's height, before launch and decay. */
  dailyRate: number;
}

export interface Catalogue {
  licenses: DatasetLicense[];
  organizations: DatasetOrganization[];
  models: DatasetModel[];
}

/** Licences the seed does not hold; the seed's own are used too (`SEED_LICENSE_IDS`). */
export const EXTRA_LICENSES: DatasetLicense[] = [
  { id: 'cc-by-4.0', name: 'Creative Commons Attribution 4.0', spdx: 'CC-BY-4.0', url: null, commercialUse: true },
  {
    id: 'cc-by-nc-4.0',
    name: 'Creative Commons Attribution-NonCommercial 4.0',
    spdx: 'CC-BY-NC-4.0',
    url: null,
    commercialUse: false,
  },
  { id: 'openrail', name: 'OpenRAIL', spdx: null, url: null, commercialUse: true },
  { id: 'other', name: 'Other', spdx: null, url: null, commercialUse: null },
];

/** Licence shares, roughly as the hub's text-generation models carry them. */
const LICENSE_SHARES: (readonly [string | null, number])[] = [
  ['apache-2.0', 34],
  ['mit', 16],
  ['llama3.1', 8],
  ['llama3.2', 5],
  ['llama3.3', 3],
  ['gemma', 5],
  ['qwen', 5],
  ['deepseek', 1],
  ['cc-by-4.0', 3],
  ['cc-by-nc-4.0', 4],
  ['openrail', 3],
  ['other', 5],
  [null, 8],
];

const PARAMETER_SIZES: (readonly [number, number])[] = [
  [135e6, 3],
  [360e6, 3],
  [500e6, 5],
  [1.1e9, 6],
  [1.5e9, 8],
  [3e9, 9],
  [7e9, 16],
  [8e9, 14],
  [13e9, 5],
  [14e9, 6],
  [24e9, 4],
  [32e9, 6],
  [70e9, 7],
  [72e9, 4],
  [235e9, 1],
  [405e9, 1],
  [671e9, 1],
];

const TASKS: (readonly [string, number])[] = [
  ['text-generation', 62],
  ['text-classification', 6],
  ['feature-extraction', 7],
  ['automatic-speech-recognition', 4],
  ['image-text-to-text', 6],
  ['text-to-image', 6],
  ['translation', 3],
  ['sentence-similarity', 6],
];

const RELATIONS: (readonly [DatasetRelation | null, number])[] = [
  [null, 22],
  ['finetune', 43],
  ['quantized', 25],
  ['adapter', 6],
  ['merge', 4],
];

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ne', 'tu', 'zo', 'vi', 'sa', 'qu', 'en', 'or', 'ix', 'al', 'be', 'do'];
const FAMILIES = ['Nova', 'Orca', 'Lumen', 'Atlas', 'Pico', 'Vega', 'Helix', 'Quill', 'Sage', 'Tern', 'Cobalt', 'Iris'];
const SUFFIXES: Record<DatasetRelation, string[]> = {
  finetune: ['Instruct', 'Chat', 'Coder', 'Math', 'RP', 'SFT', 'DPO'],
  quantized: ['GGUF', 'AWQ', 'GPTQ-Int4', 'bnb-4bit', 'MLX-4bit', 'EXL2'],
  adapter: ['LoRA', 'QLoRA-adapter'],
  merge: ['Merge', 'SLERP', 'TIES'],
};

const sizeLabel = (parameters: number) =>
  parameters >= 1e9 ? `${+(parameters / 1e9).toFixed(1)}B` : `${Math.round(parameters / 1e6)}M`;

/** The catalogue: licences, organizations (a few big, many small) and models with their lineage. */
export function generateCatalogue(options: DatasetOptions, seedLicenseIds: readonly string[]): Catalogue {
  const next = randomStream(subSeed(options.seed, 0, 0));
  const known = new Set([...seedLicenseIds, ...EXTRA_LICENSES.map((l) => l.id)]);
  const licenseShares = LICENSE_SHARES.filter(([id]) => id === null || known.has(id));
  const organizationCount = Math.max(3, Math.round(options.models / 25));
  const organizations: DatasetOrganization[] = Array.from({ length: organizationCount }, (_, i) => {
    const word = Array.from({ length: 2 + (i % 2) }, () => SYLLABLES[Math.floor(next() * SYLLABLES.length)]).join('');
    return { id: `${word}-${i.toString(36)}`, name: `${word[0].toUpperCase()}${word.slice(1)} Labs ${i}` };
  });
  // Zipf weights: the first organizations publish most models.
  const organizationDraw = new WeightedDraw();
  organizations.forEach((_, i) => organizationDraw.add(i, 1 / (i + 1) ** 1.1));
  const firstDay = addDays(options.lastDay, -(options.days - 1));
  const models: DatasetModel[] = [];
  // Bases are drawn by popularity (the hub's rich get richer).
  const baseDraw = new WeightedDraw();
  for (let index = 0; index < options.models; index++) {
    const relation = index < 3 ? null : pick(next, RELATIONS);
    const organization = organizations[organizationDraw.draw(next)].id;
    // Heavy tail: log-normal downloads a day, median ~6, one in a thousand above 10^4.
    const dailyRate = Math.min(3e6, Math.exp(1.8 + 2.3 * normal(next)));
    // Two models in five launch inside the window; the rest are older.
    const launched = next() < 0.4;
    const releaseDate = launched
      ? addDays(firstDay, Math.floor(next() * options.days))
      : addDays(firstDay, -1 - Math.floor(next() * 720));
    const bases: DatasetModel['bases'] = [];
    let parameters: number | null = pick(next, PARAMETER_SIZES);
    let license = pick(next, licenseShares);
    let family = FAMILIES[Math.floor(next() * FAMILIES.length)];
    let task = pick(next, TASKS);
    if (relation !== null && baseDraw.size > 0) {
      const count = relation === 'merge' ? 2 : 1;
      for (let b = 0; b < count; b++) {
        const base = baseDraw.draw(next);
        if (bases.some((x) => x.index === base)) continue;
        bases.push({ index: base, relation });
      }
      const base = models[bases[0].index];
      parameters = base.parameters;
      family = base.name.split('-')[0];
      task = base.tasks[0];
      // Derivatives mostly keep their base's licence.
      if (next() < 0.85) license = base.license;
    }
    const size = parameters === null ? 'X' : sizeLabel(parameters);
    const suffix =
      relation === null
        ? next() < 0.5
          ? 'Base'
          : 'Instruct'
        : SUFFIXES[relation][Math.floor(next() * SUFFIXES[relation].length)];
    const name = `${family}-${size}-${suffix}-${index.toString(36)}`;
    if (next() < 0.05) parameters = null;
    const tags = [
      relation === 'quantized' ? 'gguf' : null,
      relation === 'adapter' ? 'peft' : null,
      relation === null ? 'base' : null,
    ].filter((t): t is string => t !== null);
    models.push({
      index,
      slug: `${organization}/${name}`,
      organization,
      name,
      description: `${family} ${size} ${suffix.toLowerCase()} model (synthetic, bench dataset).`,
      license,
      parameters,
      releaseDate,
      tasks: [task],
      tags,
      bases,
      dailyRate: relation === null ? dailyRate * 4 : dailyRate,
    });
    baseDraw.add(index, relation === null ? 20 + dailyRate : 1 + dailyRate / 10);
  }
  return { licenses: EXTRA_LICENSES, organizations, models };
}

export interface DatasetReading {
  observedAt: Date;
  downloadsAllTime: number;
  downloads30d: number;
  likes: number;
}

/**
 * One model's daily readings over the window, as a sync would have taken them
 * (once a day around 04:00 UTC, a few minutes late or early), from its release
 * (or the window's first day, for older models) to `lastDay`.
 */
export function generateReadings(model: DatasetModel, options: DatasetOptions): DatasetReading[] {
  const next = randomStream(subSeed(options.seed, 1, model.index));
  const firstDay = addDays(options.lastDay, -(options.days - 1));
  const start = model.releaseDate > firstDay ? model.releaseDate : firstDay;
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const releaseMs = Date.parse(`${model.releaseDate}T00:00:00Z`);
  const lastMs = Date.parse(`${options.lastDay}T00:00:00Z`);
  const launchBoost = next() < 0.3 ? 3 + next() * 40 : 0;
  const launchDecayDays = 3 + next() * 20;
  const fading = next() < 0.25;
  const fadeDays = 30 + next() * 200;
  const likeShare = 0.0005 + next() * 0.004;
  const ageAtStart = Math.max(0, Math.round((startMs - releaseMs) / DAY_MS));
  // The counters already hold the downloads before the window: a baseline, not the first day's figure.
  let allTime = Math.round(model.dailyRate * ageAtStart * (0.6 + next() * 0.8));
  let likes = Math.round(allTime * likeShare);
  // The hub's rolling 30-day figure: a ring of the last 30 days and its running sum.
  const last30 = new Float64Array(30);
  let sum30 = 0;
  let dayNumber = 0;
  const readings: DatasetReading[] = [];
  let skipping = 0;
  for (let dayMs = startMs; dayMs <= lastMs; dayMs += DAY_MS) {
    const age = (dayMs - releaseMs) / DAY_MS;
    const weekday = new Date(dayMs).getUTCDay();
    let rate = model.dailyRate * (weekday === 0 || weekday === 6 ? 0.8 : 1.05);
    if (launchBoost > 0) rate *= 1 + launchBoost * Math.exp(-age / launchDecayDays);
    if (fading) rate *= Math.exp(-age / fadeDays);
    let downloads = Math.max(0, Math.round(rate * Math.exp(0.3 * normal(next))));
    // A bot's burst: a day tens of times the usual, without likes to show for it.
    if (next() < 0.0008) downloads += Math.round((rate + 50) * (20 + next() * 200));
    allTime += downloads;
    likes = Math.max(0, likes + Math.round(downloads * likeShare + (next() < 0.02 ? -1 : 0)));
    sum30 += downloads - last30[dayNumber % 30];
    last30[dayNumber % 30] = downloads;
    dayNumber++;
    if (skipping > 0) {
      skipping--;
      continue;
    }
    // A missed sync: one to three days without a reading.
    if (readings.length > 0 && next() < 0.015) {
      skipping = Math.floor(next() * 3);
      continue;
    }
    // The hub recounts now and then: a reading a little below the last one.
    const recount = readings.length > 1 && next() < 0.002 ? Math.round(allTime * 0.01) : 0;
    readings.push({
      observedAt: new Date(dayMs + 4 * 3_600_000 + Math.floor((next() - 0.5) * 1_800_000)),
      downloadsAllTime: allTime - recount,
      downloads30d: sum30,
      likes,
    });
  }
  return readings;
}
