/**
 * Trending v1 computed set-based, in PostgreSQL, from the stored daily
 * series: the same formula as `scoreTrending` (trending.ts), which stays the
 * reference; `test/e2e/trending-sql.e2e-spec.ts` holds them to the same ranks, scores
 * and components over generated data.
 *
 * What the database holds is each source's series from all its readings
 * (`daily_stats`). The ranking of `asOf` needs each series as known at the end
 * of `asOf`: that is the stored series up to the day of the source's last
 * reading observed by then (`last_day`), because an increment only ever
 * touches the days between two readings; days after it are unknown yet,
 * whatever later readings spread over them. Two things break that: a large
 * drop confirmed by readings after `asOf` (a `reset` that was still
 * `held_back` then), and a young model's 30-day counter replaced by an
 * all-time counter that came later. `TRENDING_PREFIX_DIFFERS_SQL` names the
 * models concerned (the scoring statement lists them too, from the same pass
 * over the window); they are scored from their readings by the reference.
 */
import type { TrendingParams } from './trending';

/**
 * A sum over sources held to the largest download figure (counter-limits.ts), as the JS does;
 * null stays null (LEAST alone would turn it into the bound).
 */
const capped = (sum: string) => `CASE WHEN ${sum} IS NULL THEN NULL ELSE LEAST(${sum}, 9007199254740991)::float8 END`;

/**
 * The window of `asOf` ($1, a date) over `lookbackDays` ($2): its last and
 * first days and the moment it ends. Written out in each query rather than
 * read from a CTE, so the planner sees the dates and estimates the window's
 * rows from the statistics.
 */
const AS_OF = '$1::date';
const FROM_DAY = '($1::date - ($2::int - 1))';
const BEFORE = "(($1::date + 1)::timestamp AT TIME ZONE 'UTC')";
/**
 * Before this day (the window's first, or the first on which a model could
 * still be new: `$21` is newWithinDays) which day a model was first seen
 * changes nothing: every day of the window is after it, and it is not new.
 */
const HORIZON = `LEAST(${FROM_DAY}, $1::date - ($21::int - 1))`;

const WINDOW_CTES = `
  -- Every series with a stored day in the window, our events included, found in one pass over the window.
  windowed AS MATERIALIZED (
    SELECT DISTINCT d.model_id, d.source FROM daily_stats d
     WHERE d.day BETWEEN ${FROM_DAY} AND ${AS_OF} AND d.source <> 'link'
  ),
  -- The counter series, and the last day their readings by the end of asOf describe; materialised, so the
  -- last reading is looked up once a series, not once a day.
  series AS MATERIALIZED (
    SELECT s.model_id, s.source, (last.observed_at AT TIME ZONE 'UTC')::date AS last_day
      FROM windowed s
      CROSS JOIN LATERAL (
        SELECT o.observed_at FROM observations o
         WHERE o.model_id = s.model_id AND o.source = s.source AND o.observed_at < ${BEFORE}
         ORDER BY o.observed_at DESC LIMIT 1) last
     WHERE s.source NOT IN ('events', 'link')
  )`;

/** The counter series whose stored series cut at the last reading is not the series as known then (needs `series`). */
const PREFIX_DIFFERS = `
SELECT DISTINCT s.model_id FROM series s
  -- A drop on a day on or after the second-to-last reading has at most one reading after it by then.
  LEFT JOIN LATERAL (
    SELECT (o.observed_at AT TIME ZONE 'UTC')::date AS day FROM observations o
     WHERE o.model_id = s.model_id AND o.source = s.source AND o.observed_at < ${BEFORE}
     ORDER BY o.observed_at DESC OFFSET 1 LIMIT 1) second_last ON true
 WHERE s.last_day >= ${FROM_DAY} AND (
   EXISTS (
     SELECT 1 FROM daily_stats d
      WHERE d.model_id = s.model_id AND d.source = s.source AND 'reset' = ANY(d.flags)
        AND d.day BETWEEN coalesce(second_last.day, '-infinity'::date) AND s.last_day)
   OR (NOT EXISTS (SELECT 1 FROM observations o
                    WHERE o.model_id = s.model_id AND o.source = s.source
                      AND o.observed_at < ${BEFORE} AND o.downloads_all_time IS NOT NULL)
       AND EXISTS (SELECT 1 FROM observations o
                    WHERE o.model_id = s.model_id AND o.source = s.source AND o.downloads_all_time IS NOT NULL)))`;

