import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { WidgetsModule } from '../embeds';
import { RankingsModule } from '../rankings';
import { StatsModule } from '../stats';
import { SiteService } from './site.service';

/** The server-rendered pages people browse: the trending leaderboard and one page per model. */
@Module({
  imports: [CatalogModule, RankingsModule, StatsModule, WidgetsModule],
  providers: [SiteService],
  exports: [SiteService],
})
export class SiteModule {}
