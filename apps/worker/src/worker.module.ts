import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule } from '@modelpulse/core/catalog';
import { ClockModule } from '@modelpulse/core/clock';
import { QueueModule } from '@modelpulse/core/jobs';
import { DatabaseModule } from '@modelpulse/database';
import { JobWorkers } from './job-workers';
import { WorkerJobsModule } from './jobs/worker-jobs.module';
import { Schedules } from './schedules';

/**
 * The worker: no HTTP. It migrates the database, loads the catalogue seed,
 * enqueues scheduled ticks and works the job queues.
 */
@Module({
  imports: [AppConfigModule, DatabaseModule, ClockModule, CatalogModule, QueueModule, WorkerJobsModule],
  providers: [Schedules, JobWorkers],
})
export class WorkerModule {}
