import request from 'supertest';
import { JobRunner } from '@modelpulse/core/jobs';
import { RollupJob } from '@modelpulse/core/rankings';
import { StatsSyncJob } from '@modelpulse/core/sync';
import type { Exchange, Fault, RecordedRequest } from '../fakes/fake-server';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { createTestWorker, type TestWorker } from '../support/worker';

/** Replay a failure with the same seed: every fault is a function of it, the hour, the path and the attempt. */
const SEED = 20250401;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const FIRST = '2025-04-01';
const LAST = '2025-04-30';
const START = Date.parse(`${FIRST}T00:00:00Z`);
const HOURS = 30 * 24;
/** Each hourly sync starts five minutes past the hour; the hub's counters step on the hour. */
const SYNC_OFFSET_MS = 5 * 60_000;

/** Small waits, as an operator could set them; the waits the hub asks for are taken on the fake clock. */
const TIMEOUT_SECONDS = 0.3;
const MAX_RETRIES = 2;
const MAX_WAIT_SECONDS = 120;
const ENV = {
  UPSTREAM_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
  UPSTREAM_MAX_RETRIES: String(MAX_RETRIES),
  UPSTREAM_MAX_WAIT_SECONDS: String(MAX_WAIT_SECONDS),
  HF_REQUESTS_PER_SECOND: '1000',
  HF_CONCURRENCY: '2',
  // The oracle below follows author lists and per-model calls; the top-list walk is tried in
  // test/integration/hub-top-list.int-spec.ts.
  HF_TOP_LIST_MAX_PAGES: '0',
};
/** Long past the client's timeout: the answer never reaches it. */
const SLOW_MS = 1_500;

/** Three models of one author: the sync reads them from one page of the author's list. */
const STEADY = 'nova/steady-7b';
const WAVE = 'nova/wave-3b';
const LAUNCH = 'nova/launch-8b';
const QUIET = 'quiet/quiet-1b';
const OUTAGE = 'outage-co/outage-2b';
const TAIL = 'tail-inc/tail-4b';
/**
 * One model renamed on the hub during the month: once, seen by the next sync; then twice in one
 * afternoon while the hub failed for it, so the next sync is redirected through both. The hub
 * redirects every old id.
 */
const RENAMED = ['alpha/alpha-13b', 'alpha/alpha-13b-v2', 'alpha-labs/Alpha-13B', 'alpha-labs/Alpha-13B-Instruct'];
const CURRENT = RENAMED[3];
const RENAMES = [
  { at: Date.parse('2025-04-10T12:00:00Z'), from: RENAMED[0], to: RENAMED[1] },
  { at: Date.parse('2025-04-20T15:00:00Z'), from: RENAMED[1], to: RENAMED[2] },
  { at: Date.parse('2025-04-20T17:00:00Z'), from: RENAMED[2], to: RENAMED[3] },
];
/** Each model under the id it was added with. */
const MODELS = [STEADY, WAVE, QUIET, LAUNCH, OUTAGE, TAIL, RENAMED[0]];

/** Scripted on top of the random faults: times when the hub answers 503 to a model (or to all). */
const OUTAGES: { model: string | null; from: string; to: string }[] = [
  // Tracked from the start, but the hub answers nothing for it until the morning of the 2nd.
  { model: QUIET, from: '2025-04-01T00:00:00Z', to: '2025-04-02T06:00:00Z' },
  // Three whole days without a reading: the next one is spread over them.
  { model: OUTAGE, from: '2025-04-08T00:00:00Z', to: '2025-04-11T00:00:00Z' },
  // Failing from noon on the 28th to the end: the last two days stay unknown.
  { model: TAIL, from: '2025-04-28T12:00:00Z', to: '2025-05-01T00:00:00Z' },
  // The renamed model unread through its second and third renames.
  { model: RENAMED[0], from: '2025-04-20T14:00:00Z', to: '2025-04-20T19:00:00Z' },
  // The whole hub down for two hours: those runs read nothing at all.
  { model: null, from: '2025-04-15T03:00:00Z', to: '2025-04-15T05:00:00Z' },
];

