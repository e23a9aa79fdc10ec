import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { ClockModule } from '../clock';
import { RankingsModule } from '../rankings';
import { JobsModule } from '../jobs';
import { StatsModule } from '../stats';
import { EmptyStateService } from './empty-state.service';
import { WidgetsService } from './widgets.service';

/** Charts, iframe widgets and oEmbed, drawn from the catalogue, stats and rankings. */
@Module({
  imports: [ClockModule, CatalogModule, StatsModule, RankingsModule, JobsModule],
  providers: [WidgetsService, EmptyStateService],
  exports: [WidgetsService, EmptyStateService],
})
export class WidgetsModule {}
