import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfigModule } from '@modelpulse/config';
import { AuthModule } from '@modelpulse/core/auth';
import { CatalogModule } from '@modelpulse/core/catalog';
import { ChangesModule } from '@modelpulse/core/changes';
import { ClockModule } from '@modelpulse/core/clock';
import { WidgetsModule } from '@modelpulse/core/embeds';
import { BadgesModule } from '@modelpulse/core/embeds';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { QueueModule } from '@modelpulse/core/jobs';
import { RankingsModule } from '@modelpulse/core/rankings';
import { LinksModule } from '@modelpulse/core/links';
import { MetricsModule } from '@modelpulse/core/metrics';
import { SiteModule } from '@modelpulse/core/site';
import { StatsModule } from '@modelpulse/core/stats';
import { DatabaseModule, LoggingModule } from '@modelpulse/database';
import { ApiKeysController } from './admin/api-keys.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ResponseCache } from './cache/response-cache';
import { BadgesController } from './embeds/badges.controller';
import { DirectoryController } from './directory/directory.controller';
import { OembedController } from './embeds/oembed.controller';
import { WidgetsController } from './embeds/widgets.controller';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { AddressLimits, KeyCheckLimiter, RateLimitGuard, RateLimitModule } from './http/rate-limit';
import { ApiValidationPipe } from './http/validation';
import { LinksController } from './links/links.controller';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { ModelsController } from './models/models.controller';
import { RankingsController } from './rankings/rankings.controller';
import { SiteController } from './site/site.controller';
import { StatsController } from './stats/stats.controller';
import { SyncController } from './sync/sync.controller';

/** The HTTP API. Pipe, filter and guards are providers here, so test apps get them too. */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule.forRoot({ entities: CORE_ENTITIES }),
    ClockModule,
    ChangesModule,
    CatalogModule,
    StatsModule,
    RankingsModule,
    QueueModule,
    LinksModule,
    WidgetsModule,
    SiteModule,
    BadgesModule,
    AuthModule,
    RateLimitModule,
    MetricsModule,
    TerminusModule.forRoot({ logger: false }),
  ],
  controllers: [
    ModelsController,
    StatsController,
    RankingsController,
    DirectoryController,
    ApiKeysController,
    SyncController,
    LinksController,
    WidgetsController,
    OembedController,
    BadgesController,
    HealthController,
    MetricsController,
    SiteController,
  ],
  providers: [
    HttpMetrics,
    ResponseCache,
    AddressLimits,
    { provide: APP_PIPE, useClass: ApiValidationPipe },
    { provide: APP_FILTER, useClass: ProblemFilter },
    KeyCheckLimiter,
    // In this order: the rate limit keys ingestion on the principal the key guard found.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class ApiModule {}
