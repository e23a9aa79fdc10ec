import { ConfigModule, registerAs } from '@nestjs/config';
import { loadEnv, parseEnv, type LogLevel } from './env';

export const appConfig = registerAs('app', () => {
  const env = loadEnv();
  return {
    port: env.port,
    publicUrl: env.publicUrl,
    adminToken: env.adminToken,
    logLevel: env.logLevel as LogLevel,
    logFormat: env.logFormat,
    /** The Hugging Face hub (HF_ENDPOINT) that tracked download links redirect to. */
    hubUrl: env.hfEndpoint,
    rateLimits: {
      dlPerMinute: env.rateLimitDlPerMinute,
      ingestPerMinute: env.rateLimitIngestPerMinute,
      readPerMinute: env.rateLimitReadPerMinute,
      embedPerMinute: env.rateLimitEmbedPerMinute,
      keyFailuresPerMinute: env.rateLimitKeyFailuresPerMinute,
    },
    /** Where the rate-limit counters are shared (REDIS_URL); null: in this process. */
    redis: env.redisUrl === null ? null : { url: env.redisUrl, keyPrefix: env.redisKeyPrefix },
    /** Public reads kept in this process, dropped by the change feed (RESPONSE_CACHE_*). */
    responseCache: { enabled: env.responseCacheEnabled, maxBytes: env.responseCacheMaxBytes },
  };
});

export const databaseConfig = registerAs('db', () => {
  const env = loadEnv();
  return {
    url: env.databaseUrl,
    dataDir: env.dataDir,
    /** What HTTP requests wait on PostgreSQL at most; jobs, migrations and the CLI are unbounded. */
    requestDeadlines: {
      connectMs: Math.round(env.dbConnectTimeoutSeconds * 1000),
      acquireMs: Math.round(env.dbAcquireTimeoutSeconds * 1000),
      statementMs: Math.round(env.dbStatementTimeoutSeconds * 1000),
    },
  };
});

export const jobsConfig = registerAs('jobs', () => {
  const env = loadEnv();
  return {
    syncEnabled: env.syncEnabled,
    syncCron: env.syncCron,
    discoveryCron: env.discoveryCron,
    rollupCron: env.rollupCron,
    discoveryTopN: env.discoveryTopN,
    pollingIntervalSeconds: env.jobPollingIntervalSeconds,
    heartbeatMs: Math.round(env.jobHeartbeatSeconds * 1000),
    staleAfterMs: Math.round(env.jobStaleAfterSeconds * 1000),
  };
});

/** Who may scrape GET /metrics, and where a worker serves its own. */
export const metricsConfig = registerAs('metrics', () => {
  const env = loadEnv();
  return { token: env.metricsToken, workerPort: env.metricsPort };
});

export const rankingsConfig = registerAs('rankings', () => ({ trending: loadEnv().trendingParams }));

/** The upstream hubs the sync reads: where, with which token, and how fast. */
export const upstreamsConfig = registerAs('upstreams', () => {
  const env = loadEnv();
  return {
    huggingface: {
      endpoint: env.hfEndpoint,
      token: env.hfToken,
      requestsPerSecond: env.hfRequestsPerSecond,
      concurrency: env.hfConcurrency,
      topListPageSize: env.hfTopListPageSize,
      topListMaxPages: env.hfTopListMaxPages,
    },
    github: {
      apiUrl: env.githubApiUrl,
      token: env.githubToken,
      requestsPerSecond: env.githubRequestsPerSecond,
      concurrency: env.githubConcurrency,
    },
    timeoutMs: Math.round(env.upstreamTimeoutSeconds * 1000),
    maxRetries: env.upstreamMaxRetries,
    maxWaitMs: env.upstreamMaxWaitSeconds * 1000,
  };
});

export interface AllConfig {
  app: ReturnType<typeof appConfig>;
  db: ReturnType<typeof databaseConfig>;
  jobs: ReturnType<typeof jobsConfig>;
  upstreams: ReturnType<typeof upstreamsConfig>;
  rankings: ReturnType<typeof rankingsConfig>;
  metrics: ReturnType<typeof metricsConfig>;
}

/**
 * Global, validated configuration. Namespaces are read lazily when the
 * providers are built, so a test can point DATABASE_URL at its own database
 * before it creates the application.
 */
export const AppConfigModule = ConfigModule.forRoot({
  isGlobal: true,
  ignoreEnvFile: true,
  load: [appConfig, databaseConfig, jobsConfig, upstreamsConfig, rankingsConfig, metricsConfig],
  validate: (raw: Record<string, string | undefined>) => {
    parseEnv(raw);
    return raw;
  },
});
