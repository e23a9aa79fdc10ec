import { Injectable } from '@nestjs/common';
import { Job, type RunSummary } from '../jobs';
import { StatsService } from '../stats';
import { LeaderboardsService } from './leaderboards.service';
import { RankingsService } from './rankings.service';

@Injectable()
export class RollupJob extends Job {
  readonly queue = 'rollup';
  readonly kind = 'rollup';
  readonly description =
    "After the day's last sync: refreshes every model's 7- and 30-day figures, forgets old visitor salts, " +
    'takes the trending snapshot of the day just ended, which the catalogue then sorts by, and stores its leaderboards';

  constructor(
    private readonly stats: StatsService,
    private readonly rankings: RankingsService,
    private readonly leaderboards: LeaderboardsService,
  ) {
    super();
  }

  async run(): Promise<RunSummary> {
    const { models } = await this.stats.rollup();
    await this.rankings.snapshotLatest();
    await this.leaderboards.storeLatest();
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
