import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { AuthModule } from '@modelpulse/core/auth';
import { CatalogModule } from '@modelpulse/core/catalog';
import { ClockModule } from '@modelpulse/core/clock';
import { StatsModule } from '@modelpulse/core/stats';
import { SyncModule } from '@modelpulse/core/sync';
import { DatabaseModule } from '@modelpulse/database';
import { WorkerJobsModule } from '../../worker/src/jobs/worker-jobs.module';

@Module({
  imports: [
    AppConfigModule,
    DatabaseModule,
    ClockModule,
    CatalogModule,
    StatsModule,
    AuthModule,
    SyncModule,
    WorkerJobsModule,
  ],
})
export class CliModule {}
