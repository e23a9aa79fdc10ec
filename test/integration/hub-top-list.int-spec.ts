import { Client } from 'pg';
import { ModelsService } from '@modelpulse/core/catalog';
import { JobRunner, type RunRow } from '@modelpulse/core/jobs';
import { HuggingFaceSource, type FetchOutcome, type RefreshTarget } from '@modelpulse/core/sources';
import { StatsSyncJob } from '@modelpulse/core/sync';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace, type FakeHubModelInput } from '../fakes/fake-hugging-face';
import type { RecordedRequest } from '../fakes/fake-server';
import { FakeClock } from '../support/clock';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestWorker, type TestWorker } from '../support/worker';

/** Pages of 5, so a handful of models make several pages of the top list. */
const PAGE = 5;

/**
 * The hub's top list, most downloaded first: pop/m1 … pop/m20 with 20 000,
 * 19 000, … 1 000 downloads (ranks 1 to 20), five untracked filler models
 * (500 … 100), then three tracked models of three authors far down
 * (tail-a/x 10, tail-b/y 9, tail-c/z 8). Tracked among the pop models:
 * ranks 1, 2, 3, 5, 6, 8, 10, 11, 13, 15.
 */
const TRACKED_RANKS = [1, 2, 3, 5, 6, 8, 10, 11, 13, 15];
const TAILS = [
  { id: 'tail-a/x', downloads: 10 },
  { id: 'tail-b/y', downloads: 9 },
  { id: 'tail-c/z', downloads: 8 },
];
const pop = (rank: number) => `pop/m${rank}`;
const TRACKED = [...TRACKED_RANKS.map(pop), ...TAILS.map((t) => t.id)];

function addHubModels(hub: FakeHuggingFace, bump = 0): void {
  for (let rank = 1; rank <= 20; rank += 1) {
    const downloads = 1_000 * (21 - rank) + bump;
    const model: FakeHubModelInput = {
      id: pop(rank),
      downloads,
      downloadsAllTime: 50 * downloads,
      likes: rank,
      tags: ['transformers', 'license:apache-2.0', `arxiv:2501.0${String(rank).padStart(4, '0')}`],
      cardData: { license: 'apache-2.0' },
      safetensorsTotal: 1_000_000 * rank,
      pipelineTag: 'text-generation',
      createdAt: '2024-06-01T00:00:00.000Z',
    };
    hub.addModel(model);
  }
  for (let i = 1; i <= 5; i += 1) hub.addModel({ id: `filler/f${i}`, downloads: 600 - 100 * i, likes: 0 });
  for (const tail of TAILS) hub.addModel({ id: tail.id, downloads: tail.downloads, downloadsAllTime: 100, likes: 1 });
}

const isTopListPage = (r: RecordedRequest) =>
  r.path === '/api/models' && r.query.get('author') === null && r.query.get('sort') === 'downloads';

