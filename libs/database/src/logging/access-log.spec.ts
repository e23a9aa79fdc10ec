import type { IncomingMessage } from 'node:http';
import type { ConfigService } from '@nestjs/config';
import type { Params } from 'nestjs-pino';
import type { AllConfig } from '@modelpulse/config';
import { pino } from 'pino';
import { AccessLog, createRootLogger, isoTimeOncePerMs, noteRoute } from './logging.module';

const SECRET = 'an-admin-token-that-is-long-enough-to-hunt';

/** The settings createRootLogger reads, as the app's ConfigService gives them. */
const config = {
  get: (key: string) =>
    ({
      app: { logLevel: 'log', logFormat: 'json', adminToken: SECRET, redis: null },
      upstreams: { huggingface: { token: null }, github: { token: null } },
      'db.url': 'postgres://postgres@127.0.0.1:5432/test',
    })[key],
} as unknown as ConfigService<AllConfig, true>;

const request = (url: string) => ({ method: 'GET', url, headers: {} }) as IncomingMessage;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('AccessLog (one line per request, written at the end of the turn)', () => {
  let writes: string[];
  let log: AccessLog;

  beforeEach(() => {
    writes = [];
    const root = createRootLogger(config, { write: (chunk: string) => void writes.push(chunk) });
    log = new AccessLog({ pinoHttp: { logger: root } } as Params);
  });
  afterEach(() => log.onApplicationShutdown());

  const answer = (id: string, url: string, status: number) => {
    const raw = request(url);
    log.begin(raw, id);
    noteRoute(raw, '/badges/:org/:name/:metric.svg');
    log.end(raw, id, status);
  };

  it('writes the lines of requests answered in one turn together, in their order, once the turn ends', async () => {
    answer('a', '/badges/acme/one/downloads.svg', 200);
    answer('b', '/badges/acme/two/downloads.svg', 304);
    answer('c', '/badges/acme/three/downloads.svg', 500);
    expect(writes).toEqual([]);

    await nextTurn();
    expect(writes).toHaveLength(1);
    const lines = writes[0]
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ requestId, status, level }) => ({ requestId, status, level }))).toEqual([
      { requestId: 'a', status: 200, level: 30 },
      { requestId: 'b', status: 304, level: 30 },
      { requestId: 'c', status: 500, level: 50 },
    ]);
    expect(lines[0]).toMatchObject({
      route: '/badges/:org/:name/:metric.svg',
      url: '/badges/acme/one/downloads.svg',
      msg: expect.stringMatching(/^GET \/badges\/:org\/:name\/:metric\.svg 200 in \d+ ms$/),
    });
  });

  it('writes what is pending at once when the app shuts down, before the turn ends', () => {
    answer('a', '/badges/acme/one/downloads.svg', 200);
    log.onApplicationShutdown();
    expect(writes.join('')).toContain('"requestId":"a"');
  });

  it('scrubs a secret a client put in the URL from the gathered lines', async () => {
    answer('a', `/badges/acme/one/downloads.svg?token=${SECRET}`, 200);
    await nextTurn();
    expect(writes.join('')).not.toContain(SECRET);
    expect(writes.join('')).toContain('[redacted]');
  });

  it('writes lines logged outside the access lines straight away, one write each', () => {
    const root = createRootLogger(config, { write: (chunk: string) => void writes.push(chunk) });
    root.info('one');
    root.info('two');
    expect(writes).toHaveLength(2);
  });
});

describe('isoTimeOncePerMs', () => {
  it("writes pino's isoTime field, formatted again only when the millisecond changes", () => {
    let ms = Date.parse('2025-01-22T06:00:00.123Z');
    const time = isoTimeOncePerMs(() => ms);
    const first = time();
    expect(first).toBe(',"time":"2025-01-22T06:00:00.123Z"');
    expect(time()).toBe(first);
    ms += 1;
    expect(time()).toBe(',"time":"2025-01-22T06:00:00.124Z"');
    // The same field as pino's own for the same instant.
    const realNow = Date.now;
    Date.now = () => ms;
    try {
      expect(time()).toBe(pino.stdTimeFunctions.isoTime());
    } finally {
      Date.now = realNow;
    }
  });
});
