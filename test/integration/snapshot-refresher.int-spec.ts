import request from 'supertest';
import { DataSource } from 'typeorm';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { eventually } from '../support/wait';
import { createTestWorker, type TestWorker } from '../support/worker';

const R1 = 'deepseek-ai/DeepSeek-R1';

/**
 * Stale snapshots are caught up by the worker, not only by the reads that
 * need them: readings posted to the API mark the stored days stale, and the
 * worker, hearing of them through the change feed, recomputes every one.
 */
describe("the worker's snapshot refresher", () => {
  const clock = new FakeClock('2025-01-22T12:00:00Z');
  let api: TestApp;
  let worker: TestWorker;

  const staleDays = async (): Promise<string[]> =>
    (
      await api.app
        .get(DataSource)
        .query(`SELECT as_of::text AS day FROM ranking_snapshot_days WHERE stale_since IS NOT NULL ORDER BY as_of`)
    ).map((row: { day: string }) => row.day);

  beforeAll(async () => {
    api = await createTestApp({ seed: true, clock });
    worker = await createTestWorker({ clock, hubUrl: 'http://127.0.0.1:9', githubUrl: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('recomputes the days a late reading made stale, with no request asking for them', async () => {
    // Twelve days stored, before anything was known of R1.
    await request(api.http).get(`/v1/models/${R1}/rankings?from=2025-01-10&to=2025-01-21`).expect(200);
    await request(api.http)
      .post('/v1/observations')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({
        observations: [
          { model: R1, source: 'huggingface', observedAt: '2025-01-15T18:00:00Z', downloadsAllTime: 1000, likes: 10 },
          { model: R1, source: 'huggingface', observedAt: '2025-01-21T06:00:00Z', downloadsAllTime: 21000, likes: 250 },
        ],
      })
      .expect(200);
    // The write recomputed nothing: the seven days wait for the worker (or a read).
    expect(await staleDays()).toEqual([
      '2025-01-15',
      '2025-01-16',
      '2025-01-17',
      '2025-01-18',
      '2025-01-19',
      '2025-01-20',
      '2025-01-21',
    ]);

    await eventually('the worker to recompute the stale days', async () =>
      (await staleDays()).length === 0 ? true : undefined,
    );
    const history = await request(api.http).get(`/v1/models/${R1}/rankings?from=2025-01-15&to=2025-01-21`).expect(200);
    expect(history.body.points.every((p: { stale: boolean }) => !p.stale)).toBe(true);
  });
});
