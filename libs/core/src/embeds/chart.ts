/** A line chart of one or several daily series as standalone SVG, usable as an `<img>` anywhere. Pure. */
import { DAY_MS, startOfDay, utcDay } from '../days';
import { escapeMarkup, shortNumber } from './format';

export interface ChartPoint {
  /** A UTC day, YYYY-MM-DD. */
  date: string;
  /** Null: the day has no figure; the line breaks there rather than dropping to 0. */
  value: number | null;
}

/** One line of a chart of several: its points and the legend's name for it (model-supplied, escaped here). */
export interface ChartSeries {
  label: string;
  points: readonly ChartPoint[];
}

interface ChartFrame {
  /** Shown on top and read out by screen readers; model-supplied, escaped here. */
  title: string;
  /** The whole window drawn, inclusive; days before the first point stay empty, as do unknown days. */
  from: string;
  to: string;
  widthPx?: number;
  /** The plot's height; a legend adds its rows above it. */
  heightPx?: number;
  /**
   * `count` (the default): a figure a day from zero up. `rank`: a position,
   * 1 on top and the worst rank drawn at the bottom; a day with no rank is a gap.
   */
  scale?: 'count' | 'rank';
}

/**
 * One series (`points`, one blue line, no legend), or up to
 * `MAX_CHART_SERIES` (`series`, a colour and a dash pattern each, and a
 * legend naming them in order).
 */
export type ChartInput = ChartFrame & ({ points: readonly ChartPoint[] } | { series: readonly ChartSeries[] });

/** The narrowest and widest charts drawn: narrower, the axis labels would run into each other. */
export const CHART_MIN_WIDTH_PX = 288;
export const CHART_MAX_WIDTH_PX = 1200;
export const CHART_DEFAULT_WIDTH_PX = 640;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MARGIN = { top: 36, right: 16, bottom: 28, left: 48 };
const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
/** Muted text and lines that keep a 4.5:1 contrast on the white background the chart carries with it. */
const COLOURS = { background: '#ffffff', text: '#1f2328', muted: '#59636e', grid: '#d1d9e0', line: '#0969da' };
/**
 * The lines of a chart of several series: Okabe and Ito's palette for
 * colour-blind readers, orange and purple darkened to keep 3:1 on white
 * (WCAG's contrast for graphics), each with its own dash pattern so that
 * lines still part where colours do not (decision 0028).
 */
export const SERIES_STYLES = [
  { colour: '#0072b2', dash: null },
  { colour: '#d55e00', dash: '8 4' },
  { colour: '#009e73', dash: '2 4' },
  { colour: '#c474a0', dash: '12 4 2 4' },
  { colour: '#bd8200', dash: '4 2' },
] as const;
export const MAX_CHART_SERIES = SERIES_STYLES.length;
/** The width of a title's letter (14 px, bold) taken when wrapping it, a line's height, and the most lines. */
const TITLE_CHAR_PX = 7.5;
const TITLE_LINE_PX = 18;
const TITLE_MAX_LINES = 3;
/** A legend row's height, and the widest a legend label is drawn before it is cut with an ellipsis. */
const LEGEND_ROW_PX = 18;
const LEGEND_CHAR_PX = 7;

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

/**
 * The rank axis: 1, then round ranks down to the worst one drawn (at least
 * 4, so a chart of ranks 1 and 2 does not stretch them over the whole plot).
 */
