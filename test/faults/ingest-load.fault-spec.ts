import { sourceDailySeries } from '@modelpulse/core/stats';
import { AppProcess } from './support/app-process';
import { Cluster } from './support/cluster';
import { seededRandom, shuffled } from '../support/random';

const ADMIN_TOKEN = 'fault-admin-token-with-at-least-32-characters';
const MODELS = Array.from({ length: 50 }, (_, i) => `load/model-${String(i).padStart(2, '0')}`);
const CLIENTS = 20;
const EVENTS = 100_000;
const EVENTS_A_BATCH = 5;
const EVENT_DAYS = ['2025-02-09', '2025-02-10'];
/**
 * Fewer readings than events: each batch of readings recomputes the days of
 * 50 series, and the rate falls as their history grows (about 1 400
 * readings/s over the first 5 000, 170/s past 60 000). 100 000 of them took
 * about ten minutes here; issue 14 (speed) is where that rate is raised.
 */
const OBSERVATIONS = 20_000;
/**
 * The events take about 6 min on the 2-core machine with nothing else
 * running, 10 when it is shared (docs/operations.md has the figures).
 */
const TEST_TIMEOUT_MS = 1_200_000;
/** One request in ten, and one event in ten, is sent again, as a sender retrying after a lost answer does. */
const DUPLICATE_SHARE = 0.1;

interface Event {
  id: string;
  model: string;
  occurredAt: string;
}

interface Observation {
  model: string;
  source: string;
  observedAt: string;
  downloadsAllTime: number;
}

interface Tally {
  statuses: Record<number, number>;
  accepted: number;
  duplicates: number;
  rejected: number;
  seconds: number;
}

/**
 * What operators and senders rely on at scale: many clients posting at once
 * to two API processes on one database, every answer a 2xx, every item
 * stored exactly once, and the API's figures the same as the tables'.
 */
