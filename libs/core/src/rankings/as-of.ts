/** The day a ranking read is as of, for the trending ranking and the leaderboards alike. Pure. */
import { InvalidReferenceError } from '../catalog';
import { addDays, utcDay } from '../days';

/** The latest complete UTC day at `now`: yesterday. */
export const latestCompleteDay = (now: Date): string => addDays(utcDay(now), -1);

/** `asOf` as asked, which may not be after today (a 400 naming `field`), or the latest complete day. */
export function asOfOrDefault(asOf: string | undefined, now: Date, field = 'asOf'): string {
  if (asOf === undefined) return latestCompleteDay(now);
  if (asOf > utcDay(now)) throw new InvalidReferenceError(field, `${field} must not be in the future`);
  return asOf;
}
