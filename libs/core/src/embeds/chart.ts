/** A line chart of a daily series as standalone SVG, usable as an `<img>` anywhere. Pure. */
import { DAY_MS, startOfDay, utcDay } from '../days';
import { escapeMarkup, shortNumber } from './format';

export interface ChartPoint {
  /** A UTC day, YYYY-MM-DD. */
  date: string;
  /** Null: the day has no figure; the line breaks there rather than dropping to 0. */
  value: number | null;
}

export interface ChartInput {
  /** Shown on top and read out by screen readers; model-supplied, escaped here. */
  title: string;
  /** The whole window drawn, inclusive; days before the first point stay empty, as do unknown days. */
  from: string;
  to: string;
  points: readonly ChartPoint[];
  widthPx?: number;
  heightPx?: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MARGIN = { top: 36, right: 16, bottom: 28, left: 48 };
const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
/** Muted text and lines that keep a 4.5:1 contrast on the white background the chart carries with it. */
const COLOURS = { background: '#ffffff', text: '#1f2328', muted: '#59636e', grid: '#d1d9e0', line: '#0969da' };

/**
 * Round axis values covering [min, max]: steps of 1, 2 or 5 times a power of
 * ten, so every tick reads exactly in short form (15k, 1.5M, never a
 * rounded-down 12.5k), with zero always on the axis.
 */
export function niceTicks(min: number, max: number, targetIntervals = 4): number[] {
  const low = Math.min(0, min);
  const high = Math.max(0, max);
  if (high === low) return [0, 1];
  const rough = (high - low) / targetIntervals;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  // Counts are whole numbers: a step under 1 would only repeat labels.
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= rough) ?? 10 * magnitude);
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  const ticks: number[] = [];
  // `+ 0` turns -0 into 0.
  for (let i = first; i <= last; i++) ticks.push(i * step + 0);
  return ticks;
}

/** `Jan 20`, and the year too where it matters (the first label, and each January 1st). */
export function dayLabel(day: string, withYear: boolean): string {
  const [year, month, date] = day.split('-');
  const text = `${MONTHS[Number(month) - 1]} ${Number(date)}`;
  return withYear ? `${text}, ${year}` : text;
}

const dayIndex = (day: string) => Math.round(startOfDay(day).getTime() / DAY_MS);
const dayAt = (index: number) => utcDay(new Date(index * DAY_MS));
const round = (n: number) => Math.round(n * 10) / 10;

/** Up to five evenly spaced days of the window, first and last included. */
function dateTicks(fromIndex: number, toIndex: number): number[] {
  const span = toIndex - fromIndex;
  if (span === 0) return [fromIndex];
  const count = Math.min(4, span);
  return Array.from({ length: count + 1 }, (_, i) => fromIndex + Math.round((span * i) / count));
}

/** The runs of consecutive known days, in order; unknown days (and missing ones) split them. */
function runs(points: readonly ChartPoint[]): { date: string; value: number }[][] {
  const out: { date: string; value: number }[][] = [];
  let run: { date: string; value: number }[] = [];
  let previous: number | null = null;
  for (const point of points) {
    const index = dayIndex(point.date);
    if (point.value === null || (previous !== null && index !== previous + 1)) {
      if (run.length > 0) out.push(run);
      run = [];
    }
    if (point.value !== null) run.push({ date: point.date, value: point.value });
    previous = index;
  }
  if (run.length > 0) out.push(run);
  return out;
}

export function renderChart(input: ChartInput): string {
  const width = input.widthPx ?? 640;
  const height = input.heightPx ?? 240;
  const plot = {
    left: MARGIN.left,
    right: width - MARGIN.right,
    top: MARGIN.top,
    bottom: height - MARGIN.bottom,
  };
  const fromIndex = dayIndex(input.from);
  const toIndex = Math.max(fromIndex, dayIndex(input.to));
  const known = input.points.filter((p): p is { date: string; value: number } => p.value !== null);
  const values = known.map((p) => p.value);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const yMin = ticks[0];
  const yMax = ticks[ticks.length - 1];
  const x = (index: number) =>
    round(
      toIndex === fromIndex
        ? (plot.left + plot.right) / 2
        : plot.left + ((index - fromIndex) / (toIndex - fromIndex)) * (plot.right - plot.left),
    );
  const y = (value: number) => round(plot.bottom - ((value - yMin) / (yMax - yMin)) * (plot.bottom - plot.top));
  const title = escapeMarkup(input.title);

  const yAxis = ticks.map(
    (tick) =>
      `<line x1="${plot.left}" x2="${plot.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="${COLOURS.grid}"/>` +
      `<text x="${plot.left - 6}" y="${y(tick) + 4}" text-anchor="end">${shortNumber(tick)}</text>`,
  );
  const xAxis = dateTicks(fromIndex, toIndex).map((index, i, all) => {
    const day = dayAt(index);
    const anchor = all.length === 1 ? 'middle' : i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle';
    const label = dayLabel(day, i === 0 || day.endsWith('-01-01'));
    return `<text x="${x(index)}" y="${plot.bottom + 18}" text-anchor="${anchor}">${label}</text>`;
  });

  const note = (text: string) =>
    `<text x="${round((plot.left + plot.right) / 2)}" y="${round((plot.top + plot.bottom) / 2)}" ` +
    `text-anchor="middle" font-size="14">${text}</text>`;
  let data: string;
  if (input.points.length === 0) data = note('no data yet');
  else if (known.length === 0) data = note('no figures for these days');
  else {
    // One line per run of known days: an unknown day is a gap, never a point at 0.
    data = runs(input.points)
      .map((run) =>
        run.length === 1
          ? `<circle cx="${x(dayIndex(run[0].date))}" cy="${y(run[0].value)}" r="3" fill="${COLOURS.line}"/>`
          : `<polyline points="${run.map((p) => `${x(dayIndex(p.date))},${y(p.value)}`).join(' ')}" fill="none" ` +
            `stroke="${COLOURS.line}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`,
      )
      .join('');
  }

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<rect width="${width}" height="${height}" fill="${COLOURS.background}"/>` +
    `<text x="${plot.left}" y="22" font-family="${FONT}" font-size="14" font-weight="600" fill="${COLOURS.text}">${title}</text>` +
    `<g font-family="${FONT}" font-size="11" fill="${COLOURS.muted}">${yAxis.join('')}${xAxis.join('')}</g>` +
    `<line x1="${plot.left}" x2="${plot.right}" y1="${y(0)}" y2="${y(0)}" stroke="${COLOURS.muted}"/>` +
    `<g font-family="${FONT}" fill="${COLOURS.muted}">${data}</g>` +
    `</svg>`
  );
}
