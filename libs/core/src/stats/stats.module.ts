import { Module } from '@nestjs/common';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

/** Readings and events in, exact daily series out. */
@Module({ providers: [StatsRepository, StatsService], exports: [StatsService] })
export class StatsModule {}
