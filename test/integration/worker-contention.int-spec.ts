import { Client } from 'pg';
import { ModelsService } from '@modelpulse/core/catalog';
import { JobQueue, JobRunner, uuidFromName } from '@modelpulse/core/jobs';
import { StatsSyncJob } from '@modelpulse/core/sync';
import { Schedules } from '../../apps/worker/src/schedules';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import type { RecordedRequest } from '../fakes/fake-server';
import { FakeClock } from '../support/clock';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/wait';
import { createTestWorker, type TestWorker } from '../support/worker';

const FIRST_TICKS = [
  'discovery@2025-01-20T03:30:00.000Z',
  'rollup@2025-01-20T00:10:00.000Z',
  'stats-sync@2025-01-20T13:00:00.000Z',
];
const NEXT_SYNC = 'stats-sync@2025-01-20T14:00:00.000Z';

/** What a hub request was for: a stats sync reads the author's list, discovery the top lists. */
const hubCall = (r: RecordedRequest) =>
  r.query.get('author') !== null ? `author ${r.query.get('author')}` : `top ${r.query.get('sort')}`;

/**
 * Two worker processes (two Nest contexts, each with its own pg-boss and
 * pool) on one database, checking the schedules at the same moment: every
 * tick is enqueued once, worked by one of them through pg-boss, and run once.
 */
