import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';

const BODY_LIMIT_BYTES = 65_536;
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

interface RawAnswer {
  status: number;
  head: string;
  body: string;
  /** Whether the server closed the connection. */
  closed: boolean;
}

/**
 * A raw HTTP/1.1 exchange: `chunks` are written one after another, `gapMs`
 * apart, and the answer is read until the server closes the connection or
 * sends a whole answer.
 */
function exchange(port: number, chunks: string[], gapMs = 0): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const [head, body = ''] = received.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body, closed });
    };
    const complete = () => {
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      const bodyAt = received.indexOf('\r\n\r\n');
      return length !== undefined && bodyAt >= 0 && Buffer.byteLength(received.slice(bodyAt + 4)) >= Number(length);
    };
    socket.setEncoding('utf8');
    socket.on('data', (data) => {
      received += data;
      if (complete()) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish(true);
      else reject(error);
    });
    let next = 0;
    const writeNext = () => {
      if (next >= chunks.length || socket.destroyed) return;
      socket.write(chunks[next++]);
      timer = setTimeout(writeNext, gapMs);
    };
    socket.on('connect', writeNext);
  });
}

const head = (method: string, path: string, headers: Record<string, string | number>) =>
  `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';

/** `[[[…]]]` nested `depth` deep. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** Every operation of the contract that takes a body, with its path's parameters filled in. */
function operationsWithBodies(): Array<{ method: string; path: string }> {
  const spec = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, { requestBody?: unknown }>>;
  };
  return Object.entries(spec.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation.requestBody !== undefined)
      .map(([method]) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x') })),
  );
}

describe('caps and timeouts on requests', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
        HTTP_HEADERS_TIMEOUT_SECONDS: '1',
        HTTP_REQUEST_TIMEOUT_SECONDS: '2',
      },
    });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('refuses a body over HTTP_BODY_LIMIT_BYTES with a 413 problem naming the limit', async () => {
    const events = Array.from({ length: 2000 }, (_, i) => ({ id: `event-${i}`, model: 'acme/rocket-7b' }));
    const response = await request(t.http).post('/v1/events').set(auth).send({ events });
    expect(JSON.stringify({ events }).length).toBeGreaterThan(BODY_LIMIT_BYTES);
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, title: 'Payload too large' });
    expect(response.body.detail).toContain(`${BODY_LIMIT_BYTES} bytes`);
    expect(response.body.errors).toEqual([{ field: 'body', message: expect.stringContaining(`${BODY_LIMIT_BYTES}`) }]);
  });

  it('answers a write without a key 401 at once, from its headers, without waiting for the body', async () => {
    // The body never comes: were it awaited, the answer would be the 408 of the request timeout.
    const answer = await exchange(port, [
      head('POST', '/v1/observations', { 'Content-Type': 'application/json', 'Content-Length': 50_000 }),
    ]);
    expect(answer.status).toBe(401);
    expect(answer.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('checks the key before the body limit: an unknown key with a huge Content-Length gets 401, not 413', async () => {
    const answer = await exchange(port, [
      head('POST', '/v1/models', {
        Authorization: 'Bearer mp_00000000_not-a-key',
        'Content-Type': 'application/json',
        'Content-Length': 10 * BODY_LIMIT_BYTES,
      }),
    ]);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).detail).toBe('The API key is not known');
  });

  it('answers a key without the scope 403 before the body arrives', async () => {
    const { body: key } = await request(t.http)
      .post('/v1/admin/api-keys')
      .set(auth)
      .send({ name: 'catalogue only', scopes: ['catalog:write'] })
      .expect(201);
    const answer = await exchange(port, [
      head('POST', '/v1/events', {
        Authorization: `Bearer ${key.secret}`,
        'Content-Type': 'application/json',
        'Content-Length': 1000,
      }),
    ]);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 403, detail: 'The API key lacks the stats:ingest scope' });
  });

  it('cuts off a body that trickles in slower than HTTP_REQUEST_TIMEOUT_SECONDS with a 408 problem', async () => {
    const body = JSON.stringify({ events: [{ id: 'slow-1', model: 'acme/rocket-7b' }] });
    const chunks = [
      head('POST', '/v1/events', { ...auth, 'Content-Type': 'application/json', 'Content-Length': body.length }),
      // A byte every 400 ms: the whole body would take far longer than the 2 s allowed.
      ...body.split(''),
    ];
    const answer = await exchange(port, chunks, 400);
    expect(answer.status).toBe(408);
    expect(answer.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 408, title: 'Request timeout' });
    expect(answer.closed || /connection: close/i.test(answer.head)).toBe(true);
  });

  it('cuts off headers that trickle in slower than HTTP_HEADERS_TIMEOUT_SECONDS with a 408 problem', async () => {
    const start = 'GET /v1/models HTTP/1.1\r\nHost: localhost\r\n';
    const chunks = [start, ...'X-Slow: abcdefghijklmnopqrstuvwxyz'.split('')];
    const answer = await exchange(port, chunks, 200);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 408 });
  });

  it('answers a 2 000-deep 4 KB JSON body 400 naming the depth limit on every route that takes a body', async () => {
    const operations = operationsWithBodies();
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'PATCH /v1/models/x/x',
      'POST /v1/admin/api-keys',
      'POST /v1/admin/sync',
      'POST /v1/events',
      'POST /v1/models',
      'POST /v1/observations',
    ]);
    const deep = nested(2000);
    expect(deep.length).toBe(4000);
    for (const { method, path } of operations) {
      for (const body of [deep, `{"events":${nested(40)}}`]) {
        const agent = request(t.http);
        const response = await (method === 'PATCH' ? agent.patch(path) : agent.post(path))
          .set({ ...auth, 'Content-Type': 'application/json' })
          .send(body);
        expect({ route: `${method} ${path}`, status: response.status }).toEqual({
          route: `${method} ${path}`,
          status: 400,
        });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('32 levels') }]);
      }
    }
  });

  it('counts brackets inside strings as text, not nesting', async () => {
    const response = await request(t.http)
      .post('/v1/models')
      .set(auth)
      .send({ id: 'acme/brackets', description: '['.repeat(100) + '{'.repeat(100) });
    expect(response.status).toBe(201);
  });

  it.each([
    ['/v1/models/' + 'a'.repeat(300) + '/b', 404],
    ['/v1/papers/' + '1'.repeat(5000), 404],
    ['/v1/models/acme/%E0%A4%A', 400],
    ['/v1/models/acme/x%C3%28y/stats', 400],
  ])('answers %s with a %i problem, like any unknown path', async (path, status) => {
    const response = await request(t.http).get(path);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status,
      type: expect.stringMatching(/^https:\/\/modelpulse\.dev\/problems\//),
    });
  });

  it.each([
    ['/badges/acme/' + 'n'.repeat(1000) + '/downloads.svg', 404, 'not found'],
    ['/badges/x%FFy/model/downloads.svg?style=flat', 400, 'invalid request'],
  ])('answers the badge %s with a %i grey badge, as the badge route would', async (path, status, message) => {
    const response = await request(t.http).get(path);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(response.body.toString()).toContain(`<title>modelpulse: ${message}</title>`);
  });

  it.each([
    ['/models/acme/' + 'n'.repeat(1000), 404, 'Not found'],
    ['/models/x%C3%28y/model', 400, 'That request did not work'],
  ])('answers the site page %s with a %i HTML page, as the site would', async (path, status, title) => {
    const response = await request(t.http).get(path);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.text).toContain(title);
  });
});
