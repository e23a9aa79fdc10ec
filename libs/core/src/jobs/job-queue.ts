import { createHash } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import PgBoss from 'pg-boss';
import type { AllConfig } from '@modelpulse/config';
import { DatabaseServer, underAdvisoryLock } from '@modelpulse/database';

export const QUEUES = ['stats-sync', 'discovery', 'rollup'] as const;
export type QueueName = (typeof QUEUES)[number];

/** What a job message carries: which run row it fills, or which scheduled tick it is. */
export interface JobMessage {
  trigger: 'schedule' | 'api' | 'cli';
  /** A run queued through the API or CLI. */
  runId?: string;
  /** `stats-sync@2025-01-20T13:00:00.000Z` for a scheduled run. */
  tickKey?: string;
}

/** A UUID made from a name, so every worker enqueuing the same tick sends the same job id. */
export function uuidFromName(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What every queue does with a job that throws: three more tries, each
 * after a delay that doubles, with jitter (30-60 s, 60-120 s, 120-240 s).
 * A queue keeps the options it was first created with.
 */
/** How long a job may run before pg-boss gives it up and retries it. */
export const JOB_EXPIRE_HOURS = 6;
const QUEUE_POLICY = { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInHours: JOB_EXPIRE_HOURS };

function createBoss(url: string): PgBoss {
  return new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    application_name: 'modelpulse-jobs',
    max: 4,
    // Cron is ours (schedules.ts), so ticks can be tested with a pinned clock.
    schedule: false,
  });
}

/** Any fixed number: the advisory lock under which a starting process creates the queues. */
const QUEUES_LOCK = 7_240_118;

/**
 * Creates the queues that are missing, one process at a time: replicas
 * starting together on a fresh database deadlocked in pg-boss's createQueue.
 */
function createQueues(boss: PgBoss, url: string): Promise<void> {
  return underAdvisoryLock(url, QUEUES_LOCK, async () => {
    for (const name of QUEUES) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...QUEUE_POLICY });
    }
  });
}

/**
 * Installs pg-boss's schema and our queues in the database at `url`, then
 * lets go of it; a process starting there later finds them in place.
 */
export async function installJobQueue(url: string): Promise<void> {
  const boss = createBoss(url);
  await boss.start();
  try {
    await createQueues(boss, url);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/**
 * The job queue on PostgreSQL (pg-boss, in its own `pgboss` schema). Every
 * process sends; only workers call `work`. Failed jobs are retried with
 * exponential backoff.
 */
@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private readonly boss: PgBoss;
  private readonly pollingIntervalSeconds: number;
  private readonly url: string;

  constructor(server: DatabaseServer, config: ConfigService<AllConfig, true>) {
    this.url = server.url;
    this.boss = createBoss(server.url);
    this.boss.on('error', (error) => this.logger.error(`job queue: ${error.message}`));
    this.pollingIntervalSeconds = config.get('jobs', { infer: true }).pollingIntervalSeconds;
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    await createQueues(this.boss, this.url);
  }

  /**
   * After every module's destroy hook, so the runner has already told its
   * jobs to stop and they have recorded it; a job still going after the
   * grace is failed back to the queue, which tries it again later.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 2000, wait: true });
  }

  /** Enqueues a job; with `id`, a second send of the same id is a no-op and answers null. */
  send(queue: QueueName, message: JobMessage, id?: string): Promise<string | null> {
    return this.boss.send(queue, message, id ? { id } : {});
  }

  /** Runs `handler` for each job of `queue` in this process; a throw fails the job for a retry. */
  async work(queue: QueueName, handler: (message: JobMessage) => Promise<void>): Promise<void> {
    await this.boss.work<JobMessage>(queue, { pollingIntervalSeconds: this.pollingIntervalSeconds }, async (jobs) => {
      for (const job of jobs) await handler(job.data);
    });
  }
}
