import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { SourcesModule } from '../sources/sources.module';
import { ImportRepository } from './import.repository';
import { ImportService } from './import.service';

/** Keeping the catalogue in step with the upstreams: metadata import and discovery from the Hugging Face hub. */
@Module({
  imports: [CatalogModule, SourcesModule],
  providers: [ImportRepository, ImportService],
  exports: [ImportService],
})
export class SyncModule {}
