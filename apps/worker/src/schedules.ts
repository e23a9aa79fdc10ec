import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseExpression } from 'cron-parser';
import type { AllConfig } from '@modelpulse/config';
import { Clock } from '@modelpulse/core/clock';
import { JobQueue, uuidFromName, type QueueName } from '@modelpulse/core/jobs';

/** How often the worker looks whether a tick has come; a tick is never late by more than this. */
const CHECK_EVERY_MS = 20_000;

export interface Schedule {
  queue: QueueName;
  cron: string;
}

/** The latest time `cron` fires at or before `now` (UTC). */
export function latestTick(cron: string, now: Date): Date {
  // cron-parser's prev() is strictly before its start, so start just after now.
  return parseExpression(cron, { currentDate: new Date(now.getTime() + 1), utc: true })
    .prev()
    .toDate();
}

/**
 * Cron triggers only: each check enqueues the latest tick of every schedule
 * under a job id made from the tick, so any number of workers checking at
 * once enqueue it once, and the run record's unique tick key makes it run
 * once even if it were enqueued again.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Schedules');
  private timer: NodeJS.Timeout | null = null;
  readonly schedules: Schedule[];

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly config: ConfigService<AllConfig, true>,
  ) {
    const jobs = config.get('jobs', { infer: true });
    this.schedules = [
      { queue: 'stats-sync', cron: jobs.syncCron },
      { queue: 'discovery', cron: jobs.discoveryCron },
      { queue: 'rollup', cron: jobs.rollupCron },
    ];
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('jobs', { infer: true }).syncEnabled) {
      this.logger.log('SYNC_ENABLED=false: no scheduled runs (runs asked for through the API or CLI still work)');
      return;
    }
    const check = () => this.tick().catch((error: Error) => this.logger.error(`schedule check: ${error.message}`));
    void check();
    this.timer = setInterval(() => void check(), CHECK_EVERY_MS);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Enqueues the current tick of each schedule; answers the ticks this call enqueued. */
  async tick(): Promise<string[]> {
    const now = this.clock.now();
    const enqueued: string[] = [];
    for (const { queue, cron } of this.schedules) {
      const tickKey = `${queue}@${latestTick(cron, now).toISOString()}`;
      const id = await this.queue.send(queue, { trigger: 'schedule', tickKey }, uuidFromName(tickKey));
      if (id !== null) enqueued.push(tickKey);
    }
    return enqueued;
  }
}
