import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { median } from './measure';

/**
 * One measured case: its figure and the baseline's, measured in the same run,
 * and their ratio (medians over alternating rounds). `better` says which way
 * a ratio improves: throughput up (`higher`), a time or a size down (`lower`).
 */
export interface CaseResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  better: 'higher' | 'lower';
  /** The one-minute load average when the case finished. */
  loadAverage: number;
  /** What else was measured on the way (latencies, rounds, rows). */
  details?: Record<string, number | string>;
}

export interface CaseFailure {
  name: string;
  error: string;
}

export interface BenchReport {
  measuredAt: string;
  commit: string | null;
  quick: boolean;
  node: string;
  cpus: number;
  dataset: Record<string, number | string>;
  cases: CaseResult[];
  failures: CaseFailure[];
}

export const ratioOf = (value: number, baseline: number) =>
  baseline > 0 ? Math.round((value / baseline) * 1000) / 1000 : 0;

/** The median over rounds of each round's value / baseline: what every case reports as its ratio. */
export const medianRatio = (measured: readonly number[], baseline: readonly number[]): number =>
  median(measured.map((value, i) => ratioOf(value, baseline[i])));

const figure = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(+n.toPrecision(3)));

/** The report as a table: one line per case, the ratio beside both figures. */
export function table(report: BenchReport): string {
  const rows = report.cases.map((c) => [
    c.name,
    `${figure(c.value)} ${c.unit}`,
    `${figure(c.baseline)} ${c.unit}`,
    c.ratio.toFixed(3),
    c.better === 'higher' ? 'higher' : 'lower',
    c.details?.p99Ms !== undefined
      ? `${figure(Number(c.details.p99Ms))} / ${figure(Number(c.details.baselineP99Ms))}`
      : '',
    c.details?.refused !== undefined ? String(c.details.refused) : '',
    c.loadAverage.toFixed(2),
  ]);
  const header = ['case', 'value', 'baseline', 'ratio', 'better', 'p99 ms (vs bare)', 'not 200', 'load'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const lines = [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)];
  for (const failure of report.failures) lines.push(`${failure.name}: COULD NOT RUN: ${failure.error}`);
  return lines.join('\n');
}

export function writeReport(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}
