import { Module } from '@nestjs/common';
import { JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { RunsService } from './runs.service';
import { SyncRunRepository } from './sync-run.repository';

/** The job queue and the record of runs; the worker adds the jobs themselves. */
@Module({
  providers: [JobQueue, SyncRunRepository, JobRunner, RunsService],
  exports: [JobQueue, JobRunner, RunsService, SyncRunRepository],
})
export class JobsModule {}
