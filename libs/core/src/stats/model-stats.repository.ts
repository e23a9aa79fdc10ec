import { Injectable } from '@nestjs/common';
import { TransactionalRepository } from '@modelpulse/database';

/** `model_stats`: the latest figures of each model, which the catalogue shows and sorts on. */
@Injectable()
export class ModelStatsRepository extends TransactionalRepository {
  /**
   * Recomputes the latest figures the catalogue shows, as of `today`
   * (UTC date): all-time and 30-day downloads as the sources report them
   * (our own counts for event sources), 7-day downloads from the daily
   * series, likes and stars as last reported, and the rolling 30-day
   * counters as each source last reported one (null when none does).
   */
  async refreshModelStats(modelIds: string[], today: string): Promise<void> {
    if (modelIds.length === 0) return;
    await this.db.query(
      `WITH ids AS (SELECT DISTINCT unnest($1::bigint[]) AS id),
       latest AS (
         SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.source, o.observed_at,
                o.downloads_all_time, o.downloads_30d, o.likes, o.stars
           FROM observations o JOIN ids ON ids.id = o.model_id
          ORDER BY o.model_id, o.source, o.observed_at DESC),
       hub AS (
         SELECT DISTINCT ON (o.model_id, o.source) o.model_id, o.source, o.downloads_30d
           FROM observations o JOIN ids ON ids.id = o.model_id
          WHERE o.downloads_30d IS NOT NULL
          ORDER BY o.model_id, o.source, o.observed_at DESC),
       hub_totals AS (SELECT model_id, sum(downloads_30d) AS hub_d30 FROM hub GROUP BY model_id),
       days AS (
         SELECT d.model_id, d.source,
                sum(d.downloads) FILTER (WHERE d.day > $2::date - 30) AS d30,
                sum(d.downloads) FILTER (WHERE d.day > $2::date - 7) AS d7,
                sum(d.downloads) AS total
           FROM daily_stats d JOIN ids ON ids.id = d.model_id
          WHERE d.source <> 'link' AND d.day <= $2::date
          GROUP BY d.model_id, d.source),
       per_source AS (
         SELECT COALESCE(l.model_id, s.model_id) AS model_id,
                CASE WHEN l.model_id IS NULL THEN s.total ELSE l.downloads_all_time END AS all_time,
                CASE WHEN l.model_id IS NULL THEN s.d30 ELSE COALESCE(l.downloads_30d, s.d30) END AS d30,
                s.d7, l.likes, l.stars, l.observed_at
           FROM latest l FULL JOIN days s ON s.model_id = l.model_id AND s.source = l.source),
       figures AS (
         SELECT ids.id AS model_id, sum(p.all_time) AS all_time, sum(p.d30) AS d30, sum(p.d7) AS d7,
                min(h.hub_d30) AS hub_d30, sum(p.likes) AS likes, sum(p.stars) AS stars,
                max(p.observed_at) AS last_synced_at
           FROM ids LEFT JOIN per_source p ON p.model_id = ids.id LEFT JOIN hub_totals h ON h.model_id = ids.id
          GROUP BY ids.id)
       INSERT INTO model_stats AS ms (model_id, downloads_all_time, downloads_30d, downloads_7d, hub_downloads_30d,
                                      likes, stars, last_synced_at)
       SELECT model_id, all_time, d30, d7, hub_d30, likes, stars, last_synced_at FROM figures
       ON CONFLICT (model_id) DO UPDATE SET
         downloads_all_time = excluded.downloads_all_time, downloads_30d = excluded.downloads_30d,
         downloads_7d = excluded.downloads_7d, hub_downloads_30d = excluded.hub_downloads_30d,
         likes = excluded.likes, stars = excluded.stars,
         last_synced_at = excluded.last_synced_at, updated_at = now()`,
      [modelIds, today],
    );
  }

  /** Sets every model's trending rank and score from a ranking; models not in it have none. */
  async setTrending(ranked: { modelId: string; rank: number; score: number }[]): Promise<void> {
    await this.db.query(
      `INSERT INTO model_stats (model_id) SELECT unnest($1::bigint[]) ON CONFLICT (model_id) DO NOTHING`,
      [ranked.map((r) => r.modelId)],
    );
    await this.db.query(
      `UPDATE model_stats ms SET trending_rank = r.rank, trending_score = r.score, updated_at = now()
         FROM model_stats x
         LEFT JOIN unnest($1::bigint[], $2::int[], $3::float8[]) AS r(model_id, rank, score) ON r.model_id = x.model_id
        WHERE ms.model_id = x.model_id
          AND (ms.trending_rank IS DISTINCT FROM r.rank OR ms.trending_score IS DISTINCT FROM r.score)`,
      [ranked.map((r) => r.modelId), ranked.map((r) => r.rank), ranked.map((r) => r.score)],
    );
  }
}
