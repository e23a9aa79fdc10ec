import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { withoutDeadlines } from '@modelpulse/database';
import { movesFigures, type ChangeOf, type ChangeOrigin } from '../changes';
import { StatsService } from './stats.service';

/**
 * The least time between two folds that no read waits for: under a stream of
 * batches, one fold takes in every model they named meanwhile.
 */
export const FOLD_EVERY_MS = 500;
/** How long a fold that could not reach the database waits before it tries again; its models stay pending. */
const RETRY_AFTER_MS = 1_000;
/**
 * The longest a read waits for the pending fold before it answers with the
 * figures as they stand: a database that hangs (frozen, not refusing) must
 * not hold reads past their own deadlines.
 */
export const SETTLE_WAIT_MS = 500;

/**
 * Folds what landed into `model_stats`, off the writes' path. A write of
 * readings or events commits and answers without touching the figures; its
 * `stats.landed` (heard here in the writing process, after the commit) adds
 * its models to a pending set, and one fold at a time refreshes them all in
 * one transaction, at most every FOLD_EVERY_MS unless a read is waiting.
 * Reads that show the figures call `settled()` first, so a read in this
 * process after a write shows its figures; other processes see them once the
 * fold commits, and its `stats.figures` drops their cached answers.
 */
@Injectable()
export class ModelStatsFolder implements OnModuleDestroy {
  private readonly logger = new Logger('ModelStatsFolder');
  private readonly pending = new Set<string>();
  /** Landings heard, and the count of them the last fold took in (or gave up on). */
  private heard = 0;
  private folded = 0;
  private round: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFoldAt = 0;
  private failing = false;
  private closed = false;

  constructor(private readonly stats: StatsService) {}

  // Each process folds its own writes: another process's landing is its writer's to fold.
  @OnEvent('stats.landed')
  onStatsLanded(change: ChangeOf<'stats.landed'>, origin?: ChangeOrigin): void {
    if (!origin?.local || !movesFigures(change)) return;
    for (const id of change.modelIds) this.pending.add(id);
    this.heard++;
    this.schedule();
  }

  /**
   * Resolves once the figures of every write this process answered before
   * the call are folded, folding now if needed; at once when nothing is
   * pending, and without waiting through an outage (the fold retries on its
   * own). Waits at most `maxWaitMs` for a fold that does not come back (a
   * frozen database). Answers whether the figures caught up: false when it
   * stopped waiting or the fold failed.
   */
  async settled(maxWaitMs = SETTLE_WAIT_MS): Promise<boolean> {
    const target = this.heard;
    let timer: NodeJS.Timeout | undefined;
    let deadline: Promise<false> | undefined;
    try {
      while (this.folded < target) {
        if (!this.round) {
          if (this.failing) return false;
          this.start();
          // Nothing was pending: start() counted every landing as folded.
          if (!this.round) continue;
        }
        deadline ??= new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), maxWaitMs);
        });
        if (!(await Promise.race([this.round.then(() => true), deadline]))) return false;
      }
      return !this.failing;
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A stopping process folds what it wrote before it lets go of the database.
    while (this.round) await this.round;
    if (this.pending.size > 0) {
      this.failing = false;
      this.start();
      await this.round;
    }
  }

  private schedule(): void {
    if (this.round || this.timer || this.closed) return;
    const waitMs = Math.max(0, this.lastFoldAt + FOLD_EVERY_MS - Date.now());
    if (waitMs === 0) return this.start();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.round) this.start();
    }, waitMs);
    this.timer.unref();
  }

  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) {
      this.folded = this.heard;
      return;
    }
    const ids = [...this.pending];
    const heard = this.heard;
    this.pending.clear();
    this.lastFoldAt = Date.now();
    this.round = withoutDeadlines(() => this.stats.refreshFigures(ids))
      .then(
        () => {
          this.failing = false;
        },
        (error: unknown) => {
          for (const id of ids) this.pending.add(id);
          this.failing = true;
          this.logger.error(
            `figures of ${ids.length} models not refreshed: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      )
      .finally(() => {
        this.folded = Math.max(this.folded, heard);
        this.round = null;
        if (this.failing) this.retryLater();
        else if (this.pending.size > 0) this.schedule();
      });
  }

  private retryLater(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.round) this.start();
    }, RETRY_AFTER_MS);
    this.timer.unref();
  }
}
