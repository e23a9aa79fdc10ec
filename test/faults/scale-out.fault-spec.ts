import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { deleteRedisKeys, redisKeys, uniqueRedisPrefix } from '../support/redis';
import { eventually } from '../support/wait';
import { AppProcess } from './support/app-process';
import { Cluster } from './support/cluster';

const ADMIN_TOKEN = 'fault-admin-token-with-at-least-32-characters';
const LIMIT_PER_MINUTE = 5;
const SYNC_RUNS = 3;
/**
 * Redis is optional for users, so the part that needs one runs when
 * REDIS_URL names it (`.ci/run` sets it to the machine's Redis and stops
 * when that does not answer). This is the one setting a test may hang on.
 */
const REDIS_URL = process.env.REDIS_URL;

interface SeedModel {
  id: string;
  links: { huggingface: string | null; github: string | null };
}
const SEED: SeedModel[] = JSON.parse(
  readFileSync(join(__dirname, '../../libs/core/src/catalog/seed/catalog.seed.json'), 'utf8'),
).models;

/**
 * The scale-out shape of docs/operations.md as real OS processes: two API
 * replicas and two workers on one database. Each scheduled tick runs once,
 * no reading is written twice, and the ingest limit is per process without
 * Redis and one budget across the replicas with it.
 */
