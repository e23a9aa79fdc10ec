import type { CuratedField, ImportableFields, ImportedRecord, ModelInput, SeedFile } from '../catalog';
import type { HubMetadata } from '../sources';

export function importedRecord(metadata: HubMetadata): ImportedRecord {
  return {
    license: metadata.license,
    parametersTotal: metadata.parametersTotal,
    arxivIds: metadata.arxivIds,
    baseModels: metadata.baseModels,
    task: metadata.task,
    tags: metadata.tags,
    createdAt: metadata.createdAt?.toISOString() ?? null,
    gated: metadata.gated,
  };
}

/**
 * The catalogue fields an import writes, in the catalogue's terms: a licence
 * we know (or null), base models resolved to models we track.
 */
export type { ImportableFields };

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const lineageKeys = (bases: ImportableFields['baseModels']) =>
  bases.map((b) => `${b.id.toLowerCase()} ${b.relation}`).sort();

/**
 * The fields the seed states for each seeded model (lowercased id → fields).
 * The seed is written by people, so what it states counts as set by a person,
 * although the seed does not list it in `curated_fields` (that list is what
 * the seed itself must not overwrite). A null is no statement; an empty list
 * is one ("no papers").
 */
export function seedStatedFields(seed: SeedFile): Map<string, Set<CuratedField>> {
  const stated = new Map<string, Set<CuratedField>>();
  for (const model of seed.models) {
    const fields = new Set<CuratedField>(['tasks', 'papers', 'baseModels']);
    if (model.license !== null) fields.add('license');
    if (model.parameters !== null) fields.add('parameters');
    stated.set(model.id.toLowerCase(), fields);
  }
  return stated;
}

/** The upstream's values that differ from the stored ones, leaving out every field a person set. */
export function importChanges(
  upstream: ImportableFields,
  stored: ImportableFields,
  personSet: ReadonlySet<CuratedField>,
): ModelInput {
  const changes: ModelInput = {};
  if (!personSet.has('license') && stored.license !== upstream.license) changes.license = upstream.license;
  if (!personSet.has('parameters') && stored.parameters !== upstream.parameters) {
    changes.parameters = upstream.parameters;
  }
  if (!personSet.has('tasks') && !sameList(stored.tasks, upstream.tasks)) changes.tasks = upstream.tasks;
  if (!personSet.has('papers') && !sameList(stored.papers, upstream.papers)) {
    changes.papers = upstream.papers.map((arxivId) => ({ arxivId }));
  }
  if (!personSet.has('baseModels') && !sameList(lineageKeys(stored.baseModels), lineageKeys(upstream.baseModels))) {
    changes.baseModels = upstream.baseModels;
  }
  return changes;
}

/**
 * Bases before the models made from them when both are in one batch, so a
 * finetune imported with its base is linked to it at once; otherwise the
 * hub's order. A loop in the hub's tags is broken where it is met.
 */
export function inLineageOrder<T extends { externalId: string; metadata: HubMetadata }>(items: T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) if (!byId.has(item.externalId.toLowerCase())) byId.set(item.externalId.toLowerCase(), item);
  const done = new Set<T>();
  const ordered: T[] = [];
  const visit = (item: T, path: Set<T>) => {
    if (done.has(item) || path.has(item)) return;
    path.add(item);
    for (const base of item.metadata.baseModels) {
      const baseItem = byId.get(base.id.toLowerCase());
      if (baseItem) visit(baseItem, path);
    }
    path.delete(item);
    done.add(item);
    ordered.push(item);
  };
  for (const item of items) visit(item, new Set());
  return ordered;
}
