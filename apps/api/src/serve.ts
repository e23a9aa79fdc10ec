import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadEnv } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import { AppLogger, exitOnStartupError, stopOnSignal } from '@modelpulse/database';
import { configureApp, createAdapter } from './configure-app';

/** Starts an HTTP server for `module` (the API alone, or the API with the worker). */
export async function serve(module: object): Promise<void> {
  try {
    const env = loadEnv();
    const app = await NestFactory.create<NestFastifyApplication>(module as never, createAdapter(env.trustProxy), {
      bufferLogs: true,
      abortOnError: false,
    });
    const logger = app.get(AppLogger);
    app.useLogger(logger);
    stopOnSignal(app);
    await configureApp(app);
    await app.get(SeedService).apply();
    await app.listen(env.port, '0.0.0.0');
    logger.announce(`modelpulse listening on ${env.publicUrl} (docs at ${env.publicUrl}/docs)`, 'Http');
  } catch (error) {
    exitOnStartupError(error);
  }
}