/**
 * Models (live or not) whose series as of the end of asOf is not the stored
 * series cut at its last reading: `$1` asOf, `$2` lookback days. The scoring
 * statement lists the same models (its `apart` rows).
 */
export const TRENDING_PREFIX_DIFFERS_SQL = `
WITH ${WINDOW_CTES}
${PREFIX_DIFFERS}`;

/** The parameters in the order the scoring query numbers them, from $3 on. */
export function trendingSqlParams(params: Readonly<TrendingParams>): number[] {
  return [
    params.recentWindowDays, // $3
    params.shortWindowDays, // $4
    params.shortHalfLifeDays, // $5
    params.baselineGapDays, // $6
    params.baselineWindowDays, // $7
    params.baselineHalfLifeDays, // $8
    params.growthSmoothingPerDay, // $9
    params.growthMin, // $10
    params.growthMax, // $11
    params.starWeight, // $12
    params.surgeMinGrowth, // $13
    params.surgeMinEngagement, // $14
    params.surgeGrowthFactor, // $15
    params.volumeWeight, // $16
    params.growthWeight, // $17
    params.engagementWeight, // $18
    params.minDownloads7d, // $19
    params.minLikesPlusStars7d, // $20
    params.newWithinDays, // $21
  ];
}

/**
 * Every eligible live model's trending score as of the end of `$1`, with its
 * components and flags, unranked: `$2` lookback days, `$3`… the parameters
 * (`trendingSqlParams`). Each step is the reference's (trending.ts): the day
 * rules of `dayKnowledge`, the sums scaled from known days, the weighted
 * means, the clip and surge cut, rounding half up to 4 decimals and the
 * score from the rounded components. The models the reference must score
 * instead (`TRENDING_PREFIX_DIFFERS_SQL`) come as rows with `apart` true and
 * nothing else; they have no scored row.
 *
 * What keeps it near one pass over the window (decision 0031): the series are
 * found once for both answers; a day is summed over sources only for models
 * with several series; first-seen days and the days absent before a release
 * are looked up in the indexes, not in every reading and every stored day.
 */
