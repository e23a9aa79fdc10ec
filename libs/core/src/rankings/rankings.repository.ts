import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import { liveModelsWhere, type SnapshotFilters } from './narrowing';
import type { TrendingParams } from './trending';
import {
  boardDaySql,
  LEADERBOARD_VERSION,
  rankedBoardSql,
  releasedWithin,
  type Board,
  type BoardDay,
} from './leaderboard-sql';
import { TRENDING_PREFIX_DIFFERS_SQL, TRENDING_SCORES_SQL, trendingSqlParams } from './trending-sql';

export interface SnapshotRow {
  modelId: string;
  rank: number;
  score: number;
  components: Record<string, number>;
  flags: string[];
}

/** A live model's trending score as of a day, not yet ranked. */
export interface ScoredModel {
  modelId: string;
  /** `org/name`: breaks ties. */
  slug: string;
  score: number;
  components: { volume: number; growth: number; engagement: number };
  flags: string[];
}

/** A stored snapshot, and whether data touching its day landed after it was computed. */
export interface StoredSnapshot {
  rows: SnapshotRow[];
  stale: boolean;
}

/** A model's place in one stored snapshot (rank and score null: it did not rank that day). */
export interface StoredPoint {
  asOf: string;
  stale: boolean;
  rank: number | null;
  score: number | null;
}

/** A row of a stored snapshot as a filtered read shows it, with the model's rank in the day before, filtered alike. */
export interface PageRow {
  modelId: string;
  score: number;
  components: Record<string, number>;
  flags: string[];
  previousRank: number | null;
}

/** What a leaderboard read narrows to: the ranking filters, and for `new` the release window. */
export type BoardFilters = SnapshotFilters & { releaseWindowDays: number | null };

/** A leaderboard's row as a filtered read shows it (`previousRank` filtered alike; null when not asked for). */
export interface BoardRow {
  modelId: string;
  value: number;
  previousRank: number | null;
}

/** `ranking_snapshots` and `ranking_snapshot_days`: each ranking's stored answer for a day. */
@Injectable()
export class RankingsRepository extends TransactionalRepository {
  /**
   * The database's clock, as its own text (to the microsecond, which a Date
   * would cut to the millisecond): staleness marks and computations are
   * ordered by it, never by a process's clock.
   */
  async databaseNow(): Promise<string> {
    const [row]: { now: string }[] = await this.db.query('SELECT clock_timestamp()::text AS now');
    return row.now;
  }

  /**
   * Every eligible live model's trending score as of the end of `asOf`,
   * computed in the database from the stored daily series (trending-sql.ts),
   * and the models it cannot score (`apart`: their series as known then is
   * not the stored one cut at their last reading); the stats tables are read
   * here, never written. Run it in a transaction: the statement's settings
   * are local to it.
   */
  async trendingScores(
    asOf: string,
    lookbackDays: number,
    params: Readonly<TrendingParams>,
  ): Promise<{ scored: ScoredModel[]; apart: string[] }> {
    // JIT would compile this statement for longer than it runs (seconds, planned from estimated costs).
    await this.db.query("SELECT set_config('jit', 'off', true)");
    const rows: {
      model_id: string;
      slug: string;
      score: number;
      volume: number;
      growth: number;
      engagement: number;
      apart: boolean;
      flags: string[];
    }[] = await this.db.query(TRENDING_SCORES_SQL, [asOf, lookbackDays, ...trendingSqlParams(params)]);
    return {
      scored: rows
        .filter((r) => !r.apart)
        .map((r) => ({
          modelId: r.model_id,
          slug: r.slug,
          // `|| 0`: a component rounded to zero from below is 0, not -0, as in trending.ts.
          score: r.score || 0,
          components: { volume: r.volume || 0, growth: r.growth || 0, engagement: r.engagement || 0 },
          flags: r.flags,
        })),
      apart: rows.filter((r) => r.apart).map((r) => r.model_id),
    };
  }

