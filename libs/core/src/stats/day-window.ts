import { addDays } from '../days';

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
