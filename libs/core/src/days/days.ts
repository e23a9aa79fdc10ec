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
