import { Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { movesFigures, type ChangeOf } from '../changes';
import { RankingsModule } from './rankings.module';
import { LeaderboardsService } from './leaderboards.service';
import { RankingsService } from './rankings.service';

/** Quiet time after the last landing before stale snapshots are recomputed: a backfill lands in many batches. */
const DEBOUNCE_MS = 2_000;
/** Landings that never stop still get their snapshots recomputed this often. */
const MAX_WAIT_MS = 30_000;

/**
 * The worker's catch-up for stale trending snapshots and stored leaderboards:
 * after readings or events land (in any process), and once they have stopped
 * landing for a moment, it recomputes every stale day, oldest first. Reads recompute the
 * one or two days they need meanwhile.
 */
@Injectable()
export class SnapshotRefresher implements OnModuleDestroy {
  private readonly logger = new Logger('SnapshotRefresher');
  private timer: NodeJS.Timeout | null = null;
  private firstLandedAt: number | null = null;
  private running: Promise<void> | null = null;
  private landedWhileRunning = false;
  private closed = false;

  constructor(
    private readonly rankings: RankingsService,
    private readonly leaderboards: LeaderboardsService,
  ) {}

  // Errors reach the change channel, which tries again after an outage.
  @OnEvent('stats.landed', { suppressErrors: false })
  onStatsLanded(change: ChangeOf<'stats.landed'>): void {
    if (!movesFigures(change)) return;
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.closed) return;
    const now = Date.now();
    this.firstLandedAt ??= now;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstLandedAt + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => this.refresh(), wait);
    this.timer.unref();
  }

  private async refreshBoth(): Promise<void> {
    const days = await this.rankings.refreshStale();
    if (days > 0) this.logger.log(`recomputed ${days} stale trending snapshot${days === 1 ? '' : 's'}`);
    const boards = await this.leaderboards.refreshStale();
    if (boards > 0) this.logger.log(`recomputed ${boards} stale leaderboard${boards === 1 ? '' : 's'}`);
  }

  private refresh(): void {
    this.timer = null;
    this.firstLandedAt = null;
    if (this.running) {
      this.landedWhileRunning = true;
      return;
    }
    this.running = this.refreshBoth()
      .catch((error: unknown) => {
        this.logger.error(`stale snapshots not recomputed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.running = null;
        if (this.landedWhileRunning) {
          this.landedWhileRunning = false;
          this.schedule();
        }
      });
  }
}

/** The refresher, for the worker. */
@Module({ imports: [RankingsModule], providers: [SnapshotRefresher] })
export class SnapshotRefreshModule {}
