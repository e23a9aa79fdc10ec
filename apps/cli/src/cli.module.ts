import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { AuthModule } from '@modelpulse/core/auth';
import { CatalogModule } from '@modelpulse/core/catalog';
import { ClockModule } from '@modelpulse/core/clock';
import { DemoModule } from '@modelpulse/core/demo';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { JobRegistryModule } from '@modelpulse/core/job-registry';
import { JobsModule } from '@modelpulse/core/jobs';
import { StatsModule } from '@modelpulse/core/stats';
import { SyncModule } from '@modelpulse/core/sync';
import { DatabaseModule } from '@modelpulse/database';

@Module({
  imports: [
    AppConfigModule,
    DatabaseModule.forRoot({ entities: CORE_ENTITIES }),
    ClockModule,
    CatalogModule,
    StatsModule,
    AuthModule,
    SyncModule,
    JobsModule,
    JobRegistryModule,
    DemoModule,
  ],
})
export class CliModule {}
