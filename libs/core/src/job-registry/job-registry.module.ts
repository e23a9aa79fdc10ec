import { Module } from '@nestjs/common';
import { RankingsModule } from '../rankings/rankings.module';
import { RollupJob } from '../rankings/rollup.job';
import { StatsModule } from '../stats/stats.module';
import { DiscoveryJob } from '../sync/discovery.job';
import { StatsSyncJob } from '../sync/stats-sync.job';
import { SyncModule } from '../sync/sync.module';
import { JobRegistry } from './job-registry';

/** Every job, each a thin wrapper over a domain service, and the registry the worker and the CLI find them in. */
@Module({
  imports: [SyncModule, StatsModule, RankingsModule],
  providers: [StatsSyncJob, DiscoveryJob, RollupJob, JobRegistry],
  exports: [JobRegistry],
})
export class JobRegistryModule {}
