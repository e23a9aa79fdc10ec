import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Client } from 'pg';
import { ModelStatsFolder } from '@modelpulse/core/stats';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { AUTHS, casesOf, type Auth, type FuzzCase, type WireRequest } from './cases';
import { changedTables, digest, digestQuery, nextXid, type Digest } from './digest';
import { operationsOf, resolver, siteOperations, type Operation, type Schema } from './operations';
import { Tally } from './report';
import { CATEGORIES, type Dictionary } from './values';
import { send, type Outcome } from './wire';

/**
 * `npm run test:fuzz`: every operation of the served OpenAPI document (and
 * the site's pages) under generated near-valid and hostile input, on the
 * real app over a real socket and the real PostgreSQL. Passing means: no
 * 5xx, each route's own error type, no answer slower than 2 s, and no table
 * changed by a rejected request (docs/testing.md).
 */

const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI === 'true'
    ? 20250120
    : Date.now() % 2 ** 31;
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 200;
const PER_CATEGORY = Math.ceil(RUNS / CATEGORIES.length);
const SLOW_MS = 2_000;
/** Fastify's body limit in the app (configure-app.ts): "oversized" bodies are just over it. */
/** The fuzz app's body limit, set in its environment, so the oversized cases go just past it. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** High limits, so the cases reach the handlers instead of a 429. */
const FUZZ_ENV = {
  RATE_LIMIT_DL_PER_MINUTE: '1000000',
  RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
  HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
};

const FUZZ_SOURCES = ['huggingface', 'github', 'events'];

/** Longer than any fold of the fuzz app's few models, far shorter than the test's timeout. */
const FOLD_WAIT_MS = 10_000;

/** Writes last, deletions at the very end, so the reads see the catalogue whole. */
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Violation {
  operation: string;
  rule: string;
  fuzzCase: FuzzCase;
  detail: string;
}

const ERROR_TYPES = {
  problem: /^application\/problem\+json/,
  svg: /^image\/svg\+xml/,
  html: /^text\/html/,
};

function describeRequest(request: WireRequest): string {
  const body = request.body
    ? ` body ${request.body.length} B: ${request.body.subarray(0, 160).toString('latin1')}`
    : '';
  const url = request.url.length > 200 ? `${request.url.slice(0, 200)}… (${request.url.length} chars)` : request.url;
  return `${request.method} ${url} content-type=${request.headers['content-type'] ?? '(none)'}${body}`;
}

/** What is wrong with one answer; the table check is separate. */
function judge(operation: Operation, fuzzCase: FuzzCase, outcome: Outcome): { rule: string; detail: string }[] {
  if ('error' in outcome) return [{ rule: 'no answer', detail: outcome.error }];
  const found: { rule: string; detail: string }[] = [];
  const excerpt = outcome.body.subarray(0, 300).toString('utf8');
  if (outcome.status >= 500 && !(outcome.status === 501 && operation.documentedServerErrors.has(501))) {
    found.push({ rule: `${outcome.status}`, detail: excerpt });
  }
  if (outcome.elapsedMs > SLOW_MS)
    found.push({ rule: 'slower than 2 s', detail: `${Math.round(outcome.elapsedMs)} ms` });
  if (outcome.status >= 400 && outcome.status < 500) {
    const kind = fuzzCase.leavesRoute ? 'problem' : operation.errorKind;
    const plainJson = operation.plainJsonStatuses.has(outcome.status) && /^application\/json/.test(outcome.contentType);
    if (!ERROR_TYPES[kind].test(outcome.contentType) && !plainJson) {
      found.push({
        rule: `${outcome.status} not ${kind}`,
        detail: `${outcome.contentType || '(no content type)'}: ${excerpt}`,
      });
    }
  }
  return found;
}

