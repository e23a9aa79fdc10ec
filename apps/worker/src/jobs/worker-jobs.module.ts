import { Module } from '@nestjs/common';
import { CatalogModule } from '@modelpulse/core/catalog';
import { JobsModule } from '@modelpulse/core/jobs';
import { RankingsModule } from '@modelpulse/core/rankings';
import { StatsModule } from '@modelpulse/core/stats';
import { SyncModule } from '@modelpulse/core/sync';
import { DiscoveryJob } from './discovery.job';
import { RollupJob } from './rollup.job';
import { StatsSyncJob } from './stats-sync.job';

/** Every job, each a thin wrapper over a domain service; the worker and the CLI run them. */
@Module({
  imports: [JobsModule, CatalogModule, StatsModule, RankingsModule, SyncModule],
  providers: [StatsSyncJob, DiscoveryJob, RollupJob],
  exports: [StatsSyncJob, DiscoveryJob, RollupJob],
})
export class WorkerJobsModule {}
