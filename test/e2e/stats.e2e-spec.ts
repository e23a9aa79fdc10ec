import request from 'supertest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const R1 = 'deepseek-ai/DeepSeek-R1';
const QWQ = 'Qwen/QwQ-32B';
const V3 = 'deepseek-ai/DeepSeek-V3';

const hub = (observedAt: string, counters: Record<string, number>) => ({
  model: R1,
  source: 'huggingface',
  observedAt,
  ...counters,
});

/** R1's first week on the hub, one reading a day, 23 and 24 January missed, a small recount on the 26th. */
const LAUNCH = [
  hub('2025-01-20T18:00:00Z', { downloadsAllTime: 1_000, downloads30d: 1_000, likes: 50 }),
  hub('2025-01-21T06:00:00Z', { downloadsAllTime: 21_000, downloads30d: 21_000, likes: 250 }),
  hub('2025-01-21T18:00:00Z', { downloadsAllTime: 61_000, downloads30d: 61_000, likes: 400 }),
  hub('2025-01-22T18:00:00Z', { downloadsAllTime: 161_000, downloads30d: 161_000, likes: 900 }),
  hub('2025-01-25T18:00:00Z', { downloadsAllTime: 461_000, downloads30d: 461_000, likes: 2_100 }),
  hub('2025-01-26T18:00:00Z', { downloadsAllTime: 455_000, downloads30d: 455_000, likes: 2_000 }),
  hub('2025-01-27T18:00:00Z', { downloadsAllTime: 561_000, downloads30d: 561_000, likes: 2_600 }),
];

