import { setTimeout as delay } from 'node:timers/promises';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { Clock } from '../clock';
import { Metrics } from '../metrics';
import type { Job, RunProgress } from './job';
import type { JobMessage } from './job-queue';
import { SyncRunRepository, type InterruptedRun, type RunRow } from './sync-run.repository';
import { runEndLine } from './run-outcome';

/** How long a stopping process waits for its running jobs to record how they ended. */
const STOP_WAIT_MS = 5000;

/**
 * Runs a job under its run record: claimed once, progress saved, summary or
 * failure recorded, and a heartbeat on the record while it runs. When the
 * process stops, running jobs are told to stop and their runs end
 * `interrupted`; runs whose process died without a word are marked so by
 * `interruptStale`, which every worker calls.
 */
@Injectable()
export class JobRunner implements OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly stopping = new AbortController();
  private readonly active = new Set<Promise<unknown>>();
  readonly heartbeatMs: number;
  private readonly staleAfterMs: number;

  constructor(
    private readonly runs: SyncRunRepository,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
    private readonly metrics: Metrics,
  ) {
    const jobs = config.get('jobs', { infer: true });
    this.heartbeatMs = jobs.heartbeatMs;
    this.staleAfterMs = jobs.staleAfterMs;
  }

  /**
   * Runs `job` for `message` unless another process has claimed the same
   * run or tick; answers the finished run, or null when it was not ours.
   * A run stopped with the process throws, so the queue tries it again.
   */
  async run(
    job: Job,
    message: JobMessage,
    onProgress: (progress: RunProgress) => void = () => undefined,
  ): Promise<RunRow | null> {
    // A message fetched just before the stop goes back to the queue untouched.
    this.stopping.signal.throwIfAborted();
    const now = this.clock.now();
    const runId = await this.runs.claim(job.kind, message.trigger, now, message, this.staleBefore(now));
    if (runId === null) {
      this.logger.debug(`${job.queue}: ${message.tickKey ?? message.runId} is done or running elsewhere`);
      return null;
    }
    // The text for people, the fields for a log search (the CLI's console shows neither: it prints warnings up).
    this.logger.log({ msg: `${job.queue} run ${runId} started (${message.trigger})`, job: job.queue, runId });
    const heartbeat = setInterval(() => {
      this.runs
        .heartbeat(runId, this.clock.now())
        .catch((error: Error) => this.logger.warn(`${job.queue} run ${runId}: heartbeat not saved (${error.message})`));
    }, this.heartbeatMs);
    const work = this.work(job, runId, onProgress).finally(() => clearInterval(heartbeat));
    this.active.add(work);
    try {
      await work;
    } finally {
      this.active.delete(work);
    }
    return this.runs.findById(runId);
  }

  /**
   * Marks `interrupted` every running run whose process has said nothing for
   * longer than JOB_STALE_AFTER_SECONDS (killed, crashed, cut off).
   */
  async interruptStale(): Promise<InterruptedRun[]> {
    const seconds = this.staleAfterMs / 1000;
    const stale = await this.runs.interruptStale(
      this.staleBefore(this.clock.now()),
      `interrupted: its process stopped answering (no heartbeat for over ${seconds} s)`,
    );
    for (const run of stale) {
      this.logger.warn(`${run.kind} run ${run.id} interrupted: no heartbeat since ${run.finishedAt.toISOString()}`);
    }
    return stale;
  }

  /** Tells running jobs to stop, and gives them a few seconds to record it. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort(new Error('the process is stopping'));
    if (this.active.size === 0) return;
    const timeout = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.active]),
      delay(STOP_WAIT_MS, undefined, { signal: timeout.signal }).catch(() => undefined),
    ]);
    timeout.abort();
  }

  private staleBefore(at: Date): Date {
    return new Date(at.getTime() - this.staleAfterMs);
  }

  private async work(job: Job, runId: string, onProgress: (progress: RunProgress) => void): Promise<void> {
    // Real time, not the application's clock: a pinned clock would make every run last 0 s.
    const begun = performance.now();
    const took = () => (performance.now() - begun) / 1000;
    try {
      const summary = await job.run({
        runId,
        signal: this.stopping.signal,
        progress: async (progress) => {
          onProgress(progress);
          await this.runs.progress(runId, progress.done, progress.failed, progress.skipped);
        },
        glimpse: onProgress,
      });
      await this.runs.finish(runId, this.clock.now(), summary);
      this.metrics.jobRun(job.kind, summary.status, took());
      const line = runEndLine(job.queue, runId, summary);
      this.logger[line.level]({
        msg: line.msg,
        job: job.queue,
        runId,
        outcome: summary.status,
        modelsDone: summary.modelsDone,
        modelsFailed: summary.modelsFailed,
        modelsSkipped: summary.modelsSkipped,
        upstreamRequests: summary.upstreamRequests,
      });
    } catch (error) {
      if (this.stopping.signal.aborted) {
        await this.runs.interrupt(runId, this.clock.now(), 'interrupted: its process was stopped (SIGTERM or SIGINT)');
        this.metrics.jobRun(job.kind, 'interrupted', took());
        this.logger.warn(`${job.queue} run ${runId} interrupted: the process is stopping`);
        throw error;
      }
      const reason = error instanceof Error ? error.message : String(error);
      await this.runs.finish(runId, this.clock.now(), {
        status: 'failed',
        modelsDone: 0,
        modelsFailed: 0,
        modelsSkipped: 0,
        upstreamRequests: {},
        errors: [{ model: null, source: null, error: reason }],
      });
      this.metrics.jobRun(job.kind, 'failed', took());
      this.logger.error(`${job.queue} run ${runId} failed: ${reason}`);
      throw error;
    }
  }
}
