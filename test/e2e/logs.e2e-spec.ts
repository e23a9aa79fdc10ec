import request from 'supertest';
import { AppLogger } from '@modelpulse/database';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { LogCapture } from '../support/logs';
import { Scrape } from '../support/prometheus';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NEST_WIRING = ['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication'];

const linesOf = (logs: LogCapture, requestId: string) => logs.records().filter((r) => r.requestId === requestId);
const accessLines = (logs: LogCapture, requestId: string) => linesOf(logs, requestId).filter((r) => 'status' in r);

describe('logs (JSON lines, request ids, secrets)', () => {
  describe('at the default level', () => {
    const logs = new LogCapture();
    let t: TestApp;

    beforeAll(async () => {
      delete process.env.LOG_LEVEL;
      delete process.env.TRUST_PROXY;
      // The embedded server's URL carries its password; a server on trust auth (CI's) is given one.
      t = await createTestApp({ logs, databasePassword: 'a-database-password-to-hide' });
    });
    afterAll(() => t.close());

    it("leaves out Nest's wiring lines: nothing about modules, routes or mappings", () => {
      const records = logs.records();
      expect(records.some((r) => NEST_WIRING.includes(r.context as string))).toBe(false);
      expect(logs.text()).not.toMatch(/Mapped \{|dependencies initialized/);
    });

    it('gives a problem body the id of the request, which its header and every one of its lines carry', async () => {
      logs.clear();
      const response = await request(t.http)
        .post('/v1/admin/api-keys')
        .set(admin)
        .send({ name: 'too many scopes', scopes: ['catalog:write', 'everything'] })
        .expect(400);
      const requestId = response.body.requestId as string;
      expect(requestId).toMatch(UUID);
      expect(response.headers['x-request-id']).toBe(requestId);
      expect(accessLines(logs, requestId)).toHaveLength(1);
      // A request with no id on a line would be a line of some other request: none of this one's is lost.
      expect(logs.records().filter((r) => 'status' in r && r.requestId !== requestId)).toEqual([]);
    });

    it('puts the id on the lines a service writes while handling a request with a body', async () => {
      logs.clear();
      const response = await request(t.http)
        .post('/v1/admin/api-keys')
        .set(admin)
        .send({ name: 'ingest robot', scopes: ['stats:ingest'], sources: ['mirror'] })
        .expect(201);
      const requestId = response.headers['x-request-id'] as string;
      const lines = linesOf(logs, requestId);
      expect(lines.map((r) => r.msg)).toEqual([
        expect.stringMatching(/^key \S+ \(mp_[0-9a-f]{8}, stats:ingest.*\) created by admin-token/),
        'POST /v1/admin/api-keys 201 in ' + String(lines[1]?.responseTimeMs) + ' ms',
      ]);
      expect(lines[0]).toMatchObject({ context: 'ApiKeys', level: 30 });
      expect(logs.records().filter((r) => r.requestId === undefined)).toEqual([]);
    });

    it('writes one access line per request: method, route pattern, path, status and time', async () => {
      logs.clear();
      const response = await request(t.http).get('/v1/models/acme/nothing-here?x=1').expect(404);
      const [line] = accessLines(logs, response.body.requestId as string);
      expect(line).toEqual({
        level: 30,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        pid: process.pid,
        hostname: expect.any(String),
        requestId: response.body.requestId,
        method: 'GET',
        route: '/v1/models/:org/:name',
        url: '/v1/models/acme/nothing-here?x=1',
        status: 404,
        responseTimeMs: expect.any(Number),
        msg: `GET /v1/models/:org/:name 404 in ${String(line.responseTimeMs)} ms`,
      });
      expect(line.responseTimeMs).toBeGreaterThanOrEqual(0);
    });

    it('logs a request no route matched with its path, and a 2xx alike', async () => {
      logs.clear();
      const missing = await request(t.http).get('/no/such/page').expect(404);
      const found = await request(t.http).get('/v1/licenses').expect(200);
      expect(accessLines(logs, missing.headers['x-request-id'] as string)).toEqual([
        expect.objectContaining({ route: null, url: '/no/such/page', status: 404 }),
      ]);
      expect(accessLines(logs, found.headers['x-request-id'] as string)).toEqual([
        expect.objectContaining({ method: 'GET', route: '/v1/licenses', status: 200, level: 30 }),
      ]);
    });

    it('writes the access line of an answer the response cache gave, and of its 304, with the id it sent', async () => {
      const hits = async () =>
        new Scrape((await request(t.http).get('/metrics').expect(200)).text).value(
          'modelpulse_response_cache_requests_total',
          { route: '/v1/organizations', result: 'hit' },
        );
      await request(t.http).get('/v1/organizations').expect(200);
      const hitsBefore = await hits();
      logs.clear();
      const hit = await request(t.http).get('/v1/organizations').expect(200);
      const again = await request(t.http)
        .get('/v1/organizations')
        .set('If-None-Match', hit.headers.etag as string)
        .expect(304);
      expect(await hits()).toBe(hitsBefore + 2);
      for (const [response, status] of [
        [hit, 200],
        [again, 304],
      ] as const) {
        const requestId = response.headers['x-request-id'] as string;
        expect(requestId).toMatch(UUID);
        expect(accessLines(logs, requestId)).toEqual([
          expect.objectContaining({ method: 'GET', route: '/v1/organizations', url: '/v1/organizations', status }),
        ]);
      }
    });

    it("ignores a client's own X-Request-Id when no proxy is trusted", async () => {
      const response = await request(t.http).get('/v1/models/acme/nothing').set('X-Request-Id', 'forged-1').expect(404);
      expect(response.body.requestId).toMatch(UUID);
      expect(response.headers['x-request-id']).toBe(response.body.requestId);
    });

    it('never writes the admin token, a new key secret or the database password, whoever tries', async () => {
      const databasePassword = new URL(process.env.DATABASE_URL!).password;
      expect(databasePassword.length).toBeGreaterThan(8);
      const created = await request(t.http)
        .post('/v1/admin/api-keys')
        .set(admin)
        .send({ name: 'writer', scopes: ['catalog:write'] })
        .expect(201);
      const secret = created.body.secret as string;
      await request(t.http)
        .post('/v1/models')
        .set('Authorization', `Bearer ${secret}`)
        .send({ id: 'acme/logged-model' })
        .expect(201);
      await request(t.http).get('/v1/models/acme/logged-model').set('Authorization', `Bearer ${secret}`).expect(200);
      // A URL is written whole in its access line: a secret pasted into one is blanked there too.
      const pasted = await request(t.http).get(`/v1/licenses?token=${ADMIN_TOKEN}&key=${secret}`);
      expect(accessLines(logs, pasted.headers['x-request-id'] as string)).toEqual([
        expect.objectContaining({ url: `/v1/licenses?token=[redacted]&key=${secret.slice(0, 11)}_[redacted]` }),
      ]);
      // What a careless line or a library's error message might hold.
      const logger = t.app.get(AppLogger);
      logger.warn(`could not reach ${process.env.DATABASE_URL}`, 'Test');
      logger.log({ msg: 'a request as it came', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }, 'Test');
      logger.error(`key ${secret} refused; admin is ${ADMIN_TOKEN}`, undefined, 'Test');

      const text = logs.text();
      expect(text).not.toContain(ADMIN_TOKEN);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(12));
      expect(text).not.toContain(databasePassword);
      const tried = logs.records().filter((r) => r.context === 'Test');
      expect(tried.map((r) => r.msg)).toEqual([
        `could not reach ${process.env.DATABASE_URL!.replace(databasePassword, '[redacted]')}`,
        'a request as it came',
        `key ${secret.slice(0, 11)}_[redacted] refused; admin is [redacted]`,
      ]);
      expect(tried[1].headers).toEqual({ authorization: '[redacted]' });
    });
  });

  describe('at LOG_LEVEL=debug, behind a trusted proxy', () => {
    const logs = new LogCapture();
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ logs, env: { LOG_LEVEL: 'debug', TRUST_PROXY: '127.0.0.1' } });
    });
    afterAll(async () => {
      await t.close();
      delete process.env.LOG_LEVEL;
      delete process.env.TRUST_PROXY;
    });

    it("shows Nest's wiring lines, at debug", () => {
      const wiring = logs.records().filter((r) => NEST_WIRING.includes(r.context as string));
      expect(wiring.map((r) => r.context)).toEqual(expect.arrayContaining(['RoutesResolver', 'RouterExplorer']));
      expect(new Set(wiring.map((r) => r.level))).toEqual(new Set([20]));
    });

    it("keeps the proxy's sane X-Request-Id, on the answer and on the lines", async () => {
      logs.clear();
      const response = await request(t.http)
        .get('/v1/models/acme/nothing')
        .set('X-Request-Id', 'edge-7f3a:1699999999.123')
        .expect(404);
      expect(response.body.requestId).toBe('edge-7f3a:1699999999.123');
      expect(response.headers['x-request-id']).toBe('edge-7f3a:1699999999.123');
      expect(accessLines(logs, 'edge-7f3a:1699999999.123')).toHaveLength(1);
    });

    it.each([
      ['too long', 'a'.repeat(129)],
      ['with a space', 'two words'],
      ['with a quote', 'id"injected'],
    ])('replaces an X-Request-Id %s with a fresh one', async (_case, incoming) => {
      const response = await request(t.http).get('/v1/models/acme/nothing').set('X-Request-Id', incoming).expect(404);
      expect(response.body.requestId).toMatch(UUID);
    });
  });

  describe('at LOG_LEVEL=warn', () => {
    const logs = new LogCapture();
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ logs, env: { LOG_LEVEL: 'warn' } });
    });
    afterAll(async () => {
      await t.close();
      delete process.env.LOG_LEVEL;
    });

    it('leaves out info lines and access lines, but still says the process is ready', async () => {
      logs.clear();
      await request(t.http).get('/v1/licenses').expect(200);
      t.app.get(AppLogger).log('an info line', 'Test');
      t.app.get(AppLogger).announce('modelpulse listening on http://x', 'Http');
      expect(logs.records()).toEqual([
        expect.objectContaining({ level: 30, context: 'Http', msg: 'modelpulse listening on http://x' }),
      ]);
    });
  });
});
