import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule } from '@modelpulse/core/catalog';
import { DatabaseModule } from '@modelpulse/database';

@Module({ imports: [AppConfigModule, DatabaseModule, CatalogModule] })
export class CliModule {}