describe('stats', () => {
  let t: TestApp;
  const clock = new FakeClock('2025-01-28T12:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
  });
  afterAll(() => t.close());

  const post = (path: string, body: object, expected = 200) =>
    request(t.http).post(path).set(auth).send(body).expect(expected);
  const series = async (path: string) => (await request(t.http).get(path).expect(200)).body;
  const days = (body: { points: { date: string; value: number | null; imputed: boolean }[] }) =>
    body.points.map((p) => [p.date, p.value, p.imputed]);

  describe('POST /v1/observations and the daily series', () => {
    it('turns readings into exact days: a baseline, a missed-day spread, a small recount', async () => {
      const { body } = await post('/v1/observations', { observations: LAUNCH });
      expect(body).toEqual({ accepted: 7, duplicates: 0, rejected: [] });

      const downloads = await series(`/v1/models/${R1}/stats?from=2025-01-15&to=2025-01-28`);
      expect(downloads).toMatchObject({ model: R1, metric: 'downloads', interval: 'day', source: null });
      // Today (the 28th) has no reading yet: unknown, not a day of nothing.
      expect(downloads).toMatchObject({ from: '2025-01-15', to: '2025-01-28', total: 560_000, unknownDays: 1 });
      expect(days(downloads)).toEqual([
        ['2025-01-20', 0, false],
        ['2025-01-21', 60_000, false],
        ['2025-01-22', 100_000, false],
        ['2025-01-23', 100_000, true],
        ['2025-01-24', 100_000, true],
        ['2025-01-25', 100_000, true],
        ['2025-01-26', 0, false],
        ['2025-01-27', 100_000, false],
        ['2025-01-28', null, false],
      ]);
      expect(downloads.points.find((p: { date: string }) => p.date === '2025-01-26').flags).toEqual(['decrease']);

      const likes = await series(`/v1/models/${R1}/stats?metric=likes&from=2025-01-20&to=2025-01-27`);
      expect(days(likes).map(([date, value]) => [date, value])).toEqual([
        ['2025-01-20', 0],
        ['2025-01-21', 350],
        ['2025-01-22', 500],
        ['2025-01-23', 400],
        ['2025-01-24', 400],
        ['2025-01-25', 400],
        ['2025-01-26', -100],
        ['2025-01-27', 600],
      ]);
    });

    it('counts the same readings posted again once, and changes no day', async () => {
      const { body } = await post('/v1/observations', { observations: LAUNCH });
      expect(body).toEqual({ accepted: 0, duplicates: 7, rejected: [] });
      expect((await series(`/v1/models/${R1}/stats?from=2025-01-15&to=2025-01-28`)).total).toBe(560_000);
    });

    it('rejects other values for a stored (model, source, observedAt) instead of overwriting', async () => {
      const { body } = await post('/v1/observations', {
        observations: [hub('2025-01-22T18:00:00Z', { downloadsAllTime: 999_999 })],
      });
      expect(body.accepted).toBe(0);
      expect(body.rejected).toEqual([expect.objectContaining({ index: 0, field: 'observedAt' })]);
    });

    it('recomputes the days a late reading touches', async () => {
      await post('/v1/observations', {
        observations: [hub('2025-01-24T12:00:00Z', { downloadsAllTime: 311_000 })],
      });
      const downloads = await series(`/v1/models/${R1}/stats?from=2025-01-22&to=2025-01-26`);
      expect(days(downloads)).toEqual([
        ['2025-01-22', 100_000, false],
        ['2025-01-23', 75_000, true],
        ['2025-01-24', 75_000, true],
        ['2025-01-25', 150_000, false],
        ['2025-01-26', 0, false],
      ]);
    });

    it('shows the figures in the model and family totals on the lineage', async () => {
      const { body: model } = await request(t.http).get(`/v1/models/${R1}`).expect(200);
      expect(model.stats).toEqual({
        downloadsAllTime: 561_000,
        // The complete days up to yesterday (the 27th), summed: 30 days and 7 days (21 to 27 January:
        // 60k + 100k + 75k + 75k + 150k + 0 + 100k) hold every day of the launch. The first reading is a
        // baseline, so the 1000 downloads before it are in the hub's counters only.
        downloads30d: 560_000,
        downloads7d: 560_000,
        // What the hub's rolling counter said on the 27th; the late reading of the 24th carried none.
        hubDownloads30d: 561_000,
        likes: 2_600,
        stars: null,
        lastSyncedAt: '2025-01-27T18:00:00.000Z',
        // Every figure came from the hub: none is the demo's.
        demo: false,
      });
      const { body: lineage } = await request(t.http).get(`/v1/models/${R1}/lineage`).expect(200);
      expect(lineage.downloads30d).toEqual({ model: 560_000, family: 560_000, demo: false });
    });

    it('sums weeks (ISO, Monday first) and months', async () => {
      const weeks = await series(`/v1/models/${R1}/stats?interval=week&from=2025-01-01&to=2025-01-28`);
      expect(weeks.points).toEqual([
        { date: '2025-01-20', period: '2025-W04', value: 460_000, imputed: true, flags: ['decrease'], unknownDays: 0 },
        { date: '2025-01-27', period: '2025-W05', value: 100_000, imputed: false, flags: [], unknownDays: 1 },
      ]);
      const months = await series(`/v1/models/${R1}/stats?interval=month&from=2025-01-01&to=2025-01-28`);
      expect(months.points).toEqual([
        { date: '2025-01-01', period: '2025-01', value: 560_000, imputed: true, flags: ['decrease'], unknownDays: 1 },
      ]);
    });

    it('answers CSV when asked', async () => {
      const response = await request(t.http)
        .get(`/v1/models/${R1}/stats?from=2025-01-20&to=2025-01-22`)
        .set('Accept', 'text/csv')
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.text).toBe(
        'date,period,value,imputed,flags,unknownDays\n' +
          '2025-01-20,2025-01-20,0,false,,0\n2025-01-21,2025-01-21,60000,false,,0\n2025-01-22,2025-01-22,100000,false,,0\n',
      );
      const viaQuery = await request(t.http).get(`/v1/models/${R1}/stats?from=2025-01-20&to=2025-01-22&format=csv`);
      expect(viaQuery.text).toBe(response.text);
    });

    it('stores the good items of a batch and rejects each bad one alone, with its index and field', async () => {
      const { body } = await post('/v1/observations', {
        observations: [
          { model: QWQ, source: 'huggingface', observedAt: '2025-01-26T00:00:00Z', downloadsAllTime: 5_000 },
          { model: QWQ, source: 'huggingface', observedAt: '2025-01-29T00:00:00Z', downloadsAllTime: 5_100 },
          { model: 'nobody/nothing', source: 'huggingface', observedAt: '2025-01-26T00:00:00Z', likes: 1 },
          { model: QWQ, source: 'huggingface', observedAt: '2025-01-27T00:00:00', downloadsAllTime: 1 },
          { model: QWQ, source: 'link', observedAt: '2025-01-27T00:00:00Z', downloadsAllTime: 1 },
          { model: QWQ, source: 'huggingface', observedAt: '2025-01-27T00:00:00Z', downloadsAllTime: -1 },
          { model: QWQ, source: 'huggingface', observedAt: '2025-01-27T00:00:00Z' },
          { model: QWQ, source: 'huggingface', observedAt: '2025-01-27T00:00:00Z', views: 3, likes: 1 },
          'not an object',
          { model: QWQ, source: 'huggingface', observedAt: '2025-01-27T00:00:00Z', downloadsAllTime: 5_400 },
        ],
      });
      expect(body.accepted).toBe(2);
      expect(body.duplicates).toBe(0);
      expect(body.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
        [1, 'observedAt'],
        [2, 'model'],
        [3, 'observedAt'],
        [4, 'source'],
        [5, 'downloadsAllTime'],
        [6, 'downloadsAllTime'],
        [7, 'views'],
        [8, ''],
      ]);
      expect(body.rejected[0].error).toBe('observedAt is in the future');
    });

    it.each([
      [{ observations: 'x' }, 'observations'],
      [{ observations: [] }, 'observations'],
      [{}, 'observations'],
      [{ observations: Array.from({ length: 1001 }, () => ({})) }, 'observations'],
      [{ observations: [{}], extra: 1 }, 'extra'],
    ])('refuses the whole batch %# with a 400 naming %s', async (body, field) => {
      const response = await post('/v1/observations', body, 400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('takes readings only with a key', async () => {
      await request(t.http).post('/v1/observations').send({ observations: LAUNCH }).expect(401);
    });
  });

  describe('POST /v1/events', () => {
    it('counts each event id once, beside the hub counter of the same model', async () => {
      const events = [
        { id: 'mirror-1', model: QWQ, occurredAt: '2025-01-27T10:00:00Z', variant: 'Q4_K_M' },
        { id: 'mirror-2', model: 'qwen/qwq-32b', occurredAt: '2025-01-27T11:00:00Z' },
        { id: 'mirror-1', model: QWQ, occurredAt: '2025-01-27T10:00:00Z' },
        { id: 'mirror-3', model: 'nobody/nothing' },
        { id: 'mirror-4', model: QWQ, occurredAt: '2025-02-27T10:00:00Z' },
        { id: '', model: QWQ },
      ];
      const first = await post('/v1/events', { events });
      expect(first.body.accepted).toBe(2);
      expect(first.body.duplicates).toBe(1);
      expect(first.body.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
        [3, 'model'],
        [4, 'occurredAt'],
        [5, 'id'],
      ]);
      const again = await post('/v1/events', { events: events.slice(0, 3) });
      expect(again.body).toEqual({ accepted: 0, duplicates: 3, rejected: [] });

      // We count events ourselves: from the first one on, a day without any is a known 0.
      const own = await series(`/v1/models/${QWQ}/stats?source=events&from=2025-01-20&to=2025-01-28`);
      expect(days(own)).toEqual([
        ['2025-01-27', 2, false],
        ['2025-01-28', 0, false],
      ]);
      // The hub said 5000 on the 26th and 5400 on the 27th; our mirror saw 2 more.
      const all = await series(`/v1/models/${QWQ}/stats?from=2025-01-20&to=2025-01-28`);
      expect(days(all)).toEqual([
        ['2025-01-26', 0, false],
        ['2025-01-27', 402, false],
        ['2025-01-28', 0, false],
      ]);
      const { body: model } = await request(t.http).get(`/v1/models/${QWQ}`).expect(200);
      // Neither the hub's readings nor our events carried a rolling 30-day counter.
      expect(model.stats).toMatchObject({ downloadsAllTime: 5_402, downloads7d: 402, hubDownloads30d: null });
    });
  });

  describe('scoped keys', () => {
    const keyWith = async (scopes: string[], sources?: string[]) =>
      (await post('/v1/admin/api-keys', { name: `key ${scopes.join(' ')}`, scopes, sources }, 201)).body
        .secret as string;

    it('counts the same event id again when another key sends it, and needs stats:ingest', async () => {
      const ingest = await keyWith(['stats:ingest'], ['events']);
      const event = { id: 'mirror-1', model: QWQ, occurredAt: '2025-01-28T01:00:00Z' };
      const sent = await request(t.http)
        .post('/v1/events')
        .set({ Authorization: `Bearer ${ingest}` })
        .send({ events: [event] })
        .expect(200);
      expect(sent.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

      const writer = await keyWith(['catalog:write']);
      await request(t.http)
        .post('/v1/events')
        .set({ Authorization: `Bearer ${writer}` })
        .send({ events: [event] })
        .expect(403);
      await request(t.http)
        .post('/v1/observations')
        .set({ Authorization: `Bearer ${writer}` })
        .send({ observations: LAUNCH })
        .expect(403);
    });
  });

  describe('a model whose sync broke for its last three days', () => {
    // 1000 downloads a day read each evening up to the 25th; nothing since (today is the 28th).
    // GitHub's stars still came in, a star a day up to this morning: they are no download figure.
    const readings = [
      ...Array.from({ length: 11 }, (_, i) => ({
        model: V3,
        source: 'huggingface',
        observedAt: `2025-01-${15 + i}T18:00:00Z`,
        downloadsAllTime: 50_000 + 1_000 * i,
      })),
      ...Array.from({ length: 14 }, (_, i) => ({
        model: V3,
        source: 'github',
        observedAt: `2025-01-${15 + i}T06:00:00Z`,
        stars: 100 + i,
      })),
    ];

    beforeAll(async () => {
      const { body } = await post('/v1/observations', { observations: readings });
      if (body.accepted !== 25) throw new Error(`readings not stored: ${JSON.stringify(body)}`);
    });

    it('answers the three days as null even with stars in, counts them in unknownDays and totals the rest', async () => {
      const body = await series(`/v1/models/${V3}/stats?from=2025-01-22&to=2025-01-28`);
      expect(days(body)).toEqual([
        ['2025-01-22', 1_000, false],
        ['2025-01-23', 1_000, false],
        ['2025-01-24', 1_000, false],
        ['2025-01-25', 1_000, false],
        ['2025-01-26', null, false],
        ['2025-01-27', null, false],
        ['2025-01-28', null, false],
      ]);
      expect(body.points.map((p: { unknownDays: number }) => p.unknownDays)).toEqual([0, 0, 0, 0, 1, 1, 1]);
      expect(body).toMatchObject({ total: 4_000, unknownDays: 3 });
      const stars = await series(`/v1/models/${V3}/stats?metric=stars&from=2025-01-26&to=2025-01-28`);
      expect(days(stars)).toEqual([
        ['2025-01-26', 1, false],
        ['2025-01-27', 1, false],
        ['2025-01-28', 1, false],
      ]);
    });

    it('sums the known days of a week, and gives a week of unknown days no value', async () => {
      const weeks = await series(`/v1/models/${V3}/stats?interval=week&from=2025-01-20&to=2025-01-28`);
      expect(weeks.points).toEqual([
        { date: '2025-01-20', period: '2025-W04', value: 6_000, imputed: false, flags: [], unknownDays: 1 },
        { date: '2025-01-27', period: '2025-W05', value: null, imputed: false, flags: [], unknownDays: 2 },
      ]);
      expect(weeks).toMatchObject({ total: 6_000, unknownDays: 3 });
    });

    it('leaves their CSV cells empty', async () => {
      const csv = await request(t.http).get(`/v1/models/${V3}/stats?from=2025-01-24&to=2025-01-28&format=csv`);
      expect(csv.text).toBe(
        'date,period,value,imputed,flags,unknownDays\n' +
          '2025-01-24,2025-01-24,1000,false,,0\n' +
          '2025-01-25,2025-01-25,1000,false,,0\n' +
          '2025-01-26,2025-01-26,,false,,1\n' +
          '2025-01-27,2025-01-27,,false,,1\n' +
          '2025-01-28,2025-01-28,,false,,1\n',
      );
    });

    it('draws a chart whose line stops at the 25th: a gap, no point at 0', async () => {
      const svg = String((await request(t.http).get(`/v1/models/${V3}/chart.svg?days=7`).expect(200)).body);
      // 22 to 28 January, a day every 96 px from x 48; 1000 is the top tick (y 36), 0 the floor (y 212).
      expect([...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1])).toEqual(['48,36 144,36 240,36 336,36']);
      expect(svg).not.toContain('<circle');
    });
  });

  describe('GET /v1/models/{org}/{name}/stats', () => {
    it.each([
      ['metric=views', 'metric'],
      ['interval=hour', 'interval'],
      ['from=2025-02-30', 'from'],
      ['to=28-01-2025', 'to'],
      ['from=2025-01-20&to=2025-01-10', 'from'],
      ['from=2010-01-01&to=2025-01-10', 'from'],
      ['metric=clicks&source=huggingface', 'source'],
      ['source=Hugging%20Face', 'source'],
      ['format=xml', 'format'],
    ])('refuses %s with a 400 naming %s', async (query, field) => {
      const response = await request(t.http).get(`/v1/models/${R1}/stats?${query}`).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for an unknown model and an empty series for one without figures', async () => {
      await request(t.http).get('/v1/models/nobody/nothing/stats').expect(404);
      const empty = await series('/v1/models/Qwen/Qwen2.5-7B/stats');
      expect(empty).toMatchObject({ points: [], total: null, unknownDays: 0, to: '2025-01-28', from: '2024-10-31' });
    });
  });
});
