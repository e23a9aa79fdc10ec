import request from 'supertest';
import { CatalogQueries } from '@modelpulse/core/catalog';
import { midnightAfter, addDays } from '@modelpulse/core/days';
import {
  historyStart,
  modelHistories,
  rankTrending,
  RankingsService,
  TRENDING_ALGORITHM,
  TrendingComputation,
  trendingLookbackDays,
} from '@modelpulse/core/rankings';
import { RankingsRepository } from '@modelpulse/core/rankings/rankings.repository';
import { StatsQueries } from '@modelpulse/core/stats';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { seededRandom, shuffled } from '../support/random';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const DAY_MS = 86_400_000;
const FIRST_DAY = '2025-01-01';
const DAYS = 59; // to 2025-02-28, the latest complete day
const LATEST = '2025-02-28';

interface Profile {
  id: string;
  license: string;
  releaseDate: string | null;
  /** Downloads a day before any launch or drift. */
  rate: number;
  /** Day index the readings start on (a launch, or a model found late). */
  start: number;
  /** Day index from which downloads jump (a surge); none when null. */
  surgeFrom: number | null;
  likesPerDay: number;
  stars: boolean;
  /** Day index of a large drop the hub confirms (a recount from a lower base), or of one it takes back. */
  resetOn: number | null;
  heldBackOn: number | null;
  events: boolean;
}

/**
 * Models of every kind the formula treats apart, from a seed: steady models
 * heavy-tailed from hundreds to millions a day, launches (released in the
 * window, read from their release day), old models found late (no release
 * date), surges with and without likes, counters that dip, drop for good or
 * drop and come back, GitHub stars, our own events, and two identical twins
 * (a tie, broken by the model id).
 */
function profiles(seed: number): Profile[] {
  const next = seededRandom(seed);
  const out: Profile[] = [];
  for (let i = 0; i < 36; i++) {
    const kind = i % 9;
    const launchDay = 20 + Math.floor(next() * 30);
    out.push({
      id: `gen/model-${String(i).padStart(2, '0')}`,
      license: i % 2 === 0 ? 'mit' : 'apache-2.0',
      releaseDate: kind === 1 ? addDays(FIRST_DAY, launchDay) : kind === 2 ? null : addDays(FIRST_DAY, -100 - i),
      rate: Math.round(10 ** (2 + next() * 4.5)),
      start: kind === 1 ? launchDay : kind === 2 ? 15 + Math.floor(next() * 25) : 0,
      surgeFrom: kind === 3 || kind === 4 ? 30 + Math.floor(next() * 25) : null,
      likesPerDay: kind === 4 ? 0 : Math.floor(next() * 40),
      stars: kind === 5 || kind === 6,
      resetOn: kind === 7 ? 25 + Math.floor(next() * 30) : null,
      heldBackOn: kind === 8 ? 25 + Math.floor(next() * 30) : null,
      events: kind === 6 || i === 0,
    });
  }
  const twin = { ...out[0], events: false, resetOn: null, heldBackOn: null, surgeFrom: null };
  out.push({ ...twin, id: 'gen/twin-a' }, { ...twin, id: 'gen/twin-b' });
  return out;
}

interface Reading {
  model: string;
  source: string;
  observedAt: string;
  downloadsAllTime?: number;
  likes?: number;
  stars?: number;
}

function readingsOf(profile: Profile, seed: number): { readings: Reading[]; events: { day: number; count: number }[] } {
  const next = seededRandom(seed);
  const readings: Reading[] = [];
  const events: { day: number; count: number }[] = [];
  let total = 1_000_000;
  let likes = 100;
  let stars = 50;
  // A three-day outage of the sync for every third model.
  const outageFrom = profile.id.endsWith('0') || profile.id.endsWith('3') ? 40 : -10;
  for (let day = profile.start; day < DAYS; day++) {
    const surge = profile.surgeFrom !== null && day >= profile.surgeFrom ? 30 : 1;
    const launch = profile.releaseDate !== null && profile.start > 0 ? Math.min(20, 1 + (day - profile.start) * 3) : 1;
    const noise = 0.8 + 0.4 * next();
    total += Math.round(profile.rate * surge * launch * noise);
    likes += Math.round(profile.likesPerDay * noise);
    stars += 2;
    // The drop and the two readings that confirm it are never missed, so the day it happens is known.
    const confirming = profile.resetOn !== null && day >= profile.resetOn && day <= profile.resetOn + 2;
    const missed =
      !confirming && ((day > profile.start && next() < 0.1) || (day >= outageFrom && day < outageFrom + 3));
    if (profile.events && day >= 35) events.push({ day, count: 5 + Math.floor(next() * 20) });
    if (missed) continue;
    let reported = total;
    if (profile.resetOn !== null && day >= profile.resetOn) reported = Math.round(total * 0.5);
    if (profile.heldBackOn !== null && day === profile.heldBackOn) reported = Math.round(total * 0.7);
    // A small dip the day after the 10th.
    if (day === 11 && profile.id.endsWith('5')) reported = total - 10;
    const at = new Date(
      Date.parse(`${FIRST_DAY}T00:00:00Z`) + day * DAY_MS + (18 + Math.floor(next() * 5)) * 3_600_000,
    );
    const observedAt = at.toISOString();
    readings.push({ model: profile.id, source: 'huggingface', observedAt, downloadsAllTime: reported, likes });
    if (profile.stars) readings.push({ model: profile.id, source: 'github', observedAt, stars });
  }
  return { readings, events };
}

