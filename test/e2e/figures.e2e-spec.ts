import request from 'supertest';
import { addDays } from '@modelpulse/core/days';
import { StatsService } from '@modelpulse/core/stats';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';
const DISTILL = 'deepseek-ai/DeepSeek-R1-Distill-Llama-8B';
const QWQ = 'Qwen/QwQ-32B';

/** Now: 09:30 on 10 March 2025. The latest complete day is the 9th. */
const NOW = '2025-03-10T09:30:00Z';

function reading(model: string, source: string, observedAt: string, counters: Record<string, number>) {
  return { model, source, observedAt, ...counters };
}

/** One reading a day at `time` from `first` to `last`, the counters given by the day's index from `first`. */
function daily(
  model: string,
  source: string,
  [first, last, time]: [string, string, string],
  counters: (index: number) => Record<string, number>,
  missed: string[] = [],
) {
  const out = [];
  for (let day = first, i = 0; day <= last; day = addDays(day, 1), i++) {
    if (!missed.includes(day)) out.push(reading(model, source, `${day}T${time}Z`, counters(i)));
  }
  return out;
}

/**
 * Three models, read the way the stats sync and the mirrors read them:
 *
 * - Llama 3.1 8B Instruct, the hub at 22:00 from 1 February, 10 000 downloads a day, its rolling
 *   30-day counter beside; the sync missed 6 to 9 February (a gap across the 30-day window's first
 *   day), and read it again at 06:00 today (the day in progress).
 * - The R1 distill of Llama 8B, the hub at 22:00 from 20 February, 3000 a day, until the sync
 *   missed 5 to 9 March; its first reading since came at 05:00 today and spreads back over the
 *   missed days, yesterday included.
 * - QwQ-32B, released on 6 March: the hub at 22:00 from the release, 5000 a day, its rolling
 *   counter the all-time one (it is younger than 30 days); a mirror at 08:00 from the 7th, 50 a day;
 *   our own download events; and clicks on its tracked link, which are never downloads.
 */
const READINGS = [
  ...daily(
    LLAMA,
    'huggingface',
    ['2025-02-01', '2025-03-09', '22:00:00'],
    (k) => ({ downloadsAllTime: 5_000_000 + 10_000 * k, downloads30d: 290_000 + 1_000 * k }),
    ['2025-02-06', '2025-02-07', '2025-02-08', '2025-02-09'],
  ),
  reading(LLAMA, 'huggingface', '2025-03-10T06:00:00Z', { downloadsAllTime: 5_364_000, downloads30d: 327_500 }),
  ...daily(DISTILL, 'huggingface', ['2025-02-20', '2025-03-04', '22:00:00'], (j) => ({
    downloadsAllTime: 200_000 + 3_000 * j,
    downloads30d: 40_000 + 1_000 * j,
  })),
  reading(DISTILL, 'huggingface', '2025-03-10T05:00:00Z', { downloadsAllTime: 356_001, downloads30d: 150_000 }),
  ...daily(QWQ, 'huggingface', ['2025-03-06', '2025-03-09', '22:00:00'], (i) => ({
    downloadsAllTime: 10_000 + 5_000 * i,
    downloads30d: 10_000 + 5_000 * i,
  })),
  ...daily(QWQ, 'mirror-eu', ['2025-03-07', '2025-03-10', '08:00:00'], (i) => ({ downloadsAllTime: 100 + 50 * i })),
];

const EVENTS = [
  ...['10:00', '11:00', '12:00'].map((time, i) => ({ id: `eu-8-${i}`, occurredAt: `2025-03-08T${time}:00Z` })),
  ...['10:00', '11:00'].map((time, i) => ({ id: `eu-9-${i}`, occurredAt: `2025-03-09T${time}:00Z` })),
  ...['06:00', '07:00', '08:00', '09:00'].map((time, i) => ({
    id: `eu-10-${i}`,
    occurredAt: `2025-03-10T${time}:00Z`,
  })),
].map((event) => ({ ...event, model: QWQ }));

/**
 * Every figure worked out by hand from the readings above (docs/stats.md: an increment belongs to
 * the day of the later reading; over missed days it is spread evenly, the remainder to the earliest).
 * The 7-day window is 3 to 9 March, the 30-day one 8 February to 9 March.
 */
interface Figures {
  downloads7d: number;
  downloads30d: number;
  downloadsAllTime: number;
  hubDownloads30d: number;
  allTimeAsOfYesterday: number;
  lastSyncedAt: string;
}

