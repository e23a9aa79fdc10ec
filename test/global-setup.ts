import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { installJobQueue } from '@modelpulse/core/jobs';
import { runMigrations, startEmbeddedPostgres, typeormOptions } from '@modelpulse/database';
import { TEST_ENV, withDatabase } from './support/test-env';

/**
 * One PostgreSQL for the whole run: the server at DATABASE_URL when set
 * (its named database is never touched: the run makes its own databases
 * beside it), else an embedded server in a throw-away directory. One
 * migrated template database, with pg-boss's schema and queues in place so
 * that app starts skip installing them; each test file copies it.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'modelpulse-test-'));
    // As root the server runs as `postgres`, which must reach the directory.
    chmodSync(dataDir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
    Object.assign(globalThis, { modelpulseTestServer: { server, dataDir } });
    adminUrl = server.url;
  }
  const prefix = `modelpulse_test_${process.pid}`;
  const template = `${prefix}_template`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const templateUrl = withDatabase(adminUrl, template);
  const dataSource = new DataSource(typeormOptions(templateUrl, CORE_ENTITIES));
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  await installJobQueue(templateUrl);

  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.template] = template;
  process.env[TEST_ENV.prefix] = prefix;
  // The app under test reads DATABASE_URL; each test file points it at its own copy.
  delete process.env.DATABASE_URL;
}