describe('the stats sync through the hub top list', () => {
  let db: TestDatabase;
  let worker: TestWorker;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  let sql: Client;
  const clock = new FakeClock('2025-03-01T10:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    addHubModels(hub);
    worker = await createTestWorker({
      clock,
      hubUrl: hub.url,
      githubUrl: github.url,
      upstreams: 'configured',
      env: { HF_REQUESTS_PER_SECOND: '1000', HF_TOP_LIST_PAGE_SIZE: String(PAGE), HF_TOP_LIST_MAX_PAGES: '20' },
    });
    const models = worker.app.get(ModelsService);
    for (const id of TRACKED) await models.create({ id, links: { huggingface: id } });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql.end();
    await worker.close();
    await hub.stop();
    await github.stop();
    await db.drop();
  });

  const sync = async (at: string): Promise<RunRow> => {
    clock.set(at);
    hub.clearRequests();
    const run = await worker.app
      .get(JobRunner)
      .run(worker.app.get(StatsSyncJob), { trigger: 'schedule', tickKey: `stats-sync@${at}` });
    return run!;
  };
  /** Each tracked model's latest hub reading. */
  const latest = async () =>
    (
      await sql.query<{ slug: string; downloads_30d: string; downloads_all_time: string; likes: number }>(
        `SELECT DISTINCT ON (m.slug) m.slug, o.downloads_30d, o.downloads_all_time, o.likes
           FROM observations o JOIN models m ON m.id = o.model_id
          WHERE o.source = 'huggingface' ORDER BY m.slug, o.observed_at DESC`,
      )
    ).rows.map((r) => ({
      id: r.slug,
      downloads30d: Number(r.downloads_30d),
      downloadsAllTime: Number(r.downloads_all_time),
      likes: r.likes,
    }));
  const expected = (bump: number, dropped: Record<string, number> = {}) =>
    TRACKED.map((id) => {
      const rank = TRACKED_RANKS.find((r) => pop(r) === id);
      const tail = TAILS.find((t) => t.id === id);
      const downloads = dropped[id] ?? (rank === undefined ? tail!.downloads : 1_000 * (21 - rank) + bump);
      return {
        id,
        downloads30d: downloads,
        downloadsAllTime: rank === undefined ? 100 : 50 * downloads,
        likes: rank ?? 1,
      };
    }).sort((a, b) => a.id.localeCompare(b.id));

  it('reads no top list while no tracked model has a reading: one author list and one call per lone model', async () => {
    const run = await sync('2025-03-01T10:00:00.000Z');
    expect(run).toMatchObject({ status: 'succeeded', modelsDone: 13, modelsFailed: 0, errors: [] });
    expect(hub.requests.filter(isTopListPage)).toEqual([]);
    // pop's ten models on one page of its author list, the three tails on their own
    expect(run.upstreamRequests).toEqual({ huggingface: 4, github: 0 });
    expect(await latest()).toEqual(expected(0));
  });

  it('walks the top list while it still covers models expected on the next page, then asks for the rest', async () => {
    for (let rank = 1; rank <= 20; rank += 1) {
      const downloads = 1_000 * (21 - rank) + 50;
      hub.setCounters(pop(rank), { downloads, downloadsAllTime: 50 * downloads, likes: rank });
    }
    const run = await sync('2025-03-01T11:00:00.000Z');
    expect(run).toMatchObject({ status: 'succeeded', modelsDone: 13, modelsFailed: 0, errors: [] });
    // Page 1 (ranks 1-5, smallest 16 050 of 20 050) expects the next page from 16 050 down to 12 848:
    // m6 (last 15 000) and m8 (13 000), two, so it is read. Page 2 (6-10, smallest 11 050 after 16 050)
    // expects 11 050 down to 7 608: m11 (10 000) and m13 (8 000). Page 3 (11-15, smallest 6 050 after
    // 11 050) expects 6 050 down to 3 313: nothing (the tails are at 10, 9, 8), so the walk stops and the
    // three tails, each its author's only tracked model, are asked for one by one.
    const pages = hub.requests.filter(isTopListPage);
    expect(pages.map((r) => [r.query.get('limit'), r.query.get('cursor')])).toEqual([
      [String(PAGE), null],
      [String(PAGE), Buffer.from('5').toString('base64url')],
      [String(PAGE), Buffer.from('10').toString('base64url')],
    ]);
    expect(pages[0].query.get('direction')).toBe('-1');
    expect(pages[0].query.getAll('expand[]')).toEqual(
      expect.arrayContaining(['downloads', 'downloadsAllTime', 'likes']),
    );
    expect(hub.requests.filter((r) => !isTopListPage(r)).map((r) => r.path)).toEqual(
      TAILS.map((t) => `/api/models/${t.id}`),
    );
    expect(run.upstreamRequests).toEqual({ huggingface: 6, github: 0 });
    expect(await latest()).toEqual(expected(50));
  });

  it('still refreshes a model that dropped out of the top pages, through the fallback', async () => {
    // pop/m3 falls from 18 050 to 5 downloads: last of the list but the tails.
    hub.setCounters(pop(3), { downloads: 5, downloadsAllTime: 250, likes: 3 });
    const run = await sync('2025-03-01T12:00:00.000Z');
    expect(run).toMatchObject({ status: 'succeeded', modelsDone: 13, modelsFailed: 0, errors: [] });
    // Page 1 is now m1, m2, m4, m5, m6 (smallest 15 050 of 20 050): the next page is expected from
    // 15 050 down to 11 297, where only m8 (13 050) is, so one page is all. m3 (last 18 050, above the
    // page) is missing from where it should be: it goes to the fallback with m8 … m15, all pop's, which
    // one page of pop's author list answers, and the three tails one by one.
    expect(hub.requests.filter(isTopListPage)).toHaveLength(1);
    expect(hub.requests.filter((r) => r.query.get('author') === 'pop')).toHaveLength(1);
    expect(run.upstreamRequests).toEqual({ huggingface: 5, github: 0 });
    expect(await latest()).toEqual(expected(50, { [pop(3)]: 5 }));
  });

  it('fails the models still missing when a top-list page cannot be read, without asking for each', async () => {
    const before = await latest();
    // The first attempt and UPSTREAM_MAX_RETRIES (3) retries of the first page, all 500.
    hub.failNext(4, { kind: 'reply', reply: { status: 500, body: { error: 'Internal Error' } } }, '/api/models');
    const run = await sync('2025-03-01T13:00:00.000Z');
    expect(run).toMatchObject({ status: 'failed', modelsDone: 0, modelsFailed: 13 });
    expect(run.errors).toHaveLength(13);
    expect(run.errors[0].error).toBe('HTTP 500 after 4 attempts (/api/models)');
    expect(hub.requests.filter(isTopListPage)).toHaveLength(4);
    expect(hub.requests.filter((r) => !isTopListPage(r))).toEqual([]);
    // nothing was written as a reading
    expect(await latest()).toEqual(before);
  });
});

