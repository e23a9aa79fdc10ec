import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnPty } from '@lydell/node-pty';
import { AppProcess } from './support/app-process';
import { freePort } from '@modelpulse/database';
import { Cluster } from './support/cluster';
import { SeededUpstreams } from './support/seeded-upstreams';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'fault-admin-token-with-at-least-32-characters';
const admin = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
/** A stack trace line, as Node prints them, or inside a JSON log line. */
const STACK_LINE = /(\n|\\n)\s+at \S.*\(?\S+:\d+:\d+\)?/;
/** Slow upstreams with a strict pace: a sync of the seed takes minutes, most of its calls waiting in the limiter. */
const SLOW_SYNC = {
  MODELPULSE_ADMIN_TOKEN: TOKEN,
  LOG_LEVEL: 'log',
  HF_REQUESTS_PER_SECOND: '1',
  GITHUB_REQUESTS_PER_SECOND: '1',
  HF_CONCURRENCY: '1',
  GITHUB_CONCURRENCY: '1',
  JOB_POLLING_INTERVAL_SECONDS: '0.5',
  // The read traffic below comes from one address, and cache hits answer it faster than the public
  // limit allows a minute: this spec is about stopping, not limits.
  RATE_LIMIT_READ_PER_MINUTE: '1000000',
};

interface Run {
  id: string;
  status: string;
  finishedAt: string | null;
  errors: { error: string }[];
}

async function requestSync(url: string): Promise<string> {
  const response = await fetch(`${url}/v1/admin/sync`, { method: 'POST', headers: admin, body: '{}' });
  expect(response.status).toBe(202);
  return ((await response.json()) as Run).id;
}

