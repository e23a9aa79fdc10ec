import { Client } from 'pg';
import request from 'supertest';
import { LeaderboardsService } from '@modelpulse/core/rankings';
import { addDays, DAY_MS } from '@modelpulse/core/days';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { seededRandom } from '../support/random';
import { eventually } from '../support/wait';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** The last day with readings; the clock stands early on the day after, so it is the latest complete day. */
const LAST = '2025-03-10';
const FIRST = '2025-01-25';

interface Entry {
  rank: number;
  previousRank: number | null;
  model: { id: string };
  value: number;
}

const LEADERBOARDS = [
  ['downloads', '7d'],
  ['downloads', '30d'],
  ['downloads', 'all'],
  ['likes', '7d'],
  ['likes', '30d'],
  ['likes', 'all'],
  ['new', '7d'],
] as const;
const path = (ranking: string, period: string, asOf: string, extra = '') =>
  `/v1/rankings/${ranking}?${ranking === 'new' ? '' : `period=${period}&`}asOf=${asOf}&limit=100${extra}`;

/**
 * Hub readings of `models` from FIRST to LAST, one a day at a random hour,
 * some days missed, heavy-tailed daily downloads; the first two models
 * count exactly alike (a tie on every board); a mirror counts a few models
 * too, and a few get our own download events.
 */
function dataset(models: string[]) {
  const random = seededRandom(14);
  const observations: object[] = [];
  const events: object[] = [];
  const counters = new Map(models.map((m) => [m, { downloadsAllTime: Math.floor(random() * 1e6), likes: 10 }]));
  for (let t = Date.parse(`${FIRST}T00:00:00Z`); t <= Date.parse(`${LAST}T00:00:00Z`); t += DAY_MS) {
    for (const [i, model] of models.entries()) {
      const c = counters.get(i === 1 ? models[0] : model)!;
      // Copied when pushed: the counters go on growing.
      if (i !== 1) {
        if (random() < 0.1) continue;
        c.downloadsAllTime += Math.floor(1_000 / (random() + 0.01) / (i + 1));
        c.likes += Math.floor(random() * 5);
      }
      const hour = i === 1 ? 11 : 1 + Math.floor(random() * 22);
      const observedAt = new Date(t + hour * 3_600_000).toISOString();
      observations.push({ model, source: 'huggingface', observedAt, ...c });
      // A mirror counts a few models too, every third day: a second source to add up.
      if (i >= 5 && i < 9 && Math.round((t - Date.parse(FIRST)) / DAY_MS) % 3 === 0) {
        const mirror = { downloadsAllTime: Math.floor(c.downloadsAllTime / 10), likes: Math.floor(c.likes / 2) };
        observations.push({ model, source: 'mirror-eu', observedAt: new Date(t + 3_600_000).toISOString(), ...mirror });
      }
    }
    for (const model of models.slice(2, 5)) {
      events.push({ id: `${model}-${t}`, model, occurredAt: new Date(t + 3_600_000).toISOString() });
    }
  }
  return { observations, events };
}

