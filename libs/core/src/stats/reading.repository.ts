import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import { utcDay } from '../days';
import { cappedDownloads, cappedLikes } from './counter-limits';
import type { SeriesCheckpoint, SourceReading } from './daily-series';
import type { ObservationOrigin } from './entities/observation.entity';

export interface ObservationRow extends SourceReading {
  modelId: string;
  source: string;
  forks: number | null;
}

/** The readings of one model and source, in time order. */
export interface ModelReadings {
  modelId: string;
  source: string;
  readings: SourceReading[];
}

const num = (value: string | number | null): number | null => (value === null ? null : Number(value));

interface RawObservation {
  model_id: string;
  source: string;
  observed_at: Date;
  downloads_all_time: string | null;
  downloads_30d: string | null;
  likes: number | null;
  stars: number | null;
  forks: number | null;
}

const toObservation = (r: RawObservation): ObservationRow => ({
  modelId: r.model_id,
  source: r.source,
  observedAt: r.observed_at,
  downloadsAllTime: num(r.downloads_all_time),
  downloads30d: num(r.downloads_30d),
  likes: r.likes,
  stars: r.stars,
  forks: r.forks,
});

/** Rows in (model, source, observed_at) order, as one list of readings per model and source. */
function groupReadings(rows: RawObservation[]): ModelReadings[] {
  const out: ModelReadings[] = [];
  for (const row of rows) {
    let last = out.at(-1);
    if (!last || last.modelId !== row.model_id || last.source !== row.source) {
      last = { modelId: row.model_id, source: row.source, readings: [] };
      out.push(last);
    }
    const { modelId: _model, source: _source, forks: _forks, ...reading } = toObservation(row);
    last.readings.push(reading);
  }
  return out;
}

/**
 * `observations`: every counter reading, append-only, one per (model,
 * source, observedAt); and the reads the series and rankings are computed from.
 */
@Injectable()
export class ReadingRepository extends TransactionalRepository {
  /**
   * Serialises writers of the same model and source, so a recomputation
   * always sees every reading committed before it. Locks are taken in the
   * order of the lock numbers themselves (two keys may share one), so two
   * batches never deadlock.
   */
  async lockSeries(keys: { modelId: string; source: string }[]): Promise<void> {
    await this.db.query(
      `SELECT pg_advisory_xact_lock(s.lock)
         FROM (SELECT DISTINCT hashtext(u.k) AS lock FROM unnest($1::text[]) AS u(k) ORDER BY 1) s`,
      [keys.map((k) => `series:${k.modelId}:${k.source}`)],
    );
  }

  /** Stored readings with the same natural keys as these. */
  async findObservations(keys: { modelId: string; source: string; observedAt: Date }[]): Promise<ObservationRow[]> {
    if (keys.length === 0) return [];
    const rows: RawObservation[] = await this.db.query(
      `SELECT o.model_id, o.source, o.observed_at, o.downloads_all_time, o.downloads_30d, o.likes, o.stars, o.forks
         FROM observations o
         JOIN unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS k(model_id, source, observed_at)
           ON o.model_id = k.model_id AND o.source = k.source AND o.observed_at = k.observed_at`,
      [keys.map((k) => k.modelId), keys.map((k) => k.source), keys.map((k) => k.observedAt.toISOString())],
    );
    return rows.map(toObservation);
  }

  /**
   * Inserts readings; ones whose natural key is taken are left alone.
   * Answers, for each row, whether it went in.
   */
  async insertObservations(rows: ObservationRow[], origin: ObservationOrigin): Promise<boolean[]> {
    if (rows.length === 0) return [];
    const inserted: { model_id: string; source: string; observed_at: Date }[] = await this.db.query(
      `INSERT INTO observations (model_id, source, observed_at, downloads_all_time, downloads_30d, likes, stars, forks, origin)
       SELECT *, $9 FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[],
                                $6::int[], $7::int[], $8::int[])
       ON CONFLICT (model_id, source, observed_at) DO NOTHING
       RETURNING model_id, source, observed_at`,
      [
        rows.map((r) => r.modelId),
        rows.map((r) => r.source),
        rows.map((r) => r.observedAt.toISOString()),
        rows.map((r) => r.downloadsAllTime),
        rows.map((r) => r.downloads30d),
        rows.map((r) => r.likes),
        rows.map((r) => r.stars),
        rows.map((r) => r.forks),
        origin,
      ],
    );
    const key = (modelId: string, source: string, at: Date) => `${modelId}|${source}|${at.getTime()}`;
    const went = new Set(inserted.map((r) => key(r.model_id, r.source, r.observed_at)));
    return rows.map((r) => went.has(key(r.modelId, r.source, r.observedAt)));
  }

