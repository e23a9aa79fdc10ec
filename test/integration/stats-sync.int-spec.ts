import { Client } from 'pg';
import { ModelsService } from '@modelpulse/core/catalog';
import { JobRunner, SyncRunRepository } from '@modelpulse/core/jobs';
import { StatsService } from '@modelpulse/core/stats';
import { StatsSyncJob } from '@modelpulse/core/sync';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { FakeClock } from '../support/clock';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestWorker, type TestWorker } from '../support/worker';

const HOUR_MS = 3_600_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const hoursSince = (now: Date, from = START) => Math.max(0, Math.round((now.getTime() - from) / HOUR_MS));
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 1 to 31 January 2025 as YYYY-MM-DD. */
const january = (day: number) => `2025-01-${String(day).padStart(2, '0')}`;

/**
 * A month of hourly syncs against fake upstreams, the clock moved by hand:
 * - acme/steady: 1,000 downloads an hour all month, 1 GitHub star a day;
 * - acme/launch: nothing until 10 January, then 2,000 an hour; renamed to
 *   acme/launch-v2 on the hub at noon on 15 January;
 * - acme/recount: 500 an hour, but the 06:00 reading of 20 January is 2,000
 *   low (the hub recounted), and the next reading is back on track;
 * - the hub answers 500 to everything on 12 January.
 */
