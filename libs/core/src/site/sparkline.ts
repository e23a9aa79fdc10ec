/** Small inline lines of a daily series, for tables and summaries. Pure. */
import { attr } from './layout';

export interface SparklineInput {
  /** One value a day, in order; null: unknown that day, drawn as a gap (never as 0). */
  values: readonly (number | null)[];
  /** Read out instead of the drawing: what it shows, in words. */
  label: string;
  /** The values at the bottom and the top of the box (for ranks: the worst rank, then 1). */
  domain: readonly [bottom: number, top: number];
  width: number;
  height: number;
  className: string;
}

const LINE = '#0645ad';
const PAD = 3;

const round = (n: number) => Math.round(n * 10) / 10;

/** The runs of consecutive known days, as index ranges. */
function knownRuns(values: readonly (number | null)[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(i);
  });
  if (run.length) runs.push(run);
  return runs;
}

/** One polyline per run of known days, a dot for a lone day; empty when no day is known. */
export function sparkline(input: SparklineInput): string {
  const { values, width, height, domain } = input;
  const runs = knownRuns(values);
  if (!runs.length) return '';
  const [bottom, top] = domain;
  const span = top === bottom ? 1 : top - bottom;
  const x = (i: number) =>
    round(PAD + (values.length === 1 ? (width - 2 * PAD) / 2 : (i * (width - 2 * PAD)) / (values.length - 1)));
  const y = (value: number) => round(height - PAD - ((value - bottom) / span) * (height - 2 * PAD));
  const marks = runs
    .map((run) =>
      run.length === 1
        ? `<circle cx="${x(run[0])}" cy="${y(values[run[0]]!)}" r="2" fill="${LINE}"/>`
        : `<polyline points="${run.map((i) => `${x(i)},${y(values[i]!)}`).join(' ')}" fill="none" stroke="${LINE}" ` +
          'stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>',
    )
    .join('');
  return (
    `<svg class="${input.className}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${attr(input.label)}">${marks}</svg>`
  );
}
