import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import type { TrendingParams } from './trending';
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

/** What a ranking read narrows to: live models with these fields (licences and organizations in any letter case). */
export interface SnapshotFilters {
  licenses?: string[];
  task?: string;
  organizations?: string[];
  minParams?: number;
  maxParams?: number;
}

/** A row of a stored snapshot as a filtered read shows it, with the model's rank in the day before, filtered alike. */
export interface PageRow {
  modelId: string;
  score: number;
  components: Record<string, number>;
  flags: string[];
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
    const where = ['m.archived_at IS NULL'];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filters.licenses) {
      where.push(`lower(m.license_id) = ANY(${param(filters.licenses.map((l) => l.toLowerCase()))}::text[])`);
    }
    if (filters.task) where.push(`${param(filters.task)}::text = ANY(m.tasks)`);
    if (filters.organizations) {
      where.push(`lower(m.organization_id) = ANY(${param(filters.organizations.map((o) => o.toLowerCase()))}::text[])`);
    }
    if (filters.minParams !== undefined) where.push(`m.parameters >= ${param(filters.minParams)}::numeric`);
    if (filters.maxParams !== undefined) where.push(`m.parameters <= ${param(filters.maxParams)}::numeric`);
    const rows: {
      model_id: string;
      score: number;
      components: Record<string, number>;
      flags: string[];
      previous_rank: string | null;
    }[] = await this.db.query(
      `WITH live AS MATERIALIZED (SELECT m.id FROM models m WHERE ${where.join(' AND ')}),
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
