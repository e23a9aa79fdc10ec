import { Module } from '@nestjs/common';
import { ClockModule } from '../clock';
import { MetricsModule } from '../metrics';
import { JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { RunsService } from './runs.service';
import { SyncRunRepository } from './sync-run.repository';

/** The record of runs and the runner that fills it: enough to run a job in this process (the CLI). */
@Module({
  imports: [ClockModule, MetricsModule],
  providers: [SyncRunRepository, JobRunner],
  exports: [SyncRunRepository, JobRunner],
})
export class JobsModule {}

/** The job queue on PostgreSQL, for processes that send jobs (the API) or work them (the worker). */
@Module({
  imports: [JobsModule],
  providers: [JobQueue, RunsService],
  exports: [JobsModule, JobQueue, RunsService],
})
export class QueueModule {}
