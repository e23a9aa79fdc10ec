/**
 * Daily history of every model as it was known at the end of a day: the
 * counter readings observed by then, differenced, plus our own events.
 * Pure: the repository reads, this adds up.
 */
import { cappedDownloads, sourceDailySeries, type SourceReading } from '../stats';
import { addDays } from '../days';
import type { TrendingDay } from './trending';

export interface HistoryDay extends TrendingDay {
  flags: string[];
}

/**
 * Per model, the days some source knows, summed over independent sources
 * (tracked-link clicks are not downloads and are not read here). Days after
 * a source's last reading are left out, not zero: they are unknown yet. A
 * figure is known on a day only when some source gave it for that day: a day
 * with likes or stars and no download figure has `downloads: null`. Event
 * days run to `asOf`, since a day without events is a known zero.
 */
export function modelHistories(input: {
  readings: { modelId: string; source: string; readings: SourceReading[] }[];
  events: { modelId: string; day: string; downloads: number }[];
  bornAt: ReadonlyMap<string, Date | null>;
  fromDay: string;
  asOf: string;
}): Map<string, HistoryDay[]> {
  const byModel = new Map<string, Map<string, HistoryDay>>();
  const dayOf = (modelId: string, day: string) => {
    let days = byModel.get(modelId);
    if (!days) byModel.set(modelId, (days = new Map()));
    let entry = days.get(day);
    if (!entry) days.set(day, (entry = { day, downloads: null, likes: null, stars: null, imputed: false, flags: [] }));
    return entry;
  };
  // A day's sum over many sources stops at what a figure holds, as the model's figures do.
  const plus = (sum: number | null, figure: number | null) =>
    figure === null ? sum : cappedDownloads((sum ?? 0) + figure);
  for (const series of input.readings) {
    for (const figure of sourceDailySeries(series.readings, input.bornAt.get(series.modelId) ?? null)) {
      if (figure.day < input.fromDay || figure.day > input.asOf) continue;
      const entry = dayOf(series.modelId, figure.day);
      entry.downloads = plus(entry.downloads, figure.downloads);
      entry.likes = plus(entry.likes, figure.likes);
      entry.stars = plus(entry.stars, figure.stars);
      entry.imputed ||= figure.imputed.includes('downloads');
      for (const flag of figure.flags) if (!entry.flags.includes(flag)) entry.flags.push(flag);
    }
  }
  const firstEvent = new Map<string, string>();
  for (const event of input.events) {
    const entry = dayOf(event.modelId, event.day);
    entry.downloads = plus(entry.downloads, event.downloads);
    const known = firstEvent.get(event.modelId);
    if (!known || event.day < known) firstEvent.set(event.modelId, event.day);
  }
  for (const [modelId, first] of firstEvent) {
    for (let day = first; day <= input.asOf; day = addDays(day, 1)) dayOf(modelId, day).downloads ??= 0;
  }
  return new Map(
    [...byModel].map(([modelId, days]) => [modelId, [...days.values()].sort((a, b) => a.day.localeCompare(b.day))]),
  );
}

/** The first day a history window of `days` days up to `asOf` holds. */
export const historyStart = (asOf: string, days: number) => addDays(asOf, -(days - 1));
