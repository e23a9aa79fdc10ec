import request from 'supertest';
import { DataSource } from 'typeorm';
import { ModelsService } from '@modelpulse/core/catalog';
import { ModelStatsFolder, sourceDailySeries } from '@modelpulse/core/stats';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { seededRandom, shuffled } from '../support/random';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** Hundreds of batches land within seconds here. */
const ENV = { RATE_LIMIT_INGEST_PER_MINUTE: '1000000' };
const MODELS = Array.from({ length: 50 }, (_, i) => `load/model-${String(i).padStart(2, '0')}`);
const CLIENTS = 20;
const EVENT_BATCHES = 30;
const EVENTS_A_BATCH = 5;
const OBSERVATION_CLIENTS = 10;
const OBSERVATION_BATCHES = 6;
/** About 15 s alone on two cores; more beside the rest of the suite. */
const TIMEOUT_MS = 90_000;
/** The test waits for the fold itself, longer than a read would (SETTLE_WAIT_MS), on a loaded machine. */
const FOLD_WAIT_MS = 30_000;

interface Event {
  id: string;
  model: string;
  occurredAt: string;
}

/**
 * Many clients posting at once, sharing models in shuffled orders: before
 * ingestion took its row locks in one order, two batches of the same models
 * deadlocked and one of them answered 500. Every request must succeed, and
 * every event and reading be counted exactly once.
 */
