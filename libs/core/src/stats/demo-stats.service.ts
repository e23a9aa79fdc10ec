import { Injectable } from '@nestjs/common';
import { retryingTransaction, TransactionHost, type TransactionalAdapterTypeOrm } from '@modelpulse/database';
import { ChangeFeed } from '../changes';
import { Clock } from '../clock';
import { utcDay } from '../days';
import { DailyStatsRepository } from './daily-stats.repository';
import { DEMO_SOURCE } from './ingest-items';
import { ModelStatsRepository } from './model-stats.repository';
import { ReadingRepository, type ObservationRow } from './reading.repository';
import { StatsService } from './stats.service';

/**
 * The demo's figures (`npm run cli -- demo`), stored as the source `demo`
 * through the same path as every reading, and taken away again whole. They
 * stand in only for models no other source counts (StatsService drops a
 * model's demo when a real figure lands).
 */
@Injectable()
export class DemoStatsService {
  constructor(
    private readonly transactions: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly stats: StatsService,
    private readonly readings: ReadingRepository,
    private readonly daily: DailyStatsRepository,
    private readonly modelStats: ModelStatsRepository,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /** Of these models, the ones another source than the demo counts. */
  modelsWithOtherSources(modelIds: string[]): Promise<Set<string>> {
    return this.readings.modelsWithOtherSources(DEMO_SOURCE, modelIds);
  }

  /** Stores demo readings; the same readings again are duplicates, so loading twice changes nothing. */
  async store(rows: Omit<ObservationRow, 'source'>[]): Promise<{ accepted: number; duplicates: number }> {
    const outcome = await this.stats.storeReadings(
      rows.map((row, index) => ({ index, row: { ...row, source: DEMO_SOURCE } })),
      'demo',
    );
    return { accepted: outcome.accepted, duplicates: outcome.duplicates };
  }

  /** Deletes every demo reading and day; the change feed tells snapshots and caches, as for any landing. */
  async remove(): Promise<{ models: number; readings: number }> {
    const today = utcDay(this.clock.now());
    return retryingTransaction(this.transactions, async () => {
      const gone = await this.readings.deleteSource(DEMO_SOURCE, null);
      await this.daily.deleteSource(DEMO_SOURCE, null);
      if (gone.length === 0) return { models: 0, readings: 0 };
      const modelIds = gone.map((g) => g.modelId);
      await this.modelStats.refreshModelStats(modelIds, today);
      const fromDay = gone.map((g) => utcDay(g.firstAt)).reduce((first, day) => (day < first ? day : first));
      await this.changes.publish({ type: 'stats.landed', modelIds, sources: [DEMO_SOURCE], fromDay });
      return { models: gone.length, readings: gone.reduce((n, g) => n + g.readings, 0) };
    });
  }
}
