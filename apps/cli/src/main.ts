import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadEnv } from '@modelpulse/config';
import { ApiKeysService } from '@modelpulse/core/auth';
import { DomainError, ModelsService, SeedService } from '@modelpulse/core/catalog';
import { StatsService } from '@modelpulse/core/stats';
import { ImportService } from '@modelpulse/core/sync';
import { DatabaseServer, exitOnStartupError } from '@modelpulse/database';
import { BACKFILL_USAGE, runBackfill } from './backfill-command';
import { CliModule } from './cli.module';
import { IMPORT_USAGE, parseImportCommand, runImportCommand } from './import-commands';
import { KEYS_USAGE, parseKeysCommand, runKeysCommand } from './key-commands';
import { migrationCheck, migrationGenerate } from './schema-commands';
import { parseSyncCommand, runSyncCommand, SYNC_USAGE } from './sync-command';

const USAGE = `usage: npm run cli -- <command>

  seed                      load the catalogue seed (never overwrites what a person changed)
  purge <org/name>          remove a model and all its history for good
${IMPORT_USAGE}
${KEYS_USAGE}
${SYNC_USAGE}
${BACKFILL_USAGE}
  migration:check           fail when entities and migrations drift
  migration:generate <Name> write a migration for the drift`;

async function withApp(
  work: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<number>,
): Promise<number> {
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'], abortOnError: false });
  const server = app.get(DatabaseServer);
  try {
    return await work(app);
  } finally {
    await app.close();
    await server.stop();
  }
}

async function withServer(work: (server: DatabaseServer) => Promise<number>): Promise<number> {
  const env = loadEnv();
  const server = await DatabaseServer.open({ url: env.databaseUrl, dataDir: env.dataDir });
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'seed':
      return withApp(async (app) => {
        const result = await app.get(SeedService).apply({ force: true });
        console.log(
          `seed: ${result.created.length} created, ${result.updated.length} updated, ${result.skippedArchived.length} deleted models left deleted`,
        );
        return 0;
      });
    case 'purge':
      if (rest.length !== 1) break;
      return withApp(async (app) => {
        console.log(`purged ${await app.get(ModelsService).purge(rest[0])}`);
        return 0;
      });
    case 'import': {
      const importCommand = parseImportCommand(rest);
      if (!importCommand) break;
      return withApp((app) => runImportCommand(app.get(ImportService), importCommand, (line) => console.log(line)));
    }
    case 'keys': {
      const keysCommand = parseKeysCommand(rest);
      if (!keysCommand) break;
      return withApp((app) => runKeysCommand(app.get(ApiKeysService), keysCommand, (line) => console.log(line)));
    }
    case 'sync': {
      const syncCommand = parseSyncCommand(rest);
      if ('error' in syncCommand) {
        console.error(syncCommand.error);
        break;
      }
      return withApp((app) => runSyncCommand(app, syncCommand.kind));
    }
    case 'backfill':
      if (rest.length !== 1) break;
      return withApp((app) => runBackfill(app.get(StatsService), rest[0], (line) => console.log(line)));
    case 'migration:check':
      return withServer(migrationCheck);
    case 'migration:generate':
      if (rest.length !== 1) break;
      return withServer((server) => migrationGenerate(server, rest[0]));
  }
  console.error(USAGE);
  return 2;
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof DomainError) {
      console.error(`modelpulse: ${error.message}`);
      process.exit(1);
    }
    exitOnStartupError(error);
  });