describe('readings from top-list pages and from per-model calls', () => {
  let hub: FakeHuggingFace;
  const at = new Date('2025-03-01T00:00:00Z');

  beforeAll(async () => {
    hub = await FakeHuggingFace.start(() => at);
    addHubModels(hub);
  });

  afterAll(() => hub.stop());

  it('are the same for every model, metadata included', async () => {
    const source = new HuggingFaceSource(
      {
        baseUrl: hub.url,
        token: null,
        requestsPerSecond: 1000,
        concurrency: 2,
        timeoutMs: 2000,
        maxRetries: 0,
        maxWaitMs: 1000,
        backoffBaseMs: 1,
        backoffMaxMs: 1,
        listPageSize: 100,
        listMaxPages: 1,
        topListPageSize: 1000,
        topListMaxPages: 1,
      },
      { now: () => at, sleep: () => Promise.resolve(), random: () => 0.5 },
    );
    try {
      const targets: RefreshTarget[] = TRACKED.map((externalId) => ({ externalId, lastDownloads30d: 1 }));
      const listed = new Map<string, FetchOutcome>();
      await source.refresh(targets, (outcomes) => {
        for (const [id, outcome] of outcomes) listed.set(id, outcome);
        return Promise.resolve();
      });
      // One page of 1 000 holds the whole fake hub: nothing was asked for on its own.
      expect(hub.requests.map((r) => r.path)).toEqual(['/api/models']);
      const single = new Map<string, FetchOutcome>();
      for (const id of TRACKED) single.set(id, await source.fetchOne(id));
      expect(listed.size).toBe(TRACKED.length);
      expect(listed).toEqual(single);
      expect(single.get(pop(2))).toMatchObject({
        status: 'ok',
        metadata: { license: 'apache-2.0', parametersTotal: 2_000_000, arxivIds: ['2501.00002'] },
      });
    } finally {
      await source.close();
    }
  });

  it('reads no more than topListMaxPages pages, whatever the counts expect further down', async () => {
    hub.clearRequests();
    const source = new HuggingFaceSource(
      {
        baseUrl: hub.url,
        token: null,
        requestsPerSecond: 1000,
        concurrency: 2,
        timeoutMs: 2000,
        maxRetries: 0,
        maxWaitMs: 1000,
        backoffBaseMs: 1,
        backoffMaxMs: 1,
        listPageSize: 100,
        listMaxPages: 1,
        topListPageSize: PAGE,
        topListMaxPages: 2,
      },
      { now: () => at, sleep: () => Promise.resolve(), random: () => 0.5 },
    );
    try {
      // Last counts equal to the hub's: every page would be worth reading but for the cap.
      const targets: RefreshTarget[] = TRACKED.map((externalId) => ({
        externalId,
        lastDownloads30d: externalId.startsWith('pop/')
          ? 1_000 * (21 - Number(externalId.slice('pop/m'.length)))
          : TAILS.find((t) => t.id === externalId)!.downloads,
      }));
      const answered: string[] = [];
      await source.refresh(targets, (outcomes) => {
        answered.push(...outcomes.keys());
        return Promise.resolve();
      });
      expect(answered.sort()).toEqual([...TRACKED].sort());
      // two top-list pages (m1 … m10), then pop's author list for m11, m13, m15 and the tails one by one
      expect(hub.requests.filter(isTopListPage)).toHaveLength(2);
      expect(hub.requests.filter((r) => r.query.get('author') === 'pop')).toHaveLength(1);
      expect(hub.requests.filter((r) => r.path.startsWith('/api/models/')).map((r) => r.path)).toEqual(
        TAILS.map((t) => `/api/models/${t.id}`),
      );
    } finally {
      await source.close();
    }
  });
});

