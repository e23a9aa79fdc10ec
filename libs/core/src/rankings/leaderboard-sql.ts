/**
 * The leaderboards computed set-based, in PostgreSQL, from the stats tables:
 * each board's ranked rows as of a day, which `RankingsRepository` stores in
 * `ranking_snapshots` (the score column holding the value) or reads inline,
 * and the filtered page read from either. The stats tables are read here,
 * never written. The same figures as `StatsQueries.windowTotals`,
 * `allTimeDownloads` and `latestLikes` (which the model's own figures use):
 * `test/e2e/leaderboards.e2e-spec.ts` holds them to agree.
 */
import type { Period } from './dto/ranking.dto';

/** The boards stored: a figure over a period. The `new` leaderboard is `downloads-7d` narrowed by release date. */
export const BOARDS = ['downloads-7d', 'downloads-30d', 'downloads-all', 'likes-7d', 'likes-30d', 'likes-all'] as const;
export type Board = (typeof BOARDS)[number];

export const boardOf = (figure: 'downloads' | 'likes', period: Period): Board => `${figure}-${period}`;

/** Names how the boards' rows are made; stored boards of other versions are left alone. */
export const LEADERBOARD_VERSION = 'leaderboard-v1';

const MAX_DOWNLOADS_SQL = '9007199254740991';
const MAX_LIKES_SQL = '2147483647';

/** Each model's figure on a board as of the end of `day` (a date parameter), above 0, unranked. */
function boardValues(board: Board, day: string): string {
  const [figure, period] = board.split('-') as ['downloads' | 'likes', Period];
  const cap = figure === 'likes' ? MAX_LIKES_SQL : MAX_DOWNLOADS_SQL;
  if (period !== 'all') {
    const days = period === '7d' ? 7 : 30;
    // Tracked-link clicks are never downloads; every other source is independent, so its days add up.
    return `SELECT d.model_id, LEAST(sum(d.${figure}), ${cap}) AS value FROM daily_stats d
             WHERE d.source <> 'link' AND d.day BETWEEN ${day}::date - ${days - 1} AND ${day}::date
             GROUP BY d.model_id HAVING sum(d.${figure}) > 0`;
  }
  const before = `((${day}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  const counter = figure === 'likes' ? 'likes' : 'downloads_all_time';
  // Our own events are counted, not reported: their days up to the day, through the primary key.
  const events =
    figure === 'likes'
      ? ''
      : `UNION ALL
         SELECT m.id, (SELECT sum(d.downloads) FROM daily_stats d
                        WHERE d.model_id = m.id AND d.source = 'events' AND d.day <= ${day}::date)
           FROM models m`;
  // Each source's counter as last reported by the end of the day. The sources of each model are
  // found by skipping through the readings' unique index, and each one's last reading by one probe
  // of it: index lookups per model and source, where DISTINCT ON read every reading ever stored.
  return `WITH RECURSIVE sources AS (
            SELECT m.id AS model_id, (SELECT min(o.source) FROM observations o WHERE o.model_id = m.id) AS source
              FROM models m
            UNION ALL
            SELECT s.model_id, (SELECT min(o.source) FROM observations o WHERE o.model_id = s.model_id AND o.source > s.source)
              FROM sources s WHERE s.source IS NOT NULL)
          SELECT f.model_id, LEAST(sum(f.value), ${cap}) AS value FROM (
            SELECT s.model_id,
                   (SELECT o.${counter} FROM observations o
                     WHERE o.model_id = s.model_id AND o.source = s.source
                       AND o.observed_at < ${before} AND o.${counter} IS NOT NULL
                     ORDER BY o.observed_at DESC LIMIT 1) AS value
              FROM sources s WHERE s.source IS NOT NULL
            ${events}) f
           GROUP BY f.model_id HAVING sum(f.value) > 0`;
}

/**
 * A board's rows as of `day`, ranked: the higher figure first, ties by the
 * model's id in code-point order (as trending's). Archived models rank too:
 * reads narrow to the live ones and renumber.
 */
export function rankedBoardSql(board: Board, day: string): string {
  return `SELECT b.model_id, row_number() OVER (ORDER BY b.value DESC, m.slug COLLATE "C") AS rank, b.value::float8 AS value
            FROM (${boardValues(board, day)}) b JOIN models m ON m.id = b.model_id`;
}

/** Where a read finds a board's day: stored (its rows in `ranking_snapshots`) or computed in the statement. */
export interface BoardDay {
  day: string;
  stored: boolean;
}

/** The rows of a board's day as `(model_id, rank, value)`, from the store or computed; `ref` adds a parameter. */
export function boardDaySql(board: Board, at: BoardDay, ref: (value: unknown) => string): string {
  const day = ref(at.day);
  if (!at.stored) return rankedBoardSql(board, day);
  return `SELECT s.model_id, s.rank, s.score AS value FROM ranking_snapshots s
           WHERE s.ranking = ${ref(board)} AND s.version = ${ref(LEADERBOARD_VERSION)} AND s.as_of = ${day}::date`;
}

/** Only models released on one of the `days` UTC days ending with `day` (the `new` leaderboard). */
export function releasedWithin(days: number, day: string): string {
  return `live.release_date IS NOT NULL AND live.release_date <= ${day}::date AND ${day}::date - live.release_date < ${days}`;
}
