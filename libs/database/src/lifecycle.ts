import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { InvalidSettingError, LOG_LEVELS, type Env } from '@modelpulse/config';
import { DatabaseServer } from './database-server';
import { EmbeddedPostgresError } from './embedded-postgres';

/** Nest log levels up to and including the configured one. */
export function logLevels(env: Env): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(env.logLevel) + 1) as LogLevel[];
}

/** Errors a person can fix from one line (a bad setting, a missing binary): printed as that line. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof InvalidSettingError || error instanceof EmbeddedPostgresError) {
    console.error(`modelpulse: ${error.message}`);
  } else {
    console.error('modelpulse: start-up failed:', error);
  }
  process.exit(1);
}

/**
 * Closes the application, then its database server, on SIGINT or SIGTERM:
 * in that order, so nothing still running loses its connection.
 */
export function stopOnSignal(app: INestApplicationContext): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const server = app.get(DatabaseServer, { strict: false });
    try {
      await app.close();
    } finally {
      await server.stop();
    }
    process.exit(signal === 'SIGINT' ? 130 : 0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}
