/** How ranking reads narrow their rows: filters on the catalogue's fields, and families. Pure. */
import type { RankableModel } from '../catalog';

/** What a ranking read narrows to: live models with these fields (licences and organizations in any letter case). */
export interface SnapshotFilters {
  licenses?: string[];
  task?: string;
  organizations?: string[];
  minParams?: number;
  maxParams?: number;
}

export interface RankingFilters extends SnapshotFilters {
  /** Keep only the best-ranked model of each family (weight derivation). */
  collapseFamilies?: boolean;
}

/**
 * Each model's family, named by one of its members: the union of
 * weight-derivation links, base to derived, whatever their depth.
 */
export function familiesOf(links: Iterable<{ derived: string; base: string }>): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const { derived, base } of links) {
    const a = find(derived);
    const b = find(base);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  return new Map([...parent.keys()].map((id) => [id, find(id)]));
}

/** Rows of live models that pass the filters, in rank order, one per family when asked. */
export function narrow<T extends { modelId: string }>(
  rows: T[],
  byId: ReadonlyMap<string, RankableModel>,
  filters: RankingFilters,
  families: ReadonlyMap<string, string> | null,
): T[] {
  const licenses = filters.licenses?.map((l) => l.toLowerCase());
  const organizations = filters.organizations?.map((o) => o.toLowerCase());
  const kept = rows.filter((row) => {
    const model = byId.get(row.modelId);
    if (!model) return false;
    if (licenses && !(model.license !== null && licenses.includes(model.license.toLowerCase()))) return false;
    if (filters.task && !model.tasks.includes(filters.task)) return false;
    if (organizations && !organizations.includes(model.organization.toLowerCase())) return false;
    if (filters.minParams !== undefined && !(model.parameters !== null && model.parameters >= filters.minParams)) {
      return false;
    }
    if (filters.maxParams !== undefined && !(model.parameters !== null && model.parameters <= filters.maxParams)) {
      return false;
    }
    return true;
  });
  return families ? oneOfEachFamily(kept, families) : kept;
}

/** The first row of each family (a model in no family is its own), in the rows' order. */
export function oneOfEachFamily<T extends { modelId: string }>(rows: T[], families: ReadonlyMap<string, string>): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const family = families.get(row.modelId) ?? row.modelId;
    if (seen.has(family)) return false;
    seen.add(family);
    return true;
  });
}

/** The SQL condition on `models m` that keeps the live models passing `filters`; `ref` adds a parameter. */
export function liveModelsWhere(filters: SnapshotFilters, ref: (value: unknown) => string): string {
  const where = ['m.archived_at IS NULL'];
  if (filters.licenses) {
    where.push(`lower(m.license_id) = ANY(${ref(filters.licenses.map((l) => l.toLowerCase()))}::text[])`);
  }
  if (filters.task) where.push(`${ref(filters.task)}::text = ANY(m.tasks)`);
  if (filters.organizations) {
    where.push(`lower(m.organization_id) = ANY(${ref(filters.organizations.map((o) => o.toLowerCase()))}::text[])`);
  }
  if (filters.minParams !== undefined) where.push(`m.parameters >= ${ref(filters.minParams)}::numeric`);
  if (filters.maxParams !== undefined) where.push(`m.parameters <= ${ref(filters.maxParams)}::numeric`);
  return where.join(' AND ');
}
