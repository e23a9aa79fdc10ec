import { loadavg } from 'node:os';

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The one-minute load average, rounded: what the machine was doing besides the bench. */
export const loadAverage = (): number => Math.round(loadavg()[0] * 100) / 100;

/**
 * Runs the measured side and its baseline `rounds` times each, alternating
 * which goes first, so a drift in the machine's load falls on both; answers
 * every round's figures, in order.
 */
export async function alternate<T>(
  rounds: number,
  measured: (round: number) => Promise<T>,
  baseline: (round: number) => Promise<T>,
): Promise<{ measured: T[]; baseline: T[] }> {
  const out = { measured: [] as T[], baseline: [] as T[] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      out.measured.push(await measured(round));
      out.baseline.push(await baseline(round));
    } else {
      out.baseline.push(await baseline(round));
      out.measured.push(await measured(round));
    }
  }
  return out;
}

/** Seconds `work` took, from the monotonic clock. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}
