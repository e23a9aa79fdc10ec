import request from 'supertest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';

const R1 = 'deepseek-ai/DeepSeek-R1';
const ORIGIN = { Origin: 'https://someone-elses.example' };
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const READS = [
  '/v1/models',
  `/v1/models/${R1}`,
  `/v1/models/${R1}/stats`,
  '/v1/rankings/trending',
  '/v1/licenses',
  `/badges/${R1}/license.svg`,
  `/badges/${R1}/license.json`,
  `/v1/models/${R1}/chart.svg`,
  '/embed/trending',
  `/embed/models/${R1}`,
  `/oembed?url=${encodeURIComponent(`https://modelpulse.test/models/${R1}`)}`,
];

function expectNoCors(response: request.Response): void {
  for (const header of Object.keys(response.headers)) expect(header).not.toMatch(/^access-control-/);
}

describe('CORS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(() => t.close());

  it.each(READS)(
    'lets any origin read GET and HEAD %s, without credentials, with the rate-limit headers exposed',
    async (path) => {
      for (const method of ['get', 'head'] as const) {
        const response = await request(t.http)[method](path).set(ORIGIN);
        expect(response.status).toBe(200);
        expect(response.headers['access-control-allow-origin']).toBe('*');
        expect(response.headers['access-control-allow-credentials']).toBeUndefined();
        expect(response.headers['access-control-expose-headers']).toBe(
          'RateLimit, RateLimit-Policy, Retry-After, Link, ETag',
        );
      }
    },
  );

  it('answers the errors of reads with CORS too, so a script can read why', async () => {
    const response = await request(t.http).get('/v1/models?limit=1000').set(ORIGIN).expect(400);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers the preflight of a read', async () => {
    const response = await request(t.http)
      .options('/v1/models')
      .set({ ...ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' })
      .expect(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(response.headers['access-control-allow-headers']).toBe('if-none-match');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it.each(['POST', 'PATCH', 'PUT', 'DELETE'])(
    'does not allow a %s from another origin: its preflight is not answered',
    async (method) => {
      const response = await request(t.http)
        .options(`/v1/models/${R1}`)
        .set({ ...ORIGIN, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization' });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expectNoCors(response);
    },
  );

  it('sends no CORS headers on writes', async () => {
    expectNoCors(
      await request(t.http)
        .post('/v1/events')
        .set({ ...ORIGIN, ...auth })
        .send({ events: [{ id: 'cors-1', model: R1 }] })
        .expect(200),
    );
    expectNoCors(
      await request(t.http)
        .patch(`/v1/models/${R1}`)
        .set({ ...ORIGIN, ...auth })
        .send({ description: 'A reasoning model.' })
        .expect(200),
    );
    expectNoCors(
      await request(t.http)
        .post('/v1/admin/api-keys')
        .set({ ...ORIGIN, ...auth })
        .send({ name: 'cors', scopes: ['stats:ingest'], sources: ['cors-probe'] })
        .expect(201),
    );
  });

  it('sends none on the site pages and operations routes, which are not for other sites to read', async () => {
    for (const path of ['/', `/models/${R1}`, '/health/live', '/openapi.json']) {
      expectNoCors(await request(t.http).get(path).set(ORIGIN).expect(200));
    }
  });
});