describe('leaderboards, stored ready to serve', () => {
  let t: TestApp;
  let sql: Client;
  let models: string[];
  let readings: { model: string; source: string; downloadsAllTime: number; likes: number }[];
  let events: { model: string }[];
  const clock = new FakeClock(`${addDays(LAST, 1)}T06:00:00Z`);

  beforeAll(async () => {
    // Uncached, so that every read below reaches the service.
    t = await createTestApp({ seed: true, clock, env: { RESPONSE_CACHE_ENABLED: 'false' } });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    const list = await request(t.http).get('/v1/models?limit=100').expect(200);
    models = list.body.data.map((m: { id: string }) => m.id).slice(0, 24);
    // The tie: one id in capitals first, one in small letters, counted alike.
    const upper = models.find((m) => /^[A-Z]/.test(m))!;
    const lower = models.find((m) => /^[a-z]/.test(m))!;
    models = [lower, upper, ...models.filter((m) => m !== upper && m !== lower)];
    const data = dataset(models);
    readings = data.observations as typeof readings;
    events = data.events as typeof events;
    for (let i = 0; i < readings.length; i += 500) {
      const batch = readings.slice(i, i + 500);
      await request(t.http).post('/v1/observations').set(auth).send({ observations: batch }).expect(200);
    }
    await request(t.http).post('/v1/events').set(auth).send({ events }).expect(200);
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  const get = async (url: string) => (await request(t.http).get(url).expect(200)).body;
  const storedDays = async (board: string) =>
    (
      await sql.query(
        `SELECT as_of::text AS day, stale_since IS NOT NULL AS stale FROM ranking_snapshot_days
          WHERE ranking = $1 ORDER BY as_of`,
        [board],
      )
    ).rows as { day: string; stale: boolean }[];

  it('answers the 7- and 30-day boards with the sums of each model’s daily series, ties by id in code-point order', async () => {
    for (const [figure, days] of [
      ['downloads', 7],
      ['downloads', 30],
      ['likes', 7],
      ['likes', 30],
    ] as const) {
      const byHand: [string, number][] = [];
      for (const model of models) {
        const series = await get(
          `/v1/models/${model}/stats?metric=${figure}&from=${addDays(LAST, 1 - days)}&to=${LAST}`,
        );
        if (series.total > 0) byHand.push([model, series.total]);
      }
      byHand.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
      const board = await get(path(figure, `${days}d`, LAST));
      expect(board.data.map((e: Entry) => [e.model.id, e.value])).toEqual(byHand);
    }
    const tie = (await get(path('downloads', '30d', LAST))).data.map((e: Entry) => e.model.id);
    expect(tie.indexOf(models[1])).toBe(tie.indexOf(models[0]) - 1);
  });

  it('answers the all-time boards with each source’s last counter, summed, and our events counted', async () => {
    const last = new Map<string, { downloads: number; likes: number }>();
    for (const r of readings) last.set(`${r.model} ${r.source}`, { downloads: r.downloadsAllTime, likes: r.likes });
    const byHand = (figure: 'downloads' | 'likes') => {
      const sums = new Map<string, number>();
      for (const [key, counters] of last) {
        const model = key.split(' ')[0];
        sums.set(model, (sums.get(model) ?? 0) + counters[figure]);
      }
      if (figure === 'downloads') for (const e of events) sums.set(e.model, sums.get(e.model)! + 1);
      return [...sums].filter(([, value]) => value > 0).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    };
    for (const figure of ['downloads', 'likes'] as const) {
      const board = await get(path(figure, 'all', LAST));
      expect(board.data.map((e: Entry) => [e.model.id, e.value])).toEqual(byHand(figure));
    }
  });

  it('stores each board read for the latest complete day and the day before, and only those', async () => {
    for (const [ranking, period] of LEADERBOARDS) await get(path(ranking, period, LAST));
    for (const board of ['downloads-7d', 'downloads-30d', 'downloads-all', 'likes-7d', 'likes-30d', 'likes-all']) {
      expect(await storedDays(board)).toEqual([
        { day: addDays(LAST, -1), stale: false },
        { day: LAST, stale: false },
      ]);
    }
    // An older day is computed in the read's own statement, and stored nowhere.
    await get(path('downloads', '30d', addDays(LAST, -5)));
    expect((await storedDays('downloads-30d')).map((d) => d.day)).toEqual([addDays(LAST, -1), LAST]);
  });

  it('answers a stored day exactly as the same day computed in the read, with filters, a family collapse and the new board', async () => {
    const extras = ['', '&license=apache-2.0,mit', `&organization=${models[0].split('/')[0]}`, '&collapse=family'];
    const stored = new Map<string, unknown>();
    for (const [ranking, period] of LEADERBOARDS) {
      for (const extra of extras)
        stored.set(path(ranking, period, LAST, extra), await get(path(ranking, period, LAST, extra)));
    }
    expect(
      [...stored.values()].some((body) => (body as { data: Entry[] }).data.some((e) => e.previousRank !== null)),
    ).toBe(true);
    clock.advance(10 * DAY_MS);
    try {
      for (const [url, body] of stored) expect([url, await get(url)]).toEqual([url, body]);
    } finally {
      clock.advance(-10 * DAY_MS);
    }
  });

  it('goes stale when readings touching its days land, and the next read shows them', async () => {
    const before = await get(path('downloads', '7d', LAST));
    const last = before.data[before.data.length - 1] as Entry;
    const top = before.data[0] as Entry;
    const reading = { model: last.model.id, source: 'huggingface', observedAt: `${LAST}T23:59:00Z` };
    const counter = readings
      .filter((r) => r.model === last.model.id && r.source === 'huggingface')
      .at(-1)!.downloadsAllTime;
    const grown = counter + top.value;
    await request(t.http)
      .post('/v1/observations')
      .set(auth)
      .send({ observations: [{ ...reading, downloadsAllTime: grown }] })
      .expect(200);
    // The day before it was untouched: it stays current.
    await eventually('the stored boards of its day marked stale', async () =>
      (await storedDays('likes-30d')).find((d) => d.day === LAST)?.stale ? true : undefined,
    );
    const after = await get(path('downloads', '7d', LAST));
    expect(after.data[0].model.id).toBe(last.model.id);
    expect(after.data[0].value).toBe(last.value + top.value);
    expect(await storedDays('downloads-7d')).toEqual([
      { day: addDays(LAST, -1), stale: false },
      { day: LAST, stale: false },
    ]);
    // The others were not read again: the refresher's pass recomputes them.
    expect((await storedDays('likes-30d')).map((d) => d.stale)).toEqual([false, true]);
    expect(await t.app.get(LeaderboardsService).refreshStale()).toBeGreaterThanOrEqual(5);
    for (const board of ['downloads-30d', 'downloads-all', 'likes-7d', 'likes-30d', 'likes-all']) {
      expect((await storedDays(board)).map((d) => d.stale)).toEqual([false, false]);
    }
  });

  it('stores the boards of the new latest day when the day turns, and lets the older days go', async () => {
    clock.advance(DAY_MS);
    try {
      await t.app.get(LeaderboardsService).storeLatest();
      for (const board of ['downloads-7d', 'downloads-30d', 'downloads-all', 'likes-7d', 'likes-30d', 'likes-all']) {
        expect((await storedDays(board)).map((d) => d.day)).toEqual([LAST, addDays(LAST, 1)]);
      }
      // Nothing was counted on the new day: its 7-day board is the old one's without the day that left the window.
      const turned = await get(path('downloads', '7d', addDays(LAST, 1)));
      expect(turned.data.length).toBeGreaterThan(0);
      expect(turned.data.every((e: Entry) => e.previousRank !== null)).toBe(true);
    } finally {
      clock.advance(-DAY_MS);
    }
  });
});