describe('fuzz: every operation of /openapi.json', () => {
  let t: TestApp;
  let port: number;
  let db: Client;
  let digestSql: string;
  let operations: Operation[];
  let resolve: (schema: Schema) => Schema;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const tokens: Record<Auth, string | undefined> = {
    none: undefined,
    'unknown-key': 'Bearer mp_0000000000000000000000000000000000000000',
    malformed: 'Basic Zm9vOmJhcg==',
    'admin-token': `Bearer ${ADMIN_TOKEN}`,
    'catalog:write': undefined,
    'stats:ingest': undefined,
    admin: undefined,
  };
  const dictionary: Dictionary = { modelIds: [], arxivIds: [], licenseIds: [], createdIds: [] };
  const tally = new Tally();
  /** What the detector saw of the suite's own keys being made: the check that it sees writes at all. */
  let keysWrite: { xidMoved: boolean; changed: string[] };
  const violations: Violation[] = [];

  /**
   * An accepted write's figures are folded into model_stats after it answers
   * (ModelStatsFolder): waiting for that fold before each look at the tables
   * keeps it with the write that caused it, not with whichever case comes next.
   */
  const foldsDone = async () => {
    if (!(await t.app.get(ModelStatsFolder).settled(FOLD_WAIT_MS))) {
      throw new Error(`the figures' fold did not finish within ${FOLD_WAIT_MS} ms`);
    }
  };

  const call = async (method: string, url: string, body?: unknown, auth?: string) => {
    const outcome = await send(agent, port, {
      method,
      url,
      headers: { ...(auth ? { authorization: auth } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? Buffer.from(JSON.stringify(body)) : undefined,
    });
    if ('error' in outcome) throw new Error(`${method} ${url}: ${outcome.error}`);
    return { status: outcome.status, json: JSON.parse(outcome.body.toString('utf8')) as Record<string, any> };
  };

  beforeAll(async () => {
    process.stdout.write(`fuzz: seed ${SEED} (FUZZ_SEED), ${RUNS} cases per operation (FUZZ_RUNS)\n`);
    t = await createTestApp({ seed: true, env: FUZZ_ENV });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    db = new Client({ connectionString: t.db.url });
    await db.connect();

    digestSql = await digestQuery(db);
    await foldsDone();
    const before = await digest(db, digestSql);
    const xidBefore = await nextXid(db);
    for (const scope of ['catalog:write', 'stats:ingest', 'admin'] as const) {
      const { json } = await call(
        'POST',
        '/v1/admin/api-keys',
        // An ingest key names its sources: the sync's own and events, so near-valid writes get through.
        { name: `fuzz ${scope}`, scopes: [scope], ...(scope === 'stats:ingest' ? { sources: FUZZ_SOURCES } : {}) },
        tokens['admin-token'],
      );
      tokens[scope] = `Bearer ${json.secret}`;
    }
    keysWrite = {
      xidMoved: (await nextXid(db)) !== xidBefore,
      changed: changedTables(before, await digest(db, digestSql)),
    };

    const models = await call('GET', '/v1/models?limit=100&sort=name');
    dictionary.modelIds = models.json.data.map((model: { id: string }) => model.id);
    for (const id of dictionary.modelIds.slice(0, 20)) {
      const detail = await call('GET', `/v1/models/${id}`);
      dictionary.arxivIds.push(...detail.json.papers.map((paper: { arxivId: string }) => paper.arxivId));
    }
    dictionary.licenseIds = (await call('GET', '/v1/licenses')).json.data.map((license: { id: string }) => license.id);

    const document = (await call('GET', '/openapi.json')).json;
    resolve = resolver(document);
    operations = [...operationsOf(document), ...siteOperations(document)].sort(
      (a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
    );
  });

  afterAll(async () => {
    agent.destroy();
    await db?.end();
    await t?.close();
  });

  it('notices a committed write: the transaction id moves and the table digest changes', () => {
    expect(keysWrite).toEqual({ xidMoved: true, changed: ['public.api_keys'] });
  });

  it('answers every case with no 5xx, its own error type, within 2 s, and rejected requests change no table', async () => {
    await foldsDone();
    let last: Digest = await digest(db, digestSql);
    let lastXid = await nextXid(db);
    for (const [index, operation] of operations.entries()) {
      for (const [offset, category] of CATEGORIES.entries()) {
        const arbitrary = casesOf(operation, category, resolve, dictionary, { bodyLimitBytes: BODY_LIMIT_BYTES });
        await fc.assert(
          fc.asyncProperty(arbitrary, async (drawn) => {
            // In turn rather than drawn, so every operation meets every key whatever the seed.
            const auth = AUTHS[tally.total(operation.label) % AUTHS.length];
            const fuzzCase: FuzzCase = { ...drawn, auth };
            const token = tokens[auth];
            const request = {
              ...fuzzCase.request,
              headers: { ...fuzzCase.request.headers, ...(token ? { authorization: token } : {}) },
            };
            const outcome = await send(agent, port, request);
            const status = 'error' in outcome ? 0 : outcome.status;
            tally.count(operation.label, category, auth, status);
            for (const { rule, detail } of judge(operation, fuzzCase, outcome)) {
              violations.push({ operation: operation.label, rule, fuzzCase: { ...fuzzCase, request }, detail });
            }
            await foldsDone();
            // No transaction id handed out since the last look: nothing can have written.
            const xid = await nextXid(db);
            if (xid !== lastXid) {
              const now = await digest(db, digestSql);
              const changed = changedTables(last, now);
              if (status >= 400 && changed.length > 0) {
                violations.push({
                  operation: operation.label,
                  rule: 'rejected request changed tables',
                  fuzzCase: { ...fuzzCase, request },
                  detail: `${status}; ${changed.join(', ')}`,
                });
              }
              last = now;
              lastXid = xid;
            }
            if (status >= 200 && status < 300 && 'body' in outcome && operation.method === 'POST') {
              // A key a case created, so a later DELETE of a key by id can hit a real one.
              const id = /"id":"([0-9a-f-]{36})"/.exec(outcome.body.toString('utf8'))?.[1];
              if (id) dictionary.createdIds.push(id);
            }
            return true;
          }),
          { seed: (SEED + index * 7919 + offset * 104_729) % 2 ** 31, numRuns: PER_CATEGORY },
        );
      }
    }

    process.stdout.write(`\nfuzz: seed ${SEED}\n${tally.table(operations.map((o) => o.label))}\n`);
    const groups = new Map<string, Violation[]>();
    for (const violation of violations) {
      const key = `${violation.operation} → ${violation.rule}`;
      groups.set(key, [...(groups.get(key) ?? []), violation]);
    }
    const summary = [...groups.entries()].map(([key, list]) => {
      const examples = list
        .slice(0, 3)
        .map(
          (v) =>
            `    [${v.fuzzCase.category}, key ${v.fuzzCase.auth}, ${v.fuzzCase.target}] ${describeRequest(v.fuzzCase.request)}\n      → ${v.detail.slice(0, 300)}`,
        );
      return `${key} (${list.length} cases)\n${examples.join('\n')}`;
    });
    if (summary.length > 0) process.stdout.write(`\nfuzz: violations (seed ${SEED})\n${summary.join('\n')}\n`);

    expect(tally.missing(operations.map((o) => o.label))).toEqual([]);
    for (const operation of operations) expect(tally.total(operation.label)).toBeGreaterThanOrEqual(RUNS);
    expect([...groups.keys()]).toEqual([]);
  });
});
