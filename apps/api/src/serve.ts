import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadEnv, type Env } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import { AppLogger, exitOnStartupError, stopOnSignal } from '@modelpulse/database';
import { configureApp, createAdapter } from './configure-app';

/** Listens on PORT at HOST: every interface by default (`0.0.0.0`), or only `127.0.0.1` behind a local proxy. */
export function listen(app: NestFastifyApplication, env: Pick<Env, 'port' | 'host'>): Promise<unknown> {
  return app.listen(env.port, env.host);
}

/** Starts an HTTP server for `module` (the API alone, or the API with the worker). */
export async function serve(module: object): Promise<void> {
  try {
    const env = loadEnv();
    const app = await NestFactory.create<NestFastifyApplication>(module as never, createAdapter(env), {
      bufferLogs: true,
      abortOnError: false,
    });
    const logger = app.get(AppLogger);
    app.useLogger(logger);
    stopOnSignal(app);
    await configureApp(app);
    await app.get(SeedService).apply();
    await listen(app, env);
    logger.announce(`modelpulse listening on ${env.publicUrl} (docs at ${env.publicUrl}/docs)`, 'Http');
  } catch (error) {
    exitOnStartupError(error);
  }
}
