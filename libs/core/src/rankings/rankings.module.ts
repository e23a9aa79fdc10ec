import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { ChangesModule } from '../changes';
import { ClockModule } from '../clock';
import { StatsModule } from '../stats';
import { LeaderboardsService } from './leaderboards.service';
import { RankingsRepository } from './rankings.repository';
import { RankingsService } from './rankings.service';
import { TrendingComputation } from './trending-computation';

/** Trending and leaderboards as of any day, and their daily snapshots. */
@Module({
  imports: [ClockModule, CatalogModule, StatsModule, ChangesModule],
  providers: [RankingsRepository, TrendingComputation, RankingsService, LeaderboardsService],
  exports: [RankingsService, LeaderboardsService],
})
export class RankingsModule {}
