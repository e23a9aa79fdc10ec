import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { ChangesModule } from '../changes';
import { ClockModule } from '../clock';
import { DailyStatsRepository } from './daily-stats.repository';
import { DemoStatsService } from './demo-stats.service';
import { EventRepository } from './event.repository';
import { ModelStatsFolder } from './model-stats-folder';
import { ModelStatsRepository } from './model-stats.repository';
import { ReadingRepository } from './reading.repository';
import { StatsQueries } from './stats-queries';
import { StatsService } from './stats.service';

/** Readings and events in, exact daily series and the latest figures out. */
@Module({
  imports: [ClockModule, CatalogModule, ChangesModule],
  providers: [
    ReadingRepository,
    DailyStatsRepository,
    EventRepository,
    ModelStatsRepository,
    StatsService,
    StatsQueries,
    DemoStatsService,
    ModelStatsFolder,
  ],
  exports: [StatsService, StatsQueries, DemoStatsService, ModelStatsFolder],
})
export class StatsModule {}
