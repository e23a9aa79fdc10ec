import { Module } from '@nestjs/common';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule } from '@modelpulse/core/catalog';
import { ClockModule } from '@modelpulse/core/clock';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { RankingsModule } from '@modelpulse/core/rankings';
import { StatsModule } from '@modelpulse/core/stats';
import { DatabaseModule } from '@modelpulse/database';

/** What the dataset loader and the rankings cases use of the app: its database, catalogue, stats and rankings; no HTTP. */
@Module({
  imports: [
    AppConfigModule,
    DatabaseModule.forRoot({ entities: CORE_ENTITIES }),
    ClockModule,
    CatalogModule,
    StatsModule,
    RankingsModule,
  ],
})
export class BenchModule {}