  /** The rolling 30-day downloads of each model's latest reading from `source` that carried one. */
  async latestDownloads30d(source: string, modelIds: string[]): Promise<Map<string, number>> {
    if (modelIds.length === 0) return new Map();
    const rows: { model_id: string; downloads_30d: string }[] = await this.db.query(
      `SELECT u.id AS model_id, o.downloads_30d
         FROM (SELECT DISTINCT unnest($1::bigint[]) AS id) u
         CROSS JOIN LATERAL (
           SELECT downloads_30d FROM observations
            WHERE model_id = u.id AND source = $2 AND downloads_30d IS NOT NULL
            ORDER BY observed_at DESC LIMIT 1) o`,
      [modelIds, source],
    );
    return new Map(rows.map((r) => [String(r.model_id), Number(r.downloads_30d)]));
  }

  /** The readings of each (model, source), all of them or those from its `since` on, in time order. */
  async readingsOf(keys: { modelId: string; source: string; since: Date | null }[]): Promise<ObservationRow[][]> {
    if (keys.length === 0) return [];
    const rows: (RawObservation & { n: string })[] = await this.db.query(
      `SELECT k.n, o.model_id, o.source, o.observed_at, o.downloads_all_time, o.downloads_30d, o.likes, o.stars, o.forks
         FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS k(model_id, source, since, n)
         JOIN observations o ON o.model_id = k.model_id AND o.source = k.source
                            AND (k.since IS NULL OR o.observed_at >= k.since)
        ORDER BY k.n, o.observed_at`,
      [keys.map((k) => k.modelId), keys.map((k) => k.source), keys.map((k) => k.since?.toISOString() ?? null)],
    );
    const out: ObservationRow[][] = keys.map(() => []);
    for (const row of rows) out[Number(row.n) - 1].push(toObservation(row));
    return out;
  }

  /**
   * Where each series stood at the end of the last day with a reading before
   * the day of `freshFrom`, or null when it must be recomputed from its first
   * reading: no earlier reading, a large drop before (its confirmation may
   * depend on later readings), or counters that did not come together.
   */
  async checkpoints(
    keys: { modelId: string; source: string; freshFrom: Date }[],
  ): Promise<(SeriesCheckpoint | null)[]> {
    if (keys.length === 0) return [];
    const rows: {
      observed_at: Date | null;
      downloads_all_time: string | null;
      likes: number | null;
      stars: number | null;
      mark: string | null;
      thirty_only: boolean | null;
      any_likes: boolean | null;
      any_stars: boolean | null;
      dirty: boolean;
    }[] = await this.db.query(
      `SELECT last.observed_at, last.downloads_all_time, last.likes, last.stars,
              agg.mark, agg.thirty_only, agg.any_likes, agg.any_stars,
              EXISTS (SELECT 1 FROM daily_stats d
                       WHERE d.model_id = k.model_id AND d.source = k.source AND d.day < k.cut::date
                         AND d.flags && ARRAY['held_back', 'reset']) AS dirty
         FROM (SELECT model_id, source, date_trunc('day', fresh_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS cut, n
                 FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS u(model_id, source, fresh_from, n)) k
         LEFT JOIN LATERAL (
           SELECT o.observed_at, o.downloads_all_time, o.likes, o.stars FROM observations o
            WHERE o.model_id = k.model_id AND o.source = k.source AND o.observed_at < k.cut
            ORDER BY o.observed_at DESC LIMIT 1) last ON true
         LEFT JOIN LATERAL (
           SELECT max(o.downloads_all_time) AS mark,
                  bool_or(o.downloads_all_time IS NULL AND o.downloads_30d IS NOT NULL) AS thirty_only,
                  bool_or(o.likes IS NOT NULL) AS any_likes, bool_or(o.stars IS NOT NULL) AS any_stars
             FROM observations o
            WHERE o.model_id = k.model_id AND o.source = k.source AND o.observed_at < k.cut) agg ON true
        ORDER BY k.n`,
      [keys.map((k) => k.modelId), keys.map((k) => k.source), keys.map((k) => k.freshFrom.toISOString())],
    );
    return rows.map((r) => {
      if (r.observed_at === null || r.dirty) return null;
      const downloadsTogether = r.mark === null ? !r.thirty_only : r.downloads_all_time !== null;
      const likesTogether = !r.any_likes || r.likes !== null;
      const starsTogether = !r.any_stars || r.stars !== null;
      if (!downloadsTogether || !likesTogether || !starsTogether) return null;
      return {
        day: utcDay(r.observed_at),
        baseline: {
          observedAt: r.observed_at,
          downloadsAllTime: num(r.mark),
          downloads30d: null,
          likes: r.likes,
          stars: r.stars,
        },
      };
    });
  }