describe('ingestion load on two API processes and one database', () => {
  let cluster: Cluster;
  let apis: AppProcess[];
  let ingestKey: string;

  const sql = <T>(query: string, params: unknown[] = []) => cluster.query<T>(query, params, 'load');
  const call = async (path: string, token: string, body: object) => {
    const response = await fetch(`${apis[0].url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { secret?: string };
  };

  beforeAll(async () => {
    cluster = await Cluster.create();
    const env = {
      DATABASE_URL: await cluster.createDatabase('load'),
      MODELPULSE_ADMIN_TOKEN: ADMIN_TOKEN,
      RATE_LIMIT_INGEST_PER_MINUTE: '1000000',
      // Concurrent writers are what is tried here; the outage deadlines are tried in database-outage.
      // On a 2-core machine that other work also loads (load average 8 to 10), the 1 s defaults took a
      // starved server for a gone one and answered 3 of 400 reading batches 503 (CI at 0aba804).
      DB_STATEMENT_TIMEOUT_SECONDS: '10',
      DB_ACQUIRE_TIMEOUT_SECONDS: '10',
    };
    apis = await AppProcess.startAll([
      ['api', env],
      ['api', env],
    ]);
    for (const id of MODELS) await call('/v1/models', ADMIN_TOKEN, { id });
    ingestKey = (
      await call('/v1/admin/api-keys', ADMIN_TOKEN, {
        name: 'load mirror',
        scopes: ['stats:ingest'],
        sources: ['events', 'mirror'],
      })
    ).secret!;
  }, 180_000);

  afterAll(async () => {
    await Promise.all((apis ?? []).map((api) => api.stop()));
    await cluster?.destroy();
  });

  /** Each client posts its batches in turn, alternating between the two processes; answers every answer. */
  async function post(path: string, key: 'events' | 'observations', clients: object[][][]): Promise<Tally> {
    const tally: Tally = { statuses: {}, accepted: 0, duplicates: 0, rejected: 0, seconds: 0 };
    const started = performance.now();
    await Promise.all(
      clients.map(async (batches, client) => {
        for (const [i, items] of batches.entries()) {
          const response = await fetch(`${apis[(client + i) % apis.length].url}${path}`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${ingestKey}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ [key]: items }),
          });
          const body = (await response.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
          tally.statuses[response.status] = (tally.statuses[response.status] ?? 0) + 1;
          if (response.ok) {
            tally.accepted += body.accepted;
            tally.duplicates += body.duplicates;
            tally.rejected += body.rejected.length;
          }
        }
      }),
    );
    tally.seconds = (performance.now() - started) / 1000;
    return tally;
  }

  it(
    `stores ${EVENTS.toLocaleString('en')} events with 10% duplicate ids from 20 clients, 5 models a batch, exactly once`,
    async () => {
      const next = seededRandom(7);
      const sent: Event[] = [];
      const batchesPerClient = EVENTS / EVENTS_A_BATCH / CLIENTS;
      const clients = Array.from({ length: CLIENTS }, (_, client) =>
        Array.from({ length: batchesPerClient }, (_, batch) =>
          shuffled(MODELS, next)
            .slice(0, EVENTS_A_BATCH)
            .map((model, i) => {
              if (sent.length > 0 && next() < DUPLICATE_SHARE) return sent[Math.floor(next() * sent.length)];
              const event = { id: `c${client}-b${batch}-${i}`, model, occurredAt: `${EVENT_DAYS[i % 2]}T08:00:00Z` };
              sent.push(event);
              return event;
            }),
        ),
      );
      const distinct = new Map(sent.map((e) => [e.id, e]));

      const tally = await post('/v1/events', 'events', clients);
      console.log(
        `${EVENTS} events in ${EVENTS / EVENTS_A_BATCH} requests: ${tally.seconds.toFixed(1)} s, ` +
          `${Math.round(EVENTS / tally.seconds)} events/s, ${Math.round(EVENTS / EVENTS_A_BATCH / tally.seconds)} requests/s`,
      );

      expect(tally.statuses).toEqual({ 200: EVENTS / EVENTS_A_BATCH });
      expect(tally).toMatchObject({ accepted: distinct.size, duplicates: EVENTS - distinct.size, rejected: 0 });
      const [{ stored }] = await sql<{ stored: number }>('SELECT count(*)::int AS stored FROM download_events');
      expect(stored).toBe(distinct.size);
      const byModel = new Map(MODELS.map((model) => [model, 0]));
      for (const e of distinct.values()) byModel.set(e.model, byModel.get(e.model)! + 1);
      const rows = await sql<{ slug: string; n: number }>(
        `SELECT m.slug, count(*)::int AS n FROM download_events e JOIN models m ON m.id = e.model_id GROUP BY m.slug`,
      );
      expect(new Map(rows.map((r) => [r.slug, r.n]))).toEqual(byModel);
      // The API answers the same figures, model by model, from either process.
      const answered = new Map<string, number>();
      for (const [i, model] of MODELS.entries()) {
        const series = await fetch(
          `${apis[i % 2].url}/v1/models/${model}/stats?source=events&from=${EVENT_DAYS[0]}&to=${EVENT_DAYS[1]}`,
        );
        expect(series.status).toBe(200);
        answered.set(model, ((await series.json()) as { total: number }).total);
      }
      expect(answered).toEqual(byModel);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `stores ${OBSERVATIONS.toLocaleString('en')} readings, 50 models a batch, from 20 clients with 10% of the batches sent again, exactly once`,
    async () => {
      const next = seededRandom(11);
      const start = Date.parse('2025-03-01T00:00:00Z');
      /** A counter that only grows, different per model: readings in any order difference to one series. */
      const downloadsAt = (m: number, at: number) => 1_000 * (m + 1) + Math.floor((at - start) / 36_000) * (m + 1);
      const sent: Observation[][] = [];
      const clients = Array.from({ length: CLIENTS }, (_, client) =>
        Array.from({ length: OBSERVATIONS / MODELS.length / CLIENTS }, (_, batch) => {
          if (sent.length > 0 && next() < DUPLICATE_SHARE)
            return shuffled(sent[Math.floor(next() * sent.length)], next);
          const at = start + (batch * CLIENTS + client) * 3_600_000;
          const readings = shuffled(
            MODELS.map((model, m) => ({
              model,
              source: 'mirror',
              observedAt: new Date(at).toISOString(),
              downloadsAllTime: downloadsAt(m, at),
            })),
            next,
          );
          sent.push(readings);
          return readings;
        }),
      );
      const requests = clients.flat().length;

      const tally = await post('/v1/observations', 'observations', clients);
      console.log(
        `${requests * MODELS.length} readings in ${requests} requests: ${tally.seconds.toFixed(1)} s, ` +
          `${Math.round((requests * MODELS.length) / tally.seconds)} readings/s, ${(requests / tally.seconds).toFixed(1)} requests/s`,
      );

      const distinct = sent.length * MODELS.length;
      expect(tally.statuses).toEqual({ 200: requests });
      expect(tally).toMatchObject({
        accepted: distinct,
        duplicates: (requests - sent.length) * MODELS.length,
        rejected: 0,
      });
      const [{ stored }] = await sql<{ stored: number }>('SELECT count(*)::int AS stored FROM observations');
      expect(stored).toBe(distinct);
      // Whatever order they landed in, each model's days are what a from-scratch differencing gives,
      // in the table and through the API alike.
      const times = sent.map((batch) => Date.parse(batch[0].observedAt)).sort((a, b) => a - b);
      const expected = MODELS.map((model, m) =>
        sourceDailySeries(
          times.map((at) => ({
            observedAt: new Date(at),
            downloadsAllTime: downloadsAt(m, at),
            downloads30d: null,
            likes: null,
            stars: null,
          })),
          null,
        ).map((d) => ({ slug: model, day: d.day, downloads: d.downloads })),
      );
      const days = await sql<{ slug: string; day: string; downloads: number | null }>(
        `SELECT m.slug, d.day::text AS day, d.downloads::int AS downloads
         FROM daily_stats d JOIN models m ON m.id = d.model_id WHERE d.source = 'mirror' ORDER BY m.slug, d.day`,
      );
      expect(days).toEqual(expected.flat());
      const from = new Date(times[0]).toISOString().slice(0, 10);
      const to = new Date(times[times.length - 1]).toISOString().slice(0, 10);
      for (const [m, model] of MODELS.entries()) {
        const series = await fetch(`${apis[m % 2].url}/v1/models/${model}/stats?source=mirror&from=${from}&to=${to}`);
        expect(series.status).toBe(200);
        const total = expected[m].reduce((sum, d) => sum + (d.downloads ?? 0), 0);
        expect({ model, total: ((await series.json()) as { total: number }).total }).toEqual({ model, total });
      }
    },
    TEST_TIMEOUT_MS,
  );
});
