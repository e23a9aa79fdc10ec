import { Injectable } from '@nestjs/common';
import { DirectoryRepository } from './directory.repository';
import { assertKnownReferences, HUB_TASKS, type FilterReferences } from './filter-references';
import { LineageRepository } from './lineage.repository';
import { ModelRepository, type ImportableFields, type RankableModel, type TrackedModel } from './model.repository';

/** The catalogue's read queries for other contexts: stats, rankings and the import. */
@Injectable()
export class CatalogQueries {
  constructor(
    private readonly models: ModelRepository,
    private readonly lineage: LineageRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  /** Live models by id in any letter case (old ids of renamed models too), keyed by the lower-cased id. */
  trackedBySlugs(slugs: string[]): Promise<Map<string, TrackedModel>> {
    return this.models.trackedBySlugs(slugs);
  }

  /** Models by internal id, archived ones too. */
  trackedByIds(ids: string[]): Promise<Map<string, TrackedModel>> {
    return this.models.trackedByIds(ids);
  }

  /** Every live model (or those of `ids`) with what rankings show and filter on. */
  rankable(ids?: string[]): Promise<RankableModel[]> {
    return this.models.rankable(ids);
  }

  /** Weight-derivation links (a distillation does not join families), as pairs to union. */
  familyLinks(): Promise<{ derived: string; base: string }[]> {
    return this.lineage.familyLinks();
  }

  importableFields(modelId: string): Promise<ImportableFields> {
    return this.models.importableFields(modelId);
  }

  /**
   * Throws `InvalidReferenceError` naming the first filter (`license`,
   * `organization`, `task`) whose value the catalogue does not know.
   */
  async assertKnownFilters(filters: FilterReferences): Promise<void> {
    const licenses = filters.licenses ?? [];
    const organizations = filters.organizations ?? [];
    const task = filters.task?.toLowerCase();
    if (licenses.length === 0 && organizations.length === 0 && task === undefined) return;
    const [stored, taskStored] = await Promise.all([
      this.directory.knownReferences(licenses, organizations),
      task === undefined || HUB_TASKS.includes(task) ? Promise.resolve(true) : this.models.taskExists(task),
    ]);
    assertKnownReferences(filters, {
      ...stored,
      tasks: new Set(task !== undefined && taskStored ? [task] : []),
    });
  }

  licenseExists(id: string): Promise<boolean> {
    return this.directory.licenseExists(id);
  }

  /** Live models by id in any letter case: lower-cased id → canonical id. */
  async liveSlugs(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const found = await this.models.findIdsBySlugs(ids);
    return new Map([...found].map(([key, model]) => [key, model.slug]));
  }
}