/** Downloads of a model in hour `h` of the month (0 is 1 April, 00:00 to 01:00). */
function hourlyDownloads(model: string, h: number): number {
  const day = Math.floor(h / 24);
  const hour = h % 24;
  switch (model) {
    case STEADY:
      return 1_000;
    case WAVE:
      return hour >= 8 && hour < 20 ? 700 + 13 * day : 90;
    case QUIET:
      return h % 7 === 0 ? 3 : 0;
    case LAUNCH:
      return day < 9 ? 0 : Math.round(500 * 1.3 ** Math.min(day - 9, 12)) + hour;
    case OUTAGE:
      return 250 + (h % 5) * 10;
    case TAIL:
      return 40 + (day % 3) * 5;
    default:
      return 4_000 + ((h * 37) % 11) * 100;
  }
}

/** The hub's all-time counter of each model before the month. */
const BASE = new Map(MODELS.map((model, i) => [model, 100_000 * (i + 1)]));
/** The hub's true all-time counter of each model in each hour of the month (that hour's downloads included). */
const TRUTH = new Map<string, number[]>(
  MODELS.map((model) => {
    const counts: number[] = [];
    let total = BASE.get(model)!;
    for (let h = 0; h < HOURS; h++) counts.push((total += hourlyDownloads(model, h)));
    return [model, counts];
  }),
);
const hourOf = (at: Date) => Math.floor((at.getTime() - START) / HOUR_MS);
const truthAt = (model: string, at: Date) => TRUTH.get(model)![hourOf(at)];
/** The true downloads of a whole UTC day of the month. */
const trueDay = (model: string, day: string) => {
  const counts = TRUTH.get(model)!;
  const d = dayIndex(day);
  return counts[d * 24 + 23] - (d === 0 ? BASE.get(model)! : counts[d * 24 - 1]);
};

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const dayIndex = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - START) / DAY_MS);
const dayAt = (index: number) => new Date(START + index * DAY_MS).toISOString().slice(0, 10);

