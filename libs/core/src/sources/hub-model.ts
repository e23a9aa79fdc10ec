import type { Relation } from '../catalog';
import { MalformedAnswerError } from './upstream-http';
import type { GatedMode, HubMetadata } from './upstream-source';

/** One model as `GET /api/models/{id}` or one item of `GET /api/models` describes it, read and checked. */
export interface HubModel {
  id: string;
  downloadsAllTime: number | null;
  /** The hub's `downloads`: a rolling 30-day count. */
  downloads30d: number | null;
  likes: number | null;
  trendingScore: number | null;
  metadata: HubMetadata;
}

/** The `expand[]` properties a sync asks for (the names of huggingface_hub's `ExpandModelProperty_T`). */
export const HUB_EXPAND = [
  'downloads',
  'downloadsAllTime',
  'likes',
  'tags',
  'cardData',
  'safetensors',
  'pipeline_tag',
  'createdAt',
  'gated',
] as const;

/** The hub's `base_model:<relation>:<id>` relations; each is one of ours under the same name. */
const HUB_RELATIONS: Record<string, Relation> = {
  finetune: 'finetune',
  quantized: 'quantized',
  adapter: 'adapter',
  merge: 'merge',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** A counter: absent or null is null; anything but a whole non-negative number makes the answer malformed. */
function counter(body: Record<string, unknown>, field: string): number | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new MalformedAnswerError(`${field} is not a count: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Lineage from the hub's tags. The hub writes `base_model:<id>` for every
 * base and, where the card names one, `base_model:<relation>:<id>` beside
 * it. A base with no relation tag counts as a finetune, as the hub itself
 * shows it; unknown relations are left out rather than guessed. The hub has
 * no distillation relation: those links are curated.
 */
export function baseModelsFromTags(tags: readonly string[]): { id: string; relation: Relation }[] {
  const named = new Map<string, Relation | null>();
  const seen: string[] = [];
  for (const tag of tags) {
    if (!tag.startsWith('base_model:')) continue;
    const rest = tag.slice('base_model:'.length);
    const qualified = /^([a-z_]+):(.+)$/.exec(rest);
    const id = qualified ? qualified[2] : rest;
    if (id === '') continue;
    if (!seen.includes(id)) seen.push(id);
    if (qualified && (named.get(id) ?? null) === null) named.set(id, HUB_RELATIONS[qualified[1]] ?? null);
  }
  return seen.flatMap((id) => {
    const relation = named.has(id) ? named.get(id)! : 'finetune';
    return relation ? [{ id, relation }] : [];
  });
}

/** arXiv ids from `arxiv:` tags, in order, once each. */
export function arxivIdsFromTags(tags: readonly string[]): string[] {
  const ids = tags.filter((tag) => tag.startsWith('arxiv:')).map((tag) => tag.slice('arxiv:'.length));
  return [...new Set(ids.filter((id) => id !== ''))];
}

/**
 * The licence slug: the model card's `license`, or its `license_name` when
 * the card says `other` (custom licences such as `llama3.1`), else the
 * hub's `license:` tag.
 */
export function licenseFrom(cardData: unknown, tags: readonly string[]): string | null {
  if (isRecord(cardData)) {
    const declared = Array.isArray(cardData.license) ? cardData.license[0] : cardData.license;
    const license = text(declared);
    if (license === 'other' && text(cardData.license_name)) return text(cardData.license_name);
    if (license) return license;
  }
  const tag = tags.find((t) => t.startsWith('license:'));
  return tag ? text(tag.slice('license:'.length)) : null;
}

function gatedMode(value: unknown): GatedMode {
  return value === 'auto' || value === 'manual' ? value : false;
}

function parametersTotal(safetensors: unknown): number | null {
  if (!isRecord(safetensors)) return null;
  const total = safetensors.total;
  return typeof total === 'number' && Number.isSafeInteger(total) && total > 0 ? total : null;
}

function date(value: unknown): Date | null {
  const raw = text(value);
  if (raw === null) return null;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/**
 * Reads one model of the hub's JSON. Counters are checked strictly (a wrong
 * type makes the whole answer malformed); descriptive fields are taken when
 * they have the expected shape and left null otherwise.
 */
export function readHubModel(json: unknown): HubModel {
  if (!isRecord(json)) throw new MalformedAnswerError('the answer is not a JSON object');
  const id = text(json.id) ?? text(json.modelId);
  if (id === null || /\s/.test(id)) throw new MalformedAnswerError('the answer has no model id');
  const tags = Array.isArray(json.tags) ? json.tags.filter((t): t is string => typeof t === 'string') : [];
  const trendingScore = typeof json.trendingScore === 'number' ? json.trendingScore : null;
  return {
    id,
    downloadsAllTime: counter(json, 'downloadsAllTime'),
    downloads30d: counter(json, 'downloads'),
    likes: counter(json, 'likes'),
    trendingScore,
    metadata: {
      license: licenseFrom(json.cardData, tags),
      parametersTotal: parametersTotal(json.safetensors),
      arxivIds: arxivIdsFromTags(tags),
      baseModels: baseModelsFromTags(tags),
      task: text(json.pipeline_tag),
      tags,
      createdAt: date(json.createdAt),
      gated: gatedMode(json.gated),
    },
  };
}
