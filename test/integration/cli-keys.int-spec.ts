import { createHash } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { ApiKeysService, AuthService, InvalidApiKeyInputError } from '@modelpulse/core/auth';
import { CliModule } from '../../apps/cli/src/cli.module';
import { parseKeysCommand, runKeysCommand } from '../../apps/cli/src/key-commands';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The CLI's keys commands on the CLI's own module and a real database. */
describe('npm run cli -- keys', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let sql: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await app.close();
    await db.drop();
  });

  const cli = async (...args: string[]) => {
    const command = parseKeysCommand(args);
    const lines: string[] = [];
    const code = await runKeysCommand(app.get(ApiKeysService), command, (line) => lines.push(line));
    return { code, lines };
  };

  it('says when there are no keys yet', async () => {
    expect(await cli('list')).toEqual({
      code: 0,
      lines: ['no API keys yet: npm run cli -- keys create --name <name> --scope <scope>'],
    });
  });

  it('creates a key, prints its secret once, and the secret authenticates', async () => {
    const { code, lines } = await cli(
      'create',
      '--name',
      'ci',
      '--scope',
      'stats:ingest',
      '--scope',
      'catalog:write',
      '--source',
      'mirror-eu',
      '--source',
      'events',
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^created key [0-9a-f-]{36} "ci" \(mp_[0-9a-f]{8}; catalog:write, stats:ingest; writes events, mirror-eu\)$/,
    );
    expect(lines[1]).toBe('its secret, shown this once (only a hash is kept):');
    const secret = lines[2];
    expect(secret).toMatch(/^mp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);

    const { rows } = await sql.query('SELECT id, secret_hash, scopes FROM api_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0].secret_hash).toEqual(createHash('sha256').update(secret).digest());
    expect(await app.get(AuthService).authenticate(secret)).toEqual({
      keyId: rows[0].id,
      scopes: ['catalog:write', 'stats:ingest'],
      sources: ['events', 'mirror-eu'],
    });
  });

  it('lists keys as a table without secrets, then revokes one', async () => {
    const { rows } = await sql.query('SELECT id, prefix FROM api_keys');
    const [{ id, prefix }] = rows;
    const listed = await cli('list');
    expect(listed.lines).toHaveLength(2);
    expect(listed.lines[0]).toMatch(/^id\s+prefix\s+scopes\s+sources\s+created\s+last used\s+revoked\s+name$/);
    expect(listed.lines[1]).toMatch(
      new RegExp(
        `^${id}  ${prefix}  catalog:write,stats:ingest  events,mirror-eu  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  -\\s+ci$`,
      ),
    );

    expect(await cli('revoke', id)).toEqual({ code: 0, lines: [`revoked ${id}`] });
    const after = await cli('list');
    expect(after.lines[1]).toMatch(/\d\d:\d\d {2}ci$/);
    expect(after.lines[1]).not.toMatch(/ - +ci$/);
  });

  it('refuses an unknown scope and a malformed id with the field named', async () => {
    await expect(cli('create', '--name', 'x', '--scope', 'catalog:read')).rejects.toThrow(
      new InvalidApiKeyInputError('scopes', 'scopes must be one or more of catalog:write, stats:ingest, admin'),
    );
    await expect(cli('create', '--name', 'x', '--scope', 'stats:ingest')).rejects.toMatchObject({ field: 'sources' });
    await expect(cli('create', '--name', 'x', '--scope', 'catalog:write', '--source', 'mirror-eu')).rejects.toThrow(
      new InvalidApiKeyInputError('sources', 'sources are for stats:ingest keys only'),
    );
    await expect(cli('revoke', 'nope')).rejects.toMatchObject({ field: 'id' });
    await expect(cli('revoke', '0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a')).rejects.toThrow(
      'API key 0f8e5f0c-3b7a-4d52-9a51-2f1e8f4f6f3a was not found',
    );
  });
});
