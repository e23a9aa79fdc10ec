import request from 'supertest';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { eventually } from '../support/wait';
import { createTestWorker, type TestWorker } from '../support/worker';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const QUEUED_AT = '2025-01-20T13:05:00.000Z';

/**
 * Runs asked for over HTTP: the API queues them, a worker process on the
 * same database (its own pg-boss, its upstreams the fakes) works them, and
 * the API shows how they ended.
 */
describe('job runs over the API', () => {
  let t: TestApp;
  let worker: TestWorker;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  const clock = new FakeClock(QUEUED_AT);

  beforeAll(async () => {
    t = await createTestApp({ clock });
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    hub.addModel({ id: 'acme/alpha', downloadsAllTime: 5_000, downloads: 900, likes: 7 });
    hub.addModel({ id: 'acme/beta', downloadsAllTime: 3_000, downloads: 400, likes: 2 });
    github.addRepo('acme/alpha-code', { stars: 40, forks: 4 });
    worker = await createTestWorker({
      clock,
      hubUrl: hub.url,
      githubUrl: github.url,
      env: { JOB_POLLING_INTERVAL_SECONDS: '0.5' },
    });
    for (const model of [
      { id: 'acme/alpha', links: { huggingface: 'acme/alpha', github: 'acme/alpha-code' } },
      { id: 'acme/beta', links: { huggingface: 'acme/beta' } },
    ]) {
      await request(t.http).post('/v1/models').set(admin).send(model).expect(201);
    }
  });

  afterAll(async () => {
    await worker.close();
    await hub.stop();
    await github.stop();
    await t.close();
  });

  const runs = async (query = '') => (await request(t.http).get(`/v1/sync/runs${query}`).expect(200)).body;

  /** Waits until a worker has finished run `id`; answers it as GET /v1/sync/runs shows it. */
  const finished = (id: string) =>
    eventually(`run ${id} to finish`, async () => {
      const run = (await runs()).data.find((r: { id: string }) => r.id === id);
      return run && run.status !== 'queued' && run.status !== 'running' ? run : undefined;
    });

  it('refuses to queue a run without a key', async () => {
    const response = await request(t.http).post('/v1/admin/sync').send({}).expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await runs()).toEqual({ data: [] });
  });

  it('refuses an unknown kind of job, naming the field', async () => {
    const response = await request(t.http).post('/v1/admin/sync').set(admin).send({ kind: 'backfill' }).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([
      { field: 'kind', message: 'kind must be one of stats-sync, discovery, rollup' },
    ]);
  });

  it('queues a stats sync that a worker picks up and finishes', async () => {
    const queued = await request(t.http).post('/v1/admin/sync').set(admin).send({}).expect(202);
    expect(queued.body).toEqual({
      id: '1',
      kind: 'stats-sync',
      trigger: 'api',
      status: 'queued',
      startedAt: QUEUED_AT,
      finishedAt: null,
      heartbeatAt: null,
      modelsDone: 0,
      modelsFailed: 0,
      modelsSkipped: 0,
      upstreamRequests: {},
      errors: [],
    });

    await finished('1');
    // One author list for both acme models on the hub, one repository on GitHub.
    expect(await runs()).toEqual({
      data: [
        {
          id: '1',
          kind: 'stats-sync',
          trigger: 'api',
          status: 'succeeded',
          startedAt: QUEUED_AT,
          finishedAt: QUEUED_AT,
          // Claimed at the pinned time, which the heartbeat keeps.
          heartbeatAt: QUEUED_AT,
          modelsDone: 2,
          modelsFailed: 0,
          modelsSkipped: 0,
          upstreamRequests: { huggingface: 1, github: 1 },
          errors: [],
        },
      ],
    });
    expect(hub.requests.map((r) => r.query.get('author'))).toEqual(['acme']);
    expect(github.requests.map((r) => r.path)).toEqual(['/repos/acme/alpha-code']);
  });

  it('lists runs newest first, by kind and up to a limit', async () => {
    clock.set('2025-01-20T13:10:00Z');
    await request(t.http).post('/v1/admin/sync').set(admin).send({ kind: 'rollup' }).expect(202);
    // The roll-up refreshes the figures of both models, which the sync gave readings.
    expect(await finished('2')).toMatchObject({ kind: 'rollup', status: 'succeeded', modelsDone: 2 });

    const ids = async (query: string) => (await runs(query)).data.map((r: { id: string }) => r.id);
    expect(await ids('')).toEqual(['2', '1']);
    expect(await ids('?limit=1')).toEqual(['2']);
    expect(await ids('?kind=stats-sync')).toEqual(['1']);
    expect(await ids('?kind=rollup&limit=100')).toEqual(['2']);
    expect(await ids('?kind=discovery')).toEqual([]);
  });

  it.each([
    ['kind=backfill', 'kind', 'kind must be one of stats-sync, discovery, rollup'],
    ['limit=0', 'limit', 'limit must be a whole number from 1 to 100'],
    ['limit=101', 'limit', 'limit must be a whole number from 1 to 100'],
    ['limit=ten', 'limit', 'limit must be a whole number from 1 to 100'],
    ['limit=2.5', 'limit', 'limit must be a whole number from 1 to 100'],
  ])('answers 400 to GET /v1/sync/runs?%s, naming the field', async (query, field, message) => {
    const response = await request(t.http).get(`/v1/sync/runs?${query}`).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([{ field, message }]);
  });
});
