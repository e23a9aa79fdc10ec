import { Injectable } from '@nestjs/common';
import { Job, type RunSummary } from '@modelpulse/core/jobs';
import { StatsService } from '@modelpulse/core/stats';

@Injectable()
export class RollupJob extends Job {
  readonly queue = 'rollup';
  readonly kind = 'rollup';
  readonly description = "Refreshes every model's 7- and 30-day figures for the new day and forgets old visitor salts";

  constructor(private readonly stats: StatsService) {
    super();
  }

  async run(): Promise<RunSummary> {
    const { models } = await this.stats.rollup();
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
