import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import { InvalidSettingError, type AllConfig } from '@modelpulse/config';
import { retryingTransaction, TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { CatalogQueries, InvalidReferenceError, ModelsService } from '../catalog';
import { ChangeFeed, movesFigures, type ChangeOf } from '../changes';
import { Clock } from '../clock';
import { addDays, daysBetween, utcDay } from '../days';
import { asOfOrDefault, latestCompleteDay } from './as-of';
import { trendingEntry } from './entries';
import { familiesOf, narrow, type RankingFilters, type SnapshotFilters } from './narrowing';
import { StatsService } from '../stats';
import type { RankHistoryDto, TrendingRankingDto } from './dto/ranking.dto';
import { RankingsRepository, type SnapshotRow } from './rankings.repository';
import { TrendingComputation } from './trending-computation';
import { DEFAULT_TRENDING_PARAMS, TRENDING_ALGORITHM, trendingVersion, type TrendingParams } from './trending';

/** The longest rank history one request may ask for; missing days are computed, so this bounds the work. */
export const MAX_HISTORY_DAYS = 92;
/** Stale days one request recomputes; the others answer marked stale, and the refresher catches up. */
export const STALE_DAYS_PER_READ = 2;
/** Stale days the refresher recomputes in one go, oldest first. */
const STALE_DAYS_PER_REFRESH = 100;

interface DaySnapshot {
  rows: SnapshotRow[];
  stale: boolean;
}

/** The trending ranking as of any day, from daily snapshots (made when missing), and rank histories from them. */
@Injectable()
export class RankingsService {
  private readonly logger = new Logger('Rankings');
  readonly params: Readonly<TrendingParams>;
  readonly version: string;
  /** Landings touching the latest complete day this process heard of, and how many of them it has caught up with. */
  private landedOnLatest = 0;
  private settledOnLatest = 0;
  private catchingUp: Promise<void> | null = null;

  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly rankings: RankingsRepository,
    private readonly computation: TrendingComputation,
    private readonly models: ModelsService,
    private readonly catalog: CatalogQueries,
    private readonly statsService: StatsService,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
    config: ConfigService<AllConfig, true>,
  ) {
    const overrides = config.get('rankings', { infer: true }).trending;
    const unknown = Object.keys(overrides).filter((key) => !(key in DEFAULT_TRENDING_PARAMS));
    if (unknown.length > 0) {
      throw new InvalidSettingError('TRENDING_PARAMS', `unknown parameters ${unknown.join(', ')} (docs/trending.md)`);
    }
    this.params = Object.freeze({ ...DEFAULT_TRENDING_PARAMS, ...overrides });
    this.version = trendingVersion(this.params);
  }

  /** The latest complete UTC day. */
  private latestCompleteDay(): string {
    return latestCompleteDay(this.clock.now());
  }

  private asOfOrDefault(asOf: string | undefined, field = 'asOf'): string {
    return asOfOrDefault(asOf, this.clock.now(), field);
  }

  /**
   * The trending snapshots of some days. A stored, current snapshot is read;
   * a missing one is computed (and stored when its day is complete: today's
   * would change before midnight); a stale one is recomputed while the
   * request's budget of `STALE_DAYS_PER_READ` lasts, the first days asked
   * first, and answered as stored, marked stale, after that.
   */
  private async trendingSnapshots(days: string[]): Promise<Map<string, DaySnapshot>> {
    let budget = STALE_DAYS_PER_READ;
    const out = new Map<string, DaySnapshot>();
    for (const day of days) {
      const stored = await this.rankings.snapshot(TRENDING_ALGORITHM, this.version, day);
      if (stored && (!stored.stale || budget === 0)) {
        out.set(day, stored);
        continue;
      }
      if (stored) budget--;
      out.set(day, { rows: await this.computeDay(day), stale: false });
    }
    return out;
  }

  /** A day's trending rows from the data: stored when the day is complete, computed afresh for today. */
  private computeDay(day: string): Promise<SnapshotRow[]> {
    return day < utcDay(this.clock.now()) ? this.recompute(day) : this.computation.ranking(day, this.params);
  }

  /**
   * Computes and stores the trending snapshot of a complete day, telling the
   * change feed; for the latest complete day, the catalogue's trending rank
   * and score follow in the same transaction.
   */
  private async recompute(asOf: string): Promise<SnapshotRow[]> {
    const computedFrom = await this.rankings.databaseNow();
    const rows = await this.computation.ranking(asOf, this.params);
    await retryingTransaction(this.transactions, async () => {
      await this.rankings.saveSnapshot(TRENDING_ALGORITHM, this.version, asOf, rows, computedFrom);
      if (asOf === this.latestCompleteDay()) await this.statsService.setTrending(rows);
      await this.changes.publish({
        type: 'snapshot.computed',
        ranking: TRENDING_ALGORITHM,
        version: this.version,
        asOf,
      });
    });
    return rows;
  }

  /**
   * The daily job: (re)computes the snapshot of the latest complete day from
   * everything synced, and gives the catalogue its trending rank and score.
   */
  async snapshotLatest(): Promise<{ asOf: string; ranked: number }> {
    const asOf = this.latestCompleteDay();
    const rows = await this.recompute(asOf);
    this.logger.log(`trending ${this.version} as of ${asOf}: ${rows.length} models ranked`);
    return { asOf, ranked: rows.length };
  }

  /**
   * Readings or events landed for `fromDay` or later: every stored snapshot
   * from that day on is stale. That is all the write waits for; the snapshots
   * are recomputed on read (`ensureLatestCurrent`, and the stale-day budget of
   * `trendingSnapshots`) or by the worker's refresher.
   */
  // Errors reach the change channel, which tries again after an outage.
  @OnEvent('stats.landed', { suppressErrors: false })
  async onStatsLanded(change: ChangeOf<'stats.landed'>): Promise<void> {
    // Clicks on tracked links are never downloads: no ranking reads them.
    if (!movesFigures(change)) return;
    await retryingTransaction(this.transactions, () => this.rankings.markStale(change.fromDay));
    if (change.fromDay <= this.latestCompleteDay()) this.landedOnLatest++;
  }

  /**
   * Brings the latest complete day's snapshot, and the catalogue's trending
   * ranks and scores with it, up to date when data touching that day landed
   * since this process last looked. Reads that show trending ranks call this
   * first, so no write waits for a ranking and no read shows one the data has
   * passed. Reads at once share one recomputation; nothing landed, nothing done.
   */
  async ensureLatestCurrent(): Promise<void> {
    for (let round = 0; round < 2 && this.settledOnLatest < this.landedOnLatest; round++) {
      this.catchingUp ??= this.catchUpLatest().finally(() => {
        this.catchingUp = null;
      });
      await this.catchingUp;
    }
  }

  private async catchUpLatest(): Promise<void> {
    const heard = this.landedOnLatest;
    const latest = this.latestCompleteDay();
    // Another process (a reader, the refresher) may have caught up already.
    const stored = await this.rankings.snapshot(TRENDING_ALGORITHM, this.version, latest, { rows: false });
    if (!stored || stored.stale) await this.recompute(latest);
    this.settledOnLatest = Math.max(this.settledOnLatest, heard);
  }

  /** Recomputes stale snapshots of this version, oldest first; answers how many. */
  async refreshStale(): Promise<number> {
    let refreshed = 0;
    for (;;) {
      const days = await this.rankings.staleDays(TRENDING_ALGORITHM, this.version, STALE_DAYS_PER_REFRESH);
      if (days.length === 0) return refreshed;
      for (const day of days) await this.recompute(day);
      refreshed += days.length;
    }
  }

  async trending(query: { asOf?: string; limit: number } & RankingFilters): Promise<TrendingRankingDto> {
    const asOf = this.asOfOrDefault(query.asOf);
    await this.catalog.assertKnownFilters(query);
    await this.ensureLatestCurrent();
    const stored = query.collapseFamilies ? null : await this.storedTrending(asOf, query);
    if (stored) return stored;
    const [snapshots, models, families] = await Promise.all([
      this.trendingSnapshots([asOf, addDays(asOf, -1)]),
      this.catalog.rankable(),
      query.collapseFamilies ? this.families() : Promise.resolve(null),
    ]);
    const current = snapshots.get(asOf)!;
    const previous = snapshots.get(addDays(asOf, -1))!;
    const byId = new Map(models.map((m) => [m.id, m]));
    const keep = (rows: SnapshotRow[]) => narrow(rows, byId, query, families);
    const previousRanks = new Map(keep(previous.rows).map((r, i) => [r.modelId, i + 1]));
    const data = keep(current.rows)
      .slice(0, query.limit)
      .map((row, i) => trendingEntry(row, i + 1, previousRanks.get(row.modelId) ?? null, byId.get(row.modelId)!));
    return {
      ranking: TRENDING_ALGORITHM,
      asOf,
      algorithm: { name: TRENDING_ALGORITHM, version: this.version, params: { ...this.params } },
      stale: current.stale || previous.stale,
      demo: data.some((entry) => entry.demo),
      data,
    };
  }

  /**
   * The trending answer read from the stored, current snapshots of `asOf`
   * and the day before, filtered and cut to the page in PostgreSQL; null
   * when either day is missing or stale (the caller computes them) or a
   * model of the page went meanwhile.
   */
  private async storedTrending(
    asOf: string,
    query: { limit: number } & SnapshotFilters,
  ): Promise<TrendingRankingDto | null> {
    const previousDay = addDays(asOf, -1);
    const days = await Promise.all(
      [asOf, previousDay].map((day) => this.rankings.snapshot(TRENDING_ALGORITHM, this.version, day, { rows: false })),
    );
    if (days.some((day) => !day || day.stale)) return null;
    const page = await this.rankings.snapshotPage(
      TRENDING_ALGORITHM,
      this.version,
      asOf,
      previousDay,
      query,
      query.limit,
    );
    const byId = new Map((await this.catalog.rankable(page.map((r) => r.modelId))).map((m) => [m.id, m]));
    if (page.some((row) => !byId.has(row.modelId))) return null;
    const data = page.map((row, i) => trendingEntry(row, i + 1, row.previousRank, byId.get(row.modelId)!));
    return {
      ranking: TRENDING_ALGORITHM,
      asOf,
      algorithm: { name: TRENDING_ALGORITHM, version: this.version, params: { ...this.params } },
      stale: false,
      demo: data.some((entry) => entry.demo),
      data,
    };
  }

  private async families(): Promise<Map<string, string>> {
    return familiesOf(await this.catalog.familyLinks());
  }

  /**
   * A model's trending rank on each day of [from, to]: the stored points in
   * one query; days never computed (and today) computed, and stale days
   * recomputed while the budget of `STALE_DAYS_PER_READ` lasts, the latest
   * first, as the trending read does.
   */
  async rankHistory(slug: string, query: { from?: string; to?: string }): Promise<RankHistoryDto> {
    const model = await this.models.resolve(slug);
    const to = this.asOfOrDefault(query.to, 'to');
    const from = query.from ?? addDays(to, -29);
    if (from > to) throw new InvalidReferenceError('from', 'from must not be after to');
    if (daysBetween(from, to) >= MAX_HISTORY_DAYS) {
      throw new InvalidReferenceError('from', `a rank history spans at most ${MAX_HISTORY_DAYS} days`);
    }
    await this.ensureLatestCurrent();
    const stored = new Map(
      (await this.rankings.modelHistory(TRENDING_ALGORITHM, this.version, model.id, from, to)).map((p) => [p.asOf, p]),
    );
    const points = new Map<string, { rank: number | null; score: number | null; stale: boolean }>();
    let budget = STALE_DAYS_PER_READ;
    for (let day = to; day >= from; day = addDays(day, -1)) {
      const point = stored.get(day);
      if (point && (!point.stale || budget === 0)) {
        points.set(day, point);
        continue;
      }
      if (point) budget--;
      const row = (await this.computeDay(day)).find((r) => r.modelId === model.id);
      points.set(day, { rank: row?.rank ?? null, score: row?.score ?? null, stale: false });
    }
    const days: string[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
    return {
      model: model.slug,
      ranking: TRENDING_ALGORITHM,
      version: this.version,
      points: days.map((day) => {
        const { rank, score, stale } = points.get(day)!;
        return { date: day, rank, score, stale };
      }),
    };
  }
}
