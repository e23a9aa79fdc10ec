import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { StatsModule } from '../stats/stats.module';
import { LinkRepository } from './link.repository';
import { LinksService } from './links.service';

/** Tracked download links: a counted click, then a redirect to the hub. */
@Module({ imports: [CatalogModule, StatsModule], providers: [LinkRepository, LinksService], exports: [LinksService] })
export class LinksModule {}
