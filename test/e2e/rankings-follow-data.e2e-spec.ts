import request from 'supertest';
import { RankingsService } from '@modelpulse/core/rankings';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const R1 = 'deepseek-ai/DeepSeek-R1';
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';

/** DeepSeek-R1's launch as the hub's counters showed it, in two readings (the README's replay). */
const R1_LAUNCH = [
  { model: R1, source: 'huggingface', observedAt: '2025-01-20T18:00:00Z', downloadsAllTime: 1000, likes: 10 },
  { model: R1, source: 'huggingface', observedAt: '2025-01-21T06:00:00Z', downloadsAllTime: 21000, likes: 250 },
];

/**
 * A stored ranking is only a cache of its day's answer: readings that land
 * later for that day or an earlier one (a backfill, a late sync) make it
 * stale, and the next answer is computed again from everything observed by
 * the end of the day, whenever it arrived.
 */
describe('rankings that follow late data', () => {
  let t: TestApp;
  // The latest complete day is 2025-01-21.
  const clock = new FakeClock('2025-01-22T12:00:00Z');

  const trending = async (asOf: string) =>
    (await request(t.http).get(`/v1/rankings/trending?asOf=${asOf}`).expect(200)).body;
  const backfill = async (observations: object[]) => {
    const res = await request(t.http).post('/v1/observations').set(auth).send({ observations }).expect(200);
    expect(res.body).toMatchObject({ accepted: observations.length, rejected: [] });
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
  });
  afterAll(() => t?.close());

  it('ranks DeepSeek-R1 first for 2025-01-21 once its launch is backfilled, though the day was asked for before', async () => {
    // A fresh install knows nothing of that day: the ranking is empty, and it is stored.
    expect(await trending('2025-01-21')).toMatchObject({ asOf: '2025-01-21', stale: false, data: [] });
    const history = await request(t.http).get(`/v1/models/${R1}/rankings?from=2025-01-20&to=2025-01-21`).expect(200);
    expect(history.body.points).toEqual([
      { date: '2025-01-20', rank: null, score: null, stale: false },
      { date: '2025-01-21', rank: null, score: null, stale: false },
    ]);

    await backfill(R1_LAUNCH);

    const after = await trending('2025-01-21');
    expect(after.stale).toBe(false);
    expect(after.data[0]).toMatchObject({ rank: 1, previousRank: null, model: { id: R1 } });
    // The README's figures, worked out in docs/trending.md.
    expect(after.data[0].score).toBeCloseTo(6.3093, 4);
    const history2 = await request(t.http).get(`/v1/models/${R1}/rankings?from=2025-01-20&to=2025-01-21`).expect(200);
    expect(history2.body.points).toEqual([
      { date: '2025-01-20', rank: null, score: null, stale: false },
      { date: '2025-01-21', rank: 1, score: after.data[0].score, stale: false },
    ]);
  });

  it("gives the model's trending field, the trending badge and the home page the new rank on the next request", async () => {
    const model = await request(t.http).get(`/v1/models/${R1}`).expect(200);
    expect(model.body.trending).toEqual({ rank: 1, score: expect.closeTo(6.3093, 4) });
    const badge = await request(t.http).get(`/badges/${R1}/trending.json`).expect(200);
    expect(badge.body).toMatchObject({ schemaVersion: 1, message: '#1' });
    const sorted = await request(t.http).get('/v1/models?sort=trending&limit=1').expect(200);
    expect(sorted.body.data[0].id).toBe(R1);
    const home = await request(t.http).get('/').expect(200);
    expect(home.text).toContain('DeepSeek-R1');
  });

  it('answers a long history with the stale days marked, recomputes two per request, and the refresher catches up', async () => {
    // Thirty days stored, computed before anything was known of Llama.
    const first = await request(t.http).get(`/v1/models/${LLAMA}/rankings?from=2024-12-23&to=2025-01-21`).expect(200);
    expect(first.body.points).toHaveLength(30);
    expect(first.body.points.every((p: { rank: null; stale: boolean }) => p.rank === null && !p.stale)).toBe(true);

    // A week late: Llama's readings of late December and January, one a day at noon.
    const readings = [];
    for (let day = 0; day < 30; day++) {
      const observedAt = new Date(Date.parse('2024-12-23T12:00:00Z') + day * 86_400_000).toISOString();
      readings.push({
        model: LLAMA,
        source: 'huggingface',
        observedAt,
        downloadsAllTime: 1e8 + 2e6 * day,
        likes: 4000,
      });
    }
    await backfill(readings);

    const second = await request(t.http).get(`/v1/models/${LLAMA}/rankings?from=2024-12-23&to=2025-01-21`).expect(200);
    const points: { date: string; rank: number | null; stale: boolean }[] = second.body.points;
    // The write only marked the days stale; this request brought the latest complete day up to date first
    // (as every read showing trending ranks does), then recomputed the two latest stale ones.
    expect(points.filter((p) => !p.stale).map((p) => p.date)).toEqual(['2025-01-19', '2025-01-20', '2025-01-21']);
    expect(points.filter((p) => p.stale)).toHaveLength(27);
    expect(points.at(-1)!.rank).not.toBeNull();

    const refreshed = await t.app.get(RankingsService).refreshStale();
    expect(refreshed).toBeGreaterThanOrEqual(27);
    const third = await request(t.http).get(`/v1/models/${LLAMA}/rankings?from=2024-12-23&to=2025-01-21`).expect(200);
    expect(third.body.points.filter((p: { stale: boolean }) => p.stale)).toEqual([]);
    // Each day's answer is what a computation from scratch gives: the same as asking the ranking itself.
    for (const point of third.body.points as { date: string; rank: number | null; score: number | null }[]) {
      const ranking = await trending(point.date);
      const row = ranking.data.find((r: { model: { id: string } }) => r.model.id === LLAMA);
      expect({ date: point.date, rank: row?.rank ?? null, score: row?.score ?? null }).toEqual({
        date: point.date,
        rank: point.rank,
        score: point.score,
      });
    }
  });

  it('leaves the stored rankings current after clicks on tracked links, which are never downloads', async () => {
    await request(t.http).get(`/dl/${R1}?file=config.json`).expect(302);
    // Had the click marked the thirty days stale, all but two would answer stale here.
    const history = await request(t.http).get(`/v1/models/${LLAMA}/rankings?from=2024-12-23&to=2025-01-21`).expect(200);
    expect(history.body.points.filter((p: { stale: boolean }) => p.stale)).toEqual([]);
  });
});
