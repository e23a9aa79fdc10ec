import { Injectable, Logger } from '@nestjs/common';
import { retryingTransaction, TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { CatalogQueries, InvalidReferenceError } from '../catalog';
import { Clock } from '../clock';
import { addDays } from '../days';
import { asOfOrDefault, latestCompleteDay } from './as-of';
import type { Leaderboard, LeaderboardDto, Period } from './dto/ranking.dto';
import { toRankedModel } from './entries';
import { BOARDS, boardOf, LEADERBOARD_VERSION, type Board, type BoardDay } from './leaderboard-sql';
import { familiesOf, oneOfEachFamily, type RankingFilters } from './narrowing';
import { RankingsRepository, type BoardFilters, type BoardRow } from './rankings.repository';

export type { Board } from './leaderboard-sql';

/** The `new` leaderboard lists the models released on one of this many UTC days ending with its `asOf`. */
export const NEW_RELEASE_WINDOW_DAYS = 30;

/** Stale board days the refresher recomputes in one go. */
const STALE_BOARDS_PER_REFRESH = 20;

/**
 * The leaderboards as of any day. Each board of the latest complete day and
 * the day before (what the default read and its `previousRank` need) is
 * stored ready to serve, computed in PostgreSQL on first read, by the daily
 * roll-up and again when it goes stale (the change feed marks it, as it
 * marks trending snapshots); other days are computed in the read's own
 * statement. Either way PostgreSQL filters and ranks, and only the page
 * comes back.
 */
@Injectable()
export class LeaderboardsService {
  private readonly logger = new Logger('Leaderboards');

  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly rankings: RankingsRepository,
    private readonly catalog: CatalogQueries,
    private readonly clock: Clock,
  ) {}

  private latestCompleteDay(): string {
    return latestCompleteDay(this.clock.now());
  }

  /** The first day whose boards are stored: the day before the latest complete one. */
  private keepFrom(): string {
    return addDays(this.latestCompleteDay(), -1);
  }

  async leaderboard(
    ranking: Leaderboard,
    query: { asOf?: string; period?: Period; limit: number } & RankingFilters,
  ): Promise<LeaderboardDto> {
    const asOf = asOfOrDefault(query.asOf, this.clock.now());
    const period: Period = ranking === 'new' ? '7d' : (query.period ?? (ranking === 'likes' ? 'all' : '30d'));
    if (ranking === 'new' && query.period !== undefined && query.period !== '7d') {
      throw new InvalidReferenceError('period', 'the new leaderboard ranks by downloads over 7 days; leave period out');
    }
    await this.catalog.assertKnownFilters(query);
    const board = boardOf(ranking === 'likes' ? 'likes' : 'downloads', period);
    const [current, previous] = await Promise.all([asOf, addDays(asOf, -1)].map((day) => this.boardDay(board, day)));
    const filters = { ...query, releaseWindowDays: ranking === 'new' ? NEW_RELEASE_WINDOW_DAYS : null };
    const rows = query.collapseFamilies
      ? await this.collapsed(board, current, previous, filters, query.limit)
      : await this.rankings.boardPage(board, current, previous, filters, query.limit);
    const byId = new Map((await this.catalog.rankable(rows.map((r) => r.modelId))).map((m) => [m.id, m]));
    // A model archived between the two statements is left out rather than shown.
    const data = rows
      .filter((row) => byId.has(row.modelId))
      .map((row, i) => {
        const model = byId.get(row.modelId)!;
        return {
          rank: i + 1,
          previousRank: row.previousRank,
          model: toRankedModel(model),
          value: row.value,
          demo: model.demo,
        };
      });
    return {
      ranking,
      period,
      asOf,
      releaseWindowDays: ranking === 'new' ? NEW_RELEASE_WINDOW_DAYS : null,
      demo: data.some((entry) => entry.demo),
      data,
    };
  }

  /** With `collapse=family`: every filtered row of both days, one per family, and the page of the first. */
  private async collapsed(
    board: Board,
    current: BoardDay,
    previous: BoardDay,
    filters: BoardFilters,
    limit: number,
  ): Promise<BoardRow[]> {
    const [families, now, before] = await Promise.all([
      this.catalog.familyLinks().then(familiesOf),
      this.rankings.boardPage(board, current, null, filters, null),
      this.rankings.boardPage(board, previous, null, filters, null),
    ]);
    const previousRanks = new Map(oneOfEachFamily(before, families).map((r, i) => [r.modelId, i + 1]));
    return oneOfEachFamily(now, families)
      .slice(0, limit)
      .map((row) => ({ ...row, previousRank: previousRanks.get(row.modelId) ?? null }));
  }

  /**
   * Where a read finds a board's day: a stored day is (re)computed first when
   * it is missing or stale; days outside the stored two are computed inline.
   */
  private async boardDay(board: Board, day: string): Promise<BoardDay> {
    if (day < this.keepFrom() || day > this.latestCompleteDay()) return { day, stored: false };
    const stored = await this.rankings.snapshot(board, LEADERBOARD_VERSION, day, { rows: false });
    if (!stored || stored.stale) await this.store(board, day);
    return { day, stored: true };
  }

  private async store(board: Board, day: string): Promise<void> {
    const computedFrom = await this.rankings.databaseNow();
    await retryingTransaction(this.transactions, () =>
      this.rankings.saveBoard(board, day, computedFrom, this.keepFrom()),
    );
  }

  /** The daily roll-up: stores every board of the latest complete day (or these). */
  async storeLatest(boards: readonly Board[] = BOARDS): Promise<void> {
    const day = this.latestCompleteDay();
    for (const board of boards) await this.store(board, day);
    this.logger.log(`leaderboards as of ${day} stored`);
  }

  /** Recomputes the stored board days gone stale; answers how many. */
  async refreshStale(): Promise<number> {
    let refreshed = 0;
    for (const board of BOARDS) {
      const days = await this.rankings.staleDays(board, LEADERBOARD_VERSION, STALE_BOARDS_PER_REFRESH);
      // A stale day before the stored two goes with the next store.
      const due = days.filter((day) => day >= this.keepFrom());
      for (const day of due) await this.store(board, day);
      refreshed += due.length;
    }
    return refreshed;
  }
}
