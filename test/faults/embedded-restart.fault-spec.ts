import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppProcess } from './support/app-process';
import { tally, Traffic } from './support/traffic';

const TOKEN = 'fault-admin-token-with-at-least-32-characters';
const MODEL = 'fault/embedded-model';

/**
 * `npm start` with no DATABASE_URL: the app runs its own PostgreSQL. Killed
 * (SIGKILL, a crash), the app starts it again by itself; meanwhile requests
 * answer quick 503s, and every write answered 2xx is there afterwards.
 */
describe('the embedded PostgreSQL killed under a running app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'modelpulse-fault-embedded-'));
  let app: AppProcess;

  beforeAll(async () => {
    // As root the server runs as `postgres`, which must reach the directory.
    chmodSync(dataDir, 0o755);
    app = await AppProcess.start('standalone', {
      MODELPULSE_DATA_DIR: dataDir,
      MODELPULSE_ADMIN_TOKEN: TOKEN,
      RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
      // The traffic is one client address reading many times a second; the limits are not what is tried here.
      RATE_LIMIT_READ_PER_MINUTE: '1000000',
      LOG_LEVEL: 'log',
    });
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
  });

  const server = () => {
    const { port } = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8')) as { port: number };
    const { user, password } = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
      user: string;
      password: string;
    };
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  };

  it('is started again by the app; requests answer 2xx or a quick 503 meanwhile; nothing acknowledged is lost', async () => {
    const created = await fetch(`${app.url}/v1/models`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: MODEL }),
    });
    expect(created.status).toBe(201);
    const postmaster = Number(readFileSync(join(dataDir, 'postgres17', 'postmaster.pid'), 'utf8').split('\n')[0]);

    const traffic = new Traffic(app.url, TOKEN, MODEL, 'embedded').start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const killedAt = traffic.now();
    process.kill(postmaster, 'SIGKILL');
    await app.waitForOutput(/embedded PostgreSQL started again/, 30_000);
    const restartedAt = traffic.now();
    const deadline = Date.now() + 30_000;
    while (!traffic.since(traffic.now() - 1_000).some((a) => a.kind === 'write' && a.status === 200)) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await traffic.stop();

    const counts = tally(traffic.answers);
    const bad = traffic.answers.filter(
      (a) =>
        !((a.status >= 200 && a.status < 300) || (a.status === 503 && (a.kind === 'ready' || a.retryAfter !== null))) ||
        a.ms > 2_500,
    );
    expect({ bad: bad.slice(0, 5), counts }).toEqual({ bad: [], counts: expect.anything() });
    expect(traffic.answers.some((a) => a.status === 503 && a.at >= killedAt && a.at <= restartedAt)).toBe(true);
    expect(traffic.since(restartedAt).some((a) => a.kind === 'write' && a.status === 200)).toBe(true);
    expect(app.log).toContain('embedded PostgreSQL exited unexpectedly (SIGKILL); starting it again');

    const client = new Client({ connectionString: server() });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM download_events WHERE event_id = ANY($1)',
        [traffic.acknowledged],
      );
      expect(traffic.acknowledged.length).toBeGreaterThan(0);
      expect(rows[0].n).toBe(traffic.acknowledged.length);
    } finally {
      await client.end();
    }
    expect(app.log).not.toMatch(/(\n|\\n)\s+at /);
  }, 90_000);
});
