import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@modelpulse/database';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { withDatabase } from '../support/test-env';

const ROOT = join(__dirname, '..', '..');
const STANDALONE = join(ROOT, 'dist', 'apps', 'standalone', 'src', 'main.js');

interface Started {
  child: ChildProcess;
  /** stdout and stderr, line by line, in the order they came. */
  lines: string[];
  exited: Promise<number | null>;
}

function start(command: string, args: string[], env: Record<string, string>): Started {
  // Its own process group, so the test can stop npm, its shell and Node together.
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
  const lines: string[] = [];
  const take = (chunk: Buffer) =>
    lines.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((line) => line !== ''),
    );
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, lines, exited };
}

async function until(what: string, test: () => boolean, started: Started, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (started.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`never saw ${what}; printed:\n${started.lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const NEST_WIRING = /InstanceLoader|RoutesResolver|RouterExplorer|NestFactory|Mapped \{/;

/** The service's start as a person meets it: `npm start` and the built entry point, as real processes. */
describe('start-up', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.js')], { cwd: ROOT });
    if (build.status !== 0) throw new Error(`build failed: ${String(build.stderr)}${String(build.stdout)}`);
    db = await createTestDatabase();
  }, 180_000);

  afterAll(async () => {
    await db.drop();
  });

  it('npm start says each step on one line and prints at most 15 lines until it listens, none of them Nest wiring', async () => {
    const port = await freePort();
    const started = start('npm', ['start'], { PORT: String(port), DATABASE_URL: db.url, SYNC_ENABLED: 'false' });
    try {
      await until(
        'the listening line',
        () => started.lines.some((l) => l.includes('modelpulse listening on')),
        started,
      );
      const upToListening = started.lines.slice(
        0,
        started.lines.findIndex((l) => l.includes('modelpulse listening on')) + 1,
      );
      expect(upToListening.length).toBeLessThanOrEqual(15);
      expect(upToListening.filter((line) => NEST_WIRING.test(line))).toEqual([]);
      // After npm's own banner, the first line says what is happening.
      const ours = upToListening.filter((line) => !line.startsWith('>'));
      expect(ours[0]).toMatch(/^modelpulse: (building|connecting to PostgreSQL)/);
      const steps = ours.filter((line) => line.startsWith('modelpulse: '));
      expect(steps).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^modelpulse: connecting to PostgreSQL at DATABASE_URL=/),
          'modelpulse: migrating the database',
          'modelpulse: seeding the catalogue',
        ]),
      );
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    } finally {
      process.kill(-started.child.pid!, 'SIGTERM');
      await started.exited;
    }
  }, 120_000);

  describe('a busy port', () => {
    let squatter: Server;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(port, '0.0.0.0', resolve));
    });

    afterAll(async () => {
      await new Promise((resolve) => squatter.close(resolve));
    });

    it('ends, after a few attempts, in one line naming PORT and exit 1', async () => {
      const started = start(process.execPath, [STANDALONE], {
        PORT: String(port),
        DATABASE_URL: db.url,
        SYNC_ENABLED: 'false',
      });
      expect(await started.exited).toBe(1);
      expect(started.lines).toEqual([
        `modelpulse: PORT ${port} is already in use on 0.0.0.0 (another process listens there): stop it, or set PORT to a free port`,
      ]);
    }, 60_000);
  });

  it('an unreachable DATABASE_URL ends, after bounded retries, in one line naming it with the password masked, exit 1', async () => {
    // A port nothing listens on.
    const closed = await freePort();
    const url = `postgres://app:s3cret-pass@127.0.0.1:${closed}/modelpulse`;
    const started = start(process.execPath, [STANDALONE], {
      PORT: String(await freePort()),
      DATABASE_URL: url,
      SYNC_ENABLED: 'false',
    });
    expect(await started.exited).toBe(1);
    const shown = `DATABASE_URL=postgres://app:***@127.0.0.1:${closed}/modelpulse`;
    expect(started.lines).toEqual([
      `modelpulse: connecting to PostgreSQL at ${shown}`,
      `modelpulse: cannot reach the database at ${shown}: connect ECONNREFUSED 127.0.0.1:${closed} (5 attempts); ` +
        'check DATABASE_URL, or unset it to use the embedded PostgreSQL',
    ]);
    expect(started.lines.join('\n')).not.toContain('s3cret-pass');
  }, 60_000);

  it('a database the server refuses ends at once in one line naming DATABASE_URL, exit 1', async () => {
    const url = withDatabase(db.url, 'no_such_database');
    const started = start(process.execPath, [STANDALONE], {
      PORT: String(await freePort()),
      DATABASE_URL: url,
      SYNC_ENABLED: 'false',
    });
    expect(await started.exited).toBe(1);
    expect(started.lines).toHaveLength(2);
    expect(started.lines[1]).toMatch(
      /^modelpulse: the database at DATABASE_URL=\S+\/no_such_database refused the connection: database "no_such_database" does not exist$/,
    );
  }, 60_000);
});
