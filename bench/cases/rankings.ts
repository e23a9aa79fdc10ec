import type { Client } from 'pg';
import { LeaderboardsService, RankingsService, trendingLookbackDays } from '@modelpulse/core/rankings';
import { addDays, utcDay } from '@modelpulse/core/days';
import { alternate, loadAverage, median, timed } from '../lib/measure';
import { medianRatio, type CaseResult } from '../lib/results';

/** The plain aggregation a ranking cannot beat: each model's downloads summed over the lookback ending `asOf`. */
const aggregate = (db: Client, asOf: string, lookbackDays: number) =>
  db.query(
    `SELECT model_id, sum(downloads) AS downloads FROM daily_stats
      WHERE source <> 'link' AND day BETWEEN $1::date AND $2::date GROUP BY model_id`,
    [addDays(asOf, -(lookbackDays - 1)), asOf],
  );

/**
 * One day's trending recompute over the whole dataset (the daily job's
 * `snapshotLatest`), the 30-day downloads leaderboard of that day stored,
 * and a full rebuild of every stored trending day (all marked stale, as a
 * late backfill of the first day would, then `refreshStale`), against the
 * plain aggregation over the same rows: once (over the lookback, and over
 * the board's 30 days), and once per day.
 */
export async function rankingCases(
  rankings: RankingsService,
  leaderboards: LeaderboardsService,
  db: Client,
  settings: { rounds: number; rebuildRounds: number; firstDay: string },
): Promise<CaseResult[]> {
  const lookback = trendingLookbackDays(rankings.params);
  const day = await alternate(
    settings.rounds,
    () => timed(() => rankings.snapshotLatest()),
    // The day snapshotLatest computes: the latest complete one by the clock.
    () => timed(() => aggregate(db, addDays(utcDay(new Date()), -1), lookback)),
  );
  const dayCase: CaseResult = {
    name: 'rankings: one day recomputed',
    value: median(day.measured),
    unit: 's',
    baseline: median(day.baseline),
    ratio: medianRatio(day.measured, day.baseline),
    better: 'lower',
    loadAverage: loadAverage(),
    details: { lookbackDays: lookback, target: '<= 3' },
  };
  const board = await alternate(
    settings.rounds,
    () => timed(() => leaderboards.storeLatest(['downloads-30d'])),
    () => timed(() => aggregate(db, addDays(utcDay(new Date()), -1), 30)),
  );
  const boardCase: CaseResult = {
    name: 'leaderboards: a 30-day board stored',
    value: median(board.measured),
    unit: 's',
    baseline: median(board.baseline),
    ratio: medianRatio(board.measured, board.baseline),
    better: 'lower',
    loadAverage: loadAverage(),
    details: { board: 'downloads-30d' },
  };
  const { rows } = await db.query<{ as_of: string }>(
    `SELECT as_of::text AS as_of FROM ranking_snapshot_days WHERE ranking = 'trending' AND version = $1 ORDER BY as_of`,
    [rankings.version],
  );
  const days = rows.map((r) => r.as_of);
  const rebuild = await alternate(
    settings.rebuildRounds,
    () =>
      timed(async () => {
        // What the change feed does when readings land for the first day: every later snapshot is stale.
        await rankings.onStatsLanded({
          type: 'stats.landed',
          modelIds: [],
          sources: ['huggingface'],
          fromDay: settings.firstDay,
        });
        await rankings.refreshStale();
      }),
    () =>
      timed(async () => {
        for (const asOf of days) await aggregate(db, asOf, lookback);
      }),
  );
  const rebuildCase: CaseResult = {
    name: `rankings: full rebuild (${days.length} days)`,
    value: median(rebuild.measured),
    unit: 's',
    baseline: median(rebuild.baseline),
    ratio: medianRatio(rebuild.measured, rebuild.baseline),
    better: 'lower',
    loadAverage: loadAverage(),
    details: { days: days.length, lookbackDays: lookback },
  };
  return [dayCase, boardCase, rebuildCase];
}
