import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp, createAdapter } from '../../apps/api/src/configure-app';
import { loadEnv } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import { Clock } from '@modelpulse/core/clock';
import { AppLogger, LOG_DESTINATION } from '@modelpulse/database';
import { createTestDatabase, type TestDatabase } from './database';
import { DISCARD_LOGS, type LogCapture } from './logs';
import { deleteRedisKeys, uniqueRedisPrefix } from './redis';

/** MODELPULSE_ADMIN_TOKEN must be at least 32 characters long. */
export const ADMIN_TOKEN = 'test-admin-token-with-at-least-32-characters';

export interface TestApp {
  app: NestFastifyApplication;
  http: App;
  db: TestDatabase;
  close(): Promise<void>;
}

const SUITE_DEADLINES = {
  DB_CONNECT_TIMEOUT_SECONDS: '20',
  DB_ACQUIRE_TIMEOUT_SECONDS: '20',
  DB_STATEMENT_TIMEOUT_SECONDS: '20',
};

/**
 * Limits no test reaches unless it is about them: a file's many requests
 * come from one address. A test about limits sets its own (an empty value
 * is unset: the default).
 */
const SUITE_LIMITS = {
  RATE_LIMIT_READ_PER_MINUTE: '1000000',
  RATE_LIMIT_EMBED_PER_MINUTE: '1000000',
  RATE_LIMIT_KEY_FAILURES_PER_MINUTE: '1000000',
};

/**
 * The real API module on a database of its own (or on `sharedDb`, as a second replica); nothing is mocked. With
 * REDIS_URL set (as CI does) its rate-limit counters are in Redis under a
 * prefix of this app's own, so no two apps share a budget. With `logs`, the
 * app logs as a started one does (its logger, LOG_LEVEL) into that capture;
 * without, only Nest's errors reach the console.
 */
export async function createTestApp(
  options: {
    seed?: boolean;
    env?: Record<string, string>;
    clock?: Clock;
    logs?: LogCapture;
    /** Another app's database, for a second replica on it: closing this app leaves it to its owner. */
    sharedDb?: TestDatabase;
    /** A password for DATABASE_URL when it has none (a server on trust auth ignores it), so the app holds one. */
    databasePassword?: string;
  } = {},
): Promise<TestApp> {
  const db = options.sharedDb ?? (await createTestDatabase());
  process.env.DATABASE_URL = db.url;
  const databaseUrl = new URL(db.url);
  if (options.databasePassword !== undefined && databaseUrl.password === '') {
    databaseUrl.password = options.databasePassword;
    process.env.DATABASE_URL = databaseUrl.toString();
  }
  process.env.MODELPULSE_ADMIN_TOKEN = ADMIN_TOKEN;
  process.env.PUBLIC_URL = 'https://modelpulse.test';
  const redisPrefix = uniqueRedisPrefix('app');
  process.env.REDIS_KEY_PREFIX = redisPrefix;
  // Only the run's own Redis is cleaned up after; a test may point REDIS_URL at one that does not answer.
  const redisUrl = options.env?.REDIS_URL === undefined ? process.env.REDIS_URL : undefined;
  // The suite shares two cores with its PostgreSQL: a slow statement there is load, not an outage.
  // The deadlines themselves are tried on real processes, in test/faults/.
  Object.assign(process.env, SUITE_DEADLINES, SUITE_LIMITS, options.env ?? {});
  const builder = Test.createTestingModule({ imports: [ApiModule] });
  if (options.clock) builder.overrideProvider(Clock).useValue(options.clock);
  builder.overrideProvider(LOG_DESTINATION).useValue(options.logs?.stream ?? DISCARD_LOGS);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createAdapter(loadEnv()),
    options.logs ? { bufferLogs: true } : { logger: ['error'] },
  );
  if (options.logs) app.useLogger(app.get(AppLogger));
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  if (options.seed) await app.get(SeedService).apply();
  return {
    app,
    http: app.getHttpServer() as App,
    db,
    close: async () => {
      await app.close();
      if (!options.sharedDb) await db.drop();
      if (redisUrl) await deleteRedisKeys(redisUrl, redisPrefix);
    },
  };
}
