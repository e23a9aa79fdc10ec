/**
 * Daily history of every model as it was known at the end of a day: the
 * counter readings observed by then, differenced, plus our own events.
 * Pure: the repository reads, this adds up.
 */
import { sourceDailySeries, type SourceReading } from '../stats/daily-series';
import { addDays, fillDays } from '../stats/series';

export interface HistoryDay {
  day: string;
  downloads: number;
  likes: number;
  stars: number;
  imputed: boolean;
}

export function modelHistories(input: {
  readings: { modelId: string; source: string; readings: SourceReading[] }[];
  events: { modelId: string; day: string; downloads: number }[];
  bornAt: Map<string, Date | null>;
  fromDay: string;
  asOf: string;
}): Map<string, HistoryDay[]> {
  const byModel = new Map<string, Map<string, HistoryDay>>();
  const dayOf = (modelId: string, day: string) => {
    let days = byModel.get(modelId);
    if (!days) byModel.set(modelId, (days = new Map()));
    let entry = days.get(day);
    if (!entry) days.set(day, (entry = { day, downloads: 0, likes: 0, stars: 0, imputed: false }));
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
    }
  }
  for (const event of input.events) dayOf(event.modelId, event.day).downloads += event.downloads;
  const out = new Map<string, HistoryDay[]>();
  for (const [modelId, days] of byModel) {
    const first = [...days.keys()].sort()[0];
    const filled = fillDays(
      [...days.values()].map((d) => ({ day: d.day, value: 0, imputed: d.imputed, flags: [] })),
      first,
      input.asOf,
    );
    out.set(
      modelId,
      filled.map((d) => days.get(d.day) ?? { day: d.day, downloads: 0, likes: 0, stars: 0, imputed: false }),
    );
  }
  return out;
}

/** The first day a history window needs for a ranking as of `asOf`. */
export const historyStart = (asOf: string, days: number) => addDays(asOf, -(days - 1));
