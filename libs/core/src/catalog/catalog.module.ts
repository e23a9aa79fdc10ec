import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes';
import { AliasRepository } from './alias.repository';
import { BindingRepository } from './binding.repository';
import { BindingsService } from './bindings.service';
import { CatalogQueries } from './catalog-queries';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';
import { LineageRepository } from './lineage.repository';
import { ModelRowsRepository } from './model-rows.repository';
import { ModelRepository } from './model.repository';
import { ModelsService } from './models.service';
import { RenamesService } from './renames.service';
import { SeedRepository } from './seed/seed.repository';
import { SeedService } from './seed/seed.service';

/** What each model is: models, organizations, licences, papers, lineage, aliases and upstream bindings. */
@Module({
  imports: [ChangesModule],
  providers: [
    ModelRepository,
    ModelRowsRepository,
    AliasRepository,
    BindingRepository,
    LineageRepository,
    DirectoryRepository,
    SeedRepository,
    ModelsService,
    RenamesService,
    BindingsService,
    CatalogQueries,
    DirectoryService,
    SeedService,
  ],
  exports: [ModelsService, RenamesService, BindingsService, CatalogQueries, DirectoryService, SeedService],
})
export class CatalogModule {}