  /** Every counter reading of these models observed before `before`, per model and source, in time order. */
  async readingsOfModelsBefore(modelIds: string[], before: Date): Promise<ModelReadings[]> {
    if (modelIds.length === 0) return [];
    const rows: RawObservation[] = await this.db.query(
      `SELECT o.model_id, o.source, o.observed_at, o.downloads_all_time, o.downloads_30d, o.likes, o.stars, o.forks
         FROM observations o
        WHERE o.model_id = ANY($1::bigint[]) AND o.observed_at < $2
        ORDER BY o.model_id, o.source, o.observed_at`,
      [modelIds, before.toISOString()],
    );
    return groupReadings(rows);
  }

  /** The UTC day of each model's first reading or event before `before`. */
  async firstSeen(before: Date): Promise<Map<string, string>> {
    const rows: { model_id: string; day: string }[] = await this.db.query(
      `SELECT model_id, min(day)::text AS day FROM (
         SELECT model_id, (min(observed_at) AT TIME ZONE 'UTC')::date AS day FROM observations
          WHERE observed_at < $1 GROUP BY model_id
         UNION ALL
         SELECT model_id, (min(occurred_at) AT TIME ZONE 'UTC')::date FROM download_events
          WHERE source = 'events' AND occurred_at < $1 GROUP BY model_id) firsts
       GROUP BY model_id`,
      [before.toISOString()],
    );
    return new Map(rows.map((r) => [r.model_id, r.day]));
  }

  /** The all-time download figure each source last reported by `before`, summed per model, plus our events to `toDay`. */
  async allTimeDownloads(before: Date, toDay: string): Promise<Map<string, number>> {
    const rows: { model_id: string; downloads: string }[] = await this.db.query(
      `SELECT model_id, sum(downloads) AS downloads FROM (
         (SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.downloads_all_time AS downloads
            FROM observations o
           WHERE o.observed_at < $1 AND o.downloads_all_time IS NOT NULL
           ORDER BY o.model_id, o.source, o.observed_at DESC)
         UNION ALL
         (SELECT d.model_id, sum(d.downloads) FROM daily_stats d
           WHERE d.source = 'events' AND d.day <= $2::date GROUP BY d.model_id)) figures
       GROUP BY model_id`,
      [before.toISOString(), toDay],
    );
    return new Map(rows.map((r) => [r.model_id, cappedDownloads(r.downloads)]));
  }

  /** Likes as last reported by `before`, summed over sources; of every model, or of `modelIds`. */
  async latestLikes(before: Date, modelIds?: string[]): Promise<Map<string, number>> {
    const rows: { model_id: string; likes: string }[] = await this.db.query(
      `SELECT model_id, sum(likes) AS likes FROM (
         SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.likes
           FROM observations o
          WHERE o.observed_at < $1 AND o.likes IS NOT NULL AND ($2::bigint[] IS NULL OR o.model_id = ANY($2::bigint[]))
          ORDER BY o.model_id, o.source, o.observed_at DESC) latest
       GROUP BY model_id`,
      [before.toISOString(), modelIds ?? null],
    );
    return new Map(rows.map((r) => [r.model_id, cappedLikes(r.likes)]));
  }

  /**
   * Deletes every reading of `source`, or only those of `modelIds`; answers
   * each model that had one, with the time of its first.
   */
  async deleteSource(
    source: string,
    modelIds: string[] | null,
  ): Promise<{ modelId: string; firstAt: Date; readings: number }[]> {
    const rows: { model_id: string; first_at: Date; readings: string }[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM observations o WHERE o.source = $1 AND ($2::bigint[] IS NULL OR o.model_id = ANY($2::bigint[]))
         RETURNING o.model_id, o.observed_at)
       SELECT model_id, min(observed_at) AS first_at, count(*) AS readings FROM gone GROUP BY model_id ORDER BY model_id`,
      [source, modelIds],
    );
    return rows.map((r) => ({ modelId: r.model_id, firstAt: r.first_at, readings: Number(r.readings) }));
  }

  /** Of these models (all when null), the ones with a reading or a counted download of another source than `source`. */
  async modelsWithOtherSources(source: string, modelIds: string[] | null): Promise<Set<string>> {
    const rows: { model_id: string }[] = await this.db.query(
      `SELECT DISTINCT model_id FROM observations
        WHERE source <> $1 AND ($2::bigint[] IS NULL OR model_id = ANY($2::bigint[]))
       UNION
       SELECT DISTINCT model_id FROM daily_stats
        WHERE source <> $1 AND source <> 'link' AND ($2::bigint[] IS NULL OR model_id = ANY($2::bigint[]))`,
      [source, modelIds],
    );
    return new Set(rows.map((r) => r.model_id));
  }
}
