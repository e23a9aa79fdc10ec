/**
 * What the owners of the tables say after a commit, so that derived data
 * (snapshots, `model_stats`, response caches) can follow. Model ids are the
 * internal ids (`models.id`), which renames do not change.
 */

/** A model's catalogue fields changed (created, edited, re-imported, its bindings moved or marked). */
export interface CatalogChanged {
  type: 'catalog.changed';
  modelIds: string[];
}

/**
 * Counter readings or download events landed; `fromDay` is the first UTC day
 * they touch, `sources` the sources they came from (`link`: tracked-link
 * clicks, which are never downloads).
 */
export interface StatsLanded {
  type: 'stats.landed';
  modelIds: string[];
  sources: string[];
  fromDay: string;
}

/**
 * The figures `model_stats` holds (the catalogue's `stats` block, its sorts,
 * badges) were refreshed for these models, after readings or events landed.
 */
export interface FiguresRefreshed {
  type: 'stats.figures';
  modelIds: string[];
}

/** A model took a new id; the old one is an alias now. */
export interface ModelRenamed {
  type: 'model.renamed';
  modelId: string;
  from: string;
  to: string;
}

/** Deleted through the API: the model leaves every list, its history is kept. */
export interface ModelArchived {
  type: 'model.archived';
  modelIds: string[];
}

/** Removed for good with its history. */
export interface ModelPurged {
  type: 'model.purged';
  modelIds: string[];
}

/** A ranking's snapshot of a day was stored (computed or recomputed). */
export interface SnapshotComputed {
  type: 'snapshot.computed';
  ranking: string;
  version: string;
  asOf: string;
}

/** Whether readings or events that landed can move a download or engagement figure: tracked-link clicks alone cannot. */
export const movesFigures = (change: StatsLanded): boolean => change.sources.some((source) => source !== 'link');

export type Change =
  | CatalogChanged
  | StatsLanded
  | FiguresRefreshed
  | ModelRenamed
  | ModelArchived
  | ModelPurged
  | SnapshotComputed;
export type ChangeType = Change['type'];
export type ChangeOf<T extends ChangeType> = Extract<Change, { type: T }>;

export const CHANGE_TYPES: readonly ChangeType[] = [
  'catalog.changed',
  'stats.landed',
  'stats.figures',
  'model.renamed',
  'model.archived',
  'model.purged',
  'snapshot.computed',
];

/** Model ids per message: a NOTIFY payload holds under 8000 bytes, and a bigint id takes up to 22 in JSON. */
export const MODEL_IDS_PER_MESSAGE = 250;

/** One change as messages small enough for NOTIFY: long id lists are split, nothing else changes. */
export function splitChange(change: Change): Change[] {
  if (!('modelIds' in change) || change.modelIds.length <= MODEL_IDS_PER_MESSAGE) return [change];
  const parts: Change[] = [];
  for (let start = 0; start < change.modelIds.length; start += MODEL_IDS_PER_MESSAGE) {
    parts.push({ ...change, modelIds: change.modelIds.slice(start, start + MODEL_IDS_PER_MESSAGE) });
  }
  return parts;
}

export function isChange(message: unknown): message is Change {
  return (
    typeof message === 'object' &&
    message !== null &&
    CHANGE_TYPES.includes((message as { type?: unknown }).type as ChangeType)
  );
}
