import type { RunKind } from './sync-run.entity';
import type { QueueName } from './job-queue';
import type { RunSummary } from './sync-run.repository';

export interface RunProgress {
  /** Models the run will look at, when known. */
  total: number | null;
  done: number;
  failed: number;
  skipped: number;
}

/** What a job sees of its run: where to report progress as it goes, and whether to stop. */
export interface RunContext {
  runId: string;
  /** A checkpoint: stored on the run (GET /v1/sync/runs shows it). */
  progress(progress: RunProgress): Promise<void>;
  /**
   * Progress between checkpoints, as each model settles: heard in this
   * process only (the CLI's bar), never stored, so it may be called per model.
   */
  glimpse?(progress: RunProgress): void;
  /**
   * Aborted when the process is stopping (SIGTERM, SIGINT): the job lets go
   * of its upstream calls and throws, writing nothing of what they would
   * have answered, and the run is recorded `interrupted`.
   */
  signal: AbortSignal;
}

/**
 * One kind of job: an id (its queue), a description, and `run`, which
 * works in batches, is safe to run again, and answers with its summary.
 * Known upstream states are data in the summary, not throws; a throw means
 * the run failed as a whole and the queue retries it.
 */
export abstract class Job {
  abstract readonly queue: QueueName;
  abstract readonly kind: RunKind;
  abstract readonly description: string;
  abstract run(context: RunContext): Promise<RunSummary>;
}
