import { Client } from 'pg';
import request from 'supertest';
import { RankingsService } from '@modelpulse/core/rankings';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { DAY_MS } from '@modelpulse/core/days';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const R1 = 'deepseek-ai/DeepSeek-R1';
const QWEN_32B = 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B';
const LLAMA_8B = 'deepseek-ai/DeepSeek-R1-Distill-Llama-8B';
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';
const QWEN = 'Qwen/Qwen2.5-7B-Instruct';
const GEMMA = 'google/gemma-2-9b-it';
const PHI = 'microsoft/phi-4';

/** One hub reading a day at noon, from `first` to 2025-01-21, the counters given per day. */
function daily(
  model: string,
  first: string,
  counters: (day: string, index: number) => { downloadsAllTime: number; likes: number },
) {
  const out = [];
  for (let t = Date.parse(`${first}T12:00:00Z`), i = 0; t <= Date.parse('2025-01-21T12:00:00Z'); t += DAY_MS, i++) {
    const observedAt = new Date(t).toISOString();
    out.push({ model, source: 'huggingface', observedAt, ...counters(observedAt.slice(0, 10), i) });
  }
  return out;
}

/**
 * January 2025 through POST /v1/observations: three steady giants, an old
 * model whose counter jumps by 5M on 21 January with no new likes (a bot),
 * and DeepSeek-R1 with two of its distills, released on 20 January.
 */
const READINGS = [
  ...daily(LLAMA, '2024-12-21', (_, i) => ({ downloadsAllTime: 100_000_000 + 2_000_000 * i, likes: 4_000 + 100 * i })),
  ...daily(QWEN, '2024-12-21', (_, i) => ({ downloadsAllTime: 50_000_000 + 1_500_000 * i, likes: 3_000 + 80 * i })),
  ...daily(GEMMA, '2024-12-21', (_, i) => ({ downloadsAllTime: 30_000_000 + 1_000_000 * i, likes: 2_000 + 50 * i })),
  ...daily(PHI, '2024-12-21', (day, i) => ({
    downloadsAllTime: 1_000_000 + 20_000 * i + (day === '2025-01-21' ? 5_000_000 : 0),
    likes: 1_500,
  })),
  ...daily(
    R1,
    '2025-01-20',
    (_, i) =>
      [
        { downloadsAllTime: 5_000, likes: 200 },
        { downloadsAllTime: 305_000, likes: 3_200 },
      ][i],
  ),
  ...daily(
    QWEN_32B,
    '2025-01-20',
    (_, i) =>
      [
        { downloadsAllTime: 1_000, likes: 20 },
        { downloadsAllTime: 51_000, likes: 520 },
      ][i],
  ),
  ...daily(
    LLAMA_8B,
    '2025-01-20',
    (_, i) =>
      [
        { downloadsAllTime: 500, likes: 10 },
        { downloadsAllTime: 30_500, likes: 310 },
      ][i],
  ),
];

interface Entry {
  rank: number;
  previousRank: number | null;
  model: { id: string };
  score: number;
  components: { volume: number; growth: number; engagement: number };
  flags: string[];
  value?: number;
}

