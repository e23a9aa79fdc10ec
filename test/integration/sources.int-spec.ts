import {
  GitHubSource,
  HuggingFaceSource,
  type FetchOutcome,
  type HuggingFaceSourceOptions,
  type SourceOptions,
  type SourceRuntime,
} from '@modelpulse/core/sources';
import { FakeGitHub } from '../fakes/fake-github';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';

/** A clock that moves only when the source sleeps, and the sleeps it was asked for. */
function fakeTime(start = '2025-01-21T10:00:00Z') {
  let nowMs = Date.parse(start);
  const sleepsMs: number[] = [];
  const runtime: SourceRuntime = {
    now: () => new Date(nowMs),
    sleep: (ms) => {
      sleepsMs.push(ms);
      nowMs += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
  return { runtime, sleepsMs, now: () => new Date(nowMs), advance: (ms: number) => (nowMs += ms) };
}

const BASE: Omit<SourceOptions, 'baseUrl'> = {
  token: null,
  requestsPerSecond: 1000,
  concurrency: 4,
  timeoutMs: 2000,
  maxRetries: 3,
  maxWaitMs: 600_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 30_000,
};

const R1 = 'deepseek-ai/DeepSeek-R1';

describe('HuggingFaceSource against the fake hub', () => {
  let hub: FakeHuggingFace;
  let time: ReturnType<typeof fakeTime>;
  const sources: HuggingFaceSource[] = [];

  const source = (options: Partial<HuggingFaceSourceOptions> = {}) => {
    const made = new HuggingFaceSource(
      { ...BASE, baseUrl: hub.url, listPageSize: 100, listMaxPages: 3, ...options },
      time.runtime,
    );
    sources.push(made);
    return made;
  };

  beforeEach(async () => {
    time = fakeTime();
    hub = await FakeHuggingFace.start(time.now);
    hub.addModel({
      id: R1,
      downloads: 1_200_000,
      downloadsAllTime: 3_400_000,
      likes: 9_500,
      tags: ['transformers', 'safetensors', 'deepseek_v3', 'arxiv:2501.12948', 'license:mit', 'region:us'],
      cardData: { license: 'mit', library_name: 'transformers' },
      safetensorsTotal: 684_531_386_000,
      pipelineTag: 'text-generation',
      createdAt: '2025-01-20T03:46:07.000Z',
    });
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.close()));
    await hub.stop();
  });

  describe('one model', () => {
    it('reads the counters and the metadata with one request asking for every expand[] property', async () => {
      const hf = source();
      expect(await hf.fetchOne(R1)).toEqual({
        status: 'ok',
        externalId: R1,
        reading: {
          externalId: R1,
          observedAt: new Date('2025-01-21T10:00:00Z'),
          downloadsAllTime: 3_400_000,
          downloads30d: 1_200_000,
          likes: 9_500,
          stars: null,
          forks: null,
        },
        metadata: {
          license: 'mit',
          parametersTotal: 684_531_386_000,
          arxivIds: ['2501.12948'],
          baseModels: [],
          task: 'text-generation',
          tags: ['transformers', 'safetensors', 'deepseek_v3', 'arxiv:2501.12948', 'license:mit', 'region:us'],
          createdAt: new Date('2025-01-20T03:46:07.000Z'),
          gated: false,
        },
      });
      expect(hf.requestCount).toBe(1);
      const [request] = hub.requests;
      expect(request.path).toBe('/api/models/deepseek-ai/DeepSeek-R1');
      expect(request.query.getAll('expand[]')).toEqual([
        'downloads',
        'downloadsAllTime',
        'likes',
        'tags',
        'cardData',
        'safetensors',
        'pipeline_tag',
        'createdAt',
        'gated',
      ]);
      expect(request.headers.authorization).toBeUndefined();
    });

    it('sends HF_TOKEN as a bearer token', async () => {
      await source({ token: 'hf_secret' }).fetchOne(R1);
      expect(hub.requests[0].headers.authorization).toBe('Bearer hf_secret');
    });

    it('follows the 307 of a renamed model and reports the new id with its counters', async () => {
      hub.addModel({ id: 'bert-base-uncased', downloads: 70, downloadsAllTime: 900, likes: 5 });
      hub.rename('bert-base-uncased', 'google-bert/bert-base-uncased');
      const hf = source();
      expect(await hf.fetchOne('bert-base-uncased')).toMatchObject({
        status: 'renamed',
        from: 'bert-base-uncased',
        to: 'google-bert/bert-base-uncased',
        reading: { externalId: 'google-bert/bert-base-uncased', downloads30d: 70, downloadsAllTime: 900, likes: 5 },
      });
      expect(hf.requestCount).toBe(2);
      expect(hub.requests.map((r) => r.path)).toEqual([
        '/api/models/bert-base-uncased',
        '/api/models/google-bert/bert-base-uncased',
      ]);
      expect(hub.requests[1].query.getAll('expand[]')).toHaveLength(9);
    });

    it('names the ids a model renamed twice since it was last read went through', async () => {
      hub.addModel({ id: 'acme/first', downloads: 70, downloadsAllTime: 900, likes: 5 });
      hub.rename('acme/first', 'acme/second');
      hub.rename('acme/second', 'acme-labs/Third');
      const hf = source();
      expect(await hf.fetchOne('acme/first')).toMatchObject({
        status: 'renamed',
        from: 'acme/first',
        via: ['acme/second'],
        to: 'acme-labs/Third',
        reading: { externalId: 'acme-labs/Third', downloadsAllTime: 900 },
      });
      expect(hub.requests.map((r) => r.path)).toEqual([
        '/api/models/acme/first',
        '/api/models/acme/second',
        '/api/models/acme-labs/Third',
      ]);
      // Asked by the middle id, it went straight there.
      expect(await hf.fetchOne('acme/second')).not.toHaveProperty('via');
    });

    it('reports a deleted model as gone, on the 401 anonymous callers get and on the 404 of a token', async () => {
      hub.remove(R1);
      expect(await source().fetchOne(R1)).toEqual({ status: 'gone' });
      expect(await source({ token: 'hf_secret' }).fetchOne(R1)).toEqual({ status: 'gone' });
      expect(hub.requests).toHaveLength(2);
    });

    it('keeps the counters of a gated model and says how it is gated', async () => {
      hub.addModel({
        id: 'meta-llama/Llama-3.1-8B',
        downloads: 500,
        downloadsAllTime: 8000,
        likes: 40,
        gated: 'manual',
      });
      expect(await source().fetchOne('meta-llama/Llama-3.1-8B')).toMatchObject({
        status: 'ok',
        reading: { downloads30d: 500, downloadsAllTime: 8000, likes: 40 },
        metadata: { gated: 'manual' },
      });
    });

    it('reports a gated model that shows no counters as gated', async () => {
      hub.addModel({ id: 'meta-llama/Llama-4-Secret', gated: 'auto' });
      expect(await source().fetchOne('meta-llama/Llama-4-Secret')).toEqual({ status: 'gated' });
    });

    it('reports each reading as the hub gives it, a counter that went down included', async () => {
      hub.setCountersFn(R1, ({ call }) => ({ downloadsAllTime: call === 1 ? 3_400_000 : 3_390_000 }));
      const hf = source();
      const first = await hf.fetchOne(R1);
      time.advance(86_400_000);
      const second = await hf.fetchOne(R1);
      expect([first, second].map((o) => (o.status === 'ok' ? o.reading : null))).toMatchObject([
        { downloadsAllTime: 3_400_000, observedAt: new Date('2025-01-21T10:00:00Z') },
        { downloadsAllTime: 3_390_000, observedAt: new Date('2025-01-22T10:00:00Z') },
      ]);
    });

    it('serves counters that follow the clock', async () => {
      hub.setCountersFn(R1, ({ now }) => ({ downloadsAllTime: now < new Date('2025-01-22T00:00:00Z') ? 10 : 25 }));
      const hf = source();
      const before = await hf.fetchOne(R1);
      time.advance(86_400_000);
      const after = await hf.fetchOne(R1);
      expect([before, after].map((o) => (o.status === 'ok' ? o.reading.downloadsAllTime : null))).toEqual([10, 25]);
    });
  });

  describe('when the hub misbehaves', () => {
    it('waits for Retry-After on a 429 (through the injected sleep) and then reads', async () => {
      hub.failNext(2, {
        kind: 'reply',
        reply: { status: 429, headers: { 'retry-after': '30' }, body: { error: 'slow down' } },
      });
      const hf = source();
      expect(await hf.fetchOne(R1)).toMatchObject({
        status: 'ok',
        reading: { observedAt: new Date('2025-01-21T10:01:00Z') },
      });
      expect(time.sleepsMs).toEqual([30_000, 30_000]);
      expect(hf.requestCount).toBe(3);
    });

    it('reads a Retry-After given as an HTTP date', async () => {
      hub.failNext(1, {
        kind: 'reply',
        reply: { status: 429, headers: { 'retry-after': 'Tue, 21 Jan 2025 10:00:45 GMT' } },
      });
      expect((await source().fetchOne(R1)).status).toBe('ok');
      expect(time.sleepsMs).toEqual([45_000]);
    });

    it("waits for the window of the hub's RateLimit header when no Retry-After comes", async () => {
      hub.failNext(1, {
        kind: 'reply',
        reply: {
          status: 429,
          headers: { ratelimit: '"api";r=0;t=55', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' },
        },
      });
      expect((await source().fetchOne(R1)).status).toBe('ok');
      expect(time.sleepsMs).toEqual([55_000]);
    });

    it('holds back the next request when an answer says the quota is spent', async () => {
      hub.failNext(1, {
        kind: 'reply',
        reply: {
          status: 200,
          headers: { ratelimit: '"api";r=0;t=20' },
          body: { _id: 'a', id: R1, downloads: 1, likes: 2 },
        },
      });
      const hf = source();
      expect((await hf.fetchOne(R1)).status).toBe('ok');
      expect(time.sleepsMs).toEqual([]);
      expect((await hf.fetchOne(R1)).status).toBe('ok');
      expect(time.sleepsMs).toEqual([20_000]);
    });

    it('fails at once when the hub asks for a longer wait than allowed', async () => {
      hub.failNext(1, { kind: 'reply', reply: { status: 429, headers: { 'retry-after': '3600' } } });
      const hf = source({ maxWaitMs: 60_000 });
      expect(await hf.fetchOne(R1)).toEqual({
        status: 'failed',
        error: 'rate limited until 2025-01-21T11:00:00.000Z, longer than the 60 s wait allowed',
      });
      expect(time.sleepsMs).toEqual([]);
      expect(hf.requestCount).toBe(1);
    });

    it('retries a 500 with exponential backoff and jitter, then reads', async () => {
      hub.failNext(2, { kind: 'reply', reply: { status: 500, body: { error: 'Internal Error' } } });
      const hf = source();
      expect((await hf.fetchOne(R1)).status).toBe('ok');
      // attempt n waits half of 1000·2^(n-1) plus half of that times the dice (0.5)
      expect(time.sleepsMs).toEqual([750, 1500]);
      expect(hf.requestCount).toBe(3);
    });

    it('gives up after the retries allowed with a clear error and no reading', async () => {
      hub.failNext(10, { kind: 'reply', reply: { status: 503, body: 'upstream connect error' } });
      const hf = source();
      expect(await hf.fetchOne(R1)).toEqual({
        status: 'failed',
        error: 'HTTP 503 after 4 attempts (/api/models/deepseek-ai/DeepSeek-R1)',
      });
      expect(time.sleepsMs).toEqual([750, 1500, 3000]);
      expect(hf.requestCount).toBe(4);
    });

    it('takes the Retry-After of a 503 as its backoff, and stops when it is longer than allowed', async () => {
      hub.failNext(1, { kind: 'reply', reply: { status: 503, headers: { 'retry-after': '5' } } });
      expect((await source().fetchOne(R1)).status).toBe('ok');
      expect(time.sleepsMs).toEqual([5000]);
      hub.failNext(1, { kind: 'reply', reply: { status: 503, headers: { 'retry-after': '7200' } } });
      expect(await source().fetchOne(R1)).toEqual({
        status: 'failed',
        error: 'HTTP 503 after 1 attempt (/api/models/deepseek-ai/DeepSeek-R1)',
      });
    });

    it('times out a slow answer and retries it', async () => {
      hub.failNext(1, { kind: 'slow', delayMs: 1000 });
      const hf = source({ timeoutMs: 100 });
      expect((await hf.fetchOne(R1)).status).toBe('ok');
      expect(hf.requestCount).toBe(2);
    });

    it('fails when every answer is slower than the timeout', async () => {
      hub.failNext(2, { kind: 'slow', delayMs: 1000 });
      expect(await source({ timeoutMs: 100, maxRetries: 1 }).fetchOne(R1)).toEqual({
        status: 'failed',
        error: 'timed out after 100 ms after 2 attempts (/api/models/deepseek-ai/DeepSeek-R1)',
      });
    });

    it('tallies every request by how it ended, for the metrics: a status, a timeout, a connection cut', async () => {
      hub.failNext(1, { kind: 'reply', reply: { status: 429, headers: { 'retry-after': '1' }, body: {} } });
      hub.failNext(1, { kind: 'slow', delayMs: 1000 });
      hub.failNext(1, { kind: 'cut', keep: 0.5 });
      hub.failNext(1, { kind: 'reply', reply: { status: 503, body: { error: 'overloaded' } } });
      const hf = source({ timeoutMs: 100, maxRetries: 4 });
      expect((await hf.fetchOne(R1)).status).toBe('ok');
      hf.resetRequestCount();
      // The tally outlives the per-run count, which a sync resets.
      expect(Object.fromEntries(hf.requestOutcomes)).toEqual({ '429': 1, timeout: 1, error: 1, '503': 1, '200': 1 });
    });

    it('turns malformed JSON into a failure, never a reading', async () => {
      hub.failNext(1, { kind: 'malformed' });
      const outcome = await source().fetchOne(R1);
      expect(outcome.status).toBe('failed');
      expect((outcome as { error: string }).error).toMatch(/^the answer is not JSON/);
    });

    it('turns a counter of the wrong type into a failure', async () => {
      hub.failNext(1, { kind: 'reply', reply: { status: 200, body: { _id: 'a', id: R1, downloads: 'many' } } });
      expect(await source().fetchOne(R1)).toEqual({ status: 'failed', error: 'downloads is not a count: "many"' });
    });

    it('reports a refused token as a failure, not as gone', async () => {
      hub.failNext(1, {
        kind: 'reply',
        reply: { status: 401, body: { error: 'Invalid credentials in Authorization header' } },
      });
      expect(await source({ token: 'hf_revoked' }).fetchOne(R1)).toEqual({
        status: 'failed',
        error: 'HTTP 401: Invalid credentials in Authorization header',
      });
    });
  });

  describe('many models through the list endpoint', () => {
    /** 15 authors with 4 tracked models each, and one untracked model per author on the lists. */
    function catalogue(): string[] {
      const ids: string[] = [];
      for (let a = 1; a <= 15; a += 1) {
        for (let m = 1; m <= 4; m += 1) {
          const id = `org${a}/model-${m}`;
          hub.addModel({ id, downloads: a * 1000 + m, downloadsAllTime: a * 100_000 + m, likes: m });
          ids.push(id);
        }
        hub.addModel({ id: `org${a}/untracked`, downloads: 1, downloadsAllTime: 1, likes: 0 });
      }
      return ids;
    }

    it('refreshes 60 models of 15 authors with one list request per author, plus calls for what the lists lack', async () => {
      const ids = catalogue();
      hub.rename('org3/model-2', 'org3/model-2-renamed');
      hub.rename('org5/model-1', 'org-new/model-1');
      hub.remove('org7/model-4');
      const hf = source();
      const outcomes = await hf.fetchMany(ids);

      expect(outcomes.size).toBe(60);
      expect([...outcomes.keys()]).toEqual(ids);
      expect(outcomes.get('org1/model-1')).toMatchObject({
        status: 'ok',
        externalId: 'org1/model-1',
        reading: { downloads30d: 1001, downloadsAllTime: 100_001, likes: 1 },
      });
      expect(outcomes.get('org3/model-2')).toMatchObject({
        status: 'renamed',
        from: 'org3/model-2',
        to: 'org3/model-2-renamed',
        reading: { downloads30d: 3002 },
      });
      expect(outcomes.get('org5/model-1')).toMatchObject({ status: 'renamed', to: 'org-new/model-1' });
      expect(outcomes.get('org7/model-4')).toEqual({ status: 'gone' });
      const statuses = [...outcomes.values()].map((o) => o.status);
      expect(statuses.filter((s) => s === 'ok')).toHaveLength(57);

      // 15 list pages; org3/model-2 and org5/model-1: a 307 and the new id each; org7/model-4: one 401
      expect(hf.requestCount).toBe(20);
      const lists = hub.requests.filter((r) => r.path === '/api/models');
      expect(lists).toHaveLength(15);
      expect(lists[0].query.get('sort')).toBe('downloads');
      expect(lists[0].query.get('direction')).toBe('-1');
      expect(lists[0].query.get('limit')).toBe('100');
      expect(lists[0].query.getAll('expand[]')).toContain('downloadsAllTime');
      expect(lists.map((r) => r.query.get('author')).sort()).toEqual(
        Array.from({ length: 15 }, (_, i) => `org${i + 1}`).sort(),
      );
    });

    it('follows the Link cursor and stops paging once every tracked model was seen', async () => {
      for (let m = 1; m <= 7; m += 1)
        hub.addModel({ id: `Qwen/model-${m}`, downloads: 100 - m, downloadsAllTime: 1000 });
      const hf = source({ listPageSize: 2 });
      const outcomes = await hf.fetchMany(['Qwen/model-1', 'Qwen/model-2', 'Qwen/model-3']);
      expect([...outcomes.values()].every((o: FetchOutcome) => o.status === 'ok')).toBe(true);
      expect(hub.requests.map((r) => [r.path, r.query.get('cursor')])).toEqual([
        ['/api/models', null],
        ['/api/models', 'Mg'],
      ]);
    });

    it('fetches one by one what lies beyond the pages it is willing to read', async () => {
      for (let m = 1; m <= 7; m += 1)
        hub.addModel({ id: `Qwen/model-${m}`, downloads: 100 - m, downloadsAllTime: 1000 });
      const hf = source({ listPageSize: 2, listMaxPages: 2 });
      const outcomes = await hf.fetchMany(['Qwen/model-1', 'Qwen/model-7']);
      expect(outcomes.get('Qwen/model-7')).toMatchObject({ status: 'ok', reading: { downloads30d: 93 } });
      expect(hub.requests.map((r) => r.path)).toEqual(['/api/models', '/api/models', '/api/models/Qwen/model-7']);
    });

    it('asks for an author with a single tracked model directly, which costs one request instead of a list', async () => {
      const hf = source();
      const outcomes = await hf.fetchMany([R1, R1]);
      expect([...outcomes.keys()]).toEqual([R1]);
      expect(hub.requests.map((r) => r.path)).toEqual(['/api/models/deepseek-ai/DeepSeek-R1']);
    });

    it('reports every id of an author as failed when its list keeps failing, without a call per model', async () => {
      catalogue();
      hub.failNext(4, { kind: 'reply', reply: { status: 500, body: { error: 'boom' } } }, '/api/models');
      const hf = source();
      const outcomes = await hf.fetchMany(['org1/model-1', 'org1/model-2']);
      expect(outcomes.get('org1/model-1')).toEqual({
        status: 'failed',
        error: 'HTTP 500 after 4 attempts (/api/models)',
      });
      expect(outcomes.get('org1/model-2')).toEqual({
        status: 'failed',
        error: 'HTTP 500 after 4 attempts (/api/models)',
      });
      expect(hf.requestCount).toBe(4);
    });
  });

  describe('discovery', () => {
    beforeEach(() => {
      hub.addModel({
        id: 'Qwen/Qwen2.5-7B-Instruct',
        downloads: 9_000_000,
        downloadsAllTime: 50_000_000,
        trendingScore: 40,
      });
      hub.addModel({
        id: 'meta-llama/Llama-3.1-8B-Instruct',
        downloads: 7_000_000,
        downloadsAllTime: 90_000_000,
        trendingScore: 12,
      });
      hub.addModel({
        id: 'moonshotai/Kimi-K2-Instruct',
        downloads: 300_000,
        downloadsAllTime: 400_000,
        trendingScore: 300,
      });
    });

    it('lists the most downloaded models across pages', async () => {
      const hf = source({ listPageSize: 2 });
      const top = await hf.listTop('downloads', 3);
      expect(top.status === 'ok' ? top.models.map((m) => m.externalId) : top).toEqual([
        'Qwen/Qwen2.5-7B-Instruct',
        'meta-llama/Llama-3.1-8B-Instruct',
        R1,
      ]);
      expect(hub.requests.map((r) => r.query.get('sort'))).toEqual(['downloads', 'downloads']);
    });

    it('lists the trending models with their score', async () => {
      const top = await source().listTop('trending', 2);
      expect(top).toMatchObject({
        status: 'ok',
        models: [
          { externalId: 'moonshotai/Kimi-K2-Instruct', trendingScore: 300 },
          { externalId: 'Qwen/Qwen2.5-7B-Instruct', trendingScore: 40 },
        ],
      });
      expect(hub.requests[0].query.get('sort')).toBe('trendingScore');
      expect(hub.requests[0].query.get('limit')).toBe('2');
      expect(hub.requests[0].query.getAll('expand[]')).toContain('trendingScore');
    });
  });
});

describe('GitHubSource against the fake GitHub', () => {
  let gh: FakeGitHub;
  let time: ReturnType<typeof fakeTime>;
  const sources: GitHubSource[] = [];
  const source = (options: Partial<SourceOptions> = {}) => {
    const made = new GitHubSource({ ...BASE, baseUrl: gh.url, ...options }, time.runtime);
    sources.push(made);
    return made;
  };

  beforeEach(async () => {
    time = fakeTime();
    gh = await FakeGitHub.start(time.now);
    gh.addRepo('deepseek-ai/DeepSeek-R1', { stars: 91_000, forks: 11_800 });
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.close()));
    await gh.stop();
  });

  it('reads stars and forks, sending the headers GitHub asks for', async () => {
    const github = source({ token: 'ghp_secret' });
    expect(await github.fetchOne(R1)).toEqual({
      status: 'ok',
      externalId: R1,
      reading: {
        externalId: R1,
        observedAt: new Date('2025-01-21T10:00:00Z'),
        downloadsAllTime: null,
        downloads30d: null,
        likes: null,
        stars: 91_000,
        forks: 11_800,
      },
    });
    const [request] = gh.requests;
    expect(request.path).toBe('/repos/deepseek-ai/DeepSeek-R1');
    expect(request.headers).toMatchObject({
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      authorization: 'Bearer ghp_secret',
    });
    expect(request.headers['user-agent']).toMatch(/^modelpulse/);
    expect(github.requestCount).toBe(1);
  });

  it('follows the 301 of a renamed repository to its new name', async () => {
    gh.rename('deepseek-ai/DeepSeek-R1', 'deepseek-ai/R1');
    const github = source();
    expect(await github.fetchOne(R1)).toMatchObject({
      status: 'renamed',
      from: R1,
      to: 'deepseek-ai/R1',
      reading: { stars: 91_000 },
    });
    expect(gh.requests.map((r) => r.path)).toEqual(['/repos/deepseek-ai/DeepSeek-R1', '/repositories/1001']);
  });

  it('reports a deleted repository as gone', async () => {
    gh.remove(R1);
    expect(await source().fetchOne(R1)).toEqual({ status: 'gone' });
  });

  it('waits until X-RateLimit-Reset when the quota is spent, then reads', async () => {
    gh.setQuota(60, 0, new Date('2025-01-21T10:05:00Z'));
    const github = source();
    expect(await github.fetchOne(R1)).toMatchObject({ status: 'ok', reading: { stars: 91_000 } });
    expect(time.sleepsMs).toEqual([300_000]);
    expect(github.requestCount).toBe(2);
  });

  it('spends the last request of the window, then waits for the reset before the next', async () => {
    gh.addRepo('QwenLM/Qwen3', { stars: 20_000, forks: 1_400 });
    gh.setQuota(60, 1, new Date('2025-01-21T10:05:00Z'));
    const github = source();
    expect((await github.fetchOne(R1)).status).toBe('ok');
    expect((await github.fetchOne('QwenLM/Qwen3')).status).toBe('ok');
    expect(time.sleepsMs).toEqual([300_000]);
    expect(github.requestCount).toBe(2);
  });

  it('honours Retry-After on a secondary rate limit', async () => {
    gh.failNext(1, {
      kind: 'reply',
      reply: {
        status: 403,
        headers: { 'retry-after': '60' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      },
    });
    expect((await source().fetchOne(R1)).status).toBe('ok');
    expect(time.sleepsMs).toEqual([60_000]);
  });

  it('reports a 403 that is not about rate as a failure', async () => {
    gh.failNext(1, {
      kind: 'reply',
      reply: { status: 403, body: { message: 'Resource not accessible by integration' } },
    });
    expect(await source().fetchOne(R1)).toEqual({
      status: 'failed',
      error: 'HTTP 403: Resource not accessible by integration',
    });
  });

  it('retries a 502 and turns malformed JSON into a failure', async () => {
    gh.failNext(1, { kind: 'reply', reply: { status: 502, body: 'Bad Gateway' } });
    expect((await source().fetchOne(R1)).status).toBe('ok');
    gh.failNext(1, { kind: 'malformed' });
    expect((await source().fetchOne(R1)).status).toBe('failed');
  });

  it('fetches many repositories, one request each', async () => {
    gh.addRepo('QwenLM/Qwen3', { stars: 20_000, forks: 1_400 });
    const github = source();
    const outcomes = await github.fetchMany([R1, 'QwenLM/Qwen3', 'nobody/nothing']);
    expect([...outcomes].map(([id, o]) => [id, o.status])).toEqual([
      [R1, 'ok'],
      ['QwenLM/Qwen3', 'ok'],
      ['nobody/nothing', 'gone'],
    ]);
    expect(github.requestCount).toBe(3);
    github.resetRequestCount();
    expect(github.requestCount).toBe(0);
  });

  it('refuses an id that is not owner/repo without a request', async () => {
    expect(await source().fetchOne('just-a-name')).toEqual({
      status: 'failed',
      error: 'not an owner/repo id: just-a-name',
    });
    expect(gh.requests).toHaveLength(0);
  });
});
