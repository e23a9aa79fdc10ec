import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { typeormOptions } from '@modelpulse/database';
import { testEnv, withDatabase } from './test-env';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for one test file, copied from the
 * run's template; DATABASE_URL points at it, so an app built after this
 * call uses it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${testEnv('prefix')}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: testEnv('adminUrl') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${testEnv('template')}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(testEnv('adminUrl'), name);
  process.env.DATABASE_URL = url;
  return {
    name,
    url,
    drop: async () => {
      const client = new Client({ connectionString: testEnv('adminUrl') });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A TypeORM data source on `url`, for integration tests that work below Nest. */
export async function openDataSource(url: string): Promise<DataSource> {
  return new DataSource(typeormOptions(url, CORE_ENTITIES)).initialize();
}
