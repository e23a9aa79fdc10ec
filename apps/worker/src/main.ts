import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnv } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import { AppLogger, exitOnStartupError, reportStartupSteps, startupStep, stopOnSignal } from '@modelpulse/database';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  try {
    reportStartupSteps();
    // A bad setting stops the start here, with one line naming it.
    loadEnv();
    const app = await NestFactory.createApplicationContext(WorkerModule, {
      bufferLogs: true,
      // Flushed once our logger is in place: a failed start prints its one line, not Nest's wiring and a stack.
      autoFlushLogs: false,
      abortOnError: false,
    });
    const logger = app.get(AppLogger);
    app.useLogger(logger);
    app.flushLogs();
    stopOnSignal(app);
    await app.init();
    startupStep('seeding the catalogue');
    await app.get(SeedService).apply();
    logger.announce('worker ready', 'Worker');
  } catch (error) {
    exitOnStartupError(error);
  }
}

void main();