describe('two API processes and two workers on one database', () => {
  let cluster: Cluster;
  let databaseUrl: string;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  const processes: AppProcess[] = [];
  let apis: AppProcess[];
  let workers: AppProcess[];

  const sql = <T>(query: string, params: unknown[] = []) => cluster.query<T>(query, params, 'scale');

  beforeAll(async () => {
    cluster = await Cluster.create();
    databaseUrl = await cluster.createDatabase('scale');
    hub = await FakeHuggingFace.start();
    github = await FakeGitHub.start();
    for (const model of SEED) {
      if (model.links.huggingface) hub.addModel({ id: model.links.huggingface, downloadsAllTime: 1_000, likes: 3 });
      if (model.links.github) github.addRepo(model.links.github, { stars: 50, forks: 5 });
    }
    const apiEnv = {
      DATABASE_URL: databaseUrl,
      MODELPULSE_ADMIN_TOKEN: ADMIN_TOKEN,
      RATE_LIMIT_INGEST_PER_MINUTE: String(LIMIT_PER_MINUTE),
    };
    const workerEnv = {
      DATABASE_URL: databaseUrl,
      SYNC_ENABLED: 'true',
      // Every 10 s; each worker checks every 20 s, so both find the same tick most of the time.
      SYNC_CRON: '*/10 * * * * *',
      HF_ENDPOINT: hub.url,
      GITHUB_API_URL: github.url,
      HF_REQUESTS_PER_SECOND: '1000',
      HF_CONCURRENCY: '8',
      GITHUB_REQUESTS_PER_SECOND: '1000',
      GITHUB_CONCURRENCY: '8',
      JOB_POLLING_INTERVAL_SECONDS: '0.5',
      LOG_LEVEL: 'log',
    };
    // The first process migrates; the others start together, as replicas do.
    apis = [await AppProcess.start('api', apiEnv)];
    processes.push(apis[0]);
    const rest = await AppProcess.startAll([
      ['api', apiEnv],
      ['worker', workerEnv],
      ['worker', workerEnv],
    ]);
    processes.push(...rest);
    apis.push(rest[0]);
    workers = rest.slice(1);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await hub?.stop();
    await github?.stop();
    await cluster?.destroy();
  });

  async function newIngestKey(name: string): Promise<string> {
    const response = await fetch(`${apis[0].url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, scopes: ['stats:ingest'], sources: ['events'] }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { secret: string }).secret;
  }

  /** `count` event posts with one key, alternating between `replicas`; answers the statuses each replica gave. */
  async function postEvents(replicas: AppProcess[], key: string, count: number): Promise<number[][]> {
    const statuses: number[][] = replicas.map(() => []);
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${replicas[i % replicas.length].url}/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: [{ id: `${key.slice(-8)}-${i}`, model: 'Qwen/QwQ-32B' }] }),
      });
      statuses[i % replicas.length].push(response.status);
      await response.arrayBuffer();
    }
    return statuses;
  }

  const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

  it('without REDIS_URL counts the ingest limit in each API process: two replicas, twice the budget', async () => {
    const [first, second] = await postEvents(apis, await newIngestKey('mirror without redis'), 4 * LIMIT_PER_MINUTE);
    for (const statuses of [first, second]) {
      expect({ ok: count(statuses, 200), refused: count(statuses, 429) }).toEqual({
        ok: LIMIT_PER_MINUTE,
        refused: LIMIT_PER_MINUTE,
      });
    }
  });

  it('runs each scheduled tick once on one of the two workers, and writes no reading twice', async () => {
    const done = () =>
      sql<{ tick_key: string; status: string }>(
        `SELECT tick_key, status FROM sync_runs WHERE kind = 'stats-sync' AND status NOT IN ('queued', 'running')`,
      );
    await eventually(
      `${SYNC_RUNS} scheduled stats syncs`,
      async () => ((await done()).length >= SYNC_RUNS ? true : undefined),
      { timeoutMs: 120_000, everyMs: 500 },
    );
    // Stopping lets a run in progress finish (pg-boss's graceful stop), so every run is on record.
    await Promise.all(workers.map((w) => w.stop()));

    const runs = await sql<{ kind: string; trigger: string; tick_key: string; status: string; models_failed: number }>(
      'SELECT kind, trigger, tick_key, status, models_failed FROM sync_runs ORDER BY tick_key',
    );
    expect(runs.every((r) => r.trigger === 'schedule' && r.status === 'succeeded')).toBe(true);
    const kinds = (kind: string) => runs.filter((r) => r.kind === kind);
    // The daily ticks: both workers enqueued them at every check, and each ran once.
    expect([kinds('discovery').length, kinds('rollup').length]).toEqual([1, 1]);
    const syncs = kinds('stats-sync');
    expect(syncs.length).toBeGreaterThanOrEqual(SYNC_RUNS);
    expect(new Set(syncs.map((r) => r.tick_key)).size).toBe(syncs.length);
    // One queue job per tick, whichever worker sent it first.
    const jobs = await sql<{ name: string; n: number }>(
      `SELECT name, count(*)::int AS n FROM pgboss.job WHERE name IN ('stats-sync', 'discovery', 'rollup')
          GROUP BY name ORDER BY name`,
    );
    expect(jobs).toEqual([
      { name: 'discovery', n: 1 },
      { name: 'rollup', n: 1 },
      { name: 'stats-sync', n: syncs.length },
    ]);

    // A tick run twice would read the upstreams twice: each repository was read once per sync.
    const repos = new Map<string, number>();
    for (const r of github.requests) repos.set(r.path, (repos.get(r.path) ?? 0) + 1);
    expect(new Set(repos.values())).toEqual(new Set([syncs.length]));
    // The hub: the first sync reads each author's list; the later ones, whose models all have a
    // reading, read the top list (one page holds the whole fake hub) instead. Discovery's top
    // lists ask for trendingScore too and are not the sync's.
    const topListPages = hub.requests.filter(
      (r) =>
        r.path === '/api/models' &&
        r.query.get('author') === null &&
        !r.query.getAll('expand[]').includes('trendingScore'),
    ).length;
    const authors = new Map<string, number>();
    for (const r of hub.requests.filter((r) => r.query.get('author') !== null)) {
      authors.set(r.query.get('author')!, (authors.get(r.query.get('author')!) ?? 0) + 1);
    }
    expect(new Set([...authors.values()].map((n) => n + topListPages))).toEqual(new Set([syncs.length]));

    // And wrote one reading per model and source per sync, none twice.
    const [{ twice }] = await sql<{ twice: number }>(
      `SELECT count(*)::int AS twice FROM (
           SELECT 1 FROM observations GROUP BY model_id, source, observed_at HAVING count(*) > 1) d`,
    );
    expect(twice).toBe(0);
    const readings = await sql<{ source: string; per_model: number; models: number }>(
      `SELECT source, per_model, count(*)::int AS models
           FROM (SELECT source, count(*)::int AS per_model FROM observations GROUP BY model_id, source) m
          GROUP BY source, per_model ORDER BY source`,
    );
    expect(readings).toEqual([
      { source: 'github', per_model: syncs.length, models: SEED.filter((m) => m.links.github).length },
      { source: 'huggingface', per_model: syncs.length, models: SEED.filter((m) => m.links.huggingface).length },
    ]);
  }, 180_000);

  if (REDIS_URL) {
    describe(`with REDIS_URL (${REDIS_URL})`, () => {
      const prefix = uniqueRedisPrefix('scale-out');
      let shared: AppProcess[];

      beforeAll(async () => {
        const env = {
          DATABASE_URL: databaseUrl,
          MODELPULSE_ADMIN_TOKEN: ADMIN_TOKEN,
          RATE_LIMIT_INGEST_PER_MINUTE: String(LIMIT_PER_MINUTE),
          REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
        };
        shared = await AppProcess.startAll([
          ['api', env],
          ['api', env],
        ]);
        processes.push(...shared);
      }, 120_000);

      afterAll(() => deleteRedisKeys(REDIS_URL, prefix));

      it('holds the ingest limit across the two API replicas: one budget, refused by either', async () => {
        const [first, second] = await postEvents(shared, await newIngestKey('mirror with redis'), 4 * LIMIT_PER_MINUTE);
        expect(count(first, 200) + count(second, 200)).toBe(LIMIT_PER_MINUTE);
        expect([count(first, 429), count(second, 429)].every((refused) => refused > 0)).toBe(true);
        expect(count(first, 429) + count(second, 429)).toBe(3 * LIMIT_PER_MINUTE);
        expect((await redisKeys(REDIS_URL, prefix)).some((key) => key.startsWith('{ingest:key:'))).toBe(true);
      });
    });
  }
});
