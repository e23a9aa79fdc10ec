import { Injectable } from '@nestjs/common';
import { retryingTransaction, TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { CatalogQueries } from '../catalog';
import { midnightAfter } from '../days';
import { StatsQueries } from '../stats';
import { historyStart, modelHistories } from './history';
import { RankingsRepository, type ScoredModel, type SnapshotRow } from './rankings.repository';
import { scoreTrending, trendingLookbackDays, type TrendingParams } from './trending';

/** A day's trending ranking, computed from what was known at its end, with nothing stored. */
@Injectable()
export class TrendingComputation {
  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly rankings: RankingsRepository,
    private readonly catalog: CatalogQueries,
    private readonly stats: StatsQueries,
  ) {}

  /**
   * Computes the trending ranking of a day with nothing stored: in the
   * database from the stored daily series (trending-sql.ts), and for the few
   * models whose series as known then is not the stored one cut at their last
   * reading, from their readings through the reference (trending.ts). Ranks
   * by score, ties by model id, as `rankTrending` does.
   */
  async ranking(asOf: string, params: Readonly<TrendingParams>): Promise<SnapshotRow[]> {
    const { scored: all, apart } = await retryingTransaction(this.transactions, () =>
      this.rankings.trendingScores(asOf, trendingLookbackDays(params), params),
    );
    if (apart.length > 0) all.push(...(await this.scoreFromReadings(asOf, new Set(apart), params)));
    return all
      .sort((a, b) => b.score - a.score || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
      .map((row, i) => ({
        modelId: row.modelId,
        rank: i + 1,
        score: row.score,
        components: { ...row.components },
        flags: row.flags,
      }));
  }

  /** The reference computation (trending.ts) for some models, from all their readings observed by the end of `asOf`. */
  private async scoreFromReadings(
    asOf: string,
    modelIds: ReadonlySet<string>,
    params: Readonly<TrendingParams>,
  ): Promise<ScoredModel[]> {
    const before = midnightAfter(asOf);
    const fromDay = historyStart(asOf, trendingLookbackDays(params));
    const [models, firstSeen, readings, events] = await Promise.all([
      this.catalog.rankable(),
      this.stats.firstSeen(before),
      this.stats.readingsOfModelsBefore([...modelIds], before),
      this.stats.eventDays(fromDay, asOf),
    ]);
    const chosen = models.filter((m) => modelIds.has(m.id));
    const histories = modelHistories({
      readings,
      events: events.filter((e) => modelIds.has(e.modelId)),
      bornAt: new Map(chosen.map((m) => [m.id, m.bornAt])),
      fromDay,
      asOf,
    });
    return chosen.flatMap((m) => {
      const seen = firstSeen.get(m.id);
      if (!seen) return [];
      const days = histories.get(m.id) ?? [];
      const scored = scoreTrending(
        { modelId: m.slug, releaseDate: m.releaseDate, firstSeenDate: seen, days },
        asOf,
        params,
      );
      if (!scored.eligible) return [];
      return [
        {
          modelId: m.id,
          slug: m.slug,
          score: scored.score,
          components: { ...scored.components },
          flags: [...scored.flags],
        },
      ];
    });
  }
}
