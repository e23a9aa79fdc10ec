import request from 'supertest';
import { DataSource } from 'typeorm';
import { WorkerMetricsServer } from '../../apps/worker/src/metrics-server';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { Scrape } from '../support/prometheus';
import { eventually } from '../support/wait';
import { createTestWorker, type TestWorker } from '../support/worker';

const METRICS_TOKEN = 'scrape-secret-for-the-metrics-test';
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const scraper = { Authorization: `Bearer ${METRICS_TOKEN}` };
const HTTP = 'modelpulse_http_request_duration_seconds';
const REFUSALS = 'modelpulse_rate_limit_refusals_total';
const JOBS = 'modelpulse_job_run_duration_seconds';
const UPSTREAM = 'modelpulse_upstream_requests_total';
const LINK = '/dl/acme/alpha?file=config.json';

/**
 * GET /metrics after real traffic: the API process counts its requests,
 * refusals and pool; a worker process on the same database, its metrics on
 * METRICS_PORT, counts the run it worked and the upstream requests it made.
 */
describe('GET /metrics', () => {
  let t: TestApp;
  let worker: TestWorker;
  let workerUrl: string;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  const clock = new FakeClock('2025-01-20T13:05:00Z');

  beforeAll(async () => {
    t = await createTestApp({
      clock,
      env: { METRICS_TOKEN, RATE_LIMIT_DL_PER_MINUTE: '1', RATE_LIMIT_KEY_FAILURES_PER_MINUTE: '1' },
    });
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    hub.addModel({ id: 'acme/alpha', downloadsAllTime: 5_000, downloads: 900, likes: 7 });
    github.addRepo('acme/alpha-code', { stars: 40, forks: 4 });
    worker = await createTestWorker({
      clock,
      hubUrl: hub.url,
      githubUrl: github.url,
      env: { JOB_POLLING_INTERVAL_SECONDS: '0.5', METRICS_PORT: '0' },
    });
    workerUrl = `http://127.0.0.1:${worker.app.get(WorkerMetricsServer).port}`;
    await request(t.http)
      .post('/v1/models')
      .set(admin)
      .send({ id: 'acme/alpha', links: { huggingface: 'acme/alpha', github: 'acme/alpha-code' } })
      .expect(201);
  });

  afterAll(async () => {
    await worker.close();
    await hub.stop();
    await github.stop();
    await t.close();
  });

  const scrapeApi = async () => {
    const response = await request(t.http).get('/metrics').set(scraper).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return new Scrape(response.text);
  };

  /** Waits until a worker has finished run `id`; answers it as GET /v1/sync/runs shows it. */
  const finished = (id: string) =>
    eventually(`run ${id} to finish`, async () => {
      const { body } = await request(t.http).get('/v1/sync/runs').expect(200);
      const found = body.data.find((r: { id: string }) => r.id === id);
      return found && found.status !== 'queued' && found.status !== 'running' ? found : undefined;
    });

  const scrapeWorker = async () => {
    const response = await request(workerUrl).get('/metrics').set(scraper).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return new Scrape(response.text);
  };

  it('answers 401 as a problem without the metrics token, on the API and on the worker', async () => {
    for (const base of [t.http, workerUrl]) {
      for (const headers of [{}, { Authorization: 'Bearer not-the-token' }, admin]) {
        const response = await request(base).get('/metrics').set(headers).expect(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(response.body).toMatchObject({ type: 'https://modelpulse.dev/problems/unauthorized', status: 401 });
        expect(response.text).not.toContain('modelpulse_');
      }
    }
    const other = await request(workerUrl).get('/v1/models').set(scraper).expect(404);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('counts requests by route pattern and status, and 429s by limit, exactly as sent', async () => {
    const before = await scrapeApi();

    await request(t.http).get('/v1/models').expect(200);
    await request(t.http).get('/v1/models?limit=1').expect(200);
    await request(t.http).get('/v1/models/acme/alpha').expect(200);
    await request(t.http).get('/v1/models/acme/no-such-model').expect(404);
    await request(t.http).get('/v1/models/acme/another-missing-one').expect(404);
    await request(t.http).get('/no/such/page').expect(404);
    await request(t.http).get('/v1/models?limit=0').expect(400);
    await request(t.http).post('/v1/models').set(admin).send({ id: 'acme/beta' }).expect(201);
    await request(t.http).get(LINK).expect(302);
    await request(t.http).get(LINK).expect(429);
    await request(t.http).get(LINK).expect(429);

    const after = await scrapeApi();
    const moved = (route: string, status: string, method = 'GET') =>
      after.count(HTTP, { method, route, status }) - before.count(HTTP, { method, route, status });
    expect({
      list: moved('/v1/models', '200'),
      listBad: moved('/v1/models', '400'),
      found: moved('/v1/models/:org/:name', '200'),
      missing: moved('/v1/models/:org/:name', '404'),
      unmatched: moved('unmatched', '404'),
      write: moved('/v1/models', '201', 'POST'),
      redirect: moved('/dl/:org/:name', '302'),
      refused: moved('/dl/:org/:name', '429'),
      // The scrape before this traffic, counted once its answer was sent.
      scrapes: moved('/metrics', '200'),
    }).toEqual({
      list: 2,
      listBad: 1,
      found: 1,
      missing: 2,
      unmatched: 1,
      write: 1,
      redirect: 1,
      refused: 2,
      scrapes: 1,
    });
    expect(after.value(REFUSALS, { limit: 'dl' }) - before.value(REFUSALS, { limit: 'dl' })).toBe(2);
    expect(after.value(REFUSALS, { limit: 'ingest' })).toBe(0);
    expect(after.type(HTTP)).toBe('histogram');
    expect(after.sum(HTTP, { method: 'GET', route: '/v1/models', status: '200' })).toBeGreaterThan(0);

    // Route patterns only: the ids asked for never become series of their own.
    const routes = after.labelValues(HTTP, 'route');
    expect(routes).toEqual(
      expect.arrayContaining(['/v1/models', '/v1/models/:org/:name', '/dl/:org/:name', 'unmatched']),
    );
    expect(routes.filter((route) => /acme|no-such|such\/page/.test(route))).toEqual([]);
  });

  it('shows the database pool: a connection held shows as in use, and goes back to idle', async () => {
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.connect();
    await runner.query('SELECT 1');
    const holding = await scrapeApi();
    await runner.release();
    const released = await scrapeApi();

    expect(holding.value('modelpulse_db_pool_max_connections')).toBe(10);
    expect(holding.value('modelpulse_db_pool_in_use_connections')).toBe(1);
    expect(released.value('modelpulse_db_pool_in_use_connections')).toBe(0);
    expect(released.value('modelpulse_db_pool_idle_connections')).toBeGreaterThanOrEqual(1);
    expect(released.value('modelpulse_db_pool_waiting_requests')).toBe(0);
  });

  it('counts on the worker the run it worked and its upstream requests by source and status', async () => {
    const before = await scrapeWorker();
    // The hub's first answer is a 503; the source tries again and gets its 200.
    hub.failNext(1, { kind: 'reply', reply: { status: 503, body: { error: 'overloaded' } } });

    const queued = await request(t.http).post('/v1/admin/sync').set(admin).send({}).expect(202);
    const run = await finished(queued.body.id);
    expect(run).toMatchObject({ status: 'succeeded', upstreamRequests: { huggingface: 2, github: 1 } });

    const after = await scrapeWorker();
    const moved = (name: string, labels: Record<string, string>) =>
      name === JOBS
        ? after.count(name, labels) - before.count(name, labels)
        : after.value(name, labels) - before.value(name, labels);
    expect({
      succeeded: moved(JOBS, { kind: 'stats-sync', outcome: 'succeeded' }),
      failed: moved(JOBS, { kind: 'stats-sync', outcome: 'failed' }),
      hub503: moved(UPSTREAM, { source: 'huggingface', status: '503' }),
      hub200: moved(UPSTREAM, { source: 'huggingface', status: '200' }),
      github200: moved(UPSTREAM, { source: 'github', status: '200' }),
    }).toEqual({ succeeded: 1, failed: 0, hub503: 1, hub200: 1, github200: 1 });
    expect(after.sum(JOBS, { kind: 'stats-sync', outcome: 'succeeded' })).toBeGreaterThan(0);
    // The API process worked no run and asked no upstream: what it shows is its own.
    const api = await scrapeApi();
    expect(api.has(UPSTREAM)).toBe(false);
    expect(api.count(JOBS, { kind: 'stats-sync', outcome: 'succeeded' })).toBe(0);
  });

  it('counts a run that read nothing from the hub as failed, the outcome its record shows', async () => {
    const before = await scrapeWorker();
    // Both tries of the hub fail (one retry); GitHub still answers.
    hub.failNext(2, { kind: 'reply', reply: { status: 503, body: { error: 'overloaded' } } });

    const queued = await request(t.http).post('/v1/admin/sync').set(admin).send({}).expect(202);
    const run = await finished(queued.body.id);
    expect(run).toMatchObject({ status: 'failed', modelsFailed: 1, upstreamRequests: { huggingface: 2, github: 1 } });

    const after = await scrapeWorker();
    const moved = (name: string, labels: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    expect({
      failed: moved(`${JOBS}_count`, { kind: 'stats-sync', outcome: 'failed' }),
      succeeded: moved(`${JOBS}_count`, { kind: 'stats-sync', outcome: 'succeeded' }),
      hub503: moved(UPSTREAM, { source: 'huggingface', status: '503' }),
      hub200: moved(UPSTREAM, { source: 'huggingface', status: '200' }),
      github200: moved(UPSTREAM, { source: 'github', status: '200' }),
    }).toEqual({ failed: 1, succeeded: 0, hub503: 2, hub200: 0, github200: 1 });
  });

  it('carries the default Node.js process series, parsed as Prometheus text', async () => {
    for (const scrape of [await scrapeApi(), await scrapeWorker()]) {
      expect(scrape.type('process_cpu_user_seconds_total')).toBe('counter');
      expect(scrape.value('process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(scrape.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(scrape.type('nodejs_eventloop_lag_seconds')).toBe('gauge');
      expect(scrape.type('modelpulse_db_pool_in_use_connections')).toBe('gauge');
    }
  });

  // Last: the block of failed key checks holds for a minute against every key from this address, the admin's too.
  it('counts a 429 of the key check before the body under key-failures', async () => {
    const before = await scrapeApi();
    const guess = { Authorization: 'Bearer mp_not_a_key_at_all' };
    await request(t.http).post('/v1/events').set(guess).send({ events: [] }).expect(401);
    await request(t.http).post('/v1/events').set(guess).send({ events: [] }).expect(429);
    const after = await scrapeApi();
    expect(after.value(REFUSALS, { limit: 'key-failures' }) - before.value(REFUSALS, { limit: 'key-failures' })).toBe(
      1,
    );
    expect(after.value(REFUSALS, { limit: 'ingest' }) - before.value(REFUSALS, { limit: 'ingest' })).toBe(0);
    const moved = (status: string) =>
      after.count(HTTP, { method: 'POST', route: '/v1/events', status }) -
      before.count(HTTP, { method: 'POST', route: '/v1/events', status });
    expect([moved('401'), moved('429')]).toEqual([1, 1]);
  });
});
