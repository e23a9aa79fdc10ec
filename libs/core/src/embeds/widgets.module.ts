import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ClockModule } from '../clock/clock';
import { RankingsModule } from '../rankings/rankings.module';
import { StatsModule } from '../stats/stats.module';
import { WidgetsService } from './widgets.service';

/** Charts, iframe widgets and oEmbed, drawn from the catalogue, stats and rankings. */
@Module({
  imports: [ClockModule, CatalogModule, StatsModule, RankingsModule],
  providers: [WidgetsService],
  exports: [WidgetsService],
})
export class WidgetsModule {}
