import request from 'supertest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { deleteRedisKeys, redisKeys, uniqueRedisPrefix } from '../support/redis';

const R1 = 'deepseek-ai/DeepSeek-R1';
const from = (address: string) => ({ 'X-Forwarded-For': address });
const event = (id: string) => ({ events: [{ id, model: 'Qwen/QwQ-32B' }] });

interface Answer {
  status: number;
  headers: Record<string, unknown>;
}

/** `"read";r=599;t=60` → { name, r, t } */
function rateLimitOf(response: Answer): { name: string; r: number; t: number } {
  const header = String(response.headers['ratelimit']);
  const match = /^"([a-z-]+)";r=(\d+);t=(\d+)$/.exec(header);
  if (!match) throw new Error(`no RateLimit header in ${response.status}: ${header}`);
  return { name: match[1], r: Number(match[2]), t: Number(match[3]) };
}

function expectRetryAfter(response: request.Response): void {
  expect(response.status).toBe(429);
  expect(response.headers['retry-after']).toMatch(/^\d+$/);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(rateLimitOf(response).r).toBe(0);
}

function expectProblem429(response: request.Response): void {
  expectRetryAfter(response);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: 'https://modelpulse.dev/problems/too-many-requests', status: 429 });
}

/**
 * `n` GETs of `url` from `address`, `concurrency` at a time, through Fastify's
 * inject (the whole request path, without a socket per request).
 */
async function many(t: TestApp, n: number, concurrency: number, url: string, address: string): Promise<Answer[]> {
  const fastify = t.app.getHttpAdapter().getInstance();
  const answers: Answer[] = [];
  for (let i = 0; i < n; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, n - i) }, () =>
      fastify.inject({ method: 'GET', url, headers: from(address) }),
    );
    answers.push(...(await Promise.all(batch)).map((r) => ({ status: r.statusCode, headers: r.headers })));
  }
  return answers;
}

