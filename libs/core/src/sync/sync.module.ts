import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { SourcesModule } from '../sources/sources.module';
import { StatsModule } from '../stats/stats.module';
import { BindingsRepository } from './bindings.repository';
import { ImportRepository } from './import.repository';
import { ImportService } from './import.service';
import { StatsSyncService } from './stats-sync.service';

/**
 * Keeping the catalogue in step with the upstreams: the stats sync (counters
 * into readings), metadata import and discovery from the Hugging Face hub.
 */
@Module({
  imports: [CatalogModule, SourcesModule, StatsModule],
  providers: [BindingsRepository, StatsSyncService, ImportRepository, ImportService],
  exports: [StatsSyncService, ImportService],
})
export class SyncModule {}
