/** How ranking reads narrow their rows: filters on the catalogue's fields, and families. Pure. */
import type { RankableModel } from '../catalog';
import type { SnapshotFilters } from './rankings.repository';

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
  const seenFamilies = new Set<string>();
  return rows.filter((row) => {
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
    if (families) {
      const family = families.get(row.modelId) ?? row.modelId;
      if (seenFamilies.has(family)) return false;
      seenFamilies.add(family);
    }
    return true;
  });
}
