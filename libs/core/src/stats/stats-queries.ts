import { Injectable } from '@nestjs/common';
import { DailyStatsRepository } from './daily-stats.repository';
import { midnightAfter, windowEnding } from '../days';
import { ReadingRepository, type ModelReadings } from './reading.repository';
import { CatalogQueries } from '../catalog';
import { fillDays } from './series';
import { selectionOf, seriesStart } from './series-selection';

/** What lists show beside a model: its daily downloads over a span, and its likes at the span's end. */
export interface ModelActivity {
  /** From the first day with a figure (or the span's start); null: unknown that day. */
  downloads: { date: string; value: number | null }[];
  /** Null: no source ever reported likes by then. */
  likes: number | null;
}

/**
 * The stats' read queries for the rankings and the site's lists: what was
 * known by a moment, whenever it was ingested, sums of the stored daily
 * series, and each listed model's recent activity. Archived models are in
 * these too; the rankings keep the live models only.
 */
@Injectable()
export class StatsQueries {
  constructor(
    private readonly readings: ReadingRepository,
    private readonly daily: DailyStatsRepository,
    private readonly catalog: CatalogQueries,
  ) {}

  /**
   * Several models' downloads a day over [from, to] at once, each day as
   * `series` gives it (null: no source has a figure; days before a model's
   * first figure are left out, as there), and their likes as last reported by
   * the end of `to`; keyed by the ids given (live models only, any letter case).
   */
  async activity(slugs: string[], from: string, to: string): Promise<Map<string, ModelActivity>> {
    const tracked = await this.catalog.trackedBySlugs(slugs);
    const ids = [...new Set([...tracked.values()].map((m) => m.id))];
    if (ids.length === 0) return new Map();
    const selection = selectionOf('downloads', undefined);
    const [firsts, rows, likes] = await Promise.all([
      this.daily.firstDaysOf(ids, selection),
      this.daily.dailyRowsOf(ids, selection, from, to),
      this.readings.latestLikes(midnightAfter(to), ids),
    ]);
    const out = new Map<string, ModelActivity>();
    for (const slug of slugs) {
      const model = tracked.get(slug.toLowerCase());
      if (!model) continue;
      const first = firsts.get(model.id);
      const start = seriesStart(first?.first ?? null, from, to);
      const days = start === null ? [] : fillDays(rows.get(model.id) ?? [], start, to, first?.counted ?? null);
      out.set(slug, {
        downloads: days.map((d) => ({ date: d.day, value: d.value })),
        likes: likes.get(model.id) ?? null,
      });
    }
    return out;
  }

  /** Every counter reading of these models observed before `before`, per model and source, in time order. */
  readingsOfModelsBefore(modelIds: string[], before: Date): Promise<ModelReadings[]> {
    return this.readings.readingsOfModelsBefore(modelIds, before);
  }

  /** Our own download events per model and day in [fromDay, toDay]. */
  eventDays(fromDay: string, toDay: string): Promise<{ modelId: string; day: string; downloads: number }[]> {
    return this.daily.eventDays(fromDay, toDay);
  }

  /** The UTC day of each model's first reading or event before `before`. */
  firstSeen(before: Date): Promise<Map<string, string>> {
    return this.readings.firstSeen(before);
  }

  /**
   * Downloads and likes per model over the `days` UTC days ending with
   * `lastDay`, from the stored daily series: the same sums as a model's
   * `downloads7d` and `downloads30d` when `lastDay` is the latest complete day.
   */
  windowTotals(lastDay: string, days: number): Promise<Map<string, { downloads: number; likes: number }>> {
    return this.daily.windowTotals(windowEnding(lastDay, days));
  }

  /** The all-time downloads each source last reported by `before`, summed per model, plus our events to `toDay`. */
  allTimeDownloads(before: Date, toDay: string): Promise<Map<string, number>> {
    return this.readings.allTimeDownloads(before, toDay);
  }

  /** The first and last day any model has a download figure, and whether the demo's are among them; null: none. */
  figureSpan(): Promise<{ from: string; to: string; demo: boolean } | null> {
    return this.daily.figureSpan();
  }

  /** Likes as last reported by `before`, summed over sources. */
  latestLikes(before: Date): Promise<Map<string, number>> {
    return this.readings.latestLikes(before);
  }
}