describe('the stats sync against a hub with a fixed-window request limit', () => {
  let db: TestDatabase;
  let worker: TestWorker;
  let hub: FakeHuggingFace;
  let github: FakeGitHub;
  const clock = new FakeClock('2025-03-01T10:00:03Z');
  const LONE = Array.from({ length: 12 }, (_, i) => `lone-${i}/model`);

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start(() => clock.now());
    github = await FakeGitHub.start(() => clock.now());
    for (const [i, id] of LONE.entries()) hub.addModel({ id, downloads: 100 + i, downloadsAllTime: 1000, likes: i });
    // The client waits on the fake clock: each wait the hub asks for moves it on.
    worker = await createTestWorker({
      clock,
      hubUrl: hub.url,
      githubUrl: github.url,
      upstreams: 'configured',
      env: { HF_REQUESTS_PER_SECOND: '1000', HF_CONCURRENCY: '2', UPSTREAM_MAX_RETRIES: '3' },
    });
    const models = worker.app.get(ModelsService);
    for (const id of LONE) await models.create({ id, links: { huggingface: id } });
  });

  afterAll(async () => {
    await worker.close();
    await hub.stop();
    await github.stop();
    await db.drop();
  });

  it('waits out every 429 and loses no model: no window answers more than its quota', async () => {
    // Without RateLimit headers on its 200s the client learns of the limit from the 429s alone.
    hub.setRateLimit({ requests: 5, windowSeconds: 10, announce: false });
    const run = await worker.app
      .get(JobRunner)
      .run(worker.app.get(StatsSyncJob), { trigger: 'schedule', tickKey: 'stats-sync@limited' });
    expect(run).toMatchObject({ status: 'succeeded', modelsDone: 12, modelsFailed: 0, errors: [] });
    expect(hub.refusedByLimit).toBeGreaterThan(0);
    const served = hub.exchanges.filter((e) => e.answer?.status === 200);
    // each model answered once, the refused requests asked again after the wait
    expect(served.map((e) => e.request.path).sort()).toEqual(LONE.map((id) => `/api/models/${id}`).sort());
    expect(hub.exchanges.filter((e) => e.answer?.status === 429)).toHaveLength(hub.refusedByLimit);
    const perWindow = new Map<number, number>();
    for (const e of served) {
      const window = Math.floor(e.at.getTime() / 10_000);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
    // 12 answers at 5 a window take three windows
    expect(perWindow.size).toBe(3);
    const refused = hub.exchanges.find((e) => e.answer?.status === 429)!;
    expect(refused.answer!.headers['retry-after']).toMatch(/^\d+$/);
  });
});
