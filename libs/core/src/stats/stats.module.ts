import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ClockModule } from '../clock/clock';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

/** Readings and events in, exact daily series out. */
@Module({ imports: [ClockModule, CatalogModule], providers: [StatsRepository, StatsService], exports: [StatsService] })
export class StatsModule {}
