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
});
