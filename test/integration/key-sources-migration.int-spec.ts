import { DataSource } from 'typeorm';
import { runMigrations } from '@modelpulse/database';
import { createTestDatabase, openDataSource, type TestDatabase } from '../support/database';

const KEY_SOURCES = 'KeySources1796175246860';

/** Keys made before keys had sources: what the KeySources migration gives them. */
describe('the KeySources migration', () => {
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

  it('gives events to the stats:ingest keys that posted events, and nothing to any other key', async () => {
    // Back to the schema before it (and before any migration made after it).
    for (;;) {
      const [last]: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
      await dataSource.undoLastMigration();
      if (last.name === KEY_SOURCES) break;
    }
    const key = (n: number, scopes: string) =>
      dataSource.query(
        `INSERT INTO api_keys (id, name, prefix, secret_hash, scopes) VALUES ($1, $2, $3, '\\x00', $4::text[])`,
        [`00000000-0000-4000-8000-00000000000${n}`, `key ${n}`, `mp_0000000${n}`, scopes],
      );
    await key(1, '{stats:ingest}'); // a mirror that posted events
    await key(2, '{stats:ingest}'); // one that posted only readings, which never recorded their key
    await key(3, '{catalog:write,stats:ingest,admin}'); // posted events too
    await key(4, '{catalog:write}');
    await dataSource.query("INSERT INTO organizations (id, name) VALUES ('acme', 'acme')");
    const [model]: { id: string }[] = await dataSource.query(
      "INSERT INTO models (slug, organization_id, name) VALUES ('acme/m', 'acme', 'm') RETURNING id",
    );
    for (const [keyId, eventId] of [
      ['00000000-0000-4000-8000-000000000001', 'a'],
      ['00000000-0000-4000-8000-000000000001', 'b'],
      ['00000000-0000-4000-8000-000000000003', 'a'],
      ['link', 'c'],
    ]) {
      await dataSource.query(
        `INSERT INTO download_events (key_id, event_id, model_id, source, occurred_at)
         VALUES ($1, $2, $3, $4, '2025-01-20T00:00:00Z')`,
        [keyId, eventId, model.id, keyId === 'link' ? 'link' : 'events'],
      );
    }

    expect(await runMigrations(dataSource)).toContain(KEY_SOURCES);
    const keys: { name: string; sources: string[] }[] = await dataSource.query(
      'SELECT name, sources FROM api_keys ORDER BY name',
    );
    expect(keys).toEqual([
      { name: 'key 1', sources: ['events'] },
      { name: 'key 2', sources: [] },
      { name: 'key 3', sources: ['events'] },
      { name: 'key 4', sources: [] },
    ]);
  });
});
