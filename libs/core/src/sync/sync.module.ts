import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog';
import { SourcesModule } from '../sources';
import { StatsModule } from '../stats';
import { ImportService } from './import.service';
import { StatsSyncService } from './stats-sync.service';

/**
 * Keeping the catalogue in step with the upstreams: the stats sync (counters
 * into readings), metadata import and discovery from the Hugging Face hub.
 * It owns no table: it writes through the catalogue's and the stats' services.
 */
@Module({
  imports: [CatalogModule, SourcesModule, StatsModule],
  providers: [StatsSyncService, ImportService],
  exports: [StatsSyncService, ImportService],
})
export class SyncModule {}
