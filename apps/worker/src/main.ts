import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnv } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import { AppLogger, exitOnStartupError, stopOnSignal } from '@modelpulse/database';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  try {
    // A bad setting stops the start here, with one line naming it.
    loadEnv();
    const app = await NestFactory.createApplicationContext(WorkerModule, {
      bufferLogs: true,
      abortOnError: false,
    });
    const logger = app.get(AppLogger);
    app.useLogger(logger);
    stopOnSignal(app);
    await app.init();
    await app.get(SeedService).apply();
    logger.announce('worker ready', 'Worker');
  } catch (error) {
    exitOnStartupError(error);
  }
}

void main();
