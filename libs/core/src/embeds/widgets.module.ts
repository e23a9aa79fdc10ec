import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { ClockModule } from '../clock';
import { RankingsModule } from '../rankings';
import { StatsModule } from '../stats';
import { WidgetsService } from './widgets.service';

/** Charts, iframe widgets and oEmbed, drawn from the catalogue, stats and rankings. */
@Module({
  imports: [ClockModule, CatalogModule, StatsModule, RankingsModule],
  providers: [WidgetsService],
  exports: [WidgetsService],
})
export class WidgetsModule {}
