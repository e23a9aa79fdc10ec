import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue, JobRunner, type Job } from '@modelpulse/core/jobs';
import { DiscoveryJob } from './jobs/discovery.job';
import { RollupJob } from './jobs/rollup.job';
import { StatsSyncJob } from './jobs/stats-sync.job';

/** Works the queues in this process: each job message runs its job under a run record. */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap {
  private readonly jobs: Job[];

  constructor(
    private readonly queue: JobQueue,
    private readonly runner: JobRunner,
    statsSync: StatsSyncJob,
    discovery: DiscoveryJob,
    rollup: RollupJob,
  ) {
    this.jobs = [statsSync, discovery, rollup];
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const job of this.jobs) {
      await this.queue.work(job.queue, async (message) => {
        await this.runner.run(job, message);
      });
    }
  }
}
