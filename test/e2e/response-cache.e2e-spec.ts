import request from 'supertest';
import type { App } from 'supertest/types';
import { ChangeChannel } from '@modelpulse/database';
import type { ChangeType } from '@modelpulse/core/changes';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { Scrape } from '../support/prometheus';
import { QWEN_32B, R1, SITE_NOW, loadSiteData } from '../support/site-data';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const CACHE = 'modelpulse_response_cache_requests_total';
const BADGE_ROUTE = '/badges/:org/:name/:metric.svg';

/** Every kind of public read the cache keeps, for the one-answer-either-way check. */
const CACHED_READS = [
  '/v1/models',
  '/v1/models?sort=downloads&limit=5',
  `/v1/models/${R1}`,
  `/v1/models/${R1}/lineage`,
  `/v1/models/${R1}/rankings?ranking=trending&from=2025-01-15&to=2025-01-21`,
  `/v1/models/${R1}/stats?from=2025-01-15`,
  `/v1/models/${R1}/stats?format=csv`,
  `/v1/models/${R1}/chart.svg`,
  // Ranks: a write to one model moves the others'.
  `/v1/models/${R1}/chart.svg?metric=rank&days=7`,
  `/v1/models/${QWEN_32B}/chart.svg?metric=rank&days=7`,
  `/v1/chart.svg?models=${R1},Qwen/QwQ-32B`,
  '/v1/rankings/trending?limit=10',
  '/v1/rankings/downloads?period=7d',
  '/v1/organizations',
  '/v1/licenses',
  `/badges/${R1}/downloads-total.svg`,
  `/badges/${R1}/downloads.json`,
  `/badges/${R1}/trending.svg`,
  '/embed/trending?limit=5',
  `/embed/models/${R1}`,
  `/oembed?url=${encodeURIComponent(`https://modelpulse.test/models/${R1}`)}`,
];

/** The route patterns of CACHED_READS, as /metrics labels them. */
const CACHED_ROUTES = [
  '/v1/models',
  '/v1/models/:org/:name',
  '/v1/models/:org/:name/lineage',
  '/v1/models/:org/:name/rankings',
  '/v1/models/:org/:name/stats',
  '/v1/models/:org/:name/chart.svg',
  '/v1/chart.svg',
  '/v1/rankings/trending',
  '/v1/rankings/:ranking',
  '/v1/organizations',
  '/v1/licenses',
  '/badges/:org/:name/:metric.svg',
  '/badges/:org/:name/:metric.json',
  '/embed/trending',
  '/embed/models/:org/:name',
  '/oembed',
];

/** What differs from one request to the next whoever answers: the client's own headers and the time. */
const PER_REQUEST = new Set(['x-request-id', 'ratelimit', 'ratelimit-policy', 'date', 'connection', 'keep-alive']);

async function answer(http: App, path: string, headers: Record<string, string> = {}) {
  const response = await request(http)
    .get(path)
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const kept = Object.entries(response.headers).filter(([name]) => !PER_REQUEST.has(name));
  return {
    status: response.status,
    headers: Object.fromEntries(kept) as Record<string, string>,
    body: (response.body as Buffer).toString('utf8'),
    perClient: { id: response.headers['x-request-id'], rateLimit: response.headers['ratelimit'] },
  };
}

const scrape = async (t: TestApp) => new Scrape((await request(t.http).get('/metrics').expect(200)).text);

/**
 * Resolves once `t`'s process has handled the next change of `type`: this
 * handler is subscribed after the change feed's, and the channel hands each
 * message to its handlers in order, each awaited, so the cache has dropped
 * what the change reaches by then.
 */
