/** Daily figures into the points a series answers with. Pure: no clock, no database. */
import { addDays, daysBetween, startOfDay, utcDay } from '../days';
import { cappedDownloads } from './counter-limits';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface DayValue {
  day: string;
  /** Null: no selected source has a figure for the day (unknown, never 0). */
  value: number | null;
  imputed: boolean;
  /** What the differencing noticed that day: `decrease`, `held_back`, `reset`. */
  flags: string[];
}

export interface SeriesPoint {
  /** The first day of the period: the day, the Monday of the ISO week, or the 1st of the month. */
  date: string;
  /** `2025-01-20`, `2025-W04` or `2025-01`. */
  period: string;
  /** The sum of its known days; null when none of its days is known. */
  value: number | null;
  /** Some of the days in it were spread over a gap in the readings. */
  imputed: boolean;
  flags: string[];
  /** How many of its days have no figure. */
  unknownDays: number;
}

/** The ISO week of a day: its Monday and its `YYYY-Www` name. */
export function isoWeek(day: string): { monday: string; name: string } {
  const date = startOfDay(day);
  const weekday = (date.getUTCDay() + 6) % 7;
  const monday = addDays(day, -weekday);
  // The ISO year is the year of the week's Thursday.
  const thursday = startOfDay(addDays(monday, 3));
  const year = thursday.getUTCFullYear();
  const week = Math.floor(daysBetween(`${year}-01-01`, utcDay(thursday)) / 7) + 1;
  return { monday, name: `${year}-W${String(week).padStart(2, '0')}` };
}

/**
 * Every day from `from` to `to` inclusive: the stored figure, or null where
 * none is stored. From `countedFrom` on (the first day of a source we count
 * ourselves: our events, link clicks) a day without a row is a known 0, since
 * nothing was counted; a counter source's missing day is unknown.
 */
export function fillDays(
  rows: readonly DayValue[],
  from: string,
  to: string,
  countedFrom: string | null = null,
): DayValue[] {
  const known = new Map(rows.map((r) => [r.day, r]));
  const out: DayValue[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const counted = countedFrom !== null && day >= countedFrom;
    out.push(known.get(day) ?? { day, value: counted ? 0 : null, imputed: false, flags: [] });
  }
  return out;
}

/** Sums the known days into periods; a period at either end covers only the days asked for. */
export function bucket(days: readonly DayValue[], interval: Interval): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const day of days) {
    let date: string;
    let period: string;
    switch (interval) {
      case 'day':
        date = period = day.day;
        break;
      case 'week':
        ({ monday: date, name: period } = isoWeek(day.day));
        break;
      case 'month':
        period = day.day.slice(0, 7);
        date = `${period}-01`;
        break;
    }
    const unknown = day.value === null ? 1 : 0;
    const last = points.at(-1);
    if (last && last.period === period) {
      if (day.value !== null) last.value = cappedDownloads((last.value ?? 0) + day.value);
      last.unknownDays += unknown;
      last.imputed ||= day.imputed;
      for (const flag of day.flags) if (!last.flags.includes(flag)) last.flags.push(flag);
    } else {
      points.push({
        date,
        period,
        value: day.value,
        imputed: day.imputed,
        flags: [...day.flags],
        unknownDays: unknown,
      });
    }
  }
  return points;
}

/** The sum of the known days (null when no day is known) and how many days are unknown. */
export function seriesTotal(points: readonly SeriesPoint[]): { total: number | null; unknownDays: number } {
  let total: number | null = null;
  let unknownDays = 0;
  for (const point of points) {
    if (point.value !== null) total = cappedDownloads((total ?? 0) + point.value);
    unknownDays += point.unknownDays;
  }
  return { total, unknownDays };
}