describe('concurrent ingestion', () => {
  let t: TestApp;
  let db: DataSource;
  /** One listening server: supertest's server a request cannot take hundreds of clients at once. */
  let url: string;
  const clock = new FakeClock('2025-02-10T12:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ clock, env: ENV });
    db = t.app.get(DataSource);
    const models = t.app.get(ModelsService);
    for (const id of MODELS) await models.create({ id });
    await t.app.listen(0, '127.0.0.1');
    url = await t.app.getUrl();
  });
  afterAll(() => t.close());

  const post = (path: string, body: object) => request(url).post(path).set(auth).send(body);

  it(
    'counts every event id once when 20 clients post batches of the same models at once',
    async () => {
      const next = seededRandom(7);
      const sent: Event[] = [];
      const batches: Event[][][] = Array.from({ length: CLIENTS }, (_, client) =>
        Array.from({ length: EVENT_BATCHES }, (_, batch) =>
          shuffled(MODELS.slice(0, 10), next)
            .slice(0, EVENTS_A_BATCH)
            .map((model, i) => {
              // One event in ten is one already sent, by this client or another, as a retrying sender would.
              if (sent.length > 0 && next() < 0.1) return sent[Math.floor(next() * sent.length)];
              const event = {
                id: `c${client}-b${batch}-${i}`,
                model,
                occurredAt: next() < 0.5 ? '2025-02-09T08:00:00Z' : '2025-02-10T08:00:00Z',
              };
              sent.push(event);
              return event;
            }),
        ),
      );
      const statuses = new Map<number, number>();
      const totals = { accepted: 0, duplicates: 0 };
      await Promise.all(
        batches.map(async (client) => {
          for (const events of client) {
            const response = await post('/v1/events', { events });
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status === 200) {
              totals.accepted += response.body.accepted;
              totals.duplicates += response.body.duplicates;
            }
          }
        }),
      );

      expect(Object.fromEntries(statuses)).toEqual({ 200: CLIENTS * EVENT_BATCHES });
      const distinct = new Map(sent.map((e) => [e.id, e]));
      expect(totals).toEqual({
        accepted: distinct.size,
        duplicates: CLIENTS * EVENT_BATCHES * EVENTS_A_BATCH - distinct.size,
      });
      const [{ events }] = await db.query('SELECT count(*)::int AS events FROM download_events');
      expect(events).toBe(distinct.size);
      const expected = new Map<string, number>();
      for (const e of distinct.values()) {
        const key = `${e.model}|${e.occurredAt.slice(0, 10)}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const days: { slug: string; day: string; downloads: number }[] = await db.query(
        `SELECT m.slug, d.day::text AS day, d.downloads::int AS downloads
         FROM daily_stats d JOIN models m ON m.id = d.model_id WHERE d.source = 'events'`,
      );
      expect(new Map(days.map((d) => [`${d.slug}|${d.day}`, d.downloads]))).toEqual(expected);
      // The figures follow the batches after they answer: once this process has folded them in.
      expect(await t.app.get(ModelStatsFolder).settled(FOLD_WAIT_MS)).toBe(true);
      const [{ allTime }] = await db.query('SELECT sum(downloads_all_time)::int AS "allTime" FROM model_stats');
      expect(allTime).toBe(distinct.size);
    },
    TIMEOUT_MS,
  );

  it(
    'stores every reading once when clients post readings of 50 models at once',
    async () => {
      const next = seededRandom(11);
      const at = (client: number, batch: number) =>
        new Date(Date.parse('2025-02-01T00:00:00Z') + (batch * OBSERVATION_CLIENTS + client) * 3_600_000);
      const downloadsAt = (model: number, time: Date) => 1_000 * (model + 1) + Math.floor(time.getTime() / 36_000);
      const batches = Array.from({ length: OBSERVATION_CLIENTS }, (_, client) =>
        Array.from({ length: OBSERVATION_BATCHES }, (_, batch) =>
          shuffled(
            MODELS.map((model, m) => ({
              model,
              source: 'huggingface',
              observedAt: at(client, batch).toISOString(),
              downloadsAllTime: downloadsAt(m, at(client, batch)),
            })),
            next,
          ),
        ),
      );
      // Each client also sends again the first batch of the client before it: those are duplicates.
      for (let client = 0; client < OBSERVATION_CLIENTS; client++) {
        batches[client].push(shuffled(batches[(client + 1) % OBSERVATION_CLIENTS][0], next));
      }
      const statuses = new Map<number, number>();
      const totals = { accepted: 0, duplicates: 0, rejected: 0 };
      await Promise.all(
        batches.map(async (client) => {
          for (const observations of client) {
            const response = await post('/v1/observations', { observations });
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status === 200) {
              totals.accepted += response.body.accepted;
              totals.duplicates += response.body.duplicates;
              totals.rejected += response.body.rejected.length;
            }
          }
        }),
      );

      const requests = OBSERVATION_CLIENTS * (OBSERVATION_BATCHES + 1);
      expect(Object.fromEntries(statuses)).toEqual({ 200: requests });
      const distinct = OBSERVATION_CLIENTS * OBSERVATION_BATCHES * MODELS.length;
      expect(totals).toEqual({ accepted: distinct, duplicates: OBSERVATION_CLIENTS * MODELS.length, rejected: 0 });
      const [{ readings }] = await db.query('SELECT count(*)::int AS readings FROM observations');
      expect(readings).toBe(distinct);
      // Whatever order the batches landed in, each model's series is the one a from-scratch differencing gives.
      const stored: { slug: string; day: string; downloads: number | null }[] = await db.query(
        `SELECT m.slug, d.day::text AS day, d.downloads::int AS downloads
         FROM daily_stats d JOIN models m ON m.id = d.model_id WHERE d.source = 'huggingface' ORDER BY m.slug, d.day`,
      );
      const expected = MODELS.flatMap((model, m) => {
        const times = batches.flatMap((_, client) =>
          Array.from({ length: OBSERVATION_BATCHES }, (_, batch) => at(client, batch)),
        );
        const readingsOfModel = times
          .sort((a, b) => a.getTime() - b.getTime())
          .map((observedAt) => ({
            observedAt,
            downloadsAllTime: downloadsAt(m, observedAt),
            downloads30d: null,
            likes: null,
            stars: null,
          }));
        return sourceDailySeries(readingsOfModel, null).map((d) => ({
          slug: model,
          day: d.day,
          downloads: d.downloads,
        }));
      });
      expect(stored).toEqual(expected);
    },
    TIMEOUT_MS,
  );
});
