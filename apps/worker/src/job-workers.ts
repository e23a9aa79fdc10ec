import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobRegistry } from '@modelpulse/core/job-registry';
import { JobQueue, JobRunner } from '@modelpulse/core/jobs';

/** Works the queues in this process: each job message runs its job under a run record. */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap {
  constructor(
    private readonly queue: JobQueue,
    private readonly runner: JobRunner,
    private readonly registry: JobRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const job of this.registry.all()) {
      await this.queue.work(job.queue, async (message) => {
        await this.runner.run(job, message);
      });
    }
  }
}
