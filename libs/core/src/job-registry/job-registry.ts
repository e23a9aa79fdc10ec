import { Injectable } from '@nestjs/common';
import type { Job } from '../jobs/job';
import { RollupJob } from '../rankings/rollup.job';
import { RUN_KINDS, type RunKind } from '../stats/entities/sync-run.entity';
import { DiscoveryJob } from '../sync/discovery.job';
import { StatsSyncJob } from '../sync/stats-sync.job';

/** Every job, one per run kind: the worker works them all, the CLI runs the one asked for. */
@Injectable()
export class JobRegistry {
  constructor(
    private readonly statsSync: StatsSyncJob,
    private readonly discovery: DiscoveryJob,
    private readonly rollup: RollupJob,
  ) {}

  /** In the order of RUN_KINDS. */
  all(): Job[] {
    return RUN_KINDS.map((kind) => this.byKind(kind));
  }

  byKind(kind: RunKind): Job {
    switch (kind) {
      case 'stats-sync':
        return this.statsSync;
      case 'discovery':
        return this.discovery;
      case 'rollup':
        return this.rollup;
    }
  }
}