describe('a month of hourly stats syncs', () => {
  let db: TestDatabase;
  let worker: TestWorker;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  let sql: Client;
  const clock = new FakeClock('2025-01-01T00:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    hub.addModel({
      id: 'acme/steady',
      likes: 0,
      counters: ({ now }) => ({ downloadsAllTime: 1_000 * hoursSince(now), downloads: 1_000 * hoursSince(now) }),
    });
    const launchedAt = Date.parse('2025-01-10T00:00:00Z');
    hub.addModel({
      id: 'acme/launch',
      likes: 0,
      counters: ({ now }) => ({
        downloadsAllTime: 2_000 * hoursSince(now, launchedAt),
        downloads: 2_000 * hoursSince(now, launchedAt),
      }),
    });
    const recountAt = Date.parse('2025-01-20T06:00:00Z');
    hub.addModel({
      id: 'acme/recount',
      likes: 0,
      counters: ({ now }) => {
        const value = 500 * hoursSince(now) - (now.getTime() === recountAt ? 2_000 : 0);
        return { downloadsAllTime: value, downloads: value };
      },
    });
    github.addRepo('acme/steady-code', { stars: 100, forks: 3 });
    worker = await createTestWorker({ clock, hubUrl: hub.url, githubUrl: github.url });
    const models = worker.app.get(ModelsService);
    await models.create({ id: 'acme/steady', links: { huggingface: 'acme/steady', github: 'acme/steady-code' } });
    await models.create({ id: 'acme/launch', links: { huggingface: 'acme/launch' } });
    await models.create({ id: 'acme/recount', links: { huggingface: 'acme/recount' } });
    sql = new Client({ connectionString: db.url });
    await sql.connect();

    const runner = worker.app.get(JobRunner);
    const job = worker.app.get(StatsSyncJob);
    for (let hour = 0; hour <= 30 * 24; hour++) {
      const now = START + hour * HOUR_MS;
      clock.set(new Date(now));
      github.setCounters('acme/steady-code', { stars: 100 + Math.floor(hour / 24), forks: 3 });
      if (now === Date.parse('2025-01-15T12:00:00Z')) hub.rename('acme/launch', 'acme/launch-v2');
      const outage = dayOf(now) === '2025-01-12';
      if (outage) hub.failNext(50, { kind: 'reply', reply: { status: 500, body: { error: 'Internal Error' } } });
      await runner.run(job, { trigger: 'schedule', tickKey: `stats-sync@${new Date(now).toISOString()}` });
      hub.clearFaults();
    }
  }, 120_000);

  afterAll(async () => {
    await sql.end();
    await worker.close();
    await hub.stop();
    await github.stop();
    await db.drop();
  });

  const daily = async (model: string, metric: 'downloads' | 'stars' = 'downloads') => {
    const series = await worker.app
      .get(StatsService)
      .series(model, { metric, interval: 'day', from: '2025-01-01', to: '2025-01-31' });
    return series.points.map((p) => [p.date, p.value, p.imputed, p.flags]);
  };

  it('gives the exact daily downloads of a steady model, the missed day spread over it and the next', async () => {
    const expected: unknown[][] = [[january(1), 23_000, false, []]];
    for (let day = 2; day <= 11; day++) expected.push([january(day), 24_000, false, []]);
    // 12 January failed; the 25,000 seen at midnight on the 13th are spread over the 12th and the 13th.
    expected.push([january(12), 12_500, true, []], [january(13), 12_500 + 23_000, true, []]);
    for (let day = 14; day <= 30; day++) expected.push([january(day), 24_000, false, []]);
    expected.push([january(31), 1_000, false, []]);
    expect(await daily('acme/steady')).toEqual(expected);
  });

  it('follows the rename: the series goes on under the new id, the old one is an alias', async () => {
    const expected: unknown[][] = [];
    for (let day = 1; day <= 9; day++) expected.push([january(day), 0, false, []]);
    expected.push([january(10), 46_000, false, []], [january(11), 48_000, false, []]);
    expected.push([january(12), 25_000, true, []], [january(13), 25_000 + 46_000, true, []]);
    for (let day = 14; day <= 30; day++) expected.push([january(day), 48_000, false, []]);
    expected.push([january(31), 2_000, false, []]);
    expect(await daily('acme/launch-v2')).toEqual(expected);

    const model = await worker.app.get(ModelsService).get('acme/launch-v2');
    expect(model.links.huggingface).toBe('https://huggingface.co/acme/launch-v2');
    const { rows: aliases } = await sql.query(
      `SELECT a.slug, m.slug AS now FROM model_aliases a JOIN models m ON m.id = a.model_id`,
    );
    expect(aliases).toEqual([{ slug: 'acme/launch', now: 'acme/launch-v2' }]);
    const { rows: bindings } = await sql.query(
      `SELECT external_id, status FROM upstream_bindings WHERE external_id ILIKE 'acme/launch%'`,
    );
    expect(bindings).toEqual([{ external_id: 'acme/launch-v2', status: 'ok' }]);
  });

  it('writes 0 and a flag for the recount, and the day still adds up', async () => {
    const points = await daily('acme/recount');
    expect(points[0]).toEqual([january(1), 11_500, false, []]);
    expect(points[11]).toEqual([january(12), 6_250, true, []]);
    expect(points[12]).toEqual([january(13), 6_250 + 11_500, true, []]);
    expect(points[19]).toEqual([january(20), 12_000, false, ['decrease']]);
    expect(points[30]).toEqual([january(31), 500, false, []]);
    const total = points.reduce((sum, p) => sum + (p[1] as number), 0);
    expect(total).toBe(500 * 720);
  });

  it('counts GitHub stars through the hub outage', async () => {
    const stars = await daily('acme/steady', 'stars');
    expect(stars[0]).toEqual([january(1), 0, false, []]);
    expect(stars.slice(1).every(([, value, imputed]) => value === 1 && imputed === false)).toBe(true);
    expect(stars).toHaveLength(31);
  });

  it('records every run, and the outage as failures that wrote no hub reading', async () => {
    const runs = worker.app.get(SyncRunRepository);
    const all = await runs.list(1000, 'stats-sync');
    expect(all).toHaveLength(721);
    const outage = all.filter((r) => dayOf(r.startedAt.getTime()) === '2025-01-12');
    expect(outage).toHaveLength(24);
    for (const run of outage) {
      expect(run).toMatchObject({ status: 'partial', modelsDone: 0, modelsFailed: 3 });
      expect(run.errors.map((e) => e.model).sort()).toEqual(['acme/launch', 'acme/recount', 'acme/steady']);
      expect(run.errors.every((e) => e.source === 'huggingface')).toBe(true);
    }
    const { rows } = await sql.query(
      `SELECT count(*)::int AS n FROM observations
        WHERE source = 'huggingface' AND observed_at >= '2025-01-12' AND observed_at < '2025-01-13'`,
    );
    expect(rows[0].n).toBe(0);
    const ordinary = all.find((r) => r.tickKey === 'stats-sync@2025-01-20T13:00:00.000Z');
    // One list request for the three acme models, one GitHub request.
    expect(ordinary).toMatchObject({
      status: 'succeeded',
      modelsDone: 3,
      modelsFailed: 0,
      upstreamRequests: { huggingface: 1, github: 1 },
    });
  });

  it('runs a tick that already ran no second time', async () => {
    const again = await worker.app
      .get(JobRunner)
      .run(worker.app.get(StatsSyncJob), { trigger: 'schedule', tickKey: 'stats-sync@2025-01-20T13:00:00.000Z' });
    expect(again).toBeNull();
  });
});
