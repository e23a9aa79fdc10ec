import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule } from '@modelpulse/core/catalog';
import { DatabaseModule } from '@modelpulse/database';

/**
 * The worker: no HTTP. At start-up it migrates the database and loads the
 * catalogue seed; the scheduled sync jobs join it with the stats pipeline.
 */
@Module({ imports: [AppConfigModule, DatabaseModule, CatalogModule] })
export class WorkerModule {}