  /**
   * Models whose series as known at the end of `asOf` is not their stored
   * series cut at the last reading by then (a large drop confirmed later, a
   * 30-day counter replaced later): `trendingScores` cannot score them.
   */
  async modelsScoredFromReadings(asOf: string, lookbackDays: number): Promise<string[]> {
    const rows: { model_id: string }[] = await this.db.query(TRENDING_PREFIX_DIFFERS_SQL, [asOf, lookbackDays]);
    return rows.map((r) => r.model_id);
  }

  /**
   * Replaces the snapshot of a day (a recomputation after late readings
   * replaces, never mixes), in the caller's transaction, one writer a day at a
   * time. The day is fresh again unless it was marked stale after
   * `computedFrom`, the moment the computation began reading: data that landed
   * meanwhile may be missing from these rows.
   */
  async saveSnapshot(
    ranking: string,
    version: string,
    asOf: string,
    rows: SnapshotRow[],
    computedFrom: string,
  ): Promise<void> {
    await this.replaceDay(ranking, version, asOf, computedFrom);
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO ranking_snapshots (ranking, version, as_of, model_id, rank, score, components, flags)
         SELECT $1, $2, $3, r.model_id, r.rank, r.score, r.components, ARRAY(SELECT jsonb_array_elements_text(r.flags))
           FROM unnest($4::bigint[], $5::int[], $6::float8[], $7::jsonb[], $8::jsonb[])
             AS r(model_id, rank, score, components, flags)`,
      [
        ranking,
        version,
        asOf,
        rows.map((r) => r.modelId),
        rows.map((r) => r.rank),
        rows.map((r) => r.score),
        rows.map((r) => JSON.stringify(r.components)),
        rows.map((r) => JSON.stringify(r.flags)),
      ],
    );
  }

  /**
   * Replaces a leaderboard's stored day with its rows computed in the
   * database from the stats tables (leaderboard-sql.ts), in the caller's
   * transaction, as `saveSnapshot` does, after dropping the board's stored
   * days before `keepFrom`.
   */
  async saveBoard(board: Board, asOf: string, computedFrom: string, keepFrom: string): Promise<void> {
    // The older days first: rows of ranking_snapshot_days are taken in key order, as markStale takes them.
    for (const table of ['ranking_snapshot_days', 'ranking_snapshots']) {
      await this.db.query(`DELETE FROM ${table} WHERE ranking = $1 AND version = $2 AND as_of < $3::date`, [
        board,
        LEADERBOARD_VERSION,
        keepFrom,
      ]);
    }
    await this.replaceDay(board, LEADERBOARD_VERSION, asOf, computedFrom);
    // As for trending: JIT would compile the all-time boards' statements for longer than they run.
    await this.db.query("SELECT set_config('jit', 'off', true)");
    await this.db.query(
      `INSERT INTO ranking_snapshots (ranking, version, as_of, model_id, rank, score, components)
         SELECT $1, $2, $3::date, r.model_id, r.rank, r.value, '{}'::jsonb FROM (${rankedBoardSql(board, '$3')}) r`,
      [board, LEADERBOARD_VERSION, asOf],
    );
  }

  /** Takes a day of a ranking for this transaction and empties it, marked computed from `computedFrom` on. */
  private async replaceDay(ranking: string, version: string, asOf: string, computedFrom: string): Promise<void> {
    await this.db.query("SELECT pg_advisory_xact_lock(hashtext('snapshot:' || $1 || ':' || $2 || ':' || $3))", [
      ranking,
      version,
      asOf,
    ]);
    await this.db.query('DELETE FROM ranking_snapshots WHERE ranking = $1 AND version = $2 AND as_of = $3', [
      ranking,
      version,
      asOf,
    ]);
    await this.db.query(
      `INSERT INTO ranking_snapshot_days (ranking, version, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (ranking, version, as_of) DO UPDATE SET computed_at = now(),
         stale_since = CASE WHEN ranking_snapshot_days.stale_since > $4::timestamptz THEN ranking_snapshot_days.stale_since END`,
      [ranking, version, asOf, computedFrom],
    );
  }

  /**
   * Marks every stored snapshot of `fromDay` or later stale, whatever its
   * ranking and version: readings or events touching that day landed.
   */
  async markStale(fromDay: string): Promise<void> {
    // Rows locked in key order, so two batches landing at once wait for each other instead of deadlocking.
    await this.db.query(
      `WITH fresh AS MATERIALIZED (
         SELECT ranking, version, as_of FROM ranking_snapshot_days
          WHERE as_of >= $1 AND stale_since IS NULL
          ORDER BY ranking, version, as_of
            FOR UPDATE)
       UPDATE ranking_snapshot_days d SET stale_since = clock_timestamp()
         FROM fresh f
        WHERE (d.ranking, d.version, d.as_of) = (f.ranking, f.version, f.as_of)`,
      [fromDay],
    );
  }

  /** Stale days of a ranking version, oldest first. */
  async staleDays(ranking: string, version: string, limit: number): Promise<string[]> {
    const rows: { as_of: string }[] = await this.db.query(
      `SELECT as_of::text AS as_of FROM ranking_snapshot_days
        WHERE ranking = $1 AND version = $2 AND stale_since IS NOT NULL ORDER BY as_of LIMIT $3`,
      [ranking, version, limit],
    );
    return rows.map((r) => r.as_of);
  }

  /**
   * The first `limit` rows of a stored snapshot among the live models that
   * pass `filters`, in rank order, each with its rank among the same models
   * in the stored snapshot of `previousDay` (null: not there). PostgreSQL
   * filters and ranks; only the page comes back.
   */
  async snapshotPage(
    ranking: string,
    version: string,
    asOf: string,
    previousDay: string,
    filters: SnapshotFilters,
    limit: number,
  ): Promise<PageRow[]> {
    const params: unknown[] = [ranking, version, asOf, previousDay, limit];
    const where = liveModelsWhere(filters, (value) => `$${params.push(value)}`);
    const rows: {
      model_id: string;
      score: number;
      components: Record<string, number>;
      flags: string[];
      previous_rank: string | null;
    }[] = await this.db.query(
      `WITH live AS MATERIALIZED (SELECT m.id FROM models m WHERE ${where}),
       page AS (
         SELECT s.model_id, s.rank, s.score, s.components, s.flags
           FROM ranking_snapshots s JOIN live ON live.id = s.model_id
          WHERE s.ranking = $1 AND s.version = $2 AND s.as_of = $3
          ORDER BY s.rank LIMIT $5),
       previous AS (
         SELECT s.model_id, row_number() OVER (ORDER BY s.rank) AS rank
           FROM ranking_snapshots s JOIN live ON live.id = s.model_id
          WHERE s.ranking = $1 AND s.version = $2 AND s.as_of = $4)
       SELECT page.model_id, page.score, page.components, page.flags, previous.rank AS previous_rank
         FROM page LEFT JOIN previous ON previous.model_id = page.model_id
        ORDER BY page.rank`,
      params,
    );
    return rows.map((r) => ({
      modelId: r.model_id,
      score: r.score,
      components: r.components,
      flags: r.flags,
      previousRank: r.previous_rank === null ? null : Number(r.previous_rank),
    }));
  }

  /**
   * A leaderboard among the live models that pass `filters` (and, with
   * `releaseWindowDays`, were released in that many days up to each day):
   * the first `limit` rows of `current` in rank order, each with its rank
   * among the same models in `previous`. With `limit` null, every such row
   * of `current`, without previous ranks (the caller narrows further).
   */
  async boardPage(
    board: Board,
    current: BoardDay,
    previous: BoardDay | null,
    filters: BoardFilters,
    limit: number | null,
  ): Promise<BoardRow[]> {
    const params: unknown[] = [];
    const ref = (value: unknown) => `$${params.push(value)}`;
    const live = `SELECT m.id, m.release_date FROM models m WHERE ${liveModelsWhere(filters, ref)}`;
    const released = (at: BoardDay) =>
      filters.releaseWindowDays === null ? 'true' : releasedWithin(filters.releaseWindowDays, ref(at.day));
    const page = `SELECT c.model_id, c.rank, c.value FROM (${boardDaySql(board, current, ref)}) c
                    JOIN live ON live.id = c.model_id WHERE ${released(current)}
                   ORDER BY c.rank ${limit === null ? '' : `LIMIT ${ref(limit)}`}`;
    const ranked = previous
      ? `SELECT p.model_id, row_number() OVER (ORDER BY p.rank) AS rank FROM (${boardDaySql(board, previous, ref)}) p
           JOIN live ON live.id = p.model_id WHERE ${released(previous)}`
      : 'SELECT NULL::bigint AS model_id, NULL::bigint AS rank WHERE false';
    const rows: { model_id: string; value: number; previous_rank: string | null }[] = await this.db.query(
      `WITH live AS MATERIALIZED (${live}), page AS (${page}), previous AS (${ranked})
       SELECT page.model_id, page.value, previous.rank AS previous_rank
         FROM page LEFT JOIN previous ON previous.model_id = page.model_id
        ORDER BY page.rank`,
      params,
    );
    return rows.map((r) => ({
      modelId: r.model_id,
      value: r.value,
      previousRank: r.previous_rank === null ? null : Number(r.previous_rank),
    }));
  }

  /**
   * One model's stored trending points on the days of [from, to] that have
   * a snapshot, in one query (ranking_snapshots_model_idx): its rank and
   * score, null on a day it did not rank, and whether the day is stale.
   * Days never computed are absent.
   */
  async modelHistory(
    ranking: string,
    version: string,
    modelId: string,
    from: string,
    to: string,
  ): Promise<StoredPoint[]> {
    const rows: { as_of: string; stale: boolean; rank: number | null; score: number | null }[] = await this.db.query(
      `SELECT d.as_of::text AS as_of, d.stale_since IS NOT NULL AS stale, s.rank, s.score
         FROM ranking_snapshot_days d
         LEFT JOIN ranking_snapshots s
           ON (s.ranking, s.version, s.as_of, s.model_id) = (d.ranking, d.version, d.as_of, $3::bigint)
        WHERE d.ranking = $1 AND d.version = $2 AND d.as_of BETWEEN $4::date AND $5::date
        ORDER BY d.as_of`,
      [ranking, version, modelId, from, to],
    );
    return rows.map((r) => ({ asOf: r.as_of, stale: r.stale, rank: r.rank, score: r.score }));
  }

  /**
   * A stored snapshot in rank order (archived models' rows too), or null when
   * that day was never computed; with `rows: false`, only whether it is stale.
   */
  async snapshot(
    ranking: string,
    version: string,
    asOf: string,
    read: { rows: boolean } = { rows: true },
  ): Promise<StoredSnapshot | null> {
    const [day]: { stale: boolean }[] = await this.db.query(
      `SELECT stale_since IS NOT NULL AS stale FROM ranking_snapshot_days
        WHERE ranking = $1 AND version = $2 AND as_of = $3`,
      [ranking, version, asOf],
    );
    if (!day) return null;
    if (!read.rows) return { stale: day.stale, rows: [] };
    const rows: {
      model_id: string;
      rank: number;
      score: number;
      components: Record<string, number>;
      flags: string[];
    }[] = await this.db.query(
      `SELECT s.model_id, s.rank, s.score, s.components, s.flags
         FROM ranking_snapshots s
        WHERE s.ranking = $1 AND s.version = $2 AND s.as_of = $3
        ORDER BY s.rank`,
      [ranking, version, asOf],
    );
    return {
      stale: day.stale,
      rows: rows.map((r) => ({
        modelId: r.model_id,
        rank: r.rank,
        score: r.score,
        components: r.components,
        flags: r.flags,
      })),
    };
  }
}
