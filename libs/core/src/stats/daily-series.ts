/**
 * From counter readings to exact daily figures. Pure: no clock, no database.
 *
 * The rules (docs/stats.md, Counters):
 * - the first reading is a baseline and adds nothing;
 * - an increment belongs to the UTC day of the later reading; after missed days
 *   it is spread evenly over them (integer parts, remainder to the earliest
 *   days) and those days are marked imputed;
 * - downloads run against a high-water mark: a small decrease writes 0 and a
 *   flag; a large drop is held back and flagged until later readings confirm
 *   it as the new base;
 * - likes and stars are net changes, so they may go down.
 */
import { DAY_MS, utcDay } from '../days';

export type DayFlag = 'decrease' | 'held_back' | 'reset';

export interface DayFigure {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  value: number;
  imputed: boolean;
  flags: DayFlag[];
}

export interface CounterReading {
  observedAt: Date;
  value: number;
}

export interface DifferencingOptions {
  /** A drop below the high-water mark by more than this share of it is held back. */
  largeDropRatio: number;
  /** How many later readings must stay below the old mark to confirm a large drop. */
  confirmReadings: number;
}

export const DEFAULT_DIFFERENCING: DifferencingOptions = { largeDropRatio: 0.05, confirmReadings: 2 };

const dayNumber = (at: Date): number => Math.floor(at.getTime() / DAY_MS);
const dayOfNumber = (n: number): string => utcDay(new Date(n * DAY_MS));

/** Splits `amount` over `parts` days: integer parts, the remainder to the earliest days. */
export function spreadEvenly(amount: number, parts: number): number[] {
  const sign = amount < 0 ? -1 : 1;
  const whole = Math.abs(amount);
  const base = Math.floor(whole / parts);
  const remainder = whole - base * parts;
  return Array.from({ length: parts }, (_, i) => sign * (base + (i < remainder ? 1 : 0)) || 0);
}

class DayBook {
  private readonly days = new Map<number, DayFigure>();

  touch(n: number): DayFigure {
    let figure = this.days.get(n);
    if (!figure) {
      figure = { day: dayOfNumber(n), value: 0, imputed: false, flags: [] };
      this.days.set(n, figure);
    }
    return figure;
  }

  flag(n: number, flag: DayFlag): void {
    const figure = this.touch(n);
    if (!figure.flags.includes(flag)) figure.flags.push(flag);
  }

  /** Adds an increment seen at day `to`, whose previous reading was on day `from`. */
  add(from: number, to: number, amount: number): void {
    if (to - from <= 1) {
      this.touch(to).value += amount;
      return;
    }
    const shares = spreadEvenly(amount, to - from);
    shares.forEach((share, i) => {
      const figure = this.touch(from + 1 + i);
      figure.value += share;
      figure.imputed = true;
    });
  }

  /** Every day from the first to the last touched, in order, gaps filled with zeros. */
  list(): DayFigure[] {
    if (this.days.size === 0) return [];
    const numbers = [...this.days.keys()];
    const first = Math.min(...numbers);
    const last = Math.max(...numbers);
    const out: DayFigure[] = [];
    for (let n = first; n <= last; n++) out.push(this.touch(n));
    return out;
  }
}

const inOrder = (readings: readonly CounterReading[]) =>
  [...readings].sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());

/**
 * Daily increments of a counter that only ever grows (all-time downloads).
 * Readings need not be sorted.
 */
export function monotonicDailyIncrements(
  readings: readonly CounterReading[],
  options: DifferencingOptions = DEFAULT_DIFFERENCING,
): DayFigure[] {
  const sorted = inOrder(readings);
  const book = new DayBook();
  if (sorted.length === 0) return [];
  let mark = sorted[0].value;
  let lastDay = dayNumber(sorted[0].observedAt);
  book.touch(lastDay);
  for (let i = 1; i < sorted.length; i++) {
    const reading = sorted[i];
    const day = dayNumber(reading.observedAt);
    if (reading.value >= mark) {
      book.add(lastDay, day, reading.value - mark);
      mark = reading.value;
      lastDay = day;
      continue;
    }
    const drop = mark - reading.value;
    if (drop <= mark * options.largeDropRatio) {
      // Hubs recount now and then; a small dip is noise, not negative downloads.
      book.flag(day, 'decrease');
      lastDay = Math.max(lastDay, day);
      continue;
    }
    const later = sorted.slice(i + 1, i + 1 + options.confirmReadings);
    const confirmed = later.length === options.confirmReadings && later.every((r) => r.value < mark);
    if (confirmed) {
      // The upstream really counts from a lower base now: start over from it.
      book.flag(day, 'reset');
      mark = reading.value;
      lastDay = day;
    } else {
      book.flag(day, 'held_back');
    }
  }
  return book.list();
}

