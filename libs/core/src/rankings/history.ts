/**
 * Daily history of every model as it was known at the end of a day: the
 * counter readings observed by then, differenced, plus our own events.
 * Pure: the repository reads, this adds up.
 */
import { sourceDailySeries, type SourceReading } from '../stats';
import { addDays } from '../days';
import type { TrendingDay } from './trending';

export interface HistoryDay extends TrendingDay {
  flags: string[];
}

/**
 * Per model, the days some source knows, summed over independent sources
 * (tracked-link clicks are not downloads and are not read here). Days after
 * a source's last reading are left out, not zero: they are unknown yet.
 * Event days run to `asOf`, since a day without events is a known zero.
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
    if (!entry) days.set(day, (entry = { day, downloads: 0, likes: 0, stars: 0, imputed: false, flags: [] }));
    return entry;
  };
  for (const series of input.readings) {
    for (const figure of sourceDailySeries(series.readings, input.bornAt.get(series.modelId) ?? null)) {
      if (figure.day < input.fromDay || figure.day > input.asOf) continue;
      const entry = dayOf(series.modelId, figure.day);
      entry.downloads += figure.downloads ?? 0;
      entry.likes += figure.likes ?? 0;
      entry.stars += figure.stars ?? 0;
      entry.imputed ||= figure.imputed.includes('downloads');
      for (const flag of figure.flags) if (!entry.flags.includes(flag)) entry.flags.push(flag);
    }
  }
  const firstEvent = new Map<string, string>();
  for (const event of input.events) {
    dayOf(event.modelId, event.day).downloads += event.downloads;
    const known = firstEvent.get(event.modelId);
    if (!known || event.day < known) firstEvent.set(event.modelId, event.day);
  }
  for (const [modelId, first] of firstEvent) {
    for (let day = first; day <= input.asOf; day = addDays(day, 1)) dayOf(modelId, day);
  }
  return new Map(
    [...byModel].map(([modelId, days]) => [modelId, [...days.values()].sort((a, b) => a.day.localeCompare(b.day))]),
  );
}

/** The first day a history window of `days` days up to `asOf` holds. */
export const historyStart = (asOf: string, days: number) => addDays(asOf, -(days - 1));
