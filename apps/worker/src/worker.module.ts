import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule } from '@modelpulse/core/catalog';
import { ClockModule } from '@modelpulse/core/clock';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { JobRegistryModule } from '@modelpulse/core/job-registry';
import { QueueModule } from '@modelpulse/core/jobs';
import { MetricsModule } from '@modelpulse/core/metrics';
import { SnapshotRefreshModule } from '@modelpulse/core/rankings';
import { DatabaseModule, LoggingModule } from '@modelpulse/database';
import { JobWorkers } from './job-workers';
import { WorkerMetricsServer } from './metrics-server';
import { Schedules } from './schedules';

/**
 * The worker: no HTTP API (only its metrics, on METRICS_PORT when set). It migrates the database, loads the catalogue seed,
 * enqueues scheduled ticks, works the job queues, and recomputes stale
 * trending snapshots.
 */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule.forRoot({ entities: CORE_ENTITIES }),
    ClockModule,
    CatalogModule,
    QueueModule,
    JobRegistryModule,
    SnapshotRefreshModule,
    MetricsModule,
  ],
  providers: [Schedules, JobWorkers, WorkerMetricsServer],
})
export class WorkerModule {}
