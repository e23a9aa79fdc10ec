/**
 * Day arithmetic on UTC calendar days written `YYYY-MM-DD`, the one place
 * that does it. Pure: no clock, no Nest.
 */

export const DAY_MS = 86_400_000;

/** The UTC day an instant falls on. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** Midnight UTC at the start of a day. */
export const startOfDay = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** Midnight UTC at the end of a day: the first instant after it. */
export const midnightAfter = (day: string): Date => new Date(startOfDay(day).getTime() + DAY_MS);

export function addDays(day: string, days: number): string {
  return utcDay(new Date(startOfDay(day).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY_MS);
}

/** UTC days from `from` to `to`, both included. */
export interface DayWindow {
  from: string;
  to: string;
}

/**
 * The `days` UTC days ending with `lastDay`. A model's `downloads7d` and
 * `downloads30d` sum the stored daily series over the window ending with the
 * latest complete day; the 7- and 30-day leaderboards sum it over the window
 * ending with their `asOf`. One window, so for the latest complete day the two
 * are the same figure (docs/stats.md, The model's figures).
 */
export function windowEnding(lastDay: string, days: number): DayWindow {
  return { from: addDays(lastDay, -(days - 1)), to: lastDay };
}