export const TRENDING_SCORES_SQL = `
WITH ${WINDOW_CTES},
  event_days AS (
    SELECT d.model_id, d.day, d.downloads FROM windowed x
      JOIN daily_stats d ON d.model_id = x.model_id AND d.source = x.source
     WHERE x.source = 'events' AND d.day BETWEEN ${FROM_DAY} AND ${AS_OF}
  ),
  event_first AS (SELECT model_id, min(day) AS first FROM event_days GROUP BY model_id),
  -- Models with several series in the window: only their days are summed over sources.
  several AS (SELECT model_id FROM windowed GROUP BY model_id HAVING count(*) > 1),
  -- Each day some source knows; event days run from the first one in the window to asOf.
  parts AS NOT MATERIALIZED (
    SELECT d.model_id, d.day, d.downloads, d.likes::bigint AS likes, d.stars::bigint AS stars,
           'downloads' = ANY(d.imputed) AS imputed, cardinality(d.flags) > 0 AS flagged
      FROM series s
      JOIN daily_stats d ON d.model_id = s.model_id AND d.source = s.source
     WHERE d.day BETWEEN ${FROM_DAY} AND s.last_day
    UNION ALL
    SELECT f.model_id, g.day::date, coalesce(e.downloads, 0), NULL, NULL, false, false
      FROM event_first f
      CROSS JOIN LATERAL generate_series(f.first::timestamp, ${AS_OF}::timestamp, interval '1 day') g(day)
      LEFT JOIN event_days e ON e.model_id = f.model_id AND e.day = g.day::date
  ),
  stored AS NOT MATERIALIZED (
    SELECT p.model_id, p.day,
           ${capped('p.downloads')} AS downloads, ${capped('p.likes')} AS likes, ${capped('p.stars')} AS stars,
           p.imputed, p.flagged
      FROM parts p
     WHERE p.model_id NOT IN (SELECT model_id FROM several)
    UNION ALL
    SELECT p.model_id, p.day,
           ${capped('sum(p.downloads)')}, ${capped('sum(p.likes)')}, ${capped('sum(p.stars)')},
           bool_or(p.imputed), bool_or(p.flagged)
      FROM parts p
     WHERE p.model_id IN (SELECT model_id FROM several)
     GROUP BY p.model_id, p.day
  ),
  -- The models with a stored day in the window, with their counter series and first event day.
  stored_models AS (
    SELECT coalesce(c.model_id, f.model_id) AS model_id, c.sources, c.last_days, f.first AS first_event
      FROM (SELECT s.model_id, array_agg(s.source) AS sources, array_agg(s.last_day) AS last_days
              FROM series s
             WHERE EXISTS (SELECT 1 FROM daily_stats d
                            WHERE d.model_id = s.model_id AND d.source = s.source
                              AND d.day BETWEEN ${FROM_DAY} AND s.last_day)
             GROUP BY s.model_id) c
      FULL JOIN event_first f ON f.model_id = c.model_id
  ),
  -- Each model's first reading or event by the end of asOf, looked up in the indexes; before the horizon,
  -- the horizon's eve stands for it.
  ranked_models AS MATERIALIZED (
    SELECT m.id AS model_id, m.slug, m.release_date, fs.first_seen, x.sources, x.last_days, x.first_event
      FROM stored_models x
      JOIN models m ON m.id = x.model_id
      CROSS JOIN LATERAL (SELECT CASE
        WHEN EXISTS (SELECT 1 FROM observations o
                      WHERE o.model_id = m.id AND o.observed_at < (${HORIZON}::timestamp AT TIME ZONE 'UTC'))
          THEN ${HORIZON} - 1
        ELSE LEAST(
          (SELECT (min(o.observed_at) AT TIME ZONE 'UTC')::date FROM observations o
            WHERE o.model_id = m.id AND o.observed_at < ${BEFORE}),
          (SELECT (min(e.occurred_at) AT TIME ZONE 'UTC')::date FROM download_events e
            WHERE e.model_id = m.id AND e.source = 'events' AND e.occurred_at < ${BEFORE}))
        END AS first_seen) fs
     WHERE m.archived_at IS NULL AND fs.first_seen IS NOT NULL
  ),
  -- Scored by the reference instead (TRENDING_PREFIX_DIFFERS_SQL), found from the same series.
  apart AS MATERIALIZED (${PREFIX_DIFFERS}),
  -- The days that are not unknown, by offset a (days before asOf): dayKnowledge.
  known AS (
    SELECT k.model_id, k.a, k.downloads, k.likes, k.stars, k.imputed FROM (
      SELECT m.model_id, (${AS_OF} - s.day) AS a,
             CASE WHEN s.day <= m.first_seen THEN 0::float8 WHEN b.before_release THEN coalesce(s.downloads, 0) ELSE s.downloads END AS downloads,
             CASE WHEN s.day <= m.first_seen THEN 0::float8 WHEN b.before_release THEN coalesce(s.likes, 0) ELSE s.likes END AS likes,
             CASE WHEN s.day <= m.first_seen THEN 0::float8 WHEN b.before_release THEN coalesce(s.stars, 0) ELSE s.stars END AS stars,
             CASE WHEN s.day <= m.first_seen THEN false ELSE s.imputed END AS imputed
        FROM ranked_models m
        JOIN stored s ON s.model_id = m.model_id
        CROSS JOIN LATERAL (SELECT m.release_date IS NOT NULL AND s.day < m.release_date AS before_release) b
       WHERE CASE WHEN s.day <= m.first_seen THEN b.before_release AND coalesce(s.downloads, 0) = 0
                  ELSE NOT coalesce(s.downloads = 0 AND s.flagged, false) END
      UNION ALL
      -- Absent days before the release: nobody could download it.
      SELECT m.model_id, (${AS_OF} - g.day::date), 0, 0, 0, false
        FROM ranked_models m
        CROSS JOIN LATERAL generate_series(${FROM_DAY}::timestamp, LEAST(m.release_date - 1, ${AS_OF})::timestamp, interval '1 day') g(day)
       WHERE m.release_date > ${FROM_DAY}
         AND NOT coalesce(m.first_event <= g.day::date, false)
         AND NOT EXISTS (SELECT 1 FROM unnest(m.sources, m.last_days) AS x(source, last_day)
                          JOIN daily_stats d ON (d.model_id, d.source, d.day) = (m.model_id, x.source, g.day::date)
                         WHERE d.day <= x.last_day)
    ) k
    WHERE k.downloads IS NOT NULL OR k.likes IS NOT NULL OR k.stars IS NOT NULL
  ),
  agg AS (
    SELECT model_id,
           count(*) FILTER (WHERE a < $3::int) AS known_recent,
           coalesce(bool_or(imputed) FILTER (WHERE a < $3::int), false) AS imputed_recent,
           coalesce(sum(downloads) FILTER (WHERE a < $3::int), 0) AS downloads_sum,
           count(downloads) FILTER (WHERE a < $3::int) AS downloads_days,
           coalesce(sum(likes) FILTER (WHERE a < $3::int), 0) AS likes_sum,
           count(likes) FILTER (WHERE a < $3::int) AS likes_days,
           coalesce(sum(stars) FILTER (WHERE a < $3::int), 0) AS stars_sum,
           count(stars) FILTER (WHERE a < $3::int) AS stars_days,
           sum(power(2::float8, -a::float8 / $5::float8) * downloads) FILTER (WHERE a < $4::int AND downloads IS NOT NULL)
             / sum(power(2::float8, -a::float8 / $5::float8)) FILTER (WHERE a < $4::int AND downloads IS NOT NULL) AS short_mean,
           sum(power(2::float8, -(a - $6::int)::float8 / $8::float8) * downloads)
             FILTER (WHERE a >= $6::int AND a < $6::int + $7::int AND downloads IS NOT NULL)
             / sum(power(2::float8, -(a - $6::int)::float8 / $8::float8))
             FILTER (WHERE a >= $6::int AND a < $6::int + $7::int AND downloads IS NOT NULL) AS baseline_mean
      FROM known
     GROUP BY model_id
  )
SELECT m.model_id, m.slug, f.score, c.volume, c.growth, c.engagement, false AS apart,
       array_remove(ARRAY[
         CASE WHEN (${AS_OF} - coalesce(m.release_date, m.first_seen)) >= 0
               AND (${AS_OF} - coalesce(m.release_date, m.first_seen)) < $21::int THEN 'new' END,
         CASE WHEN g.downloads_days < $3::int THEN 'unknown_days' END,
         CASE WHEN g.imputed_recent THEN 'imputed_days' END,
         CASE WHEN s.insufficient THEN 'insufficient_history' END,
         CASE WHEN v.surge THEN 'uncorroborated_surge' END], NULL) AS flags
  FROM agg g
  JOIN ranked_models m ON m.model_id = g.model_id
  CROSS JOIN LATERAL (SELECT
    CASE WHEN g.downloads_days = 0 THEN 0 ELSE g.downloads_sum * ($3::int::float8 / g.downloads_days) END AS downloads7d,
    CASE WHEN g.likes_days = 0 THEN 0 ELSE g.likes_sum * ($3::int::float8 / g.likes_days) END AS likes7d,
    CASE WHEN g.stars_days = 0 THEN 0 ELSE g.stars_sum * ($3::int::float8 / g.stars_days) END AS stars7d) r
  CROSS JOIN LATERAL (SELECT coalesce(g.short_mean, 0) AS short_rate,
                             g.baseline_mean IS NULL OR g.downloads_days = 0 AS insufficient) s
  CROSS JOIN LATERAL (SELECT CASE WHEN s.insufficient THEN s.short_rate ELSE g.baseline_mean END AS baseline_rate) b
  CROSS JOIN LATERAL (SELECT
    LEAST($11::float8, GREATEST($10::float8, ln((s.short_rate + $9::float8) / (b.baseline_rate + $9::float8)) / ln(2::float8))) AS growth_uncut,
    GREATEST(0::float8, r.likes7d + $12::float8 * r.stars7d) AS engagement_count) u
  CROSS JOIN LATERAL (SELECT u.growth_uncut >= $13::float8 AND u.engagement_count < $14::float8 AS surge) v
  CROSS JOIN LATERAL (SELECT
    floor(log(1 + r.downloads7d) * 10000 + 0.5) / 10000 AS volume,
    floor(CASE WHEN v.surge THEN u.growth_uncut * $15::float8 ELSE u.growth_uncut END * 10000 + 0.5) / 10000 AS growth,
    floor(log(1 + u.engagement_count) * 10000 + 0.5) / 10000 AS engagement) c
  CROSS JOIN LATERAL (SELECT floor(
    $16::float8 * floor(c.volume * 10000 + 0.5) + $17::float8 * floor(c.growth * 10000 + 0.5) + $18::float8 * floor(c.engagement * 10000 + 0.5) + 0.5
  ) / 10000 AS score) f
 WHERE g.known_recent > 0 AND (r.downloads7d >= $19::float8 OR r.likes7d + r.stars7d >= $20::float8)
   AND m.model_id NOT IN (SELECT model_id FROM apart)
UNION ALL
SELECT model_id, NULL, NULL, NULL, NULL, NULL, true, NULL FROM apart`;
