import { Injectable } from '@nestjs/common';
import { DailyStatsRepository } from './daily-stats.repository';
import { windowEnding } from '../days';
import { ReadingRepository, type ModelReadings } from './reading.repository';

/**
 * The stats' read queries for the rankings: what was known by a moment,
 * whenever it was ingested, and sums of the stored daily series. Archived
 * models are in these too; the rankings keep the live models only.
 */
@Injectable()
export class StatsQueries {
  constructor(
    private readonly readings: ReadingRepository,
    private readonly daily: DailyStatsRepository,
  ) {}

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
