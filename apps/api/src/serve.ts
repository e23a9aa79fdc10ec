import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadEnv, type Env } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import {
  AppLogger,
  DatabaseServer,
  exitOnStartupError,
  reportStartupSteps,
  StartupError,
  startupStep,
  stopOnSignal,
} from '@modelpulse/database';
import { configureApp, createAdapter } from './configure-app';

/** Listens on PORT at HOST: every interface by default (`0.0.0.0`), or only `127.0.0.1` behind a local proxy. */
export function listen(app: NestFastifyApplication, env: Pick<Env, 'port' | 'host'>): Promise<unknown> {
  return app.listen(env.port, env.host);
}

/** Tries to bind PORT: three attempts a second apart (a process that just stopped may still hold it). */
const PORT_ATTEMPTS = 3;
const PORT_RETRY_MS = 1000;

const portInUse = (env: Pick<Env, 'port' | 'host'>) =>
  new StartupError(
    `PORT ${env.port} is already in use on ${env.host} (another process listens there): stop it, or set PORT to a free port`,
  );

const isAddressInUse = (error: unknown) => (error as { code?: string } | null)?.code === 'EADDRINUSE';

function canBind(env: Pick<Env, 'port' | 'host'>): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => (isAddressInUse(error) ? resolve(false) : reject(error)));
    probe.listen(env.port, env.host, () => probe.close(() => resolve(true)));
  });
}

/**
 * Fails before the database starts when PORT is taken, after a few
 * attempts, with one line naming PORT; the same line if another process
 * takes the port in the seconds before Nest listens.
 */
export async function ensurePortFree(env: Pick<Env, 'port' | 'host'>): Promise<void> {
  if (env.port === 0) return;
  for (let attempt = 1; !(await canBind(env)); attempt++) {
    if (attempt >= PORT_ATTEMPTS) throw portInUse(env);
    await delay(PORT_RETRY_MS);
  }
}

/** Starts an HTTP server for `module` (the API alone, or the API with the worker). */
export async function serve(module: object): Promise<void> {
  let app: NestFastifyApplication | null = null;
  try {
    reportStartupSteps();
    const env = loadEnv();
    await ensurePortFree(env);
    app = await NestFactory.create<NestFastifyApplication>(module as never, createAdapter(env), {
      bufferLogs: true,
      // Flushed once our logger is in place: a failed start prints its one line, not Nest's wiring and a stack.
      autoFlushLogs: false,
      abortOnError: false,
    });
    const logger = app.get(AppLogger);
    app.useLogger(logger);
    app.flushLogs();
    stopOnSignal(app);
    await configureApp(app);
    startupStep('seeding the catalogue');
    await app.get(SeedService).apply();
    try {
      await listen(app, env);
    } catch (error) {
      throw isAddressInUse(error) ? portInUse(env) : error;
    }
    logger.announce(`modelpulse listening on ${env.publicUrl} (docs at ${env.publicUrl}/docs)`, 'Http');
  } catch (error) {
    // What started is closed (the application, then its database), so a failed start leaves no PostgreSQL behind.
    await app?.close().catch(() => undefined);
    await DatabaseServer.stopAll();
    exitOnStartupError(error);
  }
}
