import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadEnv } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import {
  AppLogger,
  DatabaseServer,
  exitOnStartupError,
  reportStartupSteps,
  startupStep,
  stopOnSignal,
} from '@modelpulse/database';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  let app: INestApplicationContext | null = null;
  try {
    reportStartupSteps();
    // A bad setting stops the start here, with one line naming it.
    loadEnv();
    app = await NestFactory.createApplicationContext(WorkerModule, {
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
    // What started is closed (the application, then its database), so a failed start leaves no PostgreSQL behind.
    await app?.close().catch(() => undefined);
    await DatabaseServer.stopAll();
    exitOnStartupError(error);
  }
}

void main();
