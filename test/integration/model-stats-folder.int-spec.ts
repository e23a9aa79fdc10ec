import { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ModelsService } from '@modelpulse/core/catalog';
import { ModelStatsFolder, StatsService } from '@modelpulse/core/stats';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** The test waits for the fold itself, longer than a read would (SETTLE_WAIT_MS), on a loaded machine. */
const FOLD_WAIT_MS = 20_000;
const MODELS = Array.from({ length: 12 }, (_, i) => `fold/model-${String(i).padStart(2, '0')}`);
const FIGURES = `SELECT m.slug, s.downloads_all_time::int AS "allTime", s.downloads_30d::int AS d30,
                        s.downloads_7d::int AS d7, s.hub_downloads_30d::int AS hub, s.likes, s.stars,
                        s.last_synced_at AS "lastSyncedAt", s.demo
                   FROM model_stats s JOIN models m ON m.id = s.model_id ORDER BY m.slug`;

/**
 * Writes commit and answer without refreshing the models' figures; the
 * writing process folds them in right after. What the folds leave must be
 * what a full recomputation of every model gives, a read in the writing
 * process must show its writes, and other processes must hear of the fold.
 */
describe('the model-stats fold', () => {
  const clock = new FakeClock('2025-02-10T12:00:00Z');
  let a: TestApp;
  let b: TestApp;
  let url: string;

  beforeAll(async () => {
    a = await createTestApp({ clock, env: { RATE_LIMIT_INGEST_PER_MINUTE: '1000000' } });
    b = await createTestApp({ clock, sharedDb: a.db });
    const models = a.app.get(ModelsService);
    for (const id of MODELS) await models.create({ id });
    await a.app.listen(0, '127.0.0.1');
    url = await a.app.getUrl();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const events = (prefix: string, model: string, count: number, occurredAt?: string) =>
    Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, model, ...(occurredAt ? { occurredAt } : {}) }));
  const postEvents = (items: object[]) => request(url).post('/v1/events').set(auth).send({ events: items }).expect(200);

  it('shows a write in the next read of the writing process, even when its fold was still waiting', async () => {
    const model = MODELS[0];
    await postEvents(events('first', model, 3, '2025-02-09T08:00:00Z'));
    // The fold just ran, so this one waits its turn (FOLD_EVERY_MS): the read must not show the figures before it.
    await postEvents(events('second', model, 4, '2025-02-09T09:00:00Z'));
    const read = await request(url).get(`/v1/models/${model}`).expect(200);
    expect(read.body.stats).toMatchObject({ downloadsAllTime: 7, downloads7d: 7, downloads30d: 7 });
  });

  it("lets another process's cached answer go once the fold has committed", async () => {
    const model = MODELS[1];
    const heard = (type: string) =>
      new Promise<void>((resolve) => {
        const emitter = b.app.get(EventEmitter2);
        const listener = () => {
          emitter.off(type, listener);
          resolve();
        };
        emitter.on(type, listener);
      });
    const firstFolded = heard('stats.figures');
    await postEvents(events('seen', model, 1, '2025-02-09T08:00:00Z'));
    await firstFolded;
    const landed = heard('stats.landed');
    const folded = heard('stats.figures');
    // The fold just ran, so this write's waits its turn: a read in the other process meanwhile is kept.
    await postEvents(events('later', model, 5, '2025-02-09T10:00:00Z'));
    await landed;
    const meanwhile = await request(b.http).get(`/v1/models/${model}`).expect(200);
    expect([1, 6]).toContain(meanwhile.body.stats.downloadsAllTime);
    await folded;
    const after = await request(b.http).get(`/v1/models/${model}`).expect(200);
    expect(after.body.stats.downloadsAllTime).toBe(6);
  });

  it('folds to the figures a full recomputation gives, after concurrent events and readings', async () => {
    const batches = Array.from({ length: 8 }, (_, client) =>
      Array.from({ length: 6 }, (_, batch) =>
        MODELS.slice(2).flatMap((model, m) =>
          events(
            `c${client}-b${batch}-m${m}`,
            model,
            1 + ((client + batch + m) % 3),
            `2025-02-0${1 + (batch % 9)}T08:00:00Z`,
          ),
        ),
      ),
    );
    const readings = Array.from({ length: 4 }, (_, batch) =>
      MODELS.slice(2).map((model, m) => ({
        model,
        source: 'huggingface',
        observedAt: new Date(Date.parse('2025-02-03T06:00:00Z') + batch * 86_400_000).toISOString(),
        downloadsAllTime: 1_000 * (m + 1) + batch * 37 * (m + 1),
        likes: 10 * m + batch,
      })),
    );
    await Promise.all([
      ...batches.map(async (client) => {
        for (const items of client) await postEvents(items);
      }),
      (async () => {
        for (const observations of readings) {
          await request(url).post('/v1/observations').set(auth).send({ observations }).expect(200);
        }
      })(),
    ]);
    expect(await a.app.get(ModelStatsFolder).settled(FOLD_WAIT_MS)).toBe(true);
    const db = a.app.get(DataSource);
    const folded = await db.query(FIGURES);
    await a.app.get(StatsService).rollup();
    expect(await db.query(FIGURES)).toEqual(folded);
    expect(folded.find((f: { slug: string }) => f.slug === MODELS[2]).allTime).toBeGreaterThan(1_000);
  });

  it('folds what is still pending when the writing process stops', async () => {
    const model = 'fold/stopping';
    await a.app.get(ModelsService).create({ id: model });
    const c = await createTestApp({ clock, sharedDb: a.db });
    await request(c.http)
      .post('/v1/events')
      .set(auth)
      .send({ events: events('stop-1', model, 1) })
      .expect(200);
    // Waits for the fold interval: only the stop can fold it in time.
    await request(c.http)
      .post('/v1/events')
      .set(auth)
      .send({ events: events('stop-2', model, 2) })
      .expect(200);
    await c.close();
    const [row] = await a.app
      .get(DataSource)
      .query(
        'SELECT s.downloads_all_time::int AS n FROM model_stats s JOIN models m ON m.id = s.model_id WHERE m.slug = $1',
        [model],
      );
    expect(row.n).toBe(3);
  });
});
