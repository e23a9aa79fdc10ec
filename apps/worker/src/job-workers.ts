import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JobRegistry } from '@modelpulse/core/job-registry';
import { JobQueue, JobRunner } from '@modelpulse/core/jobs';

/**
 * Works the queues in this process: each job message runs its job under a
 * run record. Every worker also sweeps the record for runs whose process
 * died (no heartbeat) and marks them interrupted.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobWorkers');
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly runner: JobRunner,
    private readonly registry: JobRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const sweep = () =>
      this.runner.interruptStale().catch((error: Error) => this.logger.warn(`run sweep: ${error.message}`));
    void sweep();
    this.sweep = setInterval(() => void sweep(), this.runner.heartbeatMs);
    for (const job of this.registry.all()) {
      await this.queue.work(job.queue, async (message) => {
        await this.runner.run(job, message);
      });
    }
  }

  onModuleDestroy(): void {
    if (this.sweep) clearInterval(this.sweep);
  }
}
