import { PassThrough } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { ModelsService } from '@modelpulse/core/catalog';
import { CliModule } from '../../apps/cli/src/cli.module';
import { parseSyncCommand, runSyncCommand } from '../../apps/cli/src/sync-command';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import type { Fault } from '../fakes/fake-server';
import { createTestDatabase, type TestDatabase } from '../support/database';

const SERVER_ERROR: Fault = { kind: 'reply', reply: { status: 500, body: { error: 'Internal Error' } } };

/** `npm run cli -- sync` on the CLI's own module, a real database and fake upstreams. */
describe('npm run cli -- sync', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  let sql: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start();
    github = await FakeGitHub.start();
    hub.addModel({ id: 'acme/alpha', downloadsAllTime: 5_000, downloads: 900, likes: 7 });
    hub.addModel({ id: 'acme/beta', downloadsAllTime: 3_000, downloads: 400, likes: 2 });
    github.addRepo('acme/alpha-code', { stars: 40, forks: 4 });
    Object.assign(process.env, {
      HF_ENDPOINT: hub.url,
      GITHUB_API_URL: github.url,
      HF_REQUESTS_PER_SECOND: '1000',
      GITHUB_REQUESTS_PER_SECOND: '1000',
      // One attempt per request, so a failing upstream fails at once instead of after backoff.
      UPSTREAM_MAX_RETRIES: '0',
    });
    app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
    const models = app.get(ModelsService);
    await models.create({ id: 'acme/alpha', links: { huggingface: 'acme/alpha', github: 'acme/alpha-code' } });
    await models.create({ id: 'acme/beta', links: { huggingface: 'acme/beta' } });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterEach(() => {
    hub.clearFaults();
    github.clearFaults();
  });

  afterAll(async () => {
    await sql.end();
    await app.close();
    await hub.stop();
    await github.stop();
    await db.drop();
  });

  /** Runs `sync` with these arguments as main.ts would; answers the exit code and what it printed. */
  const cli = async (...args: string[]) => {
    const command = parseSyncCommand(args);
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const code = await runSyncCommand(app, command.kind, out);
    return { code, lines: printed.split('\n').slice(0, -1) };
  };

  it('syncs every tracked model and prints the run, exit code 0', async () => {
    // jsonb keeps object keys shortest first, so github comes before huggingface.
    expect(await cli()).toEqual({
      code: 0,
      lines: ['stats-sync run 1 succeeded: 2 done, 0 failed, 0 skipped; upstream requests: github 1, huggingface 1'],
    });
    const { rows } = await sql.query(
      `SELECT kind, trigger, status, finished_at IS NOT NULL AS finished FROM sync_runs WHERE id = 1`,
    );
    expect(rows).toEqual([{ kind: 'stats-sync', trigger: 'cli', status: 'succeeded', finished: true }]);
  });

  it('exits 0 on a partial run and lists what failed', async () => {
    github.failNext(1, SERVER_ERROR);
    expect(await cli('--kind', 'stats-sync')).toEqual({
      code: 0,
      lines: [
        'stats-sync run 2 partial: 1 done, 1 failed, 0 skipped; upstream requests: github 1, huggingface 1',
        '  1 × github: HTTP 500 after 1 attempt (acme/alpha)',
        'the full list of errors: GET /v1/sync/runs (run 2)',
      ],
    });
  });

  it('exits 1 when every upstream answers 500', async () => {
    hub.failNext(5, SERVER_ERROR);
    github.failNext(5, SERVER_ERROR);
    expect(await cli()).toEqual({
      code: 1,
      lines: [
        'stats-sync run 3 failed: 0 done, 2 failed, 0 skipped; upstream requests: github 1, huggingface 1',
        '  2 × huggingface: HTTP 500 after 1 attempt (acme/alpha, acme/beta)',
        '  1 × github: HTTP 500 after 1 attempt (acme/alpha)',
        'the full list of errors: GET /v1/sync/runs (run 3)',
      ],
    });
  });

  it('runs the other jobs by --kind, and refuses an unknown one', async () => {
    expect(await cli('--kind', 'rollup')).toEqual({
      code: 0,
      lines: ['rollup run 4 succeeded: 2 done, 0 failed, 0 skipped'],
    });
    expect(() => parseSyncCommand(['--kind', 'backfill'])).toThrow(
      '--kind must be one of stats-sync, discovery, rollup, got "backfill"',
    );
  });
});
