import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';

/** Reads of the seeded catalogue; every expected value is worked out by hand from the seed file. */
describe('catalogue reads (seeded)', () => {
  let t: TestApp;
  const ids = async (query: string): Promise<string[]> => {
    const response = await request(t.http).get(`/v1/models?${query}`).expect(200);
    return (response.body as { data: { id: string }[] }).data.map((m) => m.id);
  };
  const problem = async (path: string, field: string) => {
    const response = await request(t.http).get(path).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, title: 'Invalid request' });
    expect((response.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(() => t.close());

  describe('GET /v1/models/{org}/{name}', () => {
    it('answers a lookup in any letter case with the canonical id and the checked facts', async () => {
      const { body } = await request(t.http).get('/v1/models/deepseek-ai/deepseek-r1').expect(200);
      expect(body).toMatchObject({
        id: 'deepseek-ai/DeepSeek-R1',
        organization: 'deepseek-ai',
        name: 'DeepSeek-R1',
        license: { id: 'mit', name: 'MIT License', spdx: 'MIT', commercialUse: true },
        parameters: 671000000000,
        activeParameters: 37000000000,
        releaseDate: '2025-01-20',
        tasks: ['text-generation'],
        papers: [
          {
            arxivId: '2501.12948',
            title: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
            url: 'https://arxiv.org/abs/2501.12948',
          },
        ],
        links: {
          huggingface: 'https://huggingface.co/deepseek-ai/DeepSeek-R1',
          github: 'https://github.com/deepseek-ai/DeepSeek-R1',
        },
        baseModels: [{ id: 'deepseek-ai/DeepSeek-V3-Base', relation: 'finetune' }],
        stats: {
          downloadsAllTime: null,
          downloads30d: null,
          downloads7d: null,
          hubDownloads30d: null,
          likes: null,
          stars: null,
        },
        trending: null,
      });
      expect(typeof body.parameters).toBe('number');
      expect(Date.parse(body.createdAt)).not.toBeNaN();
    });

    it('gives a custom licence no SPDX id', async () => {
      const { body } = await request(t.http).get('/v1/models/meta-llama/Llama-3.3-70B-Instruct').expect(200);
      expect(body.license).toMatchObject({ id: 'llama3.3', spdx: null });
    });

    it('answers 404 problem+json for an unknown model', async () => {
      const response = await request(t.http).get('/v1/models/deepseek-ai/DeepSeek-R9').expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 404, detail: 'Model deepseek-ai/DeepSeek-R9 was not found' });
    });

    it.each([
      ['/v1/models/deepseek..ai/DeepSeek-R1', 'org'],
      ['/v1/models/deepseek-ai/-R1', 'name'],
      ['/v1/models/deepseek-ai/R1%20;drop', 'name'],
    ])('refuses the malformed id %s naming %s', (path, field) => problem(path, field));
  });

  describe('GET /v1/models', () => {
    it('answers pages of 20 by default with a cursor and a Link header to the next', async () => {
      const response = await request(t.http).get('/v1/models?sort=name').expect(200);
      expect(response.body.data).toHaveLength(20);
      expect(response.body.nextCursor).toEqual(expect.any(String));
      expect(response.headers.link).toBe(
        `<https://modelpulse.test/v1/models?sort=name&cursor=${response.body.nextCursor}>; rel="next"`,
      );
    });

    it('walks the whole catalogue page by page, each model once, in order', async () => {
      const all = await ids('sort=parameters&limit=100');
      expect(all).toHaveLength(60);
      const walked: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `sort=parameters&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await request(t.http).get(`/v1/models?${query}`).expect(200);
        walked.push(...(response.body.data as { id: string }[]).map((m) => m.id));
        cursor = response.body.nextCursor;
        expect(Boolean(response.headers.link)).toBe(cursor !== null);
        pages += 1;
      } while (cursor);
      expect(pages).toBe(9);
      expect(walked).toEqual(all);
    });

    it('sorts by parameters, biggest first, ties by id', async () => {
      expect(await ids('sort=parameters&limit=5')).toEqual([
        'moonshotai/Kimi-K2-Base',
        'moonshotai/Kimi-K2-Instruct',
        'deepseek-ai/DeepSeek-R1',
        'deepseek-ai/DeepSeek-V3',
        'deepseek-ai/DeepSeek-V3-Base',
      ]);
      expect(await ids('sort=parameters&order=asc&limit=2')).toEqual([
        'google/gemma-3-1b-it',
        'meta-llama/Llama-3.2-1B',
      ]);
    });

    it('sorts by name within an organization, A first', async () => {
      expect(await ids('organization=deepseek-ai&sort=name')).toEqual([
        'deepseek-ai/DeepSeek-R1',
        'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
        'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
        'deepseek-ai/DeepSeek-V3',
        'deepseek-ai/DeepSeek-V3-Base',
      ]);
    });

    it('puts models without a release date last in both orders', async () => {
      const ascending = await ids('sort=releaseDate&order=asc&limit=100');
      expect(ascending.slice(0, 2)).toEqual(['mistralai/Mistral-7B-Instruct-v0.1', 'mistralai/Mistral-7B-v0.1']);
      expect(ascending.slice(-2)).toEqual(['Qwen/Qwen2.5-72B-Instruct-AWQ', 'Qwen/Qwen2.5-7B-Instruct-AWQ']);
      const descending = await ids('sort=releaseDate&limit=100');
      expect(descending.slice(0, 2)).toEqual(['openai/gpt-oss-120b', 'openai/gpt-oss-20b']);
      expect(descending.slice(-2)).toEqual(['Qwen/Qwen2.5-72B-Instruct-AWQ', 'Qwen/Qwen2.5-7B-Instruct-AWQ']);
    });

    it.each(['trending', 'downloads', 'downloads7d', 'downloadsAllTime', 'likes'])(
      'accepts sort=%s before any stats exist, ordering by id',
      async (sort) => {
        expect(await ids(`sort=${sort}&limit=3`)).toEqual(['Qwen/QwQ-32B', 'Qwen/Qwen2.5-14B', 'Qwen/Qwen2.5-32B']);
      },
    );

    it('filters by organization in any letter case, several at once', async () => {
      expect(await ids('organization=DEEPSEEK-AI&limit=100')).toHaveLength(9);
      expect(await ids('organization=openai,moonshotai&sort=name')).toEqual([
        'openai/gpt-oss-120b',
        'openai/gpt-oss-20b',
        'moonshotai/Kimi-K2-Base',
        'moonshotai/Kimi-K2-Instruct',
      ]);
    });

    it('filters by a list of licences', async () => {
      expect(await ids('license=llama3.2,llama3.3&sort=name')).toEqual([
        'meta-llama/Llama-3.2-1B',
        'meta-llama/Llama-3.2-1B-Instruct',
        'meta-llama/Llama-3.2-3B',
        'meta-llama/Llama-3.2-3B-Instruct',
        'meta-llama/Llama-3.3-70B-Instruct',
      ]);
    });

    it('filters by task', async () => {
      expect(await ids('task=image-text-to-text&sort=name')).toEqual([
        'google/gemma-3-12b-it',
        'google/gemma-3-27b-it',
        'google/gemma-3-27b-pt',
        'google/gemma-3-4b-it',
      ]);
    });

    it('filters by parameter range written as people write it', async () => {
      expect(await ids('minParams=400B&sort=name')).toEqual([
        'deepseek-ai/DeepSeek-R1',
        'deepseek-ai/DeepSeek-V3',
        'deepseek-ai/DeepSeek-V3-Base',
        'moonshotai/Kimi-K2-Base',
        'moonshotai/Kimi-K2-Instruct',
        'meta-llama/Llama-3.1-405B',
        'meta-llama/Llama-3.1-405B-Instruct',
      ]);
      expect(await ids('maxParams=1.5B&sort=name')).toEqual([
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B',
        'google/gemma-3-1b-it',
        'meta-llama/Llama-3.2-1B',
        'meta-llama/Llama-3.2-1B-Instruct',
      ]);
      expect(await ids('minParams=7000000000&maxParams=7B&sort=name')).toEqual([
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
        'allenai/OLMo-2-1124-7B',
        'allenai/OLMo-2-1124-7B-Instruct',
      ]);
      expect(await ids('minParams=1T')).toEqual(['moonshotai/Kimi-K2-Base', 'moonshotai/Kimi-K2-Instruct']);
    });

    it('filters by release dates, both ends inclusive', async () => {
      expect(await ids('releasedAfter=2025-07-01&sort=releaseDate')).toEqual([
        'openai/gpt-oss-120b',
        'openai/gpt-oss-20b',
        'moonshotai/Kimi-K2-Base',
        'moonshotai/Kimi-K2-Instruct',
      ]);
      expect(await ids('releasedBefore=2023-12-31&sort=name')).toEqual([
        'mistralai/Mistral-7B-Instruct-v0.1',
        'mistralai/Mistral-7B-v0.1',
        'mistralai/Mixtral-8x7B-Instruct-v0.1',
        'mistralai/Mixtral-8x7B-v0.1',
      ]);
      expect(await ids('releasedAfter=2025-01-20&releasedBefore=2025-01-20')).toHaveLength(7);
    });

    it('finds words in ids, descriptions and tags', async () => {
      expect(await ids('q=distill&sort=name')).toEqual([
        'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
        'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
      ]);
      expect(await ids('q=%25')).toEqual([]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=1000', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
      ['minParams=abc', 'minParams'],
      ['maxParams=7X', 'maxParams'],
      ["sort=';drop table models;--", 'sort'],
      ['order=up', 'order'],
      ['releasedAfter=2025-02-30', 'releasedAfter'],
      ['releasedBefore=yesterday', 'releasedBefore'],
      ['organization=a%20b', 'organization'],
      ['task=text%20generation', 'task'],
      ['foo=1', 'foo'],
      ['cursor=not-a-cursor', 'cursor'],
      ['q=abc%00', 'q'],
    ])('refuses %s with a 400 naming %s', (query, field) => problem(`/v1/models?${query}`, field));

    it('still has every model after an injection attempt', async () => {
      await request(t.http).get("/v1/models?sort=';drop table models;--").expect(400);
      expect(await ids('limit=100')).toHaveLength(60);
    });

    it('refuses a cursor reused with another sort, order or filter', async () => {
      const { body } = await request(t.http).get('/v1/models?sort=name&limit=5').expect(200);
      await problem(`/v1/models?sort=parameters&limit=5&cursor=${body.nextCursor}`, 'cursor');
      await problem(`/v1/models?sort=name&order=desc&limit=5&cursor=${body.nextCursor}`, 'cursor');
      await problem(`/v1/models?sort=name&license=mit&limit=5&cursor=${body.nextCursor}`, 'cursor');
      await request(t.http).get(`/v1/models?sort=name&limit=10&cursor=${body.nextCursor}`).expect(200);
    });
  });

  describe('organizations, licences, papers', () => {
    it('lists organizations with their model counts', async () => {
      const { body } = await request(t.http).get('/v1/organizations').expect(200);
      expect(body.data).toHaveLength(9);
      expect(body.data).toContainEqual({ id: 'deepseek-ai', name: 'DeepSeek', url: expect.any(String), models: 9 });
      expect(body.data).toContainEqual(expect.objectContaining({ id: 'Qwen', models: 15 }));
    });

    it('lists licences with SPDX ids where they exist', async () => {
      const { body } = await request(t.http).get('/v1/licenses').expect(200);
      expect(body.data).toContainEqual(expect.objectContaining({ id: 'mit', spdx: 'MIT', models: 9 }));
      expect(body.data).toContainEqual(expect.objectContaining({ id: 'apache-2.0', spdx: 'Apache-2.0', models: 24 }));
      expect(body.data).toContainEqual(expect.objectContaining({ id: 'deepseek', spdx: null, commercialUse: true }));
    });

    it('shows a paper with the models that cite it', async () => {
      const { body } = await request(t.http).get('/v1/papers/2501.12948').expect(200);
      expect(body.title).toBe('DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning');
      expect(body.models).toHaveLength(7);
      expect(body.models[0]).toEqual({
        id: 'deepseek-ai/DeepSeek-R1',
        organization: 'deepseek-ai',
        name: 'DeepSeek-R1',
      });
    });

    it('answers 404 for an unknown paper and 400 for a malformed arXiv id', async () => {
      await request(t.http).get('/v1/papers/2501.99999').expect(404);
      await problem('/v1/papers/not-an-id', 'arxivId');
    });
  });

  describe('GET /v1/models/{org}/{name}/lineage', () => {
    it('shows R1 made from V3-Base, its distills, and a family that the distills are not part of', async () => {
      const { body } = await request(t.http).get('/v1/models/deepseek-ai/DeepSeek-R1/lineage').expect(200);
      expect(body.model).toBe('deepseek-ai/DeepSeek-R1');
      expect(body.ancestors).toEqual([
        { id: 'deepseek-ai/DeepSeek-V3-Base', relation: 'finetune', depth: 1, via: 'deepseek-ai/DeepSeek-R1' },
      ]);
      expect(body.descendants).toHaveLength(6);
      expect(body.descendants[0]).toEqual({
        id: 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
        relation: 'distillation',
        depth: 1,
        via: 'deepseek-ai/DeepSeek-R1',
      });
      expect(body.family).toEqual([
        'deepseek-ai/DeepSeek-R1',
        'deepseek-ai/DeepSeek-V3',
        'deepseek-ai/DeepSeek-V3-Base',
      ]);
      expect(body.downloads30d).toEqual({ model: null, family: null, demo: false });
    });

    it('follows weight derivation over several steps', async () => {
      const { body } = await request(t.http).get('/v1/models/meta-llama/Llama-3.1-70B/lineage').expect(200);
      expect(body.descendants).toEqual([
        { id: 'meta-llama/Llama-3.1-70B-Instruct', relation: 'finetune', depth: 1, via: 'meta-llama/Llama-3.1-70B' },
        { id: 'meta-llama/Llama-3.3-70B-Instruct', relation: 'finetune', depth: 1, via: 'meta-llama/Llama-3.1-70B' },
        {
          id: 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
          relation: 'finetune',
          depth: 2,
          via: 'meta-llama/Llama-3.3-70B-Instruct',
        },
      ]);
      expect(body.family).toEqual([
        'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
        'meta-llama/Llama-3.1-70B',
        'meta-llama/Llama-3.1-70B-Instruct',
        'meta-llama/Llama-3.3-70B-Instruct',
      ]);
    });
  });
});