/** Daily net changes of a counter that may go down (likes, stars). */
export function netDailyChanges(readings: readonly CounterReading[]): DayFigure[] {
  const sorted = inOrder(readings);
  const book = new DayBook();
  if (sorted.length === 0) return [];
  let previous = sorted[0];
  book.touch(dayNumber(previous.observedAt));
  for (const reading of sorted.slice(1)) {
    book.add(dayNumber(previous.observedAt), dayNumber(reading.observedAt), reading.value - previous.value);
    previous = reading;
  }
  return book.list();
}

/** What one source reported at one moment; absent counters are null. */
export interface SourceReading {
  observedAt: Date;
  downloadsAllTime: number | null;
  downloads30d: number | null;
  likes: number | null;
  stars: number | null;
}

export type Counter = 'downloads' | 'likes' | 'stars';

export interface SourceDay {
  day: string;
  downloads: number | null;
  likes: number | null;
  stars: number | null;
  /** The counters whose figure that day was spread over a gap in the readings. */
  imputed: Counter[];
  flags: DayFlag[];
}

const THIRTY_DAYS_MS = 30 * DAY_MS;

const readingsOf = (readings: readonly SourceReading[], pick: (r: SourceReading) => number | null) =>
  readings.flatMap((r) => {
    const value = pick(r);
    return value === null ? [] : [{ observedAt: r.observedAt, value }];
  });

/**
 * The download counter to difference: all-time downloads; the rolling 30-day
 * figure only while the model is younger than 30 days (then it equals the
 * all-time count) and the source never gave an all-time figure.
 */
export function downloadCounter(readings: readonly SourceReading[], bornAt: Date | null): CounterReading[] {
  const allTime = readingsOf(readings, (r) => r.downloadsAllTime);
  if (allTime.length > 0 || bornAt === null) return allTime;
  return readingsOf(readings, (r) =>
    r.observedAt.getTime() - bornAt.getTime() < THIRTY_DAYS_MS ? r.downloads30d : null,
  );
}

/** The daily figures of one model on one counter source, from all its readings. */
export function sourceDailySeries(
  readings: readonly SourceReading[],
  bornAt: Date | null,
  options: DifferencingOptions = DEFAULT_DIFFERENCING,
): SourceDay[] {
  const days = new Map<string, SourceDay>();
  const merge = (figures: DayFigure[], key: Counter) => {
    for (const figure of figures) {
      let day = days.get(figure.day);
      if (!day) {
        day = { day: figure.day, downloads: null, likes: null, stars: null, imputed: [], flags: [] };
        days.set(figure.day, day);
      }
      day[key] = figure.value;
      if (figure.imputed) day.imputed.push(key);
      for (const flag of figure.flags) if (!day.flags.includes(flag)) day.flags.push(flag);
    }
  };
  merge(monotonicDailyIncrements(downloadCounter(readings, bornAt), options), 'downloads');
  merge(netDailyChanges(readingsOf(readings, (r) => r.likes)), 'likes');
  merge(netDailyChanges(readingsOf(readings, (r) => r.stars)), 'stars');
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * Where the differencing stood at the end of a day, enough to carry on from
 * there without the readings before it: the last reading of that day (with
 * the all-time high-water mark as its download figure).
 */
export interface SeriesCheckpoint {
  /** The last day fully described by earlier readings; only later days are computed. */
  day: string;
  baseline: SourceReading;
}

/**
 * The daily figures after a checkpoint, from the readings after it. Equal to
 * `sourceDailySeries` over every reading, for the days after the checkpoint,
 * when the readings up to it held no large drop (the caller checks).
 */
export function sourceDailySeriesAfter(
  checkpoint: SeriesCheckpoint,
  readings: readonly SourceReading[],
  options: DifferencingOptions = DEFAULT_DIFFERENCING,
): SourceDay[] {
  // A young model's 30-day figure never reaches here: the caller starts from all-time figures only.
  return sourceDailySeries([checkpoint.baseline, ...readings], null, options).filter((d) => d.day > checkpoint.day);
}
