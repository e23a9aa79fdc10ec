import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const LIMITS = { RATE_LIMIT_DL_PER_MINUTE: '2', RATE_LIMIT_INGEST_PER_MINUTE: '2' };
const LINK = '/dl/deepseek-ai/DeepSeek-R1?file=config.json';
const event = (id: string) => ({ events: [{ id, model: 'Qwen/QwQ-32B' }] });

/** A 429 as every error is answered, and when to come back. */
function expectTooMany(response: request.Response): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: 'https://modelpulse.dev/problems/too-many-requests',
    title: 'Too many requests',
    status: 429,
  });
  expect(response.headers['retry-after']).toMatch(/^\d+$/);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
}

describe('rate limits', () => {
  describe('behind a trusted proxy (TRUST_PROXY=true), 2 a minute', () => {
    let t: TestApp;
    const clock = new FakeClock('2025-01-28T12:00:00Z');

    beforeAll(async () => {
      t = await createTestApp({ seed: true, clock, env: { ...LIMITS, TRUST_PROXY: 'true' } });
    });
    afterAll(() => t.close());

    const from = (address: string) => ({ 'X-Forwarded-For': address });

    it('limits /dl per client address; another address is not affected; the refused click is not counted', async () => {
      await request(t.http).get(LINK).set(from('203.0.113.7')).expect(302);
      await request(t.http).get(LINK).set(from('203.0.113.7')).expect(302);
      expectTooMany(await request(t.http).get(LINK).set(from('203.0.113.7')));
      await request(t.http).get(LINK).set(from('198.51.100.20')).expect(302);

      const { body } = await request(t.http)
        .get('/v1/models/deepseek-ai/DeepSeek-R1/stats?metric=clicks&from=2025-01-28')
        .expect(200);
      expect(body.total).toBe(3);
    });

    it('leaves other routes alone', async () => {
      for (let i = 0; i < 5; i++) {
        await request(t.http).get('/v1/models/deepseek-ai/DeepSeek-R1').set(from('203.0.113.7')).expect(200);
      }
    });

    it('limits ingestion per API key, one budget for events and observations; another key is not affected', async () => {
      const keyWith = async (name: string) =>
        (
          await request(t.http)
            .post('/v1/admin/api-keys')
            .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
            .send({ name, scopes: ['stats:ingest'], sources: ['events', 'mirror'] })
            .expect(201)
        ).body.secret as string;
      const first = { Authorization: `Bearer ${await keyWith('mirror eu')}` };
      const second = { Authorization: `Bearer ${await keyWith('mirror us')}` };

      await request(t.http).post('/v1/events').set(first).send(event('e-1')).expect(200);
      await request(t.http).post('/v1/events').set(first).send(event('e-2')).expect(200);
      expectTooMany(
        await request(t.http)
          .post('/v1/observations')
          .set(first)
          .send({
            observations: [
              { model: 'Qwen/QwQ-32B', source: 'mirror', observedAt: '2025-01-28T00:00:00Z', downloadsAllTime: 1 },
            ],
          }),
      );
      expectTooMany(await request(t.http).post('/v1/events').set(first).send(event('e-3')));

      // Same address, another key: its own budget.
      await request(t.http).post('/v1/events').set(second).send(event('e-4')).expect(200);
      // No key is still a 401: keys are checked before the limit is counted.
      await request(t.http).post('/v1/events').send(event('e-5')).expect(401);
    });
  });

  describe('without a trusted proxy (the default)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ seed: true, env: { ...LIMITS, TRUST_PROXY: 'false' } });
    });
    afterAll(() => t.close());

    it('ignores X-Forwarded-For, so a client cannot pose as many', async () => {
      await request(t.http).get(LINK).set({ 'X-Forwarded-For': '192.0.2.1' }).expect(302);
      await request(t.http).get(LINK).set({ 'X-Forwarded-For': '192.0.2.2' }).expect(302);
      expectTooMany(await request(t.http).get(LINK).set({ 'X-Forwarded-For': '192.0.2.3' }));
    });
  });

  describe.each([
    ['refuses connections', 'refuse'],
    ['takes connections and never answers', 'hang'],
  ] as const)('with REDIS_URL at a Redis that %s', (_, behaviour) => {
    let t: TestApp;
    let redis: Server | null = null;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      let port = 9; // discard: nothing listens there
      if (behaviour === 'hang') {
        redis = createServer((socket) => sockets.push(socket));
        await new Promise<void>((resolve) => redis!.listen(0, '127.0.0.1', resolve));
        port = (redis.address() as { port: number }).port;
      }
      t = await createTestApp({ seed: true, env: { ...LIMITS, REDIS_URL: `redis://127.0.0.1:${port}` } });
    });
    afterAll(async () => {
      await t.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => (redis ? redis.close(resolve) : resolve(undefined)));
    });

    it('still answers, counting the limit in this process', async () => {
      const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
      await request(t.http).post('/v1/events').set(auth).send(event('r-1')).expect(200);
      await request(t.http).post('/v1/events').set(auth).send(event('r-2')).expect(200);
      expectTooMany(await request(t.http).post('/v1/events').set(auth).send(event('r-3')));
      await request(t.http).get(LINK).expect(302);
    });
  });
});
