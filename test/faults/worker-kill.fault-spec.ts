import { AppProcess } from './support/app-process';
import { Cluster } from './support/cluster';
import { SeededUpstreams } from './support/seeded-upstreams';

const TOKEN = 'fault-admin-token-with-at-least-32-characters';
const admin = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
/** Short, so the sweep is seen within the test; the defaults are 10 s and 30 s. */
const HEARTBEAT = { JOB_HEARTBEAT_SECONDS: '1', JOB_STALE_AFTER_SECONDS: '3', JOB_POLLING_INTERVAL_SECONDS: '0.5' };

interface Run {
  id: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  heartbeatAt: string | null;
  modelsDone: number;
  errors: { error: string }[];
}

async function runs(api: AppProcess): Promise<Run[]> {
  const response = await fetch(`${api.url}/v1/sync/runs?kind=stats-sync&limit=100`);
  return ((await response.json()) as { data: Run[] }).data;
}

async function requestSync(api: AppProcess): Promise<string> {
  const response = await fetch(`${api.url}/v1/admin/sync`, { method: 'POST', headers: admin, body: '{}' });
  expect(response.status).toBe(202);
  return ((await response.json()) as Run).id;
}

/** Polls until `check` answers a value; fails with what was last seen after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ended = (api: AppProcess, id: string) =>
  until(`end of run ${id}`, async () => {
    const run = (await runs(api)).find((r) => r.id === id);
    return run && run.status !== 'queued' && run.status !== 'running' ? run : undefined;
  });

/** Every daily figure of every model, by id, source and day: what the series endpoints answer from. */
const dailySeries = (cluster: Cluster, database: string) =>
  cluster.query(
    `SELECT m.slug, d.source, d.day::text, d.downloads::text, d.likes, d.stars, d.imputed, d.flags
       FROM daily_stats d JOIN models m ON m.id = d.model_id ORDER BY m.slug, d.source, d.day`,
    [],
    database,
  );

describe('a worker killed (SIGKILL) in the middle of a stats sync', () => {
  let cluster: Cluster;
  let upstreams: SeededUpstreams;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    [cluster, upstreams] = await Promise.all([Cluster.create(), SeededUpstreams.start()]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await upstreams?.stop();
    await cluster?.destroy();
  });

  it('is marked interrupted by a live worker, and the next run gives the series of an uninterrupted sync', async () => {
    const [killedDb, cleanDb] = await Promise.all([cluster.createDatabase('killed'), cluster.createDatabase('clean')]);
    const env = (url: string) => ({
      DATABASE_URL: url,
      MODELPULSE_ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'log',
      HF_REQUESTS_PER_SECOND: '50',
      GITHUB_REQUESTS_PER_SECOND: '50',
      HF_CONCURRENCY: '1',
      GITHUB_CONCURRENCY: '1',
      ...upstreams.env,
      ...HEARTBEAT,
    });
    // One database gets two workers, one of which is killed; the other one worker that never is.
    const api = await AppProcess.start('api', env(killedDb));
    const workers = await Promise.all([
      AppProcess.start('worker', env(killedDb)),
      AppProcess.start('worker', env(killedDb)),
    ]);
    const clean = await AppProcess.start('standalone', env(cleanDb));
    apps.push(api, ...workers, clean);

    // A first sync on each: the baseline readings.
    const first = [await requestSync(api), await requestSync(clean)];
    expect((await ended(api, first[0])).status).toBe('succeeded');
    expect((await ended(clean, first[1])).status).toBe('succeeded');

    // New counters upstream; on one database the sync that reads them is killed half-way.
    upstreams.nextRound();
    upstreams.slowDown(300);
    const killedRun = await requestSync(api);
    const started = new RegExp(`stats-sync run ${killedRun} started`);
    await until('a worker taking the run', async () => (workers.some((w) => started.test(w.log)) ? true : undefined));
    const victim = workers.find((w) => started.test(w.log))!;
    const survivor = workers.find((w) => w !== victim)!;
    const requestsBefore = upstreams.requestCount;
    await until('a few upstream requests', async () =>
      upstreams.requestCount >= requestsBefore + 3 ? true : undefined,
    );
    expect((await runs(api)).find((r) => r.id === killedRun)?.status).toBe('running');
    victim.signal('SIGKILL');
    const killedAt = Date.now();
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const totalRequests = upstreams.hubIds.length + upstreams.repos.length;
    // Killed in the middle: part of the requests of one sync had been made.
    expect(upstreams.requestCount - requestsBefore).toBeLessThan(totalRequests);
    upstreams.clearFaults();

    // Marked by the live worker's sweep, well within the minute the issue allows.
    const interrupted = await until(
      'the killed run marked interrupted',
      async () => (await runs(api)).find((r) => r.id === killedRun && r.status === 'interrupted'),
      60_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(interrupted.finishedAt).not.toBeNull();
    expect(interrupted.finishedAt).toBe(interrupted.heartbeatAt);
    expect(Date.parse(interrupted.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(interrupted.startedAt));
    expect(interrupted.errors.map((e) => e.error)).toEqual([
      'interrupted: its process stopped answering (no heartbeat for over 3 s)',
    ]);
    // Its warning follows the update it reports, through a pipe: wait for it rather than race it.
    await survivor.waitForOutput(new RegExp(`stats-sync run ${killedRun} interrupted: no heartbeat since`), 10_000);

    // The next run completes, on the surviving worker; the clean database reads the same counters once.
    const next = await requestSync(api);
    const nextRun = await ended(api, next);
    const cleanSecond = await ended(clean, await requestSync(clean));
    expect(nextRun).toMatchObject({ status: 'succeeded', modelsDone: cleanSecond.modelsDone });
    expect(cleanSecond.status).toBe('succeeded');
    expect(survivor.log).toMatch(new RegExp(`stats-sync run ${next} succeeded`));

    const [afterKill, uninterrupted] = await Promise.all([
      dailySeries(cluster, 'killed'),
      dailySeries(cluster, 'clean'),
    ]);
    // Every tracked model has its day, with the round's increments in it.
    expect(uninterrupted.length).toBeGreaterThanOrEqual(upstreams.hubIds.length);
    expect(uninterrupted.some((row) => Number(row.downloads) > 0)).toBe(true);
    expect(afterKill).toEqual(uninterrupted);
    expect(victim.log).not.toMatch(/(\n|\\n)\s+at /);
  }, 150_000);
});
