import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module';
import { StatsModule } from '../stats/stats.module';
import { BindingsRepository } from './bindings.repository';
import { StatsSyncService } from './stats-sync.service';

/** The stats sync: upstream counters into readings. */
@Module({
  imports: [SourcesModule, StatsModule],
  providers: [BindingsRepository, StatsSyncService],
  exports: [StatsSyncService],
})
export class StatsSyncModule {}
