import { Injectable } from '@nestjs/common';
import { RUN_KINDS, type Job, type RunKind } from '../jobs';
import { RollupJob } from '../rankings';
import { DiscoveryJob, StatsSyncJob } from '../sync';

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