/** A number in [0, 1) from a string: FNV-1a, then one step of mulberry32. */
function dice(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** The model an id names, by any of its names. */
function modelNamed(id: string): string {
  const lower = id.toLowerCase();
  if (RENAMED.some((name) => name.toLowerCase() === lower)) return RENAMED[0];
  const model = MODELS.find((m) => m.toLowerCase() === lower);
  if (!model) throw new Error(`no model of the test is named ${id}`);
  return model;
}

/** The models a request asks for: one model, or every model of the author whose list it reads. */
function modelsOf(request: RecordedRequest): string[] {
  if (request.path !== '/api/models') return [modelNamed(request.path.replace(/^\/api\/models\//, ''))];
  return MODELS.filter((m) => m.startsWith(`${request.query.get('author')}/`));
}

const hubError = (status: number, error: string): Fault => ({ kind: 'reply', reply: { status, body: { error } } });
/** A gateway's error page; a 503 may say when to come back. */
const proxyError = (status: number, retryAfterSeconds: number | null): Fault => ({
  kind: 'reply',
  reply: {
    status,
    headers: {
      'content-type': 'text/html',
      ...(retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) }),
    },
    body: `<html><body><h1>${status}</h1></body></html>`,
  },
});
/**
 * The hub's refusal: `Retry-After` in seconds or as an HTTP date, or only the
 * IETF draft `RateLimit` headers the hub sends (the window's reset in `t`).
 */
const tooMany = (seconds: number, form: 'seconds' | 'date' | 'ratelimit', now: Date): Fault => {
  const headers: Record<string, string> = {
    ratelimit: `"api";r=0;t=${seconds}`,
    'ratelimit-policy': '"fixed window";"api";q=500;w=300',
  };
  if (form === 'seconds') headers['retry-after'] = String(seconds);
  // An HTTP date has whole seconds: one more, so the wait is never shorter than asked.
  if (form === 'date') headers['retry-after'] = new Date(now.getTime() + (seconds + 1) * 1000).toUTCString();
  return {
    kind: 'reply',
    reply: { status: 429, headers, body: { error: 'Too many requests: you have been rate-limited' } },
  };
};

/**
 * The fault of one request: a scripted outage first, else a draw from the
 * seed, the hour, the path and how many times this hour the path was asked
 * (so a replay meets the same faults whatever order concurrent requests take).
 */
function chaosFor(clock: FakeClock) {
  const asked = new Map<string, number>();
  return (request: RecordedRequest): Fault | null => {
    const now = clock.now();
    const models = modelsOf(request);
    const outage = OUTAGES.find(
      (o) => (o.model === null || models.includes(o.model)) && now >= new Date(o.from) && now < new Date(o.to),
    );
    if (outage) return hubError(503, 'Service Unavailable');
    const key = `${SEED}:${hourOf(now)}:${request.path}:${request.query.get('author') ?? ''}`;
    const n = (asked.get(key) ?? 0) + 1;
    asked.set(key, n);
    const u = dice(`${key}:${n}`);
    const v = dice(`${key}:${n}:detail`);
    const form = (['seconds', 'date', 'ratelimit'] as const)[Math.floor(dice(`${key}:${n}:form`) * 3)];
    // Longer than the wait allowed: the fetch gives up, and the hub stays closed to the rest of the sync.
    if (u < 0.004) return tooMany(600, form, now);
    if (u < 0.06) return tooMany(1 + Math.floor(v * 90), form, now);
    if (u < 0.12) {
      if (v < 0.4) return hubError(500, 'Internal Error');
      const status = [502, 503, 504][Math.floor(dice(`${key}:${n}:status`) * 3)];
      return proxyError(status, status === 503 && v > 0.7 ? Math.floor(v * 20) : null);
    }
    if (u < 0.1235) return { kind: 'slow', delayMs: SLOW_MS };
    // Truncated JSON: a body cut short, whole or half-way through the real answer, or a connection dropped mid-body.
    if (u < 0.15) return v < 0.3 ? { kind: 'malformed' } : { kind: 'malformed', keep: v };
    if (u < 0.17) return { kind: 'cut', keep: v };
    return null;
  };
}

/** A reading the hub really delivered: a 200 with a JSON body carrying the counter. */
interface Delivered {
  model: string;
  /** The id the hub answered with (the current one after a rename). */
  id: string;
  at: Date;
  downloadsAllTime: number;
}

/** The readings in an answer that reached the client whole: a model's, or each model's of an author's list. */
function deliveredReadings(exchange: Exchange): Delivered[] {
  if (exchange.answer?.status !== 200) return [];
  let body: unknown;
  try {
    body = JSON.parse(exchange.answer.body);
  } catch {
    return [];
  }
  return (Array.isArray(body) ? body : [body]).flatMap((item: { id?: unknown; downloadsAllTime?: unknown }) => {
    const { id, downloadsAllTime } = item;
    if (typeof id !== 'string' || typeof downloadsAllTime !== 'number') return [];
    return [{ model: modelNamed(id), id, at: exchange.at, downloadsAllTime }];
  });
}

interface ExpectedDay {
  date: string;
  value: number | null;
  imputed: boolean;
}

/**
 * The daily series the docs promise, worked out here from the readings the
 * hub delivered: the first is a baseline; an increment belongs to the UTC day
 * of the later reading, or after missed days is spread over them (integer
 * parts, the remainder to the earliest), those days imputed; days after the
 * last reading are unknown (null); days before the first are absent.
 */
function expectedSeries(readings: Delivered[], to: string): ExpectedDay[] {
  if (readings.length === 0) return [];
  const days = new Map<number, { value: number; imputed: boolean }>();
  const touch = (d: number) => days.get(d) ?? days.set(d, { value: 0, imputed: false }).get(d)!;
  touch(dayIndex(dayOf(readings[0].at)));
  for (let i = 1; i < readings.length; i++) {
    const [before, after] = [readings[i - 1], readings[i]];
    const increment = after.downloadsAllTime - before.downloadsAllTime;
    const [from, until] = [dayIndex(dayOf(before.at)), dayIndex(dayOf(after.at))];
    if (until - from <= 1) {
      touch(until).value += increment;
      continue;
    }
    const parts = until - from;
    const share = Math.floor(increment / parts);
    for (let k = 0; k < parts; k++) {
      const day = touch(from + 1 + k);
      day.value += share + (k < increment - share * parts ? 1 : 0);
      day.imputed = true;
    }
  }
  const out: ExpectedDay[] = [];
  for (let d = dayIndex(dayOf(readings[0].at)); d <= dayIndex(to); d++) {
    const day = days.get(d);
    out.push({ date: dayAt(d), value: day?.value ?? null, imputed: day?.imputed ?? false });
  }
  return out;
}

interface RunAnswer {
  id: string;
  status: string;
  startedAt: string;
  modelsDone: number;
  modelsFailed: number;
  modelsSkipped: number;
  upstreamRequests: Record<string, number>;
  errors: { model: string; source: string; error: string }[];
}

/**
 * Issue 11: a month of hourly syncs against a hub that misbehaves at random
 * (seed SEED above): 429 with Retry-After, 5xx, answers past the timeout,
 * truncated JSON, outages, and one model renamed three times. The series must be
 * exact where data arrived, unknown where it did not, and invent nothing.
 */
describe(`a month of hourly syncs through upstream chaos (seed ${SEED})`, () => {
  const clock = new FakeClock(`${FIRST}T00:00:00Z`);
  let t: TestApp;
  let worker: TestWorker;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  /** Per sync: its hour, the hub's exchanges during it, the run as GET /v1/sync/runs answered it. */
  const syncs: { hour: number; exchanges: Exchange[]; run: RunAnswer }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock, env: ENV });
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    MODELS.forEach((model) => {
      hub.addModel({
        id: model,
        pipelineTag: 'text-generation',
        counters: ({ now }) => {
          const allTime = truthAt(model, now);
          // The rolling 30 days: the month so far (the model is older than that, so it is never differenced).
          return {
            downloadsAllTime: allTime,
            downloads: allTime - BASE.get(model)!,
            likes: Math.floor(allTime / 10_000),
          };
        },
      });
    });
    hub.setChaos(chaosFor(clock));
    let seed = SEED;
    worker = await createTestWorker({
      clock,
      hubUrl: hub.url,
      githubUrl: github.url,
      env: ENV,
      upstreams: 'configured',
      random: () => dice(`${SEED}:jitter:${seed++}`),
    });
    for (const model of MODELS) {
      await request(t.http)
        .post('/v1/models')
        .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
        .send({ id: model, links: { huggingface: model } })
        .expect(201);
    }
  });

  afterAll(async () => {
    await worker?.close();
    await hub?.stop();
    await github?.stop();
    await t?.close();
  });

  /** The id the app knows each model by: the hub's id in the last reading it got. */
  const slugs = new Map(MODELS.map((m) => [m, m]));
  const delivered: Delivered[] = [];

  it('runs 720 hourly syncs and a daily roll-up, each sync recorded with the failures the hub caused', async () => {
    const runner = worker.app.get(JobRunner);
    const job = worker.app.get(StatsSyncJob);
    const rollup = worker.app.get(RollupJob);
    for (let hour = 0; hour < HOURS; hour++) {
      const startsAt = new Date(START + hour * HOUR_MS + SYNC_OFFSET_MS);
      clock.set(startsAt);
      for (const rename of RENAMES) if (rename.at === START + hour * HOUR_MS) hub.rename(rename.from, rename.to);
      const first = hub.exchanges.length;
      await runner.run(job, { trigger: 'schedule', tickKey: `stats-sync@${startsAt.toISOString()}` });
      const exchanges = hub.exchanges.slice(first);
      const { body } = await request(t.http).get('/v1/sync/runs?kind=stats-sync&limit=1').expect(200);
      const run = body.data[0] as RunAnswer;
      syncs.push({ hour, exchanges, run });

      // What the hub delivered this hour; every answer came within the hour, so it carries the hour's counters.
      const readings = exchanges.flatMap(deliveredReadings);
      for (const e of exchanges) expect(hourOf(e.at)).toBe(hour);
      expect(new Set(readings.map((r) => r.model)).size).toBe(readings.length);
      const failed = MODELS.filter((m) => !readings.some((r) => r.model === m));
      const expected = {
        startedAt: startsAt.toISOString(),
        status: failed.length === 0 ? 'succeeded' : readings.length > 0 ? 'partial' : 'failed',
        modelsDone: readings.length,
        modelsFailed: failed.length,
        modelsSkipped: 0,
        upstreamRequests: { huggingface: exchanges.length, github: 0 },
        failedModels: failed.map((m) => slugs.get(m)!).sort(),
      };
      expect({
        hour,
        startedAt: run.startedAt,
        status: run.status,
        modelsDone: run.modelsDone,
        modelsFailed: run.modelsFailed,
        modelsSkipped: run.modelsSkipped,
        upstreamRequests: run.upstreamRequests,
        failedModels: run.errors.map((e) => e.model).sort(),
      }).toEqual({ hour, ...expected });
      for (const error of run.errors) {
        const model = MODELS.find((m) => slugs.get(m) === error.model)!;
        const last = exchanges.filter((e) => modelsOf(e.request).includes(model)).at(-1);
        // Each failure says why: the last thing the hub did to it, or the wait it asked for.
        const why =
          last?.fault === 'malformed'
            ? /^the answer is not JSON/
            : /^(rate limited until .*, longer than the 120 s wait allowed|(HTTP 5\d\d|rate limited \(HTTP 429\)|timed out after 300 ms|network error \(.+\)) after [1-3] attempts? \(\/api\/models(\/.+)?\))$/;
        expect({ hour, model: error.model, source: error.source, error: error.error }).toEqual({
          hour,
          model: error.model,
          source: 'huggingface',
          error: expect.stringMatching(why),
        });
      }
      for (const reading of readings) slugs.set(reading.model, reading.id);
      delivered.push(...readings);
      // The daily roll-up, at ten past midnight as ROLLUP_CRON has it, moves the 7- and 30-day windows on.
      if (hour % 24 === 0) {
        const rollupAt = new Date(START + hour * HOUR_MS + 10 * 60_000);
        // Never back in time: the waits of the sync may have moved the clock past the tick.
        if (clock.now() < rollupAt) clock.set(rollupAt);
        await runner.run(rollup, { trigger: 'schedule', tickKey: `rollup@${rollupAt.toISOString()}` });
      }
    }
  }, 300_000);

  interface Point {
    date: string;
    value: number | null;
    imputed: boolean;
    flags: string[];
  }
  const seriesOf = async (model: string) => {
    const { body } = await request(t.http)
      .get(`/v1/models/${slugs.get(model)}/stats?metric=downloads&from=${FIRST}&to=${LAST}`)
      .expect(200);
    return body as { model: string; points: Point[]; total: number | null; unknownDays: number };
  };
  const readingsOf = (model: string) =>
    delivered.filter((r) => r.model === model).sort((a, b) => a.at.getTime() - b.at.getTime());
  /** Figures for docs/operations.md, gathered as the checks go. */
  const figures = { daysKnown: 0, daysExactToTheHour: 0, daysImputed: 0, daysUnknown: 0, valuesInvented: 0 };

  it('delivered only the truth: every reading the hub gave is its true counter at that hour', () => {
    expect(delivered.length).toBeGreaterThan(0);
    for (const r of delivered) expect({ r, value: r.downloadsAllTime }).toEqual({ r, value: truthAt(r.model, r.at) });
  });

  it.each(MODELS)('answers the daily series of %s as worked out by hand from what the hub delivered', async (model) => {
    const series = await seriesOf(model);
    const expected = expectedSeries(readingsOf(model), LAST);
    expect(series.model).toBe(slugs.get(model));
    // No flag either: the counter only grew, so no decrease or held-back drop was read into a broken answer.
    expect(series.points.map(({ date, value, imputed, flags }) => ({ date, value, imputed, flags }))).toEqual(
      expected.map((day) => ({ ...day, flags: [] })),
    );
    const known = expected.filter((p) => p.value !== null);
    expect({ total: series.total, unknownDays: series.unknownDays }).toEqual({
      total: known.reduce((sum, p) => sum + p.value!, 0),
      unknownDays: expected.length - known.length,
    });
  });

  it.each(MODELS)('is exact against the true counts of %s, and invents nothing', async (model) => {
    const { points, total } = await seriesOf(model);
    const readings = readingsOf(model);
    const on = (day: string) => readings.filter((r) => dayOf(r.at) === day);
    const first = readings[0];
    const last = readings.at(-1)!;
    // Days before the first reading are absent; the days run to the last one asked for.
    expect([points[0].date, points.at(-1)!.date]).toEqual([dayOf(first.at), LAST]);
    let sum = 0;
    const verdicts = points.map((point) => {
      const day = point.date;
      const before = readings.filter((r) => dayOf(r.at) < day).at(-1);
      const after = readings.find((r) => dayOf(r.at) >= day);
      if (point.value === null) {
        // Unknown only once the readings have stopped; never a figure there.
        return {
          seen: { day, unknown: true, readingsFrom: after ? dayOf(after.at) : null },
          want: { day, unknown: true, readingsFrom: null },
        };
      }
      sum += point.value;
      if (point.imputed) {
        // A share of an increment that a reading after missed days brought: it lies inside that gap.
        const gap = before && after ? dayIndex(dayOf(after.at)) - dayIndex(dayOf(before.at)) : 0;
        return {
          seen: { day, imputed: true, insideAGapOfDays: gap > 1 },
          want: { day, imputed: true, insideAGapOfDays: true },
        };
      }
      // A day of its own readings: the true counter at its last one less the one before it (or the baseline).
      const end = on(day).at(-1);
      const start = before ?? first;
      return {
        seen: { day, readings: on(day).length > 0, value: point.value, sum },
        want: {
          day,
          readings: true,
          value: end ? truthAt(model, end.at) - truthAt(model, start.at) : 'no reading that day',
          // Nothing lost: the sum so far is the hub's true counter at that reading less the first baseline.
          sum: end ? truthAt(model, end.at) - truthAt(model, first.at) : 'no reading that day',
        },
      };
    });
    expect(verdicts.map((v) => v.seen)).toEqual(verdicts.map((v) => v.want));
    // Where both ends of a day were read in their last hour, the figure is the day's true downloads.
    const lastHour = (day: string) => on(day).at(-1)?.at.getUTCHours() === 23;
    const whole = points.filter(
      (p) => !p.imputed && p.value !== null && lastHour(p.date) && lastHour(dayAt(dayIndex(p.date) - 1)),
    );
    expect(whole.map((p) => [p.date, p.value])).toEqual(whole.map((p) => [p.date, trueDay(model, p.date)]));
    figures.daysKnown += points.filter((p) => p.value !== null).length;
    figures.daysImputed += points.filter((p) => p.imputed).length;
    figures.daysUnknown += points.filter((p) => p.value === null).length;
    figures.daysExactToTheHour += whole.length;
    figures.valuesInvented += points.filter(
      (p) => p.value !== null && (p.date > dayOf(last.at) || (!p.imputed && on(p.date).length === 0)),
    ).length;
    expect(total).toBe(last.downloadsAllTime - first.downloadsAllTime);
    expect(total).toBeLessThanOrEqual(TRUTH.get(model)!.at(-1)! - truthAt(model, first.at));
  });

  it.each(MODELS)('sums the known days of %s into weeks and the month, counting the unknown ones', async (model) => {
    const days = expectedSeries(readingsOf(model), LAST);
    // ISO weeks: 31 March 2025 is the Monday of week 14.
    const periods = new Map<string, ExpectedDay[]>();
    for (const day of days) {
      const name = `2025-W${Math.floor((dayIndex(day.date) + 1) / 7) + 14}`;
      periods.set(name, [...(periods.get(name) ?? []), day]);
    }
    const summed = (name: string, of: ExpectedDay[]) => {
      const known = of.filter((d) => d.value !== null);
      return {
        period: name,
        value: known.length === 0 ? null : known.reduce((sum, d) => sum + d.value!, 0),
        imputed: of.some((d) => d.imputed),
        unknownDays: of.length - known.length,
      };
    };
    for (const [interval, expected] of [
      ['week', [...periods].map(([name, of]) => summed(name, of))],
      ['month', [summed('2025-04', days)]],
    ] as const) {
      const { body } = await request(t.http)
        .get(`/v1/models/${slugs.get(model)}/stats?interval=${interval}&from=${FIRST}&to=${LAST}`)
        .expect(200);
      expect(
        body.points.map(({ period, value, imputed, unknownDays }: Record<string, unknown>) => ({
          period,
          value,
          imputed,
          unknownDays,
        })),
      ).toEqual(expected);
    }
  });

  it.each(MODELS)('shows %s with figures that never exceed the truth and the state of its last sync', async (model) => {
    const readings = readingsOf(model);
    const last = readings.at(-1)!;
    const { body } = await request(t.http)
      .get(`/v1/models/${slugs.get(model)}`)
      .expect(200);
    // The all-time figure is the last delivered reading; the windows end yesterday and sum the series.
    const window = async (from: string) => {
      const series = await request(t.http)
        .get(`/v1/models/${slugs.get(model)}/stats?from=${from}&to=2025-04-29`)
        .expect(200);
      return series.body.total as number;
    };
    const trueSince = (from: string) =>
      TRUTH.get(model)![dayIndex('2025-04-29') * 24 + 23] - TRUTH.get(model)![dayIndex(from) * 24 - 1];
    expect(body.stats).toMatchObject({
      downloadsAllTime: last.downloadsAllTime,
      downloads7d: await window('2025-04-23'),
      downloads30d: await window('2025-03-31'),
    });
    expect(body.stats.downloadsAllTime).toBeLessThanOrEqual(TRUTH.get(model)!.at(-1)!);
    expect(body.stats.downloads7d).toBeLessThanOrEqual(trueSince('2025-04-23'));
    expect(body.stats.downloads30d).toBeLessThanOrEqual(
      TRUTH.get(model)![dayIndex('2025-04-29') * 24 + 23] - BASE.get(model)!,
    );
    // Synced at the last reading (in its hour: a wait of another request may have moved the clock since the answer).
    expect(hourOf(new Date(body.stats.lastSyncedAt))).toBe(hourOf(last.at));
    const [hubBinding] = body.upstreams;
    expect(hubBinding).toMatchObject({ upstream: 'huggingface', id: slugs.get(model) });
    expect(hourOf(new Date(hubBinding.lastSyncedAt))).toBe(hourOf(last.at));
    // The last sync of the month either read it, or left it failing with the reason.
    const final = syncs.at(-1)!.run.errors.find((e) => e.model === slugs.get(model));
    expect({ status: hubBinding.status, lastError: hubBinding.lastError }).toEqual(
      final ? { status: 'failing', lastError: final.error } : { status: 'ok', lastError: null },
    );
  });

  it('marks the gaps the scripted outages left: spread and imputed inside, unknown at the end', async () => {
    const outage = await seriesOf(OUTAGE);
    const imputed = outage.points.filter((p) => p.imputed).map((p) => p.date);
    // No reading from the 8th to the 10th; the first one on the 11th closes the gap.
    expect(imputed).toEqual(['2025-04-08', '2025-04-09', '2025-04-10', '2025-04-11']);
    const tail = await seriesOf(TAIL);
    expect(tail.points.filter((p) => p.value === null).map((p) => p.date)).toEqual(['2025-04-29', '2025-04-30']);
    expect(tail.unknownDays).toBe(2);
    const quiet = await seriesOf(QUIET);
    expect(quiet.points[0].date).toBe('2025-04-02');
  });

  it('keeps the renamed model one series across its renames, under its current id, every old id redirecting', async () => {
    expect(slugs.get(RENAMED[0])).toBe(CURRENT);
    const series = await seriesOf(RENAMED[0]);
    expect(series.model).toBe(CURRENT);
    expect(series.points.map((p) => p.date)).toEqual(Array.from({ length: 30 }, (_, d) => dayAt(d)));
    expect(series.points.every((p) => p.value !== null)).toBe(true);
    // The days of the renames hold their full downloads: nothing was lost to the new ids.
    for (const day of ['2025-04-10', '2025-04-20']) {
      const point = series.points.find((p) => p.date === day)!;
      const readings = readingsOf(RENAMED[0]);
      const end = readings.filter((r) => dayOf(r.at) === day).at(-1)!;
      const start = readings.filter((r) => dayOf(r.at) < day).at(-1)!;
      expect({ day, value: point.value }).toEqual({
        day,
        value: truthAt(RENAMED[0], end.at) - truthAt(RENAMED[0], start.at),
      });
    }
    // Every old id redirects to it, the two the sync was redirected through at once too; the CSV says the same.
    for (const old of RENAMED.slice(0, 3)) {
      const moved = await request(t.http).get(`/v1/models/${old}/stats?from=${FIRST}&to=${LAST}`).expect(301);
      expect(moved.headers.location).toBe(`/v1/models/${CURRENT}/stats?from=${FIRST}&to=${LAST}`);
    }
    const csv = await request(t.http)
      .get(`/v1/models/${CURRENT}/stats?from=${FIRST}&to=${LAST}&format=csv`)
      .expect(200);
    const rows = csv.text
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(
      rows.map(([date, , value, imputed]) => ({
        date,
        value: value === '' ? null : Number(value),
        imputed: imputed === 'true',
      })),
    ).toEqual(series.points.map(({ date, value, imputed }) => ({ date, value, imputed })));
  });

  it('met every kind of fault often, and the runs count every model a fault cost its reading', () => {
    const all = syncs.flatMap((s) => s.exchanges);
    const kind = (e: Exchange) => {
      if (e.fault === 'slow' || e.fault === 'malformed' || e.fault === 'cut') return e.fault;
      if (e.fault === null) return 'ok';
      if (e.answer?.status === 429) return '429';
      return e.answer?.body.includes('Service Unavailable') ? 'outage' : '5xx';
    };
    const faults: Record<string, number> = { ok: 0, '429': 0, '5xx': 0, slow: 0, malformed: 0, cut: 0, outage: 0 };
    for (const e of all) faults[kind(e)]++;
    // A slow answer never reached the client: the timeout cut it, and nothing of it was read.
    expect(all.filter((e) => e.fault === 'slow' && e.answer !== null)).toEqual([]);
    // Each kind often enough to matter (the scripted outages' 503s counted apart from the random 5xx).
    const often = { '429': 100, '5xx': 100, slow: 10, malformed: 50, cut: 30, outage: 50 };
    expect(Object.entries(often).filter(([k, least]) => faults[k] < least)).toEqual([]);
    const missed = syncs.reduce((n, s) => n + s.run.modelsFailed, 0);
    expect(missed).toBe(syncs.length * MODELS.length - delivered.length);
    const statuses: Record<string, number> = {};
    for (const s of syncs) statuses[s.run.status] = (statuses[s.run.status] ?? 0) + 1;
    expect(statuses.failed).toBeGreaterThanOrEqual(2);
    expect(figures.valuesInvented).toBe(0);
    console.log(
      JSON.stringify({
        seed: SEED,
        syncs: syncs.length,
        requests: all.length,
        faults,
        statuses,
        readings: delivered.length,
        missed,
        ...figures,
      }),
    );
  });
});
