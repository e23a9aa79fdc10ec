import { Module } from '@nestjs/common';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';
import { LineageRepository } from './lineage.repository';
import { ModelRepository } from './model.repository';
import { ModelsService } from './models.service';
import { SeedRepository } from './seed/seed.repository';
import { SeedService } from './seed/seed.service';

/** What each model is: models, organizations, licences, papers and lineage. */
@Module({
  providers: [
    ModelRepository,
    LineageRepository,
    DirectoryRepository,
    SeedRepository,
    ModelsService,
    DirectoryService,
    SeedService,
  ],
  exports: [ModelsService, DirectoryService, SeedService],
})
export class CatalogModule {}
