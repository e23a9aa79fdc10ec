import { Injectable } from '@nestjs/common';
import { Job, type RunContext, type RunSummary } from '../jobs';
import { StatsSyncService } from './stats-sync.service';

@Injectable()
export class StatsSyncJob extends Job {
  readonly queue = 'stats-sync';
  readonly kind = 'stats-sync';
  readonly description = 'Reads the download, like and star counters of every tracked model from its upstreams';

  constructor(private readonly sync: StatsSyncService) {
    super();
  }

  run(context: RunContext): Promise<RunSummary> {
    return this.sync.run(
      (progress) => context.progress(progress),
      context.signal,
      (progress) => context.glimpse?.(progress),
    );
  }
}