/**
 * The set-based trending computation (SQL over the stored daily series)
 * against the JavaScript one (trending.ts over every reading, differenced),
 * which stays the reference: the same ranks, scores, components and flags.
 */
describe('trending computed in the database', () => {
  let t: TestApp;
  const clock = new FakeClock('2025-03-01T12:00:00Z');
  const all = profiles(20251202);

  const post = async (path: string, key: string, items: object[]) => {
    for (let i = 0; i < items.length; i += 500) {
      const res = await request(t.http)
        .post(path)
        .set(auth)
        .send({ [key]: items.slice(i, i + 500) })
        .expect(200);
      expect(res.body.rejected).toEqual([]);
    }
  };

  /** The reference: every reading observed by the end of `asOf`, differenced and ranked in JavaScript. */
  const reference = async (asOf: string, params = t.app.get(RankingsService).params) => {
    const models = await t.app.get(CatalogQueries).rankable();
    const stats = t.app.get(StatsQueries);
    const before = midnightAfter(asOf);
    const fromDay = historyStart(asOf, trendingLookbackDays(params));
    const [firstSeen, readings, events] = await Promise.all([
      stats.firstSeen(before),
      stats.readingsOfModelsBefore(
        models.map((m) => m.id),
        before,
      ),
      stats.eventDays(fromDay, asOf),
    ]);
    const histories = modelHistories({
      readings,
      events,
      bornAt: new Map(models.map((m) => [m.id, m.bornAt])),
      fromDay,
      asOf,
    });
    const inputs = models.flatMap((m) => {
      const seen = firstSeen.get(m.id);
      return seen
        ? [{ modelId: m.slug, releaseDate: m.releaseDate, firstSeenDate: seen, days: histories.get(m.id) ?? [] }]
        : [];
    });
    return rankTrending(inputs, asOf, params).map((r) => ({
      model: r.modelId,
      rank: r.rank,
      score: r.score,
      components: r.components,
      flags: r.flags,
    }));
  };

  const slugs = async () => new Map((await t.app.get(CatalogQueries).rankable()).map((m) => [m.id, m.slug]));
  const computed = async (asOf: string, params = t.app.get(RankingsService).params) => {
    const slugOf = await slugs();
    return (await t.app.get(TrendingComputation).ranking(asOf, params)).map((r) => ({
      model: slugOf.get(r.modelId)!,
      rank: r.rank,
      score: r.score,
      components: r.components,
      flags: r.flags,
    }));
  };
  const stored = async (asOf: string) => {
    const service = t.app.get(RankingsService);
    const slugOf = await slugs();
    const snapshot = await t.app.get(RankingsRepository).snapshot(TRENDING_ALGORITHM, service.version, asOf);
    return snapshot?.rows.map((r) => ({
      model: slugOf.get(r.modelId)!,
      rank: r.rank,
      score: r.score,
      components: r.components,
      flags: r.flags,
    }));
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
    for (const p of all) {
      await request(t.http)
        .post('/v1/models')
        .set(auth)
        .send({ id: p.id, license: p.license, ...(p.releaseDate ? { releaseDate: p.releaseDate } : {}) })
        .expect(201);
    }
    const readings: Reading[] = [];
    const events: { id: string; model: string; occurredAt: string }[] = [];
    all.forEach((p, i) => {
      // The twins share one seed: the same readings, so the same score.
      const generated = readingsOf(p, p.id.startsWith('gen/twin') ? 7 : 1000 + i);
      readings.push(...generated.readings);
      for (const { day, count } of generated.events) {
        for (let n = 0; n < count; n++) {
          const occurredAt = new Date(Date.parse(`${FIRST_DAY}T01:00:00Z`) + day * DAY_MS + n * 60_000).toISOString();
          events.push({ id: `${p.id}:${day}:${n}`, model: p.id, occurredAt });
        }
      }
    });
    // Out of order, as late syncs and backfills land.
    await post('/v1/observations', 'observations', shuffled(readings, seededRandom(99)));
    await post('/v1/events', 'events', events);
  }, 120_000);
  afterAll(() => t?.close());

  const asOfDays = Array.from({ length: 12 }, (_, i) => addDays(LATEST, -i * 3)).filter((d) => d >= '2025-01-20');
  const dropDays = all.flatMap((p) => (p.resetOn === null ? [] : [addDays(FIRST_DAY, p.resetOn)]));

  it('agrees with the JavaScript reference on every day: ranks, scores, components and flags', async () => {
    const flags = new Set<string>();
    for (const asOf of asOfDays) {
      const expected = await reference(asOf);
      expect({ asOf, ranking: await computed(asOf) }).toEqual({ asOf, ranking: expected });
      for (const row of expected) row.flags.forEach((f) => flags.add(f));
    }
    // The generated data reaches every rule the flags name.
    expect([...flags].sort()).toEqual(
      ['imputed_days', 'insufficient_history', 'new', 'uncorroborated_surge', 'unknown_days'].sort(),
    );
  });

  it('breaks a tie of equal scores by model id', async () => {
    const ranking = await computed(LATEST);
    const a = ranking.find((r) => r.model === 'gen/twin-a')!;
    const b = ranking.find((r) => r.model === 'gen/twin-b')!;
    expect(a.score).toBe(b.score);
    expect(b.rank).toBe(a.rank + 1);
  });

  it('scores a model whose large drop was confirmed only later from its readings, as known that day', async () => {
    const service = t.app.get(RankingsService);
    const repository = t.app.get(RankingsRepository);
    const lookback = trendingLookbackDays(service.params);
    const reset = all.find((p) => p.resetOn !== null)!;
    const dropDay = addDays(FIRST_DAY, reset.resetOn!);
    const apart = await repository.modelsScoredFromReadings(dropDay, lookback);
    const slugOf = await slugs();
    expect(apart.map((id) => slugOf.get(id))).toContain(reset.id);
    expect(await computed(dropDay)).toEqual(await reference(dropDay));
  });

  it('finds in the scoring statement the models the reference scores, as the separate check does', async () => {
    const [repository, { params }] = [t.app.get(RankingsRepository), t.app.get(RankingsService)];
    let listed = 0;
    for (const asOf of [...asOfDays, ...dropDays]) {
      const { apart } = await repository.trendingScores(asOf, trendingLookbackDays(params), params);
      const expected = await repository.modelsScoredFromReadings(asOf, trendingLookbackDays(params));
      expect({ asOf, apart: [...apart].sort() }).toEqual({ asOf, apart: [...expected].sort() });
      listed += apart.length;
    }
    expect(listed).toBeGreaterThan(0);
  });

  it('agrees with the reference when a model stays new for longer than the lookback (first seen read further back)', async () => {
    // New for 36 days: a model first seen the day before the window is new, one seen two days before is not.
    const params = { ...t.app.get(RankingsService).params, newWithinDays: 36 };
    const [slugOf, stats, firstSeen] = [await slugs(), t.app.get(StatsQueries), new Map<string, string>()];
    for (const [id, day] of await stats.firstSeen(midnightAfter(LATEST))) firstSeen.set(slugOf.get(id)!, day);
    const releaseless = new Set(all.filter((p) => p.releaseDate === null).map((p) => p.id));
    let oldEnough = 0;
    for (const asOf of asOfDays) {
      const expected = await reference(asOf, params);
      expect({ asOf, ranking: await computed(asOf, params) }).toEqual({ asOf, ranking: expected });
      const seenLongAgo = (model: string) => firstSeen.get(model)! <= addDays(asOf, -36);
      oldEnough += expected.filter((r) => releaseless.has(r.model) && seenLongAgo(r.model)).length;
    }
    expect(oldEnough).toBeGreaterThan(0); // the data reaches the case the horizon is for
  });

  it('renumbers ranks within a licence filter, as the reference filtered', async () => {
    const res = await request(t.http).get(`/v1/rankings/trending?asOf=${LATEST}&license=mit&limit=100`).expect(200);
    const licenses = new Map(all.map((p) => [p.id, p.license]));
    const expected = (await reference(LATEST)).filter((r) => licenses.get(r.model) === 'mit');
    expect(
      res.body.data.map((r: { rank: number; model: { id: string }; score: number }) => [r.rank, r.model.id, r.score]),
    ).toEqual(expected.map((r, i) => [i + 1, r.model, r.score]));
  });

  it('reads a stored day filtered and cut in the database, as the reference filtered: ranks, the day before, scores', async () => {
    const service = t.app.get(RankingsService);
    const previousDay = addDays(LATEST, -1);
    const licenses = new Map(all.map((p) => [p.id, p.license]));
    const [today, yesterday] = [await reference(LATEST), await reference(previousDay)];
    const queries: { licenses?: string[]; organizations?: string[]; limit: number }[] = [
      { limit: 100 },
      { limit: 5 },
      { licenses: ['MIT'], limit: 100 },
      { licenses: ['apache-2.0', 'mit'], limit: 7 },
      { organizations: ['GEN'], limit: 100 },
      { organizations: ['META-LLAMA'], limit: 100 },
    ];
    const answer = async (query: (typeof queries)[number]) =>
      (await service.trending({ asOf: LATEST, ...query })).data.map((e) => [
        e.rank,
        e.model.id,
        e.score,
        e.previousRank,
      ]);
    for (const query of queries) {
      const keep = (r: { model: string }) =>
        (!query.licenses || query.licenses.some((l) => l.toLowerCase() === licenses.get(r.model))) &&
        (!query.organizations || query.organizations.some((o) => r.model.startsWith(`${o.toLowerCase()}/`)));
      const before = new Map(yesterday.filter(keep).map((r, i) => [r.model, i + 1]));
      const expected = today
        .filter(keep)
        .slice(0, query.limit)
        .map((r, i) => [i + 1, r.model, r.score, before.get(r.model) ?? null]);
      // Both days stale: computed from the data and stored; then read back from the store.
      await t.app.get(RankingsRepository).markStale(previousDay);
      const fromData = await answer(query);
      expect(await stored(LATEST)).toBeDefined();
      const fromStore = await answer(query);
      expect({ query, fromData, fromStore }).toEqual({ query, fromData: expected, fromStore: expected });
    }
  });

  it('recomputes only the days from the first stale day on, and each then equals a rebuild from scratch', async () => {
    const service = t.app.get(RankingsService);
    // Every day of February stored.
    const february = Array.from({ length: 28 }, (_, i) => addDays('2025-02-01', i));
    await request(t.http).get(`/v1/models/gen/model-00/rankings?from=2025-02-01&to=${LATEST}`).expect(200);
    await service.refreshStale();
    for (const day of february) expect(await stored(day)).toBeDefined();

    // A late reading for 2025-02-20 of a model found late: days before it keep their snapshots.
    const before = new Map<string, unknown>();
    for (const day of february) before.set(day, await stored(day));
    await post('/v1/observations', 'observations', [
      { model: 'gen/model-11', source: 'huggingface', observedAt: '2025-02-20T23:30:00Z', downloadsAllTime: 9e9 },
    ]);
    // The write marked 2025-02-20 and every later stored day stale, and recomputed none of them.
    expect(await service.refreshStale()).toBe(9);
    const untouched = february.filter((day) => day < '2025-02-20');
    for (const day of untouched) expect({ day, now: await stored(day) }).toEqual({ day, now: before.get(day) });
    for (const day of february) expect({ day, now: await stored(day) }).toEqual({ day, now: await computed(day) });
    expect((await stored('2025-02-21'))!.find((r) => r.model === 'gen/model-11')).toBeDefined();
  });

  it('lands a reading for a past day without recomputing a ranking in the request, and the next read is right', async () => {
    const service = t.app.get(RankingsService);
    const repository = t.app.get(RankingsRepository);
    const latestState = async () =>
      (await repository.snapshot(TRENDING_ALGORITHM, service.version, LATEST, { rows: false }))?.stale;
    const id = 'gen/model-20';
    await request(t.http).get(`/v1/rankings/trending?asOf=${LATEST}`).expect(200);
    expect(await latestState()).toBe(false);
    const before = (await request(t.http).get(`/v1/models/${id}`).expect(200)).body.trending;

    // A late reading of 2025-02-27, a billion downloads up.
    const generated = readingsOf(all[20], 1020).readings;
    const last = generated.filter((r) => r.source === 'huggingface').at(-1)!;
    await post('/v1/observations', 'observations', [
      {
        model: id,
        source: 'huggingface',
        observedAt: '2025-02-27T23:45:00Z',
        downloadsAllTime: last.downloadsAllTime! + 1e9,
      },
    ]);
    // The write returned with the latest complete day marked stale: nothing was recomputed in it.
    expect(await latestState()).toBe(true);

    // The next read that shows the model's rank brings the day up to date first.
    const expected = (await reference(LATEST)).find((r) => r.model === id)!;
    const after = (await request(t.http).get(`/v1/models/${id}`).expect(200)).body.trending;
    expect(after).toEqual({ rank: expected.rank, score: expected.score });
    expect(after).not.toEqual(before);
    expect(await latestState()).toBe(false);
    const badge = await request(t.http).get(`/badges/${id}/trending.json`).expect(200);
    expect(badge.body.message).toBe(`#${expected.rank}`);
    expect(await stored(LATEST)).toEqual(await reference(LATEST));
  });
});
