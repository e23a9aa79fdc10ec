import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { StatsModule } from '../stats';
import { LinksService } from './links.service';

/** Tracked download links: a counted click, then a redirect to the hub. */
@Module({ imports: [CatalogModule, StatsModule], providers: [LinksService], exports: [LinksService] })
export class LinksModule {}
