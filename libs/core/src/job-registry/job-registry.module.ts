import { Module } from '@nestjs/common';
import { RankingsModule, RollupJob } from '../rankings';
import { StatsModule } from '../stats';
import { DiscoveryJob, StatsSyncJob, SyncModule } from '../sync';
import { JobRegistry } from './job-registry';

/** Every job, each a thin wrapper over a domain service, and the registry the worker and the CLI find them in. */
@Module({
  imports: [SyncModule, StatsModule, RankingsModule],
  providers: [StatsSyncJob, DiscoveryJob, RollupJob, JobRegistry],
  exports: [JobRegistry],
})
export class JobRegistryModule {}
