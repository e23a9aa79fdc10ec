import { setTimeout as delay } from 'node:timers/promises';
import { Logger, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { inspect } from 'node:util';
import { InvalidSettingError, redactUrlPasswords } from '@modelpulse/config';
import { StartupError } from './database-probe';
import { DatabaseServer } from './database-server';
import { EmbeddedPostgresError } from './embedded-postgres';

/**
 * What start-up prints of an error: one line for errors a person can fix from
 * it (a bad setting, a missing binary, a busy PORT, an unreachable DATABASE_URL), the whole error otherwise; never the
 * password of a URL (a driver's error may quote DATABASE_URL).
 */
export function startupErrorText(error: unknown): string {
  const text =
    error instanceof InvalidSettingError || error instanceof EmbeddedPostgresError || error instanceof StartupError
      ? `modelpulse: ${error.message}`
      : `modelpulse: start-up failed: ${inspect(error)}`;
  return redactUrlPasswords(text);
}

export function exitOnStartupError(error: unknown): never {
  console.error(startupErrorText(error));
  process.exit(1);
}

/** How long closing the application may take before the process stops its database and exits anyway. */
const CLOSE_TIMEOUT_MS = 8000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The HTTP server first (no new requests; those in flight finish), then the
 * rest: Nest would run every module's destroy hook before it stops listening.
 */
async function closeApp(app: INestApplicationContext): Promise<void> {
  if ('getHttpAdapter' in app) await (app as INestApplication).getHttpAdapter().close();
  await app.close();
}

/**
 * Closes the application, then its database server, on SIGINT or SIGTERM:
 * in that order, so nothing still running loses its connection. Running
 * jobs are told to stop and record their runs as interrupted. The process
 * exits within about ten seconds whatever happens, with one line per
 * problem and no stack trace; a second signal while stopping changes nothing.
 */
export function stopOnSignal(app: INestApplicationContext): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    new Logger('Shutdown').log(`${signal}: closing the application, then the database`);
    const server = app.get(DatabaseServer, { strict: false });
    const timer = new AbortController();
    const closed = closeApp(app).then(
      () => true,
      (error: unknown) => {
        console.error(`modelpulse: closing after ${signal}: ${messageOf(error)}`);
        return true;
      },
    );
    const late = delay(CLOSE_TIMEOUT_MS, false, { signal: timer.signal }).catch(() => true);
    if (!(await Promise.race([closed, late]))) {
      console.error(`modelpulse: the application did not close within ${CLOSE_TIMEOUT_MS / 1000} s; stopping anyway`);
    }
    timer.abort();
    try {
      await server.stop();
    } catch (error) {
      console.error(`modelpulse: stopping the database: ${messageOf(error)}`);
    }
    process.exit(signal === 'SIGINT' ? 130 : 0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}
