import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { WidgetsModule } from '../embeds';
import { RankingsModule } from '../rankings';
import { SiteService } from './site.service';

/** The server-rendered pages people browse: the trending leaderboard and one page per model. */
@Module({
  imports: [CatalogModule, RankingsModule, WidgetsModule],
  providers: [SiteService],
  exports: [SiteService],
})
export class SiteModule {}