function changesHeardBy(t: TestApp) {
  const waiting: { type: ChangeType; resolve: () => void }[] = [];
  void t.app.get(ChangeChannel).subscribe((message) => {
    const type = (message as { type?: string }).type;
    for (const waiter of waiting.filter((w) => w.type === type)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return (type: ChangeType) => new Promise<void>((resolve) => waiting.push({ type, resolve }));
}

describe('the response cache', () => {
  describe('two API replicas on one database, and a third without the cache', () => {
    const clock = new FakeClock(SITE_NOW);
    let a: TestApp;
    let b: TestApp;
    let fresh: TestApp;
    let heardByA: (type: ChangeType) => Promise<void>;
    let heardByB: (type: ChangeType) => Promise<void>;

    beforeAll(async () => {
      a = await createTestApp({ seed: true, clock, env: { RESPONSE_CACHE_ENABLED: 'true' } });
      await loadSiteData(a);
      b = await createTestApp({ sharedDb: a.db, clock, env: { RESPONSE_CACHE_ENABLED: 'true' } });
      fresh = await createTestApp({ sharedDb: a.db, clock, env: { RESPONSE_CACHE_ENABLED: 'false' } });
      heardByA = changesHeardBy(a);
      heardByB = changesHeardBy(b);
    });
    afterAll(async () => {
      await fresh?.close();
      await b?.close();
      await a?.close();
    });

    it('shows a write made through one replica in the next read through the other, once its NOTIFY is in', async () => {
      const path = `/badges/${R1}/downloads-total.json`;
      const before = await answer(b.http, path);
      expect(before.status).toBe(200);
      const hitsBefore = (await scrape(b)).value(CACHE, { route: '/badges/:org/:name/:metric.json', result: 'hit' });
      expect((await answer(b.http, path)).body).toBe(before.body);
      expect((await scrape(b)).value(CACHE, { route: '/badges/:org/:name/:metric.json', result: 'hit' })).toBe(
        hitsBefore + 1,
      );

      // The badge shows model_stats, which the writing replica folds after its answer (ModelStatsFolder):
      // the other replica's answer moves with that fold's NOTIFY, not with the write's own.
      const heard = heardByB('stats.figures');
      await request(a.http)
        .post('/v1/observations')
        .set(auth)
        .send({
          observations: [
            { model: R1, source: 'huggingface', observedAt: '2025-01-22T05:00:00Z', downloadsAllTime: 10_000_000 },
          ],
        })
        .expect(200);
      await heard;

      const after = await answer(b.http, path);
      expect(after.body).not.toBe(before.body);
      expect(after.body).toBe((await answer(fresh.http, path)).body);
    });

    it('and the other way: a catalogue edit through the second replica reaches the first', async () => {
      const path = `/v1/models/${R1}`;
      await answer(a.http, path);
      expect(JSON.parse((await answer(a.http, path)).body)).toMatchObject({ id: R1 });

      const heard = heardByA('catalog.changed');
      await request(b.http)
        .patch(`/v1/models/${R1}`)
        .set(auth)
        .send({ description: 'Edited on replica B' })
        .expect(200);
      await heard;

      expect(JSON.parse((await answer(a.http, path)).body)).toMatchObject({ description: 'Edited on replica B' });
    });

    it('answers every cached read byte for byte as an app without the cache does, after each of a series of writes', async () => {
      const writes: (() => Promise<unknown>)[] = [
        () =>
          request(a.http)
            .post('/v1/observations')
            .set(auth)
            .send({
              observations: [
                { model: R1, source: 'huggingface', observedAt: '2025-01-22T05:30:00Z', downloadsAllTime: 10_500_000 },
              ],
            })
            .expect(200),
        () =>
          request(a.http)
            .post('/v1/events')
            .set(auth)
            .send({ events: [{ id: 'cache-1', model: R1, occurredAt: '2025-01-21T10:00:00Z' }] })
            .expect(200),
        () =>
          request(a.http).patch(`/v1/models/${R1}`).set(auth).send({ description: 'A reasoning model' }).expect(200),
        () => request(a.http).get('/dl/deepseek-ai/DeepSeek-R1?file=config.json').expect(302),
        // A late reading of the 21st that lifts the distill past R1: both models' ranks of that day move.
        () =>
          request(a.http)
            .post('/v1/observations')
            .set(auth)
            .send({
              observations: [
                {
                  model: QWEN_32B,
                  source: 'huggingface',
                  observedAt: '2025-01-21T23:00:00Z',
                  downloadsAllTime: 60_000_000,
                },
              ],
            })
            .expect(200),
      ];
      for (const write of writes) {
        // Fill the cache (and read once more, a hit), then write, then compare.
        for (const path of CACHED_READS) {
          await answer(a.http, path);
          await answer(a.http, path);
        }
        await write();
        for (const path of CACHED_READS) {
          const cached = await answer(a.http, path);
          const uncached = await answer(fresh.http, path);
          expect({ path, status: cached.status }).toEqual({ path, status: 200 });
          expect({ path, ...cached, perClient: undefined }).toEqual({ path, ...uncached, perClient: undefined });
        }
      }
      // The second read of each round was answered from the cache, on every kind of route.
      const metrics = await scrape(a);
      const hitRoutes = CACHED_ROUTES.filter((route) => metrics.value(CACHE, { route, result: 'hit' }) > 0);
      expect(hitRoutes).toEqual(CACHED_ROUTES);
    });

    it('answers 304 to an If-None-Match that names the ETag of a JSON read, cached or not, and 200 once it changed', async () => {
      for (const t of [a, fresh]) {
        const path = '/v1/rankings/trending?limit=3';
        const first = await answer(t.http, path);
        expect(first.headers['cache-control']).toBe('public, no-cache');
        expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
        const again = await answer(t.http, path, { 'If-None-Match': first.headers.etag });
        expect(again.status).toBe(304);
        expect(again.body).toBe('');
        expect(again.headers.etag).toBe(first.headers.etag);
      }
      const path = `/v1/models/${R1}`;
      const { headers } = await answer(a.http, path);
      // Written through the app without the cache: the cached one hears it through NOTIFY.
      const heard = heardByA('catalog.changed');
      await request(fresh.http).patch(`/v1/models/${R1}`).set(auth).send({ description: 'Once more' }).expect(200);
      await heard;
      const changed = await answer(a.http, path, { 'If-None-Match': headers.etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(headers.etag);
    });

    it('drops what it made yesterday when the UTC day changes', async () => {
      const path = `/badges/${R1}/downloads.svg`;
      await answer(a.http, path);
      const misses = (await scrape(a)).value(CACHE, { route: BADGE_ROUTE, result: 'miss' });
      await answer(a.http, path);
      expect((await scrape(a)).value(CACHE, { route: BADGE_ROUTE, result: 'miss' })).toBe(misses);
      clock.set('2025-01-23T00:00:01Z');
      const nextDay = await answer(a.http, path);
      expect((await scrape(a)).value(CACHE, { route: BADGE_ROUTE, result: 'miss' })).toBe(misses + 1);
      expect(nextDay.body).toBe((await answer(fresh.http, path)).body);
    });
  });

  describe('what names an entry', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ seed: true, env: { RESPONSE_CACHE_ENABLED: 'true' } });
    });
    afterAll(() => t?.close());

    it('keeps one entry for an SVG badge whatever parameters it ignores, one per option it reads', async () => {
      const answers = [];
      for (let v = 0; v < 5; v++) answers.push(await answer(t.http, `/badges/${R1}/likes.svg?style=social&v=${v}`));
      answers.push(await answer(t.http, `/badges/${R1}/likes.svg?style=social&utm_source=readme`));
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      await answer(t.http, `/badges/${R1}/likes.svg?style=plastic&v=9`);
      const metrics = await scrape(t);
      expect(metrics.value(CACHE, { route: BADGE_ROUTE, result: 'miss' })).toBe(2);
      expect(metrics.value(CACHE, { route: BADGE_ROUTE, result: 'hit' })).toBe(5);
    });

    it('keeps the JSON, the format=csv and the Accept: text/csv answers of one read apart', async () => {
      const path = '/v1/models?sort=name&limit=5';
      const route = '/v1/models';
      for (let round = 0; round < 2; round++) {
        const plain = await answer(t.http, path);
        const byFormat = await answer(t.http, `${path}&format=csv`);
        const byAccept = await answer(t.http, path, { Accept: 'text/csv' });
        expect(plain.headers['content-type']).toMatch(/^application\/json/);
        expect(byFormat.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(byAccept.body).toBe(byFormat.body);
      }
      const metrics = await scrape(t);
      expect(metrics.value(CACHE, { route, result: 'miss' })).toBe(3);
      expect(metrics.value(CACHE, { route, result: 'hit' })).toBe(3);
    });
  });

  describe('limits and per-client headers', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        seed: true,
        env: { RESPONSE_CACHE_ENABLED: 'true', RATE_LIMIT_EMBED_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1' },
      });
    });
    afterAll(() => t?.close());

    it('counts cached reads against the limit and refuses them past it, each client with its own budget and id', async () => {
      const path = `/badges/${R1}/license.svg`;
      const from = (client: string) => ({ 'X-Forwarded-For': client });
      const first = await answer(t.http, path, from('203.0.113.1'));
      const second = await answer(t.http, path, from('203.0.113.1'));
      const other = await answer(t.http, path, from('203.0.113.2'));
      const third = await answer(t.http, path, from('203.0.113.1'));
      const refused = await answer(t.http, path, from('203.0.113.1'));

      expect([first, second, other, third].map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect([first, second, third].map((r) => r.perClient.rateLimit)).toEqual([
        expect.stringMatching(/^"embed";r=2;t=\d+$/),
        expect.stringMatching(/^"embed";r=1;t=\d+$/),
        expect.stringMatching(/^"embed";r=0;t=\d+$/),
      ]);
      expect(other.perClient.rateLimit).toMatch(/^"embed";r=2;t=\d+$/);
      expect(new Set([first, second, other, third].map((r) => r.perClient.id)).size).toBe(4);
      expect(second.body).toBe(first.body);
      // Past the limit the route's own refusal: a grey badge, never the cached one.
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(refused.body).not.toBe(first.body);

      const metrics = await scrape(t);
      expect(metrics.value(CACHE, { route: BADGE_ROUTE, result: 'miss' })).toBe(1);
      expect(metrics.value(CACHE, { route: BADGE_ROUTE, result: 'hit' })).toBe(3);
      expect(metrics.value('modelpulse_rate_limit_refusals_total', { limit: 'embed' })).toBe(1);
    });

    it('never answers a request with an Authorization header from the cache', async () => {
      const path = '/v1/licenses';
      await answer(t.http, path);
      await answer(t.http, path, auth);
      await answer(t.http, path, auth);
      const metrics = await scrape(t);
      expect(metrics.value(CACHE, { route: '/v1/licenses', result: 'miss' })).toBe(1);
      expect(metrics.value(CACHE, { route: '/v1/licenses', result: 'hit' })).toBe(0);
    });
  });

  describe('bounded in bytes', () => {
    const MAX_BYTES = 16_384;
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        seed: true,
        env: { RESPONSE_CACHE_ENABLED: 'true', RESPONSE_CACHE_MAX_BYTES: String(MAX_BYTES) },
      });
    });
    afterAll(() => t?.close());

    it('lets the least recently read go to stay within RESPONSE_CACHE_MAX_BYTES, and keeps the latest', async () => {
      const paths = ['flat', 'flat-square', 'for-the-badge'].flatMap((style) =>
        ['downloads', 'likes', 'license', 'parameters'].flatMap((metric) =>
          ['one', 'two'].map((label) => `/badges/${R1}/${metric}.svg?style=${style}&label=${label}`),
        ),
      );
      for (const path of paths) expect((await answer(t.http, path)).status).toBe(200);
      const filled = await scrape(t);
      expect(filled.value('modelpulse_response_cache_bytes')).toBeLessThanOrEqual(MAX_BYTES);
      expect(filled.value('modelpulse_response_cache_bytes')).toBeGreaterThan(0);
      expect(filled.value('modelpulse_response_cache_evictions_total')).toBeGreaterThan(0);
      const misses = filled.value(CACHE, { route: BADGE_ROUTE, result: 'miss' });
      expect(misses).toBe(paths.length);

      await answer(t.http, paths[paths.length - 1]);
      await answer(t.http, paths[0]);
      const after = await scrape(t);
      expect(after.value(CACHE, { route: BADGE_ROUTE, result: 'hit' })).toBe(1);
      expect(after.value(CACHE, { route: BADGE_ROUTE, result: 'miss' })).toBe(misses + 1);
    });
  });
});
