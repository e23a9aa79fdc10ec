import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { AuthModule } from '@modelpulse/core/auth';
import { CatalogModule } from '@modelpulse/core/catalog';
import { SyncModule } from '@modelpulse/core/sync/sync.module';
import { DatabaseModule } from '@modelpulse/database';

@Module({ imports: [AppConfigModule, DatabaseModule, CatalogModule, AuthModule, SyncModule] })
export class CliModule {}
