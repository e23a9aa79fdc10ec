import { DataSource } from 'typeorm';
import { pendingSchemaChanges, runMigrations } from '@modelpulse/database';
import { createTestDatabase, openDataSource, type TestDatabase } from '../support/database';

describe('schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('is exactly what the entities describe once migrated (no drift)', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('applies no migration twice', async () => {
    expect(await runMigrations(dataSource)).toEqual([]);
  });

  it('migrates down to empty and up again', async () => {
    const migrations = dataSource.migrations.length;
    for (let i = 0; i < migrations; i += 1) await dataSource.undoLastMigration();
    const tables = await dataSource.query(
      "SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'",
    );
    expect(tables[0].count).toBe(0);
    expect((await runMigrations(dataSource)).length).toBe(migrations);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('stores parameter counts past 2^31 and refuses duplicate ids that differ only in case', async () => {
    await dataSource.query("INSERT INTO organizations (id, name) VALUES ('acme', 'Acme')");
    await dataSource.query(
      "INSERT INTO models (slug, organization_id, name, parameters) VALUES ('acme/Big', 'acme', 'Big', 1000000000000)",
    );
    const [row] = await dataSource.query("SELECT parameters FROM models WHERE slug = 'acme/Big'");
    expect(row.parameters).toBe('1000000000000');
    await expect(
      dataSource.query("INSERT INTO models (slug, organization_id, name) VALUES ('ACME/big', 'acme', 'big')"),
    ).rejects.toThrow(/models_slug_lower_key/);
  });

  it('keeps API key scopes to the known ones, at least one, and prefixes unique', async () => {
    const insert = (id: string, prefix: string, scopes: string) =>
      dataSource.query(
        `INSERT INTO api_keys (id, name, prefix, secret_hash, scopes) VALUES ($1, 'k', $2, '\\x00', $3::text[])`,
        [id, prefix, scopes],
      );
    await insert('00000000-0000-4000-8000-000000000001', 'mp_00000001', '{catalog:write,stats:ingest,admin}');
    await expect(insert('00000000-0000-4000-8000-000000000002', 'mp_00000002', '{catalog:read}')).rejects.toThrow(
      /api_keys_scopes_known/,
    );
    await expect(insert('00000000-0000-4000-8000-000000000003', 'mp_00000003', '{}')).rejects.toThrow(
      /api_keys_scopes_not_empty/,
    );
    await expect(insert('00000000-0000-4000-8000-000000000004', 'mp_00000001', '{admin}')).rejects.toThrow(
      /api_keys_prefix_key/,
    );
  });
});
