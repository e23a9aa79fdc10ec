/**
 * npm run bench:data -- --models 100000 --days 180 [--seed 1] [--last-day YYYY-MM-DD]
 *
 * Fills the database at DATABASE_URL, or the embedded one in
 * MODELPULSE_DATA_DIR (default .modelpulse-bench/), with the bench dataset:
 * migrated, seeded, then the synthetic catalogue and readings through COPY,
 * the daily series, figures and trending snapshots made by the app's own code.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { utcDay } from '@modelpulse/core/days';
import { SeedService } from '@modelpulse/core/catalog';
import { DatabaseServer } from '@modelpulse/database';
import { BenchModule } from '../lib/bench.module';
import { benchDatabaseEnv } from '../lib/environment';
import { parseDatasetArgs } from './args';
import { loadDataset } from './load';

async function main(): Promise<void> {
  const options = parseDatasetArgs(process.argv.slice(2), utcDay(new Date()));
  benchDatabaseEnv();
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const server = app.get(DatabaseServer);
  try {
    await app.get(SeedService).apply();
    console.log(
      `bench:data: ${options.models} models x ${options.days} days to ${options.lastDay}, seed ${options.seed}, ` +
        `into ${server.embedded ? `the embedded PostgreSQL in ${process.env.MODELPULSE_DATA_DIR}` : 'DATABASE_URL'}`,
    );
    const started = performance.now();
    const report = await loadDataset(app, server.url, options, (message) => console.log(message));
    console.log(
      `bench:data: done in ${Math.round((performance.now() - started) / 1000)} s ` +
        `(${report.models} models, ${report.readings} readings, ${report.dailyRows} daily rows, ${report.rankedDays} ranked days)`,
    );
  } finally {
    await app.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
