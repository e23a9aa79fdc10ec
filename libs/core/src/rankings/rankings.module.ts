import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ClockModule } from '../clock/clock';
import { RankingsRepository } from './rankings.repository';
import { RankingsService } from './rankings.service';

/** Trending and leaderboards as of any day, and their daily snapshots. */
@Module({
  imports: [ClockModule, CatalogModule],
  providers: [RankingsRepository, RankingsService],
  exports: [RankingsService],
})
export class RankingsModule {}
