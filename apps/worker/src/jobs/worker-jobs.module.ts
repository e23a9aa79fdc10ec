import { Module } from '@nestjs/common';
import { CatalogModule } from '@modelpulse/core/catalog';
import { JobsModule } from '@modelpulse/core/jobs';
import { StatsModule } from '@modelpulse/core/stats';
import { StatsSyncModule } from '@modelpulse/core/sync';
import { RollupJob } from './rollup.job';
import { StatsSyncJob } from './stats-sync.job';

/** Every job, each a thin wrapper over a domain service; the worker and the CLI run them. */
@Module({
  imports: [JobsModule, CatalogModule, StatsModule, StatsSyncModule],
  providers: [StatsSyncJob, RollupJob],
  exports: [StatsSyncJob, RollupJob],
})
export class WorkerJobsModule {}
