import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module';
import { LinkRepository } from './link.repository';
import { LinksService } from './links.service';

/** Tracked download links: a counted click, then a redirect to the hub. */
@Module({ imports: [StatsModule], providers: [LinkRepository, LinksService], exports: [LinksService] })
export class LinksModule {}
