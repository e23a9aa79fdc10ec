import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { DatabaseServer } from '@modelpulse/database';

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
 * The job queue on PostgreSQL (pg-boss, in its own `pgboss` schema). Every
 * process sends; only workers call `work`. Failed jobs are retried with
 * exponential backoff.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('JobQueue');
  private readonly boss: PgBoss;

  constructor(server: DatabaseServer) {
    this.boss = new PgBoss({
      connectionString: server.url,
      schema: 'pgboss',
      application_name: 'modelpulse-jobs',
      max: 4,
      // Cron is ours (schedules.ts), so ticks can be tested with a pinned clock.
      schedule: false,
    });
    this.boss.on('error', (error) => this.logger.error(`job queue: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    for (const name of QUEUES) {
      await this.boss.createQueue(name, { name, retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInHours: 6 });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
  }

  /** Enqueues a job; with `id`, a second send of the same id is a no-op and answers null. */
  send(queue: QueueName, message: JobMessage, id?: string): Promise<string | null> {
    return this.boss.send(queue, message, id ? { id } : {});
  }

  /** Runs `handler` for each job of `queue` in this process; a throw fails the job for a retry. */
  async work(queue: QueueName, handler: (message: JobMessage) => Promise<void>): Promise<void> {
    await this.boss.work<JobMessage>(queue, { pollingIntervalSeconds: 2 }, async (jobs) => {
      for (const job of jobs) await handler(job.data);
    });
  }
}
