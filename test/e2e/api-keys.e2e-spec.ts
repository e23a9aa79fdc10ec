import { createHash } from 'node:crypto';
import request from 'supertest';
import { Client } from 'pg';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

describe('API keys', () => {
  let t: TestApp;
  let sql: Client;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  // A stats:ingest key is made for the sources it writes (scoped-writes.e2e-spec.ts holds those rules).
  const createKey = async (name: string, scopes: string[]) =>
    (
      await request(t.http)
        .post('/v1/admin/api-keys')
        .set(admin)
        .send({ name, scopes, ...(scopes.includes('stats:ingest') ? { sources: ['mirror'] } : {}) })
        .expect(201)
    ).body as {
      id: string;
      name: string;
      prefix: string;
      scopes: string[];
      sources: string[];
      secret: string;
      createdAt: string;
      lastUsedAt: string | null;
      revokedAt: string | null;
    };

  it('makes a key and shows its secret once, in the mp_<prefix>_<random> shape', async () => {
    const key = await createKey('  mirror uploader ', ['stats:ingest']);
    expect(key).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      name: 'mirror uploader',
      prefix: expect.stringMatching(/^mp_[0-9a-f]{8}$/),
      scopes: ['stats:ingest'],
      sources: ['mirror'],
      secret: expect.stringMatching(/^mp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(key.secret.startsWith(`${key.prefix}_`)).toBe(true);
  });

  it('lets a key do what its scopes allow and nothing else', async () => {
    const ingest = await createKey('ingest only', ['stats:ingest']);
    const forbidden = await request(t.http)
      .post('/v1/models')
      .set(bearer(ingest.secret))
      .send({ id: 'acme/by-ingest-key' })
      .expect(403);
    expect(forbidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(forbidden.body.detail).toBe('The API key lacks the catalog:write scope');
    await request(t.http).get('/v1/admin/api-keys').set(bearer(ingest.secret)).expect(403);

    const writer = await createKey('catalogue editor', ['catalog:write']);
    const created = await request(t.http)
      .post('/v1/models')
      .set(bearer(writer.secret))
      .send({ id: 'acme/by-writer-key' })
      .expect(201);
    expect(created.body.id).toBe('acme/by-writer-key');
    await request(t.http).get('/v1/admin/api-keys').set(bearer(writer.secret)).expect(403);
  });

  it('lets a key with the admin scope manage keys', async () => {
    const keeper = await createKey('key keeper', ['admin']);
    const made = await request(t.http)
      .post('/v1/admin/api-keys')
      .set(bearer(keeper.secret))
      .send({ name: 'made by a key', scopes: ['catalog:write'] })
      .expect(201);
    expect(made.body.scopes).toEqual(['catalog:write']);
    await request(t.http).get('/v1/admin/api-keys').set(bearer(keeper.secret)).expect(200);
  });

  it('keeps scopes in one order without repeats', async () => {
    const key = await createKey('both', ['stats:ingest', 'catalog:write', 'stats:ingest']);
    expect(key.scopes).toEqual(['catalog:write', 'stats:ingest']);
  });

  it('answers 401 to a revoked key, and keeps it in the list with revokedAt', async () => {
    const key = await createKey('soon revoked', ['catalog:write']);
    await request(t.http).post('/v1/models').set(bearer(key.secret)).send({ id: 'acme/before-revoke' }).expect(201);
    await request(t.http).delete(`/v1/admin/api-keys/${key.id}`).set(admin).expect(204);
    const refused = await request(t.http)
      .post('/v1/models')
      .set(bearer(key.secret))
      .send({ id: 'acme/after-revoke' })
      .expect(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(refused.body.detail).toBe('The API key is not known');

    const { body } = await request(t.http).get('/v1/admin/api-keys').set(admin).expect(200);
    const listed = body.data.find((k: { id: string }) => k.id === key.id);
    expect(listed.revokedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));

    // A second revoke changes nothing.
    await request(t.http).delete(`/v1/admin/api-keys/${key.id}`).set(admin).expect(204);
    const again = await request(t.http).get('/v1/admin/api-keys').set(admin).expect(200);
    expect(again.body.data.find((k: { id: string }) => k.id === key.id).revokedAt).toBe(listed.revokedAt);
  });

  it('answers 401 to a key that looks right but whose secret is wrong', async () => {
    const key = await createKey('guessed', ['catalog:write']);
    const guess = `${key.prefix}_${'A'.repeat(43)}`;
    await request(t.http).post('/v1/models').set(bearer(guess)).send({ id: 'acme/guessed' }).expect(401);
  });

  it('lists keys without any secret, oldest first', async () => {
    const key = await createKey('listed', ['stats:ingest', 'catalog:write']);
    const response = await request(t.http).get('/v1/admin/api-keys').set(admin).expect(200);
    expect(response.text).not.toContain(key.secret);
    expect(response.text).not.toContain(key.secret.slice(key.prefix.length + 1));
    const names = response.body.data.map((k: { name: string }) => k.name);
    expect(names.slice(0, 3)).toEqual(['mirror uploader', 'ingest only', 'catalogue editor']);
    for (const listed of response.body.data) {
      expect(Object.keys(listed).sort()).toEqual([
        'createdAt',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'revokedAt',
        'scopes',
        'sources',
      ]);
    }
    expect(response.body.data.find((k: { id: string }) => k.id === key.id)).toEqual({
      id: key.id,
      name: 'listed',
      prefix: key.prefix,
      scopes: ['catalog:write', 'stats:ingest'],
      sources: ['mirror'],
      createdAt: key.createdAt,
      lastUsedAt: null,
      revokedAt: null,
    });
  });

  it('stores only a SHA-256 digest of the secret', async () => {
    const key = await createKey('stored', ['stats:ingest']);
    const { rows } = await sql.query('SELECT * FROM api_keys WHERE id = $1', [key.id]);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.prefix).toBe(key.prefix);
    expect(row.secret_hash).toEqual(createHash('sha256').update(key.secret).digest());
    const random = key.secret.slice(key.prefix.length + 1);
    for (const value of Object.values(row)) {
      const text = Buffer.isBuffer(value) ? value.toString('latin1') : JSON.stringify(value);
      expect(text).not.toContain(random);
    }
  });

  it('records when a key was last used, at most once a minute', async () => {
    const key = await createKey('used', ['catalog:write']);
    await request(t.http).post('/v1/models').set(bearer(key.secret)).send({ id: 'acme/used-once' }).expect(201);
    const first = await sql.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
    expect(first.rows[0].last_used_at).toBeInstanceOf(Date);
    await request(t.http).post('/v1/models').set(bearer(key.secret)).send({ id: 'acme/used-twice' }).expect(201);
    const second = await sql.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
    expect(second.rows[0].last_used_at).toEqual(first.rows[0].last_used_at);

    await sql.query("UPDATE api_keys SET last_used_at = last_used_at - interval '2 minutes' WHERE id = $1", [key.id]);
    await request(t.http).post('/v1/models').set(bearer(key.secret)).send({ id: 'acme/used-later' }).expect(201);
    const third = await sql.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
    expect(third.rows[0].last_used_at.getTime()).toBeGreaterThan(first.rows[0].last_used_at.getTime());
  });

  it('keeps the admin token working for every scope', async () => {
    await request(t.http).post('/v1/models').set(admin).send({ id: 'acme/by-admin-token' }).expect(201);
    await request(t.http).get('/v1/admin/api-keys').set(admin).expect(200);
  });

  describe('bad input', () => {
    const problem = async (body: unknown, field: string) => {
      const response = await request(t.http)
        .post('/v1/admin/api-keys')
        .set(admin)
        .send(body as object)
        .expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(fieldsOf(response.body)).toContain(field);
    };

    it('names the field of an unknown or missing scope', async () => {
      await problem({ name: 'x', scopes: ['catalog:read'] }, 'scopes');
      await problem({ name: 'x', scopes: [] }, 'scopes');
      await problem({ name: 'x' }, 'scopes');
      await problem({ name: 'x', scopes: 'admin' }, 'scopes');
    });

    it('names the field of an empty or missing name', async () => {
      await problem({ name: '', scopes: ['admin'] }, 'name');
      await problem({ name: '   ', scopes: ['admin'] }, 'name');
      await problem({ scopes: ['admin'] }, 'name');
      await problem({ name: 'x'.repeat(101), scopes: ['admin'] }, 'name');
    });

    it('names an unknown field', async () => {
      await problem({ name: 'x', scopes: ['admin'], secret: 'mine' }, 'secret');
    });

    it('answers 400 naming the id for a malformed id, 404 for an unknown one', async () => {
      const malformed = await request(t.http).delete('/v1/admin/api-keys/not-a-uuid').set(admin).expect(400);
      expect(fieldsOf(malformed.body)).toEqual(['id']);
      const unknown = await request(t.http)
        .delete('/v1/admin/api-keys/0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a')
        .set(admin)
        .expect(404);
      expect(unknown.body.detail).toBe('API key 0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a was not found');
    });
  });

  describe('without a valid key', () => {
    const routes = [
      () =>
        request(t.http)
          .post('/v1/admin/api-keys')
          .send({ name: 'x', scopes: ['admin'] }),
      () => request(t.http).get('/v1/admin/api-keys'),
      () => request(t.http).delete('/v1/admin/api-keys/0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a'),
    ];

    it('answers 401 with a Bearer challenge when no key is sent', async () => {
      for (const route of routes) {
        const response = await route().expect(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });

    it('answers 401 to a wrong key, of either shape', async () => {
      for (const secret of ['not-the-token', `mp_00000000_${'B'.repeat(43)}`]) {
        for (const route of routes) {
          const response = await route().set(bearer(secret)).expect(401);
          expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        }
      }
      const { rows } = await sql.query("SELECT count(*)::int AS n FROM api_keys WHERE name = 'x'");
      expect(rows[0].n).toBe(0);
    });
  });
});
