import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { DatabaseServer, pendingSchemaChanges, runMigrations, typeormOptions } from '@modelpulse/database';

/**
 * Runs `work` against a scratch database on `server`, migrated from empty,
 * and drops it afterwards: the schema checks never touch real data.
 */
async function withScratchDatabase<T>(
  server: DatabaseServer,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const name = `modelpulse_scratch_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(typeormOptions(url.toString(), CORE_ENTITIES));
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
    return await work(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}

/** Fails (exit code 1) when the entities need SQL that no migration has. */
export async function migrationCheck(server: DatabaseServer): Promise<number> {
  const pending = await withScratchDatabase(server, pendingSchemaChanges);
  if (pending.length === 0) {
    console.log('migrations and entities agree');
    return 0;
  }
  console.error('entities and migrations drift; `npm run migration:generate -- <Name>` would add:');
  for (const query of pending) console.error(`  ${query};`);
  return 1;
}

/** Writes a migration with the SQL that brings the migrated schema in line with the entities. */
export async function migrationGenerate(server: DatabaseServer, name: string): Promise<number> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('give the migration a PascalCase name: npm run migration:generate -- AddModelStats');
    return 1;
  }
  const sql = await withScratchDatabase(server, async (dataSource) => dataSource.driver.createSchemaBuilder().log());
  if (sql.upQueries.length === 0) {
    console.log('nothing to generate: migrations and entities agree');
    return 0;
  }
  const timestamp = Date.now();
  const quote = (query: string) =>
    '`' + query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const lines = (queries: { query: string }[]) =>
    queries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
  const file = join(process.cwd(), 'migrations', `${timestamp}-${name}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(sql.upQueries)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines([...sql.downQueries].reverse())}
  }
}
`,
  );
  console.log(`wrote ${file}; read it, then add ${name}${timestamp} to migrations/index.ts`);
  return 0;
}