const BY_HAND: Record<string, Figures> = {
  [LLAMA]: {
    // 10k every day: 6 to 10 February are 50k spread over five days, three of them in the window.
    downloads7d: 7 * 10_000,
    downloads30d: 30 * 10_000,
    // As last reported: this morning's reading, the day in progress included.
    downloadsAllTime: 5_364_000,
    hubDownloads30d: 327_500,
    // By the end of the 9th, the hub had said 5 000 000 + 36 × 10 000.
    allTimeAsOfYesterday: 5_360_000,
    lastSyncedAt: '2025-03-10T06:00:00.000Z',
  },
  [DISTILL]: {
    // 3 and 4 March: 3000 each; 5 to 10 March: 120 001 spread over six days, 20 001 on the 5th and
    // 20 000 on each of the others, the 10th (today) left out.
    downloads7d: 2 * 3_000 + 20_001 + 4 * 20_000,
    // 21 February to 4 March: 12 × 3000; then the same 100 001 of the gap.
    downloads30d: 12 * 3_000 + 20_001 + 4 * 20_000,
    downloadsAllTime: 356_001,
    hubDownloads30d: 150_000,
    allTimeAsOfYesterday: 236_000,
    lastSyncedAt: '2025-03-10T05:00:00.000Z',
  },
  [QWQ]: {
    // The hub: 6 March is its baseline, then 5000 on each of the 7th, 8th and 9th; the mirror: 50 on
    // the 8th and 9th (the 7th is its baseline, the 10th is today); our events: 3 + 2 (4 today).
    // The link's clicks count nowhere.
    downloads7d: 15_000 + 100 + 5,
    downloads30d: 15_000 + 100 + 5,
    // Hub 25 000 (the 9th), mirror 250 (this morning), every event 9.
    downloadsAllTime: 25_000 + 250 + 9,
    // Only the hub keeps a rolling counter.
    hubDownloads30d: 25_000,
    // Hub 25 000, mirror 200 (the 9th), events 5.
    allTimeAsOfYesterday: 25_000 + 200 + 5,
    lastSyncedAt: '2025-03-10T08:00:00.000Z',
  },
};
const MODELS = [LLAMA, DISTILL, QWQ];

interface Entry {
  model: { id: string };
  value: number;
}

