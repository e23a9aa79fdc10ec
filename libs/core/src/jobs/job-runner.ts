import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock';
import type { Job, RunProgress } from './job';
import type { JobMessage } from './job-queue';
import { SyncRunRepository, type RunRow } from './sync-run.repository';

/** Runs a job under its run record: claimed once, progress saved, summary or failure recorded. */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `job` for `message` unless another process has claimed the same
   * run or tick; answers the finished run, or null when it was not ours.
   */
  async run(
    job: Job,
    message: JobMessage,
    onProgress: (progress: RunProgress) => void = () => undefined,
  ): Promise<RunRow | null> {
    const runId = await this.runs.claim(job.kind, message.trigger, this.clock.now(), message);
    if (runId === null) {
      this.logger.debug(`${job.queue}: ${message.tickKey ?? message.runId} is done or running elsewhere`);
      return null;
    }
    this.logger.log(`${job.queue} run ${runId} started (${message.trigger})`);
    try {
      const summary = await job.run({
        runId,
        progress: async (progress) => {
          onProgress(progress);
          await this.runs.progress(runId, progress.done, progress.failed, progress.skipped);
        },
      });
      await this.runs.finish(runId, this.clock.now(), summary);
      this.logger.log(
        `${job.queue} run ${runId} ${summary.status}: ${summary.modelsDone} done, ${summary.modelsFailed} failed, ` +
          `${summary.modelsSkipped} skipped, requests ${JSON.stringify(summary.upstreamRequests)}`,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.runs.finish(runId, this.clock.now(), {
        status: 'failed',
        modelsDone: 0,
        modelsFailed: 0,
        modelsSkipped: 0,
        upstreamRequests: {},
        errors: [{ model: null, source: null, error: reason }],
      });
      this.logger.error(`${job.queue} run ${runId} failed: ${reason}`);
      throw error;
    }
    return this.runs.findById(runId);
  }
}