describe('two workers, one schedule', () => {
  let db: TestDatabase;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  let workers: TestWorker[];
  let sql: Client;
  const clock = new FakeClock('2025-01-20T13:05:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    hub.addModel({ id: 'acme/alpha', downloadsAllTime: 5_000, downloads: 900, likes: 7 });
    hub.addModel({ id: 'acme/beta', downloadsAllTime: 3_000, downloads: 400, likes: 2 });
    hub.addModel({ id: 'acme/gamma', downloadsAllTime: 1_000, downloads: 100, likes: 0 });
    github.addRepo('acme/alpha-code', { stars: 40, forks: 4 });
    github.addRepo('acme/beta-code', { stars: 12, forks: 1 });
    const options = {
      clock,
      hubUrl: hub.url,
      githubUrl: github.url,
      env: { JOB_POLLING_INTERVAL_SECONDS: '0.5' },
    };
    workers = await Promise.all([createTestWorker(options), createTestWorker(options)]);
    const models = workers[0].app.get(ModelsService);
    await models.create({ id: 'acme/alpha', links: { huggingface: 'acme/alpha', github: 'acme/alpha-code' } });
    await models.create({ id: 'acme/beta', links: { huggingface: 'acme/beta', github: 'acme/beta-code' } });
    await models.create({ id: 'acme/gamma', links: { huggingface: 'acme/gamma' } });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql.end();
    await Promise.all(workers.map((w) => w.close()));
    await hub.stop();
    await github.stop();
    await db.drop();
  });

  /** Both workers check the schedules at once; answers the ticks each one enqueued. */
  const tickBoth = () => Promise.all(workers.map((w) => w.app.get(Schedules).tick()));

  /** Waits until pg-boss has completed the jobs of `tickKeys` (so their runs have finished too). */
  const settled = (tickKeys: string[]) =>
    eventually(`the jobs of ${tickKeys.join(', ')}`, async () => {
      const { rows } = await sql.query(`SELECT state FROM pgboss.job WHERE id = ANY($1::uuid[])`, [
        tickKeys.map(uuidFromName),
      ]);
      return rows.length === tickKeys.length && rows.every((r) => r.state === 'completed') ? rows : undefined;
    });

  const runs = async () =>
    (
      await sql.query(
        `SELECT tick_key, kind, trigger, status, models_done, models_failed, models_skipped
           FROM sync_runs ORDER BY tick_key`,
      )
    ).rows;

  const observations = async () =>
    (
      await sql.query(
        `SELECT m.slug, o.source, o.observed_at, o.downloads_all_time, o.stars
           FROM observations o JOIN models m ON m.id = o.model_id ORDER BY m.slug, o.source, o.observed_at`,
      )
    ).rows.map((r) => [r.slug, r.source, r.observed_at.toISOString(), r.downloads_all_time, r.stars]);

  it('enqueues each tick once and runs it once, whichever worker takes it', async () => {
    const enqueued = await tickBoth();
    expect(enqueued.flat().sort()).toEqual(FIRST_TICKS);
    await settled(FIRST_TICKS);

    expect(await runs()).toEqual([
      {
        tick_key: FIRST_TICKS[0],
        kind: 'discovery',
        trigger: 'schedule',
        status: 'succeeded',
        models_done: 0,
        models_failed: 0,
        models_skipped: 3,
      },
      expect.objectContaining({ tick_key: FIRST_TICKS[1], kind: 'rollup', trigger: 'schedule', status: 'succeeded' }),
      {
        tick_key: FIRST_TICKS[2],
        kind: 'stats-sync',
        trigger: 'schedule',
        status: 'succeeded',
        models_done: 3,
        models_failed: 0,
        models_skipped: 0,
      },
    ]);
    const { rows: jobs } = await sql.query(
      `SELECT name, count(*)::int AS n FROM pgboss.job GROUP BY name ORDER BY name`,
    );
    expect(jobs).toEqual([
      { name: 'discovery', n: 1 },
      { name: 'rollup', n: 1 },
      { name: 'stats-sync', n: 1 },
    ]);
    // One sync: one author list for the three acme models, one request per GitHub repo; discovery: two top lists.
    expect(hub.requests.map(hubCall).sort()).toEqual(['author acme', 'top downloads', 'top trendingScore']);
    expect(github.requests.map((r) => r.path).sort()).toEqual(['/repos/acme/alpha-code', '/repos/acme/beta-code']);
    expect(await observations()).toEqual([
      ['acme/alpha', 'github', '2025-01-20T13:05:00.000Z', null, 40],
      ['acme/alpha', 'huggingface', '2025-01-20T13:05:00.000Z', '5000', null],
      ['acme/beta', 'github', '2025-01-20T13:05:00.000Z', null, 12],
      ['acme/beta', 'huggingface', '2025-01-20T13:05:00.000Z', '3000', null],
      ['acme/gamma', 'huggingface', '2025-01-20T13:05:00.000Z', '1000', null],
    ]);
  });

  it('does nothing with a message of a tick that already ran, redelivered to either worker', async () => {
    const before = { runs: await runs(), hub: hub.requests.length, github: github.requests.length };
    const message = { trigger: 'schedule' as const, tickKey: FIRST_TICKS[2] };

    const second = workers[1].app;
    expect(await second.get(JobRunner).run(second.get(StatsSyncJob), message)).toBeNull();
    // The same message again through pg-boss, under a new job id, as a redelivery would come.
    const jobId = await second.get(JobQueue).send('stats-sync', message);
    await eventually('the redelivered job', async () => {
      const { rows } = await sql.query(`SELECT state FROM pgboss.job WHERE id = $1`, [jobId]);
      return rows[0]?.state === 'completed' ? rows : undefined;
    });

    expect(await runs()).toEqual(before.runs);
    expect([hub.requests.length, github.requests.length]).toEqual([before.hub, before.github]);
  });

  it('runs the next tick once too, and the daily ticks not again', async () => {
    hub.requests.length = 0;
    github.requests.length = 0;
    hub.setCounters('acme/alpha', { downloadsAllTime: 5_600, downloads: 950, likes: 8 });
    clock.set('2025-01-20T14:05:00Z');

    const enqueued = await tickBoth();
    expect(enqueued.flat()).toEqual([NEXT_SYNC]);
    await settled([NEXT_SYNC]);

    const all = await runs();
    expect(all.map((r) => [r.tick_key, r.status])).toEqual([
      [FIRST_TICKS[0], 'succeeded'],
      [FIRST_TICKS[1], 'succeeded'],
      [FIRST_TICKS[2], 'succeeded'],
      [NEXT_SYNC, 'succeeded'],
    ]);
    expect(all[3]).toMatchObject({ kind: 'stats-sync', models_done: 3, models_failed: 0, models_skipped: 0 });
    // Both models have a reading now: the sync reads them from the hub's top list.
    expect(hub.requests.map(hubCall)).toEqual(['top downloads']);
    expect(github.requests.map((r) => r.path).sort()).toEqual(['/repos/acme/alpha-code', '/repos/acme/beta-code']);
    const latest = (await observations()).filter(([, , at]) => at === '2025-01-20T14:05:00.000Z');
    expect(latest).toEqual([
      ['acme/alpha', 'github', '2025-01-20T14:05:00.000Z', null, 40],
      ['acme/alpha', 'huggingface', '2025-01-20T14:05:00.000Z', '5600', null],
      ['acme/beta', 'github', '2025-01-20T14:05:00.000Z', null, 12],
      ['acme/beta', 'huggingface', '2025-01-20T14:05:00.000Z', '3000', null],
      ['acme/gamma', 'huggingface', '2025-01-20T14:05:00.000Z', '1000', null],
    ]);
  });
});
