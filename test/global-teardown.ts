import { rmSync } from 'node:fs';
import { Client } from 'pg';
import type { EmbeddedPostgresHandle } from '@modelpulse/database';
import { testEnv } from './support/test-env';

export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: testEnv('adminUrl') });
  await admin.connect();
  const prefix = testEnv('prefix');
  const rows: { datname: string }[] = (
    await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}\\_%`])
  ).rows;
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await admin.end();

  const embedded = (globalThis as { modelpulseTestServer?: { server: EmbeddedPostgresHandle; dataDir: string } })
    .modelpulseTestServer;
  if (embedded) {
    await embedded.server.stop();
    rmSync(embedded.dataDir, { recursive: true, force: true });
  }
}
