import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadEnv } from '@modelpulse/config';
import { SeedService } from '@modelpulse/core/catalog';
import { exitOnStartupError, logLevels, stopOnSignal } from '@modelpulse/database';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  try {
    const env = loadEnv();
    const app = await NestFactory.createApplicationContext(WorkerModule, {
      logger: logLevels(env),
      abortOnError: false,
    });
    stopOnSignal(app);
    await app.init();
    await app.get(SeedService).apply();
    new Logger('Worker').log('worker ready');
  } catch (error) {
    exitOnStartupError(error);
  }
}

void main();