describe('limits people can see', () => {
  describe('with the default limits (600 reads a minute)', () => {
    let t: TestApp;

    beforeAll(async () => {
      // Empty is unset: the defaults, not the test app's high ones.
      t = await createTestApp({
        seed: true,
        env: { RATE_LIMIT_READ_PER_MINUTE: '', RATE_LIMIT_EMBED_PER_MINUTE: '', TRUST_PROXY: 'true' },
      });
    });
    afterAll(() => t.close());

    it('answers the 601st read of a minute from one address with a 429 problem and Retry-After; the headers count down to it', async () => {
      const reads = await many(t, 600, 10, '/v1/licenses', '203.0.113.7');
      expect(reads.map((r) => r.status)).toEqual(Array(600).fill(200));
      for (const response of reads) {
        expect(response.headers['ratelimit-policy']).toBe('"read";q=600;w=60');
        expect(rateLimitOf(response).name).toBe('read');
        expect(rateLimitOf(response).t).toBeLessThanOrEqual(60);
      }
      // Each read took one from the budget: 599 left after the first, none after the 600th.
      expect(reads.map((r) => rateLimitOf(r).r).sort((a, b) => b - a)).toEqual(
        Array.from({ length: 600 }, (_, i) => 599 - i),
      );

      const refused = await request(t.http).get('/v1/licenses').set(from('203.0.113.7'));
      expectProblem429(refused);
      expect(refused.headers['ratelimit-policy']).toBe('"read";q=600;w=60');
      // One budget for every read, not one a route.
      expectProblem429(await request(t.http).get(`/v1/models/${R1}`).set(from('203.0.113.7')));
      // Another address has its own.
      const other = await request(t.http).get('/v1/licenses').set(from('198.51.100.20')).expect(200);
      expect(rateLimitOf(other)).toMatchObject({ name: 'read', r: 599 });
    });

    it('gives embeds their own, higher budget: the address out of reads still gets its badges', async () => {
      const badge = await request(t.http).get(`/badges/${R1}/license.svg`).set(from('203.0.113.7')).expect(200);
      expect(badge.headers['ratelimit-policy']).toBe('"embed";q=6000;w=60');
      expect(rateLimitOf(badge)).toMatchObject({ name: 'embed', r: 5999 });
    });

    it('documents the 429 of every limited operation in the OpenAPI document, with its headers', async () => {
      const { body } = await request(t.http).get('/openapi.json').expect(200);
      const limited: string[] = [];
      for (const [path, operations] of Object.entries(body.paths as Record<string, Record<string, any>>)) {
        for (const [method, operation] of Object.entries(operations)) {
          const isRead = method === 'get' && /^\/(v1|badges|embed|oembed)\b/.test(path);
          const needsKey = (operation.security ?? []).length > 0;
          if (!isRead && !needsKey && !path.startsWith('/dl/')) continue;
          limited.push(`${method} ${path}`);
          const tooMany = operation.responses['429'];
          expect({ operation: `${method} ${path}`, headers: Object.keys(tooMany?.headers ?? {}) }).toEqual({
            operation: `${method} ${path}`,
            headers: ['Retry-After', 'RateLimit-Policy', 'RateLimit'],
          });
        }
      }
      expect(limited).toEqual(expect.arrayContaining(['get /v1/models', 'get /badges/{org}/{name}/{metric}.svg']));
      const badge = body.paths['/badges/{org}/{name}/{metric}.svg'].get.responses['429'];
      expect(Object.keys(badge.content)).toEqual(['image/svg+xml']);
    });

    it('leaves /health, /docs and /openapi.json unlimited and without rate-limit headers', async () => {
      for (const path of ['/health/live', '/openapi.json', '/docs']) {
        const response = await request(t.http).get(path).set(from('203.0.113.7'));
        expect(response.status).toBe(200);
        expect(response.headers['ratelimit']).toBeUndefined();
      }
    });
  });

  describe('with small limits: 3 reads, 5 embeds, 2 clicks, 3 failed key checks a minute', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        seed: true,
        env: {
          RATE_LIMIT_READ_PER_MINUTE: '3',
          RATE_LIMIT_EMBED_PER_MINUTE: '5',
          RATE_LIMIT_DL_PER_MINUTE: '2',
          RATE_LIMIT_KEY_FAILURES_PER_MINUTE: '3',
          TRUST_PROXY: 'true',
        },
      });
    });
    afterAll(() => t.close());

    it('answers a badge over the embed limit with a grey SVG badge, status 429 and Retry-After, whatever reads did', async () => {
      const address = from('192.0.2.10');
      for (let i = 0; i < 3; i++) await request(t.http).get('/v1/licenses').set(address).expect(200);
      expectProblem429(await request(t.http).get('/v1/licenses').set(address));

      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const badge = await request(t.http).get(`/badges/${R1}/downloads.svg`).set(address).expect(200);
        remaining.push(rateLimitOf(badge).r);
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);

      const svg = await request(t.http)
        .get(`/badges/${R1}/downloads.svg`)
        .set(address)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        });
      expectRetryAfter(svg);
      expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(svg.headers['ratelimit-policy']).toBe('"embed";q=5;w=60');
      expect(svg.headers['access-control-allow-origin']).toBe('*');
      expect(svg.body).toMatch(/^<svg /);
      expect(svg.body).toContain('<title>downloads: rate limited</title>');

      const json = await request(t.http).get(`/badges/${R1}/downloads.json`).set(address);
      expectRetryAfter(json);
      expect(json.body).toMatchObject({ schemaVersion: 1, message: 'rate limited', isError: true });

      // Widgets and oEmbed share the embed budget; their 429 is the one problem, readable cross-origin.
      const widget = await request(t.http).get('/embed/trending').set(address);
      expectProblem429(widget);
      expect(widget.headers['access-control-allow-origin']).toBe('*');
      expectProblem429(await request(t.http).get(`/v1/models/${R1}/chart.svg`).set(address));
    });

    it('counts the site pages as reads, and answers over the limit with an HTML page', async () => {
      const address = from('192.0.2.11');
      await request(t.http).get('/').set(address).expect(200);
      await request(t.http).get(`/models/${R1}`).set(address).expect(200);
      await request(t.http).get('/v1/licenses').set(address).expect(200);
      const page = await request(t.http).get('/').set(address);
      expectRetryAfter(page);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    });

    it('sends the headers on tracked links and ingestion too', async () => {
      const dl = await request(t.http).get(`/dl/${R1}?file=config.json`).set(from('192.0.2.12')).expect(302);
      expect(dl.headers['ratelimit-policy']).toBe('"dl";q=2;w=60');
      expect(rateLimitOf(dl)).toMatchObject({ name: 'dl', r: 1 });
      const ingest = await request(t.http)
        .post('/v1/events')
        .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
        .send(event('h-1'))
        .expect(200);
      expect(ingest.headers['ratelimit-policy']).toBe('"ingest";q=120;w=60');
      expect(rateLimitOf(ingest)).toMatchObject({ name: 'ingest', r: 119 });
    });

    it('limits failed key checks per address: after 3 unknown or malformed keys, a 429 even for the right key', async () => {
      const address = from('192.0.2.13');
      const wrong = { ...address, Authorization: 'Bearer mp_notakey' };
      const first = await request(t.http).post('/v1/events').set(wrong).send(event('k-1')).expect(401);
      expect(first.headers['ratelimit-policy']).toBe('"key-failures";q=3;w=60');
      expect(rateLimitOf(first)).toMatchObject({ name: 'key-failures', r: 2 });
      // A malformed header is a failed check too.
      const malformed = await request(t.http)
        .post('/v1/events')
        .set({ ...address, Authorization: 'Basic Zm9vOmJhcg==' })
        .send(event('k-2'))
        .expect(401);
      expect(rateLimitOf(malformed).r).toBe(1);
      const third = await request(t.http).get('/v1/admin/api-keys').set(wrong).expect(401);
      expect(rateLimitOf(third).r).toBe(0);

      expectProblem429(await request(t.http).post('/v1/events').set(wrong).send(event('k-3')));
      const right = await request(t.http)
        .post('/v1/events')
        .set({ ...address, Authorization: `Bearer ${ADMIN_TOKEN}` })
        .send(event('k-4'));
      expectProblem429(right);
      expect(right.headers['ratelimit-policy']).toBe('"key-failures";q=3;w=60');

      // No key at all is nothing to guess with: still the plain 401.
      await request(t.http).post('/v1/events').set(address).send(event('k-5')).expect(401);
      // Another address is not held back, and public reads are not either.
      await request(t.http)
        .post('/v1/events')
        .set({ ...from('192.0.2.14'), Authorization: `Bearer ${ADMIN_TOKEN}` })
        .send(event('k-6'))
        .expect(200);
      await request(t.http).get('/v1/licenses').set(address).expect(200);
    });
  });

  const REDIS_URL = process.env.REDIS_URL;
  if (REDIS_URL) {
    describe(`with REDIS_URL (${REDIS_URL}): two replicas share one budget`, () => {
      const prefix = uniqueRedisPrefix('limits');
      let one: TestApp;
      let two: TestApp;
      const env = {
        RATE_LIMIT_READ_PER_MINUTE: '4',
        RATE_LIMIT_KEY_FAILURES_PER_MINUTE: '2',
        REDIS_KEY_PREFIX: prefix,
        TRUST_PROXY: 'true',
      };

      beforeAll(async () => {
        one = await createTestApp({ seed: true, env });
        two = await createTestApp({ seed: true, env });
      });
      afterAll(async () => {
        await one.close();
        await two.close();
        await deleteRedisKeys(REDIS_URL, prefix);
      });

      it('counts reads and failed key checks in Redis, so what one replica counted holds on the other', async () => {
        const address = from('203.0.113.50');
        const remaining: number[] = [];
        for (const t of [one, two, one, two]) {
          remaining.push(rateLimitOf(await request(t.http).get('/v1/licenses').set(address).expect(200)).r);
        }
        expect(remaining).toEqual([3, 2, 1, 0]);
        expectProblem429(await request(one.http).get('/v1/licenses').set(address));

        const wrong = { ...address, Authorization: 'Bearer mp_notakey' };
        await request(one.http).post('/v1/events').set(wrong).send(event('x-1')).expect(401);
        await request(two.http).post('/v1/events').set(wrong).send(event('x-2')).expect(401);
        const held = await request(one.http)
          .post('/v1/events')
          .set({ ...address, Authorization: `Bearer ${ADMIN_TOKEN}` })
          .send(event('x-3'));
        expectProblem429(held);

        const keys = await redisKeys(REDIS_URL, prefix);
        expect(keys).toContain('{read:ip:203.0.113.50:read}:hits');
        expect(keys).toContain('{key-failures:ip:203.0.113.50:key-failures}:blocked');
      });
    });
  }
});
