import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';
import { addDays, windowEnding } from '../days';
import { MAX_DOWNLOADS, MAX_LIKES } from './counter-limits';
import { DEMO_SOURCE } from './ingest-items';

/** `model_stats`: the latest figures of each model, which the catalogue shows and sorts on. */
@Injectable()
export class ModelStatsRepository extends TransactionalRepository {
  /**
   * Recomputes the latest figures the catalogue shows, `today` being the UTC
   * day in progress. 7- and 30-day downloads sum the daily series of the
   * independent sources (never tracked-link clicks) over the complete days
   * ending yesterday, the window the leaderboards sum (`windowEnding`); the
   * day in progress never counts. All-time downloads, the rolling 30-day
   * counter, likes and stars are as each source last reported them (all-time:
   * our own count for event sources, today's too). A sum stops at what the
   * figure holds (counter-limits.ts) rather than overflow its column.
   *
   * The models' rows are made and locked first, in model order (the order
   * every writer of model_stats locks them in), and only then read from: a
   * concurrent batch that added other days of the same model has committed
   * by then, so the figures include its days and its refresh is not undone.
   */
  async refreshModelStats(modelIds: string[], today: string): Promise<void> {
    if (modelIds.length === 0) return;
    await this.db.query(
      `INSERT INTO model_stats (model_id) SELECT DISTINCT u.id FROM unnest($1::bigint[]) AS u(id) ORDER BY u.id
       ON CONFLICT (model_id) DO NOTHING`,
      [modelIds],
    );
    await this.db.query(
      'SELECT model_id FROM model_stats WHERE model_id = ANY($1::bigint[]) ORDER BY model_id FOR UPDATE',
      [modelIds],
    );
    const latestCompleteDay = addDays(today, -1);
    const week = windowEnding(latestCompleteDay, 7);
    const month = windowEnding(latestCompleteDay, 30);
    await this.db.query(
      `WITH ids AS (SELECT DISTINCT unnest($1::bigint[]) AS id),
       latest AS (
         SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.source, o.observed_at, o.likes, o.stars
           FROM observations o JOIN ids ON ids.id = o.model_id
          ORDER BY o.model_id, o.source, o.observed_at DESC),
       reported AS (
         -- The latest reading that carried each download counter: a later one without it does not blank it.
         SELECT l.*, a.downloads_all_time, h.downloads_30d
           FROM latest l
           LEFT JOIN LATERAL (
             SELECT o.downloads_all_time FROM observations o
              WHERE o.model_id = l.model_id AND o.source = l.source AND o.downloads_all_time IS NOT NULL
              ORDER BY o.observed_at DESC LIMIT 1) a ON true
           LEFT JOIN LATERAL (
             SELECT o.downloads_30d FROM observations o
              WHERE o.model_id = l.model_id AND o.source = l.source AND o.downloads_30d IS NOT NULL
              ORDER BY o.observed_at DESC LIMIT 1) h ON true),
       days AS (
         SELECT d.model_id, d.source,
                sum(d.downloads) FILTER (WHERE d.day BETWEEN $3::date AND $4::date) AS d30,
                sum(d.downloads) FILTER (WHERE d.day BETWEEN $5::date AND $6::date) AS d7,
                sum(d.downloads) AS total
           FROM daily_stats d JOIN ids ON ids.id = d.model_id
          WHERE d.source <> 'link' AND d.day <= $2::date
          GROUP BY d.model_id, d.source),
       per_source AS (
         SELECT COALESCE(r.model_id, s.model_id) AS model_id, COALESCE(r.source, s.source) AS source,
                CASE WHEN r.model_id IS NULL THEN s.total ELSE r.downloads_all_time END AS all_time,
                s.d30, s.d7, r.downloads_30d AS hub_d30, r.likes, r.stars, r.observed_at
           FROM reported r FULL JOIN days s ON s.model_id = r.model_id AND s.source = r.source),
       figures AS (
         -- Sums over many sources stop at what a figure holds ($7 downloads, $8 likes and stars), never
         -- overflow; a CASE, not least(), which would turn a sum of nothing (null) into the bound.
         SELECT ids.id AS model_id,
                CASE WHEN sum(p.all_time) > $7 THEN $7 ELSE sum(p.all_time) END AS all_time,
                CASE WHEN sum(p.d30) > $7 THEN $7 ELSE sum(p.d30) END AS d30,
                CASE WHEN sum(p.d7) > $7 THEN $7 ELSE sum(p.d7) END AS d7,
                CASE WHEN sum(p.hub_d30) > $7 THEN $7 ELSE sum(p.hub_d30) END AS hub_d30,
                CASE WHEN sum(p.likes) > $8 THEN $8 ELSE sum(p.likes) END AS likes,
                CASE WHEN sum(p.stars) > $8 THEN $8 ELSE sum(p.stars) END AS stars,
                max(p.observed_at) AS last_synced_at, COALESCE(bool_or(p.source = $9), false) AS demo
           FROM ids LEFT JOIN per_source p ON p.model_id = ids.id
          GROUP BY ids.id)
       INSERT INTO model_stats AS ms (model_id, downloads_all_time, downloads_30d, downloads_7d, hub_downloads_30d,
                                      likes, stars, last_synced_at, demo)
       SELECT model_id, all_time, d30, d7, hub_d30, likes, stars, last_synced_at, demo FROM figures ORDER BY model_id
       ON CONFLICT (model_id) DO UPDATE SET
         downloads_all_time = excluded.downloads_all_time, downloads_30d = excluded.downloads_30d,
         downloads_7d = excluded.downloads_7d, hub_downloads_30d = excluded.hub_downloads_30d,
         likes = excluded.likes, stars = excluded.stars,
         last_synced_at = excluded.last_synced_at, demo = excluded.demo, updated_at = now()`,
      [modelIds, today, month.from, month.to, week.from, week.to, MAX_DOWNLOADS, MAX_LIKES, DEMO_SOURCE],
    );
  }

  /**
   * Sets every model's trending rank and score from a ranking; models not in
   * it have none. The rows that change are locked in model order first, as
   * the ingestion's refreshModelStats locks them, so the two never deadlock.
   */
  async setTrending(ranked: { modelId: string; rank: number; score: number }[]): Promise<void> {
    await this.db.query(
      `INSERT INTO model_stats (model_id) SELECT u.id FROM unnest($1::bigint[]) AS u(id) ORDER BY u.id
       ON CONFLICT (model_id) DO NOTHING`,
      [ranked.map((r) => r.modelId)],
    );
    await this.db.query(
      `WITH changed AS MATERIALIZED (
         SELECT x.model_id, r.rank, r.score FROM model_stats x
           LEFT JOIN unnest($1::bigint[], $2::int[], $3::float8[]) AS r(model_id, rank, score) ON r.model_id = x.model_id
          WHERE x.trending_rank IS DISTINCT FROM r.rank OR x.trending_score IS DISTINCT FROM r.score
          ORDER BY x.model_id
            FOR UPDATE OF x)
       UPDATE model_stats ms SET trending_rank = c.rank, trending_score = c.score, updated_at = now()
         FROM changed c
        WHERE ms.model_id = c.model_id`,
      [ranked.map((r) => r.modelId), ranked.map((r) => r.rank), ranked.map((r) => r.score)],
    );
  }
}
