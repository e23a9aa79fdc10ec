import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';

const SPEC_FILE = join(__dirname, '..', '..', 'openapi.json');

describe('operations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports the process and the database as up, and nothing more: no pid, memory or uptime', async () => {
    const { body } = await request(t.http).get('/health').expect(200);
    expect(body).toEqual({
      status: 'ok',
      info: { process: { status: 'up' }, database: { status: 'up' } },
      error: {},
      details: { process: { status: 'up' }, database: { status: 'up' } },
    });
  });

  it('answers liveness from the process alone and readiness from the database, up or down only', async () => {
    const live = await request(t.http).get('/health/live').expect(200);
    expect(live.body).toEqual({
      status: 'ok',
      info: { process: { status: 'up' } },
      error: {},
      details: { process: { status: 'up' } },
    });
    const ready = await request(t.http).get('/health/ready').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });

  it('reports the database as down with a 503 when it cannot be reached, with no error text, while liveness stays up', async () => {
    await t.db.drop();
    const { body } = await request(t.http).get('/health').expect(503);
    expect(body).toEqual({
      status: 'error',
      info: { process: { status: 'up' } },
      error: { database: { status: 'down' } },
      details: { process: { status: 'up' }, database: { status: 'down' } },
    });
    const ready = await request(t.http).get('/health/ready').expect(503);
    expect(ready.body.error).toEqual({ database: { status: 'down' } });
    await request(t.http).get('/health/live').expect(200);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(t.http).get('/docs').expect(200);
    expect(response.text).toContain('swagger-ui');
  });

  /**
   * The committed openapi.json is the contract; it must be what the code
   * serves. After a deliberate change: OPENAPI_WRITE=1 npx jest operations.
   */
  it('serves at /openapi.json exactly the committed openapi.json', async () => {
    const { body } = await request(t.http).get('/openapi.json').expect(200);
    if (process.env.OPENAPI_WRITE === '1') writeFileSync(SPEC_FILE, `${JSON.stringify(body, null, 2)}\n`);
    const committed = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
    expect(body).toEqual(committed);
  });

  it('documents every catalogue, stats, link, badge, admin and operations route and the problem shape', async () => {
    const { body } = await request(t.http).get('/openapi.json').expect(200);
    expect(Object.keys(body.paths).sort()).toEqual([
      '/badges/{org}/{name}/{metric}.json',
      '/badges/{org}/{name}/{metric}.svg',
      '/dl/{org}/{name}',
      '/embed/models/{org}/{name}',
      '/embed/trending',
      '/health',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/oembed',
      '/v1/admin/api-keys',
      '/v1/admin/api-keys/{id}',
      '/v1/admin/sync',
      '/v1/chart.svg',
      '/v1/events',
      '/v1/licenses',
      '/v1/models',
      '/v1/models/{org}/{name}',
      '/v1/models/{org}/{name}/chart.svg',
      '/v1/models/{org}/{name}/lineage',
      '/v1/models/{org}/{name}/rankings',
      '/v1/models/{org}/{name}/stats',
      '/v1/observations',
      '/v1/organizations',
      '/v1/papers/{arxivId}',
      '/v1/rankings/trending',
      '/v1/rankings/{ranking}',
      '/v1/sync/runs',
    ]);
    expect(body.components.schemas.ProblemDto.required).toEqual(['type', 'title', 'status', 'detail']);
    expect(body.components.schemas.ModelDto.properties.parameters).toMatchObject({ type: 'number', nullable: true });
  });

  it('sends strict security headers: nothing frames the API or its docs; only the API is readable cross-origin', async () => {
    for (const [path, cors] of [
      ['/v1/models?limit=1', '*'],
      ['/docs', undefined],
      ['/health', undefined],
    ] as const) {
      const { headers } = await request(t.http).get(path);
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['access-control-allow-origin']).toBe(cors);
    }
  });
});