describe('one meaning per name: a model\u2019s downloads and the leaderboards', () => {
  let t: TestApp;
  const clock = new FakeClock('2025-03-09T15:00:00Z');

  const get = async (path: string) => (await request(t.http).get(path).expect(200)).body;
  const stats = async (id: string) => (await get(`/v1/models/${id}`)).stats;
  const board = async (path: string) => {
    const body = await get(path);
    return { asOf: body.asOf, entries: body.data.map((e: Entry) => [e.model.id, e.value]) };
  };

  beforeAll(async () => {
    t = await createTestApp({
      seed: true,
      clock,
      env: { HF_ENDPOINT: 'https://hub.example.test/' },
    });
    // Two clicks yesterday afternoon, three today: tracked-link clicks lead to the hub, which counts them.
    for (let i = 0; i < 2; i++) await request(t.http).get(`/dl/${QWQ}?file=model.safetensors`).expect(302);
    clock.set(NOW);
    for (let i = 0; i < 3; i++) await request(t.http).get(`/dl/${QWQ}?file=model.safetensors`).expect(302);
    await request(t.http).post('/v1/observations').set(auth).send({ observations: READINGS }).expect(200);
    await request(t.http).post('/v1/events').set(auth).send({ events: EVENTS }).expect(200);
  });
  afterAll(() => t.close());

  it('took every reading and event', async () => {
    const readings = await request(t.http).post('/v1/observations').set(auth).send({ observations: READINGS });
    expect(readings.body).toEqual({ accepted: 0, duplicates: READINGS.length, rejected: [] });
    const events = await request(t.http).post('/v1/events').set(auth).send({ events: EVENTS });
    expect(events.body).toEqual({ accepted: 0, duplicates: EVENTS.length, rejected: [] });
  });

  it('gives each model the figures worked out by hand, today and the clicks left out', async () => {
    for (const id of MODELS) {
      const { allTimeAsOfYesterday: _, ...figures } = BY_HAND[id];
      expect({ id, ...(await stats(id)) }).toEqual({ id, ...figures, likes: null, stars: null, demo: false });
    }
    const clicks = await get(`/v1/models/${QWQ}/stats?metric=clicks&from=2025-03-09&to=2025-03-10`);
    expect(clicks.total).toBe(5);
  });

  it('ranks the 7- and 30-day leaderboards of the latest complete day on exactly those figures', async () => {
    const week = await board('/v1/rankings/downloads?period=7d');
    const month = await board('/v1/rankings/downloads');
    expect(week.asOf).toBe('2025-03-09');
    expect(month.asOf).toBe('2025-03-09');
    // The distill's gap, filled this morning, puts it first over 7 days; over 30 days Llama leads.
    expect(week.entries).toEqual([DISTILL, LLAMA, QWQ].map((id) => [id, BY_HAND[id].downloads7d]));
    expect(month.entries).toEqual([LLAMA, DISTILL, QWQ].map((id) => [id, BY_HAND[id].downloads30d]));
    // QwQ, released on 6 March, is the one new model: by its 7 days.
    expect((await board('/v1/rankings/new')).entries).toEqual([[QWQ, BY_HAND[QWQ].downloads7d]]);
    for (const id of MODELS) {
      const model = await stats(id);
      expect(new Map(week.entries).get(id)).toBe(model.downloads7d);
      expect(new Map(month.entries).get(id)).toBe(model.downloads30d);
    }
  });

  it('is the sum of the daily series over the same days, the imputed ones included', async () => {
    for (const id of MODELS) {
      const model = await stats(id);
      expect((await get(`/v1/models/${id}/stats?from=2025-03-03&to=2025-03-09`)).total).toBe(model.downloads7d);
      expect((await get(`/v1/models/${id}/stats?from=2025-02-08&to=2025-03-09`)).total).toBe(model.downloads30d);
    }
    const distill = await get(`/v1/models/${DISTILL}/stats?from=2025-03-03&to=2025-03-10`);
    expect(distill.points.map((p: { date: string; value: number; imputed: boolean }) => [p.value, p.imputed])).toEqual([
      [3_000, false],
      [3_000, false],
      [20_001, true],
      [20_000, true],
      [20_000, true],
      [20_000, true],
      [20_000, true],
      [20_000, true],
    ]);
  });

  it('sorts the catalogue as the leaderboards rank', async () => {
    const ids = async (sort: string) =>
      (await get(`/v1/models?sort=${sort}&limit=3`)).data.map((m: { id: string }) => m.id);
    expect(await ids('downloads7d')).toEqual([DISTILL, LLAMA, QWQ]);
    expect(await ids('downloads')).toEqual([LLAMA, DISTILL, QWQ]);
  });

  it('says the same on the badges and in the lineage\u2019s family total', async () => {
    const message = async (id: string, metric: string) => (await get(`/badges/${id}/${metric}.json`)).message;
    expect(await message(DISTILL, 'downloads-week')).toBe('106k/week');
    expect(await message(DISTILL, 'downloads')).toBe('136k/month');
    expect(await message(LLAMA, 'downloads-week')).toBe('70k/week');
    expect(await message(LLAMA, 'downloads')).toBe('300k/month');
    expect(await message(QWQ, 'downloads')).toBe('15k/month');
    // The family of the distill is Llama 3.1 8B and what was made from it; only these two have figures.
    const lineage = await get(`/v1/models/${DISTILL}/lineage`);
    expect(lineage.family).toEqual(expect.arrayContaining([LLAMA, DISTILL]));
    expect(lineage.downloads30d).toEqual({
      model: BY_HAND[DISTILL].downloads30d,
      family: BY_HAND[DISTILL].downloads30d + BY_HAND[LLAMA].downloads30d,
      demo: false,
    });
  });

  it('ranks all-time downloads as reported by the end of the day, below the model\u2019s figure by this morning', async () => {
    const all = await board('/v1/rankings/downloads?period=all');
    expect(all.entries.filter(([id]: [string]) => MODELS.includes(id))).toEqual(
      [LLAMA, DISTILL, QWQ].map((id) => [id, BY_HAND[id].allTimeAsOfYesterday]),
    );
  });

  it('moves both windows a day on at the daily roll-up', async () => {
    clock.set('2025-03-11T00:10:00Z');
    await t.app.get(StatsService).rollup();
    const week = await board('/v1/rankings/downloads?period=7d');
    expect(week.asOf).toBe('2025-03-10');
    // 4 to 10 March, the 10th now complete with what was read of it.
    const byHand: Record<string, number> = {
      [LLAMA]: 6 * 10_000 + 4_000,
      [DISTILL]: 3_000 + 20_001 + 5 * 20_000,
      [QWQ]: 15_000 + 150 + 9,
    };
    expect(week.entries).toEqual([DISTILL, LLAMA, QWQ].map((id) => [id, byHand[id]]));
    for (const id of MODELS) expect((await stats(id)).downloads7d).toBe(byHand[id]);
  });
});