describe('rankings', () => {
  let t: TestApp;
  const clock = new FakeClock('2025-01-22T06:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
    await request(t.http).post('/v1/observations').set(auth).send({ observations: READINGS }).expect(200);
  });
  afterAll(() => t.close());

  const get = async (path: string) => (await request(t.http).get(path).expect(200)).body;
  const ids = (data: Entry[]) => data.map((e) => e.model.id);

  it('took every reading', async () => {
    const { body } = await request(t.http)
      .post('/v1/observations')
      .set(auth)
      .send({ observations: READINGS })
      .expect(200);
    expect(body).toEqual({ accepted: 0, duplicates: READINGS.length, rejected: [] });
  });

  describe('GET /v1/rankings/trending', () => {
    it('puts the R1 launch first on its first full day, with the giants and the bot spike out of the top 3', async () => {
      const body = await get('/v1/rankings/trending?asOf=2025-01-21');
      expect(body).toMatchObject({ ranking: 'trending', asOf: '2025-01-21' });
      expect(body.algorithm.name).toBe('trending');
      expect(body.algorithm.version).toMatch(/^trending-v1-[0-9a-f]{8}$/);
      expect(ids(body.data).slice(0, 3)).toEqual([R1, QWEN_32B, LLAMA_8B]);
      const ranked = ids(body.data);
      for (const outsider of [LLAMA, QWEN, GEMMA, PHI]) expect(ranked.indexOf(outsider)).toBeGreaterThanOrEqual(3);
      const phi = body.data.find((e: Entry) => e.model.id === PHI);
      expect(phi.flags).toContain('uncorroborated_surge');
      const r1 = body.data[0];
      expect(r1.flags).toContain('new');
      expect(r1.model).toEqual({
        id: R1,
        name: 'DeepSeek-R1',
        organization: 'deepseek-ai',
        license: 'mit',
        parameters: 671_000_000_000,
        releaseDate: '2025-01-20',
      });
    });

    it('publishes components from which every score is recomputed with the published weights (to 4 decimals)', async () => {
      const body = await get('/v1/rankings/trending?asOf=2025-01-21&limit=100');
      const { volumeWeight, growthWeight, engagementWeight } = body.algorithm.params;
      expect([volumeWeight, growthWeight, engagementWeight]).toEqual([0.5, 1, 0.5]);
      expect(body.data.length).toBe(7);
      for (const entry of body.data as Entry[]) {
        const { volume, growth, engagement } = entry.components;
        expect(entry.score).toBeCloseTo(
          volumeWeight * volume + growthWeight * growth + engagementWeight * engagement,
          3,
        );
      }
      const scores = body.data.map((e: Entry) => e.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it('keeps the snapshot of a past day and answers from it', async () => {
      const first = await get('/v1/rankings/trending?asOf=2025-01-21');
      const sql = new Client({ connectionString: t.db.url });
      await sql.connect();
      const { rows } = await sql.query(
        `SELECT count(*)::int AS n FROM ranking_snapshots WHERE ranking = 'trending' AND as_of = '2025-01-21'`,
      );
      await sql.end();
      expect(rows[0].n).toBe(7);
      expect(await get('/v1/rankings/trending?asOf=2025-01-21')).toEqual(first);
    });

    it('renumbers ranks within a filter, and gives the rank of the day before', async () => {
      const meta = await get('/v1/rankings/trending?asOf=2025-01-21&organization=meta-llama');
      expect(meta.data.map((e: Entry) => [e.rank, e.model.id])).toEqual([[1, LLAMA]]);
      const mit = await get('/v1/rankings/trending?asOf=2025-01-21&license=mit&limit=3');
      expect(mit.data.map((e: Entry) => [e.rank, e.model.id, e.previousRank])).toEqual([
        [1, R1, null],
        [2, QWEN_32B, null],
        [3, LLAMA_8B, null],
      ]);
      const small = await get('/v1/rankings/trending?asOf=2025-01-21&maxParams=10B');
      expect(ids(small.data)).not.toContain(R1);
      expect(small.data[0].rank).toBe(1);
    });

    it('collapses a family to its best member: the Llama 8B distill stands for Llama 3.1 8B', async () => {
      const body = await get('/v1/rankings/trending?asOf=2025-01-21&collapse=family&limit=100');
      expect(ids(body.data)).toContain(LLAMA_8B);
      expect(ids(body.data)).not.toContain(LLAMA);
      expect(body.data.map((e: Entry) => e.rank)).toEqual(body.data.map((_: Entry, i: number) => i + 1));
    });

    it.each([
      ['asOf=2025-01-23', 'asOf'],
      ['asOf=2025-02-30', 'asOf'],
      ['limit=0', 'limit'],
      ['collapse=org', 'collapse'],
      ['minParams=lots', 'minParams'],
    ])('refuses %s with a 400 naming %s', async (query, field) => {
      const { body } = await request(t.http).get(`/v1/rankings/trending?${query}`).expect(400);
      expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('leaderboards', () => {
    const board = async (path: string) =>
      (await get(path)).data.map((e: Entry) => [e.rank, e.model.id, e.value, e.previousRank]);

    it('ranks downloads over 7 days as of a day, with the rank the day before', async () => {
      expect(await board('/v1/rankings/downloads?period=7d&asOf=2025-01-21')).toEqual([
        [1, LLAMA, 14_000_000, 1],
        [2, QWEN, 10_500_000, 2],
        [3, GEMMA, 7_000_000, 3],
        [4, PHI, 5_140_000, 4],
        [5, R1, 300_000, null],
        [6, QWEN_32B, 50_000, null],
        [7, LLAMA_8B, 30_000, null],
      ]);
    });

    it('ranks all-time downloads as the hub last reported them by the end of the day', async () => {
      expect((await board('/v1/rankings/downloads?period=all&asOf=2025-01-21')).slice(0, 5)).toEqual([
        [1, LLAMA, 162_000_000, 1],
        [2, QWEN, 96_500_000, 2],
        [3, GEMMA, 61_000_000, 3],
        [4, PHI, 6_620_000, 4],
        [5, R1, 305_000, 5],
      ]);
    });

    it('ranks likes, and new models by their first week', async () => {
      expect((await board('/v1/rankings/likes?asOf=2025-01-21')).slice(0, 4)).toEqual([
        [1, LLAMA, 7_100, 1],
        [2, QWEN, 5_480, 2],
        [3, GEMMA, 3_550, 3],
        [4, R1, 3_200, 5],
      ]);
      expect(await board('/v1/rankings/new?asOf=2025-01-21')).toEqual([
        [1, R1, 300_000, null],
        [2, QWEN_32B, 50_000, null],
        [3, LLAMA_8B, 30_000, null],
      ]);
    });

    it('says the release window of the new leaderboard, and none for the others', async () => {
      expect(await get('/v1/rankings/new?asOf=2025-01-21')).toMatchObject({
        ranking: 'new',
        period: '7d',
        asOf: '2025-01-21',
        releaseWindowDays: 30,
      });
      expect((await get('/v1/rankings/downloads?asOf=2025-01-21')).releaseWindowDays).toBeNull();
      expect((await get('/v1/rankings/likes?asOf=2025-01-21')).releaseWindowDays).toBeNull();
    });

    it.each([
      ['/v1/rankings/views', 'ranking'],
      ['/v1/rankings/downloads?period=1y', 'period'],
      ['/v1/rankings/new?period=all', 'period'],
    ])('refuses %s with a 400 naming %s', async (path, field) => {
      const { body } = await request(t.http).get(path).expect(400);
      expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('rank history and the catalogue', () => {
    it('gives a model its rank each day, null before it ranked', async () => {
      const body = await get(`/v1/models/${R1}/rankings?from=2025-01-19&to=2025-01-21`);
      expect(body).toMatchObject({ model: R1, ranking: 'trending' });
      expect(body.points.map((p: { date: string; rank: number | null }) => [p.date, p.rank])).toEqual([
        ['2025-01-19', null],
        ['2025-01-20', null],
        ['2025-01-21', 1],
      ]);
      await request(t.http).get('/v1/models/nobody/nothing/rankings').expect(404);
      await request(t.http).get(`/v1/models/${R1}/rankings?from=2024-01-01&to=2025-01-21`).expect(400);
    });

    it('reads a history from the stored snapshots that agrees with each day and with a computation from nothing', async () => {
      const [from, to] = ['2025-01-10', '2025-01-21'];
      const rankings = t.app.get(RankingsService);
      const sql = new Client({ connectionString: t.db.url });
      await sql.connect();
      try {
        const computedAt = async () =>
          (
            await sql.query(
              `SELECT as_of::text, computed_at FROM ranking_snapshot_days WHERE as_of BETWEEN $1 AND $2 ORDER BY as_of`,
              [from, to],
            )
          ).rows;
        await sql.query('DELETE FROM ranking_snapshot_days WHERE as_of BETWEEN $1 AND $2', [from, to]);
        await sql.query('DELETE FROM ranking_snapshots WHERE as_of BETWEEN $1 AND $2', [from, to]);
        const computed = await rankings.rankHistory(LLAMA, { from, to });
        const stored = await computedAt();
        expect(stored).toHaveLength(12);

        const read = await rankings.rankHistory(LLAMA, { from, to });
        expect(read).toEqual(computed);
        // Read, not recomputed: no day's snapshot was written again.
        expect(await computedAt()).toEqual(stored);

        for (const point of read.points) {
          const day = await get(`/v1/rankings/trending?asOf=${point.date}&limit=100`);
          const entry = (day.data as Entry[]).find((e) => e.model.id === LLAMA);
          expect([point.date, point.rank, point.score]).toEqual([
            point.date,
            entry?.rank ?? null,
            entry?.score ?? null,
          ]);
        }
        expect(read.points.filter((p) => p.rank !== null).length).toBeGreaterThan(5);
      } finally {
        await sql.end();
      }
    });

    it('sorts the catalogue by the latest trending snapshot once the daily job has run', async () => {
      await t.app.get(RankingsService).snapshotLatest();
      const { body } = await request(t.http).get('/v1/models?sort=trending&limit=3').expect(200);
      expect(body.data.map((m: { id: string }) => m.id)).toEqual([R1, QWEN_32B, LLAMA_8B]);
      const { body: r1 } = await request(t.http).get(`/v1/models/${R1}`).expect(200);
      expect(r1.trending.rank).toBe(1);
    });
  });
});