async function runOf(url: string, id: string): Promise<Run | undefined> {
  const response = await fetch(`${url}/v1/sync/runs?limit=100`);
  return ((await response.json()) as { data: Run[] }).data.find((r) => r.id === id);
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The processes whose parent is `pid` (the embedded PostgreSQL's postmaster, for the app). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        // pid (comm) state ppid ...; comm may hold spaces, so read after its closing parenthesis.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * GETs the catalogue in a loop on `clients` connections until told to stop.
 * A request the server never took (refused, or a kept-alive connection
 * closed under it before it was read) fails before any answer; an answer
 * cut half-way fails while its body is read.
 */
function load(url: string, clients: number) {
  const outcomes = { ok: 0, unavailable: 0, notTaken: 0, notTakenCodes: new Set<string>(), wrong: [] as string[] };
  let running = true;
  const client = async () => {
    while (running) {
      let response: Response;
      try {
        response = await fetch(`${url}/v1/models?limit=50`);
      } catch (error) {
        outcomes.notTaken += 1;
        outcomes.notTakenCodes.add((error as { cause?: { code?: string } }).cause?.code ?? String(error));
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      try {
        const body = await response.text();
        if (response.status === 200 && body.startsWith('{"data":')) outcomes.ok += 1;
        else if (response.status === 503) outcomes.unavailable += 1;
        else outcomes.wrong.push(`HTTP ${response.status}`);
      } catch (error) {
        outcomes.wrong.push(`answer cut: ${(error as Error).message}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client));
  return { outcomes, stop: () => ((running = false), done) };
}

describe('stopping in the middle of a stats sync', () => {
  let upstreams: SeededUpstreams;

  beforeAll(async () => {
    upstreams = await SeededUpstreams.start();
  });

  afterAll(async () => {
    await upstreams?.stop();
  });

  beforeEach(() => {
    upstreams.clearFaults();
    upstreams.hub.clearRequests();
    upstreams.github.clearRequests();
  });

  describe('SIGTERM under load', () => {
    let cluster: Cluster;
    let app: AppProcess;

    beforeAll(async () => {
      cluster = await Cluster.create();
    });

    afterAll(async () => {
      await app?.stop();
      await cluster?.destroy();
    });

    it('answers what is in flight, abandons the queued upstream calls, records the run interrupted and exits within 10 s', async () => {
      app = await AppProcess.start('standalone', {
        DATABASE_URL: await cluster.createDatabase('sigterm'),
        ...SLOW_SYNC,
        ...upstreams.env,
      });
      upstreams.slowDown(500);
      const runId = await requestSync(app.url);
      const traffic = load(app.url, 8);
      await until('a running sync with upstream calls made', () => upstreams.requestCount >= 3);
      const answeredBefore = traffic.outcomes.ok;
      expect(answeredBefore).toBeGreaterThan(0);

      const signalledAt = Date.now();
      app.signal('SIGTERM');
      const exit = await app.exited;
      const stopMs = Date.now() - signalledAt;
      await traffic.stop();
      const requestsMade = upstreams.requestCount;

      expect(exit).toEqual({ code: 0, signal: null });
      expect(stopMs).toBeLessThan(10_000);
      // Every request the server took got a whole answer; the others found it closed.
      expect(traffic.outcomes.wrong).toEqual([]);
      for (const code of traffic.outcomes.notTakenCodes)
        expect(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(code);
      expect(traffic.outcomes.ok).toBeGreaterThanOrEqual(answeredBefore);
      // One sync of the seed is 20 upstream calls; the ones still queued were never made.
      expect(requestsMade).toBeLessThan(upstreams.hubIds.length + upstreams.repos.length);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(upstreams.requestCount).toBe(requestsMade);
      expect(app.log).toMatch(new RegExp(`stats-sync run ${runId} interrupted: the process is stopping`));
      expect(app.log).not.toMatch(STACK_LINE);

      const [run] = await cluster.query<{ status: string; finished_at: Date | null; errors: { error: string }[] }>(
        'SELECT status, finished_at, errors FROM sync_runs WHERE id = $1',
        [runId],
        'sigterm',
      );
      expect(run.status).toBe('interrupted');
      expect(run.finished_at).not.toBeNull();
      expect(run.errors.map((e) => e.error)).toEqual(['interrupted: its process was stopped (SIGTERM or SIGINT)']);
      // Abandoned calls are not upstream failures: no binding was marked failing for them.
      const failing = await cluster.query("SELECT 1 FROM upstream_bindings WHERE status = 'failing'", [], 'sigterm');
      expect(failing).toEqual([]);
    }, 90_000);
  });

  describe('Ctrl-C in a terminal, on the embedded PostgreSQL', () => {
    it('closes the app, then the database, within 10 s, with no stack trace and no PostgreSQL left', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'modelpulse-fault-pty-'));
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        MODELPULSE_DATA_DIR: dataDir,
        SYNC_ENABLED: 'false',
        ...SLOW_SYNC,
        ...upstreams.env,
      };
      // `npm start` runs this after its build, through exec: the terminal's foreground group is Node's.
      const terminal = spawnPty(process.execPath, [join(ROOT, 'dist', 'apps', 'standalone', 'src', 'main.js')], {
        name: 'xterm',
        cols: 200,
        rows: 50,
        cwd: ROOT,
        env,
      });
      let output = '';
      terminal.onData((data) => (output += data));
      const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => terminal.onExit(resolve));
      try {
        await until('the app listening', () => output.includes('modelpulse listening on'), 60_000);
        const postgres = childrenOf(terminal.pid);
        expect(postgres).toHaveLength(1);
        const backends = childrenOf(postgres[0]);
        expect(backends.length).toBeGreaterThan(0);

        upstreams.slowDown(500);
        const runId = await requestSync(url);
        await until('a running sync with upstream calls made', () => upstreams.requestCount >= 3);

        const signalledAt = Date.now();
        terminal.write('\x03');
        const exit = await exited;
        const stopMs = Date.now() - signalledAt;
        expect(exit.exitCode).toBe(130);
        expect(stopMs).toBeLessThan(10_000);
        expect(output).toMatch(/SIGINT: closing the application, then the database/);
        expect(output).toMatch(new RegExp(`stats-sync run ${runId} interrupted: the process is stopping`));
        expect(output).not.toMatch(STACK_LINE);
        expect(output).not.toMatch(/ECONNREFUSED|terminating connection/);
        // The postmaster and every backend are gone with the app.
        expect([...postgres, ...backends].filter(alive)).toEqual([]);

        // Started again on the same data directory: the run is on record as interrupted.
        upstreams.clearFaults();
        const again = await AppProcess.start('standalone', { ...env, LOG_LEVEL: 'warn' });
        try {
          const run = await runOf(again.url, runId);
          expect(run).toMatchObject({ status: 'interrupted' });
          expect(run?.finishedAt).not.toBeNull();
        } finally {
          await again.stop();
        }
      } finally {
        if (alive(terminal.pid)) terminal.kill('SIGKILL');
      }
    }, 120_000);
  });
});
