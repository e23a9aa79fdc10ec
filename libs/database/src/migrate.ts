import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { typeormOptions, type EntityClass } from './typeorm-options';

/** Any fixed number: the advisory lock that serialises migration runs across replicas. */
const MIGRATION_LOCK = 7_240_117;

/**
 * Applies pending migrations. Several processes may start at once (API and
 * worker replicas); an advisory lock lets one migrate while the others wait.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Runs `work` while holding PostgreSQL advisory lock `lock` on a connection
 * of its own to `url`, so processes starting at once take turns at it.
 */
export async function underAdvisoryLock<T>(url: string, lock: number, work: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'modelpulse-lock' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lock]);
    return await work();
  } finally {
    // Ending the session lets go of the lock.
    await client.end();
  }
}

/** The SQL that would bring the schema in line with the entities: empty when migrations and entities agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await schemaDrift(dataSource)).up;
}

/** The statements that would bring the schema in line with the entities, and those that would undo them. */
async function schemaDrift(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query) };
}

/**
 * What the entities need beyond the migrations, worked out on a scratch
 * database of the server at `serverUrl`, migrated from empty and dropped
 * afterwards: the schema checks never touch real data.
 */
export async function scratchSchemaDrift(
  serverUrl: string,
  entities: readonly EntityClass[],
): Promise<{ up: string[]; down: string[] }> {
  const name = `modelpulse_scratch_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(typeormOptions(url.toString(), entities));
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    return await schemaDrift(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}
