import { Injectable } from '@nestjs/common';
import { Job, type RunSummary } from '../jobs';
import { StatsService } from '../stats';
import { RankingsService } from './rankings.service';

@Injectable()
export class RollupJob extends Job {
  readonly queue = 'rollup';
  readonly kind = 'rollup';
  readonly description =
    "After the day's last sync: refreshes every model's 7- and 30-day figures, forgets old visitor salts, " +
    'and takes the trending snapshot of the day just ended, which the catalogue then sorts by';

  constructor(
    private readonly stats: StatsService,
    private readonly rankings: RankingsService,
  ) {
    super();
  }

  async run(): Promise<RunSummary> {
    const { models } = await this.stats.rollup();
    await this.rankings.snapshotLatest();
    return {
      status: 'succeeded',
      modelsDone: models,
      modelsFailed: 0,
      modelsSkipped: 0,
      upstreamRequests: {},
      errors: [],
    };
  }
}
