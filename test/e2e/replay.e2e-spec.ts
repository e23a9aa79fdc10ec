import request from 'supertest';
import { addDays, DAY_MS, midnightAfter, utcDay } from '@modelpulse/core/days';
import { sourceDailySeries, type SourceReading } from '@modelpulse/core/stats';
import {
  DEFAULT_TRENDING_PARAMS,
  historyStart,
  modelHistories,
  rankTrending,
  trendingLookbackDays,
} from '@modelpulse/core/rankings';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const HOUR_MS = 3_600_000;
/** A sync posts every hour of the month within seconds here. */
const ENV = { RATE_LIMIT_INGEST_PER_MINUTE: '1000000' };

const R1 = 'deepseek-ai/DeepSeek-R1';
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';
const V3 = 'deepseek-ai/DeepSeek-V3';
const QWEN = 'Qwen/Qwen2.5-7B-Instruct';
const MODELS = [R1, LLAMA, V3, QWEN];

/** The replay's month and its events. */
const FIRST = '2025-01-01';
const LAST = '2025-01-31';
/** The hub answers nothing that day; GitHub still does. */
const HUB_OUTAGE = '2025-01-12';
/** Qwen's mirror was down for a week; its readings arrive together on BACKFILL_AT. */
const MIRROR_GAP = { from: '2025-01-05', to: '2025-01-11' };
const BACKFILL_AT = '2025-01-18T09:30:00Z';

interface Reading {
  model: string;
  source: string;
  observedAt: string;
  downloadsAllTime?: number;
  likes?: number;
  stars?: number;
}