export function rankTicks(worst: number): number[] {
  const [, ...rest] = niceTicks(0, Math.max(4, worst));
  return rest[0] === 1 ? rest : [1, ...rest];
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

/**
 * Up to five evenly spaced days of the window, first and last included;
 * fewer on a narrow chart, a label per 80 px or so, so none overlap.
 */
function dateTicks(fromIndex: number, toIndex: number, plotWidthPx: number): number[] {
  const span = toIndex - fromIndex;
  if (span === 0) return [fromIndex];
  const count = Math.max(1, Math.min(4, span, Math.floor(plotWidthPx / 80)));
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

/**
 * A legend label cut to what fits on its row, in the middle: the ends of
 * an id tell models apart (`…Distill-Qwen-7B` from `…Distill-Qwen-32B`).
 */
function fitLabel(label: string, widthPx: number): string {
  const chars = Math.max(8, Math.floor(widthPx / LEGEND_CHAR_PX));
  // By code point, so an emoji is never cut in half.
  const letters = [...label];
  if (letters.length <= chars) return label;
  const head = Math.floor((chars - 1) / 3);
  return `${letters.slice(0, head).join('')}…${letters.slice(letters.length - (chars - 1 - head)).join('')}`;
}

/**
 * The title on as many lines as a narrow drawing needs, up to three:
 * wrapped between words, a word too long for a line (an id) or a fourth
 * line cut with an ellipsis.
 */
export function titleLines(title: string, widthPx: number): string[] {
  const chars = Math.max(12, Math.floor(widthPx / TITLE_CHAR_PX));
  const length = (text: string) => [...text].length;
  const cut = (text: string) => (length(text) <= chars ? text : `${[...text].slice(0, chars - 1).join('')}…`);
  const lines: string[] = [];
  for (const word of title.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && length(last) + 1 + length(word) <= chars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  if (lines.length > TITLE_MAX_LINES) {
    lines.splice(TITLE_MAX_LINES - 1, Infinity, `${lines.slice(TITLE_MAX_LINES - 1).join(' ')}`);
  }
  return lines.map(cut);
}

export function renderChart(input: ChartInput): string {
  const several = 'series' in input;
  if (several && (input.series.length === 0 || input.series.length > MAX_CHART_SERIES)) {
    throw new RangeError(`a chart draws 1 to ${MAX_CHART_SERIES} series, not ${input.series.length}`);
  }
  const lines = several
    ? input.series.map((s, i) => ({ ...s, ...SERIES_STYLES[i] }))
    : [{ label: input.title, points: input.points, colour: COLOURS.line, dash: null }];
  const width = input.widthPx ?? CHART_DEFAULT_WIDTH_PX;
  const heading = titleLines(input.title, width - MARGIN.left - MARGIN.right);
  // Each further title line pushes the legend and the plot down by its height.
  const top = MARGIN.top + (heading.length - 1) * TITLE_LINE_PX;
  const legendHeight = several ? lines.length * LEGEND_ROW_PX + 4 : 0;
  const height = (input.heightPx ?? 240) + legendHeight + top - MARGIN.top;
  const plot = {
    left: MARGIN.left,
    right: width - MARGIN.right,
    top: top + legendHeight,
    bottom: height - MARGIN.bottom,
  };
  const fromIndex = dayIndex(input.from);
  const toIndex = Math.max(fromIndex, dayIndex(input.to));
  const known = lines.flatMap((line) =>
    line.points.filter((p): p is { date: string; value: number } => p.value !== null),
  );
  const values = known.map((p) => p.value);
  const ranks = input.scale === 'rank';
  const ticks = ranks ? rankTicks(Math.max(1, ...values)) : niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  // A rank axis runs downwards: its first tick (1) is on top.
  const [yMin, yMax] = ranks ? [ticks[ticks.length - 1], ticks[0]] : [ticks[0], ticks[ticks.length - 1]];
  const x = (index: number) =>
    round(
      toIndex === fromIndex
        ? (plot.left + plot.right) / 2
        : plot.left + ((index - fromIndex) / (toIndex - fromIndex)) * (plot.right - plot.left),
    );
  const y = (value: number) => round(plot.bottom - ((value - yMin) / (yMax - yMin)) * (plot.bottom - plot.top));
  const title = escapeMarkup(input.title);
  // Screen readers hear the models too: the legend is drawn, not read.
  const name = several ? escapeMarkup(`${input.title}: ${lines.map((l) => l.label).join(', ')}`) : title;

  const yAxis = ticks.map(
    (tick) =>
      `<line x1="${plot.left}" x2="${plot.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="${COLOURS.grid}"/>` +
      `<text x="${plot.left - 6}" y="${y(tick) + 4}" text-anchor="end">${shortNumber(tick)}</text>`,
  );
  const xAxis = dateTicks(fromIndex, toIndex, plot.right - plot.left).map((index, i, all) => {
    const day = dayAt(index);
    const anchor = all.length === 1 ? 'middle' : i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle';
    const label = dayLabel(day, i === 0 || day.endsWith('-01-01'));
    return `<text x="${x(index)}" y="${plot.bottom + 18}" text-anchor="${anchor}">${label}</text>`;
  });
  const stroke = (line: (typeof lines)[number]) =>
    `stroke="${line.colour}" stroke-width="2"${line.dash === null ? '' : ` stroke-dasharray="${line.dash}"`}`;
  const legend = several
    ? lines
        .map((line, i) => {
          const rowY = top + i * LEGEND_ROW_PX;
          return (
            `<line x1="${plot.left}" x2="${plot.left + 24}" y1="${rowY - 4}" y2="${rowY - 4}" ${stroke(line)}/>` +
            `<text x="${plot.left + 30}" y="${rowY}">${escapeMarkup(fitLabel(line.label, plot.right - plot.left - 30))}</text>`
          );
        })
        .join('')
    : '';

  const note = (text: string) =>
    `<text x="${round((plot.left + plot.right) / 2)}" y="${round((plot.top + plot.bottom) / 2)}" ` +
    `text-anchor="middle" font-size="14">${text}</text>`;
  let data: string;
  if (lines.every((line) => line.points.length === 0)) data = note('no data yet');
  else if (known.length === 0) data = note(ranks ? 'not ranked on these days' : 'no figures for these days');
  else {
    // One line per run of known days: an unknown day is a gap, never a point at 0.
    data = lines
      .flatMap((line) =>
        runs(line.points).map((run) =>
          run.length === 1
            ? `<circle cx="${x(dayIndex(run[0].date))}" cy="${y(run[0].value)}" r="3" fill="${line.colour}"/>`
            : `<polyline points="${run.map((p) => `${x(dayIndex(p.date))},${y(p.value)}`).join(' ')}" fill="none" ` +
              `${stroke(line)} stroke-linejoin="round" stroke-linecap="round"/>`,
        ),
      )
      .join('');
  }

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${name}">` +
    `<title>${name}</title>` +
    `<rect width="${width}" height="${height}" fill="${COLOURS.background}"/>` +
    `<text x="${plot.left}" y="22" font-family="${FONT}" font-size="14" font-weight="600" fill="${COLOURS.text}">` +
    (heading.length === 1
      ? title
      : heading
          .map((line, i) => `<tspan x="${plot.left}" dy="${i === 0 ? 0 : TITLE_LINE_PX}">${escapeMarkup(line)}</tspan>`)
          .join('')) +
    `</text>` +
    (several ? `<g font-family="${FONT}" font-size="12" fill="${COLOURS.text}">${legend}</g>` : '') +
    `<g font-family="${FONT}" font-size="11" fill="${COLOURS.muted}">${yAxis.join('')}${xAxis.join('')}</g>` +
    (ranks ? '' : `<line x1="${plot.left}" x2="${plot.right}" y1="${y(0)}" y2="${y(0)}" stroke="${COLOURS.muted}"/>`) +
    `<g font-family="${FONT}" fill="${COLOURS.muted}">${data}</g>` +
    `</svg>`
  );
}
