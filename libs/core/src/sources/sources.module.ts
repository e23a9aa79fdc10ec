import { Inject, Injectable, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AllConfig } from '@modelpulse/config';
import { GitHubSource } from './github.source';
import { HUB_LIST_DEFAULTS, HuggingFaceSource } from './hugging-face.source';
import { Clock, ClockModule } from '../clock';
import { MetricsModule } from '../metrics';
import { systemRuntime, type SourceOptions, type SourceRuntime } from './source-options';
import { UPSTREAM_SOURCES, UpstreamMetrics } from './upstream-metrics';
import type { UpstreamSource } from './upstream-source';

export { UPSTREAM_SOURCES } from './upstream-metrics';

/** The first backoff step and its ceiling; not settings, since only tests have reason to change them. */
const BACKOFF = { backoffBaseMs: 1000, backoffMaxMs: 30_000 } as const;

type Upstreams = AllConfig['upstreams'];

/** Readings are stamped with the application's clock, so a pinned clock pins them too. */
const runtimeOf = (clock: Clock): SourceRuntime => ({ ...systemRuntime, now: () => clock.now() });

function shared(upstreams: Upstreams): Pick<SourceOptions, 'timeoutMs' | 'maxRetries' | 'maxWaitMs'> {
  return { timeoutMs: upstreams.timeoutMs, maxRetries: upstreams.maxRetries, maxWaitMs: upstreams.maxWaitMs };
}

export function huggingFaceOptions(upstreams: Upstreams) {
  const hub = upstreams.huggingface;
  return {
    baseUrl: hub.endpoint,
    token: hub.token,
    requestsPerSecond: hub.requestsPerSecond,
    concurrency: hub.concurrency,
    ...shared(upstreams),
    ...BACKOFF,
    ...HUB_LIST_DEFAULTS,
    topListPageSize: hub.topListPageSize,
    topListMaxPages: hub.topListMaxPages,
  };
}

export function gitHubOptions(upstreams: Upstreams): SourceOptions {
  const github = upstreams.github;
  return {
    baseUrl: github.apiUrl,
    token: github.token,
    requestsPerSecond: github.requestsPerSecond,
    concurrency: github.concurrency,
    ...shared(upstreams),
    ...BACKOFF,
  };
}

/**
 * Closes the sources when the application closes: after every module's
 * destroy hook, so a running job has been told to stop first (and records
 * its run as interrupted rather than as failed by the upstream).
 */
@Injectable()
class SourcesShutdown implements BeforeApplicationShutdown {
  constructor(@Inject(UPSTREAM_SOURCES) private readonly sources: UpstreamSource[]) {}

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.close()));
  }
}

/**
 * The upstream sources, pure HTTP clients with no database: Hugging Face and
 * GitHub, each configured from the `upstreams` namespace. A job that needs
 * one upstream injects its class (`HuggingFaceSource` for the list and
 * discovery calls); one that walks them all injects `UPSTREAM_SOURCES`, typed
 * as the abstract `UpstreamSource`. Tests override either with the same
 * classes pointed at the fake servers.
 */
@Module({
  imports: [ClockModule, MetricsModule],
  providers: [
    {
      provide: HuggingFaceSource,
      inject: [ConfigService, Clock],
      useFactory: (config: ConfigService<AllConfig, true>, clock: Clock) =>
        new HuggingFaceSource(huggingFaceOptions(config.get('upstreams', { infer: true })), runtimeOf(clock)),
    },
    {
      provide: GitHubSource,
      inject: [ConfigService, Clock],
      useFactory: (config: ConfigService<AllConfig, true>, clock: Clock) =>
        new GitHubSource(gitHubOptions(config.get('upstreams', { infer: true })), runtimeOf(clock)),
    },
    {
      provide: UPSTREAM_SOURCES,
      inject: [HuggingFaceSource, GitHubSource],
      useFactory: (hub: HuggingFaceSource, github: GitHubSource): UpstreamSource[] => [hub, github],
    },
    SourcesShutdown,
    UpstreamMetrics,
  ],
  exports: [HuggingFaceSource, GitHubSource, UPSTREAM_SOURCES],
})
export class SourcesModule {}