/** Downloads an hour: a steady giant, a model that launches on 20 January, a middling one, and a mirror's. */
function hourlyDownloads(model: string, day: string, hour: number): number {
  const d = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${FIRST}T00:00:00Z`)) / DAY_MS);
  switch (model) {
    case LLAMA:
      return 80_000 + ((d * 7 + hour) % 5) * 1_000;
    case R1:
      return day < '2025-01-20' ? 0 : Math.round(2_000 * 1.6 ** Math.min(d - 19, 8) + hour * 50);
    case V3:
      return 9_000 + hour * 20;
    default:
      return 3_000;
  }
}

/**
 * A month of readings as the sync delivers them: every hour, the hub's
 * counters of each model (none on the outage day), GitHub's stars of V3,
 * and a mirror's counter of Qwen, whose week-long gap is backfilled a week late.
 */
function deliveries(): { at: number; readings: Reading[] }[] {
  const totals = new Map<string, number>(MODELS.map((m) => [m, 1_000_000]));
  const mirror = { total: 500_000 };
  const late: Reading[] = [];
  const out: { at: number; readings: Reading[] }[] = [];
  for (let t = Date.parse(`${FIRST}T00:30:00Z`); t < midnightAfter(LAST).getTime(); t += HOUR_MS) {
    const observedAt = new Date(t).toISOString();
    const day = utcDay(new Date(t));
    const hour = new Date(t).getUTCHours();
    const readings: Reading[] = [];
    for (const model of MODELS) {
      totals.set(model, totals.get(model)! + hourlyDownloads(model, day, hour));
      if (model === R1 && day < '2025-01-20') continue;
      if (day === HUB_OUTAGE) continue;
      const likes = Math.floor(totals.get(model)! / 50_000);
      readings.push({ model, source: 'huggingface', observedAt, downloadsAllTime: totals.get(model)!, likes });
    }
    readings.push({ model: V3, source: 'github', observedAt, stars: 90_000 + Math.floor((t / HOUR_MS) % 10_000) });
    mirror.total += 400;
    const mirrorReading = { model: QWEN, source: 'mirror', observedAt, downloadsAllTime: mirror.total };
    if (day >= MIRROR_GAP.from && day <= MIRROR_GAP.to) late.push(mirrorReading);
    else readings.push(mirrorReading);
    out.push({ at: t, readings });
  }
  out.push({ at: Date.parse(BACKFILL_AT), readings: late });
  return out.sort((a, b) => a.at - b.at);
}

/** The readings of each model and source, as the differencing takes them: in time order. */
function bySeries(readings: Reading[]): { modelId: string; source: string; readings: SourceReading[] }[] {
  const series = new Map<string, { modelId: string; source: string; readings: SourceReading[] }>();
  for (const r of readings) {
    const key = `${r.model}|${r.source}`;
    if (!series.has(key)) series.set(key, { modelId: r.model, source: r.source, readings: [] });
    series.get(key)!.readings.push({
      observedAt: new Date(r.observedAt),
      downloadsAllTime: r.downloadsAllTime ?? null,
      downloads30d: null,
      likes: r.likes ?? null,
      stars: r.stars ?? null,
    });
  }
  for (const s of series.values()) s.readings.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
  return [...series.values()];
}

const bornAt = (releaseDate: string | null | undefined) => (releaseDate ? new Date(`${releaseDate}T00:00:00Z`) : null);

/**
 * The trending ranking of `asOf` computed from scratch, with the pure
 * functions alone, over what had been ingested: the readings observed by
 * the end of the day, whenever they arrived.
 */
function trendingFromScratch(ingested: Reading[], asOf: string, releaseDates: Map<string, string | null>) {
  const before = midnightAfter(asOf).getTime();
  const known = ingested.filter((r) => Date.parse(r.observedAt) < before);
  const histories = modelHistories({
    readings: bySeries(known),
    events: [],
    bornAt: new Map(MODELS.map((m) => [m, bornAt(releaseDates.get(m))])),
    fromDay: historyStart(asOf, trendingLookbackDays(DEFAULT_TRENDING_PARAMS)),
    asOf,
  });
  const inputs = MODELS.flatMap((model) => {
    const first = known.filter((r) => r.model === model).map((r) => r.observedAt);
    if (first.length === 0) return [];
    const firstSeenDate = utcDay(new Date(first.reduce((a, b) => (a < b ? a : b))));
    return [
      { modelId: model, releaseDate: releaseDates.get(model) ?? null, firstSeenDate, days: histories.get(model) ?? [] },
    ];
  });
  return rankTrending(inputs, asOf, DEFAULT_TRENDING_PARAMS).map((r) => ({
    id: r.modelId,
    rank: r.rank,
    score: r.score,
  }));
}

/**
 * A model's daily downloads computed from scratch over what had been
 * ingested, as the series rules say: each source differenced on its own,
 * summed over the sources that have a figure that day, `null` for a day
 * after the first figure that no source knows, nothing before it.
 */
function seriesFromScratch(ingested: Reading[], model: string, to: string, releaseDate: string | null) {
  const days = new Map<string, number>();
  for (const series of bySeries(ingested.filter((reading) => reading.model === model))) {
    for (const day of sourceDailySeries(series.readings, bornAt(releaseDate))) {
      if (day.downloads !== null) days.set(day.day, (days.get(day.day) ?? 0) + day.downloads);
    }
  }
  const known = [...days.keys()].sort();
  const points: { date: string; value: number | null }[] = [];
  for (let day = known[0]; known.length > 0 && day <= to; day = addDays(day, 1)) {
    points.push({ date: day, value: days.get(day) ?? null });
  }
  return points;
}

const ranked = (body: { data: { rank: number; model: { id: string }; score: number }[] }) =>
  body.data.map((row) => ({ id: row.model.id, rank: row.rank, score: row.score }));

/**
 * A month replayed in the order a real sync delivers it, with the answers
 * checked along the way against a computation from scratch, and at the end
 * against a fresh database that loaded the same readings in one batch.
 */
describe('a month replayed hour by hour', () => {
  const clock = new FakeClock(`${FIRST}T00:00:00Z`);
  let live: TestApp;
  let fresh: TestApp;
  const releaseDates = new Map<string, string | null>();
  const ingested: Reading[] = [];
  /** The ranking of the mirror's last missing day, as answered before its readings arrived. */
  let beforeBackfill: { id: string; rank: number; score: number }[] | undefined;

  beforeAll(async () => {
    live = await createTestApp({ seed: true, clock, env: ENV });
    for (const model of MODELS) {
      releaseDates.set(model, (await request(live.http).get(`/v1/models/${model}`).expect(200)).body.releaseDate);
    }
  });
  afterAll(async () => {
    await live?.close();
    await fresh?.close();
  });

  it('answers every day as a computation from scratch over what had been ingested', async () => {
    let checked = '';
    for (const delivery of deliveries()) {
      clock.set(new Date(delivery.at));
      const res = await request(live.http)
        .post('/v1/observations')
        .set(auth)
        .send({ observations: delivery.readings })
        .expect(200);
      expect(res.body).toMatchObject({ accepted: delivery.readings.length, rejected: [] });
      ingested.push(...delivery.readings);

      // Each morning, and right after the backfill, ask as a user would.
      const today = utcDay(clock.now());
      const yesterday = addDays(today, -1);
      if (today === checked && delivery.at !== Date.parse(BACKFILL_AT)) continue;
      checked = today;
      if (yesterday < FIRST) continue;
      const trending = await request(live.http).get('/v1/rankings/trending').expect(200);
      if (yesterday === MIRROR_GAP.to && delivery.at < Date.parse(BACKFILL_AT)) beforeBackfill = ranked(trending.body);
      expect({ asOf: trending.body.asOf, stale: trending.body.stale, data: ranked(trending.body) }).toEqual({
        asOf: yesterday,
        stale: false,
        data: trendingFromScratch(ingested, yesterday, releaseDates),
      });
      // The daily series: the hub's outage is a day of the mirror's figure alone (Qwen) or unknown (V3).
      for (const model of [QWEN, V3, R1]) {
        const series = await request(live.http)
          .get(`/v1/models/${model}/stats?metric=downloads&from=${FIRST}&to=${yesterday}`)
          .expect(200);
        const expected = seriesFromScratch(ingested, model, yesterday, releaseDates.get(model) ?? null);
        expect({
          model,
          asOf: yesterday,
          points: series.body.points.map((p: { date: string; value: number | null }) => ({
            date: p.date,
            value: p.value,
          })),
        }).toEqual({
          model,
          asOf: yesterday,
          points: expected,
        });
      }
      // The backfill touches days long past, which were stored before: rank history reads them.
      const from = addDays(yesterday, -6) < FIRST ? FIRST : addDays(yesterday, -6);
      const history = await request(live.http)
        .get(`/v1/models/${QWEN}/rankings?from=${from}&to=${yesterday}`)
        .expect(200);
      for (const point of history.body.points as { date: string; rank: number | null; stale: boolean }[]) {
        if (point.stale) continue;
        const expected = trendingFromScratch(ingested, point.date, releaseDates).find((r) => r.id === QWEN);
        expect({ date: point.date, rank: point.rank }).toEqual({ date: point.date, rank: expected?.rank ?? null });
      }
    }
  }, 300_000);

  it('answers every day as a fresh database does after loading the same readings in one batch', async () => {
    fresh = await createTestApp({ seed: true, clock, env: ENV });
    for (let start = 0; start < ingested.length; start += 1000) {
      await request(fresh.http)
        .post('/v1/observations')
        .set(auth)
        .send({ observations: ingested.slice(start, start + 1000) })
        .expect(200);
    }
    for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
      const [a, b] = await Promise.all(
        [live, fresh].map((app) => request(app.http).get(`/v1/rankings/trending?asOf=${day}`).expect(200)),
      );
      expect({ day, data: a.body.data }).toEqual({ day, data: b.body.data });
    }
    // The asking above recomputed every stale day: the histories and series agree too, point by point.
    for (const model of MODELS) {
      for (const path of [
        `/v1/models/${model}/rankings?from=${FIRST}&to=${LAST}`,
        `/v1/models/${model}/stats?metric=downloads&from=${FIRST}&to=${LAST}`,
        `/v1/models/${model}/stats?metric=stars&from=${FIRST}&to=${LAST}`,
      ]) {
        const [a, b] = await Promise.all([live, fresh].map((app) => request(app.http).get(path).expect(200)));
        expect({ path, body: a.body }).toEqual({ path, body: b.body });
      }
    }
    // The launch outranks the steady giant within days, and the late backfill changed the past.
    const last = await request(live.http).get(`/v1/rankings/trending?asOf=${LAST}`).expect(200);
    expect(ranked(last.body)[0].id).toBe(R1);
    const gapDay = await request(live.http).get(`/v1/rankings/trending?asOf=${MIRROR_GAP.to}`).expect(200);
    const qwenNow = ranked(gapDay.body).find((r) => r.id === QWEN);
    expect(qwenNow).toBeDefined();
    expect(qwenNow!.score).not.toBe(beforeBackfill!.find((r) => r.id === QWEN)!.score);
  }, 120_000);
});
