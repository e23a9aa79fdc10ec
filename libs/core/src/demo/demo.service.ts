import { Injectable } from '@nestjs/common';
import { CatalogQueries } from '../catalog';
import { DemoStatsService } from '../stats';
import { demoHistory } from './demo-history';

export interface DemoLoadResult {
  /** Models given a demo history. */
  models: number;
  /** Models left out because another source counts them. */
  skipped: number;
  accepted: number;
  duplicates: number;
}

/**
 * `npm run cli -- demo`: a demo history for the catalogue's models that no
 * other source counts, written through the stats service like any reading
 * (the change feed tells snapshots and caches), and taken away again whole.
 */
@Injectable()
export class DemoService {
  constructor(
    private readonly catalog: CatalogQueries,
    private readonly stats: DemoStatsService,
  ) {}

  async load(): Promise<DemoLoadResult> {
    const models = await this.catalog.rankable();
    const counted = await this.stats.modelsWithOtherSources(models.map((m) => m.id));
    const eligible = models.filter((m) => !counted.has(m.id));
    const ids = new Map(eligible.map((m) => [m.slug, m.id]));
    const readings = demoHistory(eligible.map((m) => ({ slug: m.slug, releaseDate: m.releaseDate })));
    const stored = await this.stats.store(
      readings.map((r) => ({
        modelId: ids.get(r.slug)!,
        observedAt: r.observedAt,
        downloadsAllTime: r.downloadsAllTime,
        downloads30d: null,
        likes: r.likes,
        stars: null,
        forks: null,
      })),
    );
    return {
      models: new Set(readings.map((r) => r.slug)).size,
      skipped: counted.size,
      accepted: stored.accepted,
      duplicates: stored.duplicates,
    };
  }

  remove(): Promise<{ models: number; readings: number }> {
    return this.stats.remove();
  }
}
