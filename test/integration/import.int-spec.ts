import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule, ModelsService, SeedService } from '@modelpulse/core/catalog';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { HuggingFaceSource } from '@modelpulse/core/sources';
import { ImportService } from '@modelpulse/core/sync';
import { SyncModule } from '@modelpulse/core/sync';
import { DatabaseModule } from '@modelpulse/database';
import { FakeHuggingFace, type FakeHubModelInput } from '../fakes/fake-hugging-face';
import { createTestDatabase, type TestDatabase } from '../support/database';

const APACHE = {
  id: 'apache-2.0',
  name: 'Apache License 2.0',
  spdx: 'Apache-2.0',
  url: 'https://www.apache.org/licenses/LICENSE-2.0',
  commercialUse: true,
};
const R1_TITLE = 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning';

/** A model on the fake hub with counters, so the hub answers like for any public model. */
const hubModel = (input: FakeHubModelInput): FakeHubModelInput => ({
  downloads: 1_000,
  downloadsAllTime: 5_000,
  likes: 10,
  ...input,
});

/** ImportService on the real catalogue and database, reading the fake hub. */
describe('ImportService', () => {
  let db: TestDatabase;
  let hub: FakeHuggingFace;
  let moduleRef: TestingModule;
  let imports: ImportService;
  let models: ModelsService;
  let sql: Client;

  const binding = async (modelId: string) => {
    const { rows } = await sql.query(
      `SELECT b.external_id, b.status, b.imported, m.curated_fields FROM upstream_bindings b
         JOIN models m ON m.id = b.model_id
        WHERE lower(m.slug) = lower($1) AND b.upstream = 'huggingface'`,
      [modelId],
    );
    return rows[0];
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    hub = await FakeHuggingFace.start();
    const source = new HuggingFaceSource(
      {
        baseUrl: hub.url,
        token: null,
        requestsPerSecond: 1000,
        concurrency: 4,
        timeoutMs: 2000,
        maxRetries: 2,
        maxWaitMs: 60_000,
        backoffBaseMs: 1000,
        backoffMaxMs: 30_000,
        listPageSize: 100,
        listMaxPages: 3,
      },
      { now: () => new Date(), sleep: () => Promise.resolve(), random: () => 0.5 },
    );
    moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, DatabaseModule.forRoot({ entities: CORE_ENTITIES }), CatalogModule, SyncModule],
    })
      .overrideProvider(HuggingFaceSource)
      .useValue(source)
      .setLogger({ log: () => {}, error: console.error, warn: console.warn })
      .compile();
    await moduleRef.init();
    await moduleRef.get(SeedService).apply();
    imports = moduleRef.get(ImportService);
    models = moduleRef.get(ModelsService);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql.end();
    await moduleRef.close();
    await hub.stop();
    await db.drop();
  });

  beforeEach(() => hub.clearRequests());

  it('creates a model the catalogue lacks, with licence, parameters, papers, lineage to a seeded base and task', async () => {
    hub.addModel(
      hubModel({
        id: 'acme/R1-Distill-Qwen-7B-Chat',
        tags: [
          'transformers',
          'safetensors',
          'arxiv:2501.12948',
          'arxiv:2503.01234',
          'base_model:deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
          'base_model:finetune:deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
          'base_model:acme/unreleased-base',
          'license:apache-2.0',
        ],
        cardData: { license: 'apache-2.0' },
        safetensorsTotal: 7_615_616_512,
        pipelineTag: 'text-generation',
        createdAt: '2025-02-03T10:00:00.000Z',
      }),
    );
    hub.addModel(hubModel({ id: 'acme/Odd-3B', cardData: { license: 'other', license_name: 'acme-research' } }));

    expect(await imports.importModels(['acme/R1-Distill-Qwen-7B-Chat', 'acme/Odd-3B'])).toEqual({
      results: [
        { id: 'acme/R1-Distill-Qwen-7B-Chat', status: 'created', model: 'acme/R1-Distill-Qwen-7B-Chat' },
        { id: 'acme/Odd-3B', status: 'created', model: 'acme/Odd-3B' },
      ],
      upstreamRequests: 2,
    });

    const model = await models.get('acme/r1-distill-qwen-7b-chat');
    expect(model).toMatchObject({
      id: 'acme/R1-Distill-Qwen-7B-Chat',
      organization: 'acme',
      name: 'R1-Distill-Qwen-7B-Chat',
      license: APACHE,
      parameters: 7_615_616_512,
      activeParameters: null,
      releaseDate: null,
      tasks: ['text-generation'],
      papers: [
        { arxivId: '2501.12948', title: R1_TITLE, url: 'https://arxiv.org/abs/2501.12948' },
        { arxivId: '2503.01234', title: null, url: 'https://arxiv.org/abs/2503.01234' },
      ],
      links: { huggingface: 'https://huggingface.co/acme/R1-Distill-Qwen-7B-Chat', github: null, homepage: null },
      baseModels: [{ id: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', relation: 'finetune' }],
    });
    expect(await binding('acme/R1-Distill-Qwen-7B-Chat')).toEqual({
      external_id: 'acme/R1-Distill-Qwen-7B-Chat',
      status: 'ok',
      curated_fields: [],
      imported: {
        license: 'apache-2.0',
        parametersTotal: 7_615_616_512,
        arxivIds: ['2501.12948', '2503.01234'],
        baseModels: [
          { id: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', relation: 'finetune' },
          { id: 'acme/unreleased-base', relation: 'finetune' },
        ],
        task: 'text-generation',
        tags: [
          'transformers',
          'safetensors',
          'arxiv:2501.12948',
          'arxiv:2503.01234',
          'base_model:deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
          'base_model:finetune:deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
          'base_model:acme/unreleased-base',
          'license:apache-2.0',
        ],
        createdAt: '2025-02-03T10:00:00.000Z',
        gated: false,
      },
    });
    const { rows: papers } = await sql.query("SELECT title FROM papers WHERE arxiv_id = '2503.01234'");
    expect(papers).toEqual([{ title: null }]);

    // A licence the catalogue does not know is left out; the hub's slug stays in `imported`.
    expect((await models.get('acme/Odd-3B')).license).toBeNull();
    expect((await binding('acme/Odd-3B')).imported.license).toBe('acme-research');
  });

  it('keeps the values the seed states over the hub, and stores the hub values beside them', async () => {
    hub.addModel(
      hubModel({
        id: 'deepseek-ai/DeepSeek-R1',
        tags: ['arxiv:2501.12948', 'arxiv:2412.19437', 'base_model:finetune:deepseek-ai/DeepSeek-V3-Base'],
        cardData: { license: 'apache-2.0' },
        safetensorsTotal: 684_531_386_000,
        pipelineTag: 'text-generation',
      }),
    );
    const result = await imports.importModels(['deepseek-ai/DeepSeek-R1']);
    expect(result.results).toEqual([
      { id: 'deepseek-ai/DeepSeek-R1', status: 'updated', model: 'deepseek-ai/DeepSeek-R1' },
    ]);

    const model = await models.get('deepseek-ai/DeepSeek-R1');
    expect(model.license?.id).toBe('mit');
    expect(model.parameters).toBe(671_000_000_000);
    expect(model.papers.map((p) => p.arxivId)).toEqual(['2501.12948']);
    expect(model.baseModels).toEqual([{ id: 'deepseek-ai/DeepSeek-V3-Base', relation: 'finetune' }]);
    expect(await binding('deepseek-ai/DeepSeek-R1')).toMatchObject({
      curated_fields: [],
      imported: {
        license: 'apache-2.0',
        parametersTotal: 684_531_386_000,
        arxivIds: ['2501.12948', '2412.19437'],
      },
    });
  });

  it('changes nothing when the hub says the same thing twice', async () => {
    hub.addModel(hubModel({ id: 'acme/Steady-1B', cardData: { license: 'mit' }, safetensorsTotal: 1_100_000_000 }));
    expect((await imports.importModels(['acme/Steady-1B'])).results[0].status).toBe('created');
    const before = await models.get('acme/Steady-1B');

    expect(await imports.importModels(['acme/Steady-1B'])).toEqual({
      results: [{ id: 'acme/Steady-1B', status: 'unchanged', model: 'acme/Steady-1B' }],
      upstreamRequests: 1,
    });
    expect(await models.get('acme/Steady-1B')).toEqual(before);
  });

  it('never overwrites a field a person changed with PATCH, and updates the others', async () => {
    hub.addModel(hubModel({ id: 'acme/Patched-8B', safetensorsTotal: 8_030_000_000, pipelineTag: 'text-generation' }));
    await imports.importModels(['acme/Patched-8B']);
    await models.update('acme/Patched-8B', { parameters: 8_000_000_000 });

    hub.addModel(
      hubModel({
        id: 'acme/Patched-8B',
        safetensorsTotal: 8_030_261_248,
        pipelineTag: 'image-text-to-text',
        cardData: { license: 'mit' },
      }),
    );
    expect((await imports.importModels(['acme/Patched-8B'])).results[0].status).toBe('updated');

    const model = await models.get('acme/Patched-8B');
    expect(model.parameters).toBe(8_000_000_000);
    expect(model.tasks).toEqual(['image-text-to-text']);
    expect(model.license?.id).toBe('mit');
    expect(await binding('acme/Patched-8B')).toMatchObject({
      curated_fields: ['parameters'],
      imported: { parametersTotal: 8_030_261_248, task: 'image-text-to-text', license: 'mit' },
    });
  });

  it('follows a rename: a tracked model takes the new id and keeps the old one as an alias', async () => {
    hub.addModel(hubModel({ id: 'acme/Old-Name', safetensorsTotal: 2_000_000_000 }));
    await imports.importModels(['acme/Old-Name']);
    hub.rename('acme/Old-Name', 'acme-labs/New-Name');
    hub.clearRequests();

    expect(await imports.importModels(['acme/Old-Name'])).toEqual({
      results: [
        { id: 'acme/Old-Name', status: 'updated', model: 'acme-labs/New-Name', renamedTo: 'acme-labs/New-Name' },
      ],
      // the 307, then the new id
      upstreamRequests: 2,
    });
    const model = await models.get('acme-labs/New-Name');
    expect(model).toMatchObject({
      organization: 'acme-labs',
      parameters: 2_000_000_000,
      links: { huggingface: 'https://huggingface.co/acme-labs/New-Name' },
    });
    expect((await binding('acme-labs/New-Name')).external_id).toBe('acme-labs/New-Name');
    const { rows } = await sql.query(
      'SELECT a.slug, m.slug AS model FROM model_aliases a JOIN models m ON m.id = a.model_id',
    );
    expect(rows).toEqual([{ slug: 'acme/Old-Name', model: 'acme-labs/New-Name' }]);
  });

  it('creates a model the hub has under a renamed model\u2019s old id, which then stops redirecting', async () => {
    hub.addModel(hubModel({ id: 'acme/Old-Name', safetensorsTotal: 1_000_000_000 }));
    expect((await imports.importModels(['acme/Old-Name'])).results).toEqual([
      { id: 'acme/Old-Name', status: 'created', model: 'acme/Old-Name' },
    ]);
    const { rows } = await sql.query('SELECT slug FROM model_aliases');
    expect(rows).toEqual([]);
    expect((await models.get('acme/old-name')).parameters).toBe(1_000_000_000);
    expect((await models.get('acme-labs/New-Name')).parameters).toBe(2_000_000_000);
  });

  it('creates a model the hub renamed before the catalogue knew it under its new id', async () => {
    hub.addModel(hubModel({ id: 'acme/Draft' }));
    hub.rename('acme/Draft', 'acme/Final');
    expect((await imports.importModels(['acme/Draft'])).results).toEqual([
      { id: 'acme/Draft', status: 'created', model: 'acme/Final', renamedTo: 'acme/Final' },
    ]);
    expect((await binding('acme/Final')).external_id).toBe('acme/Final');
  });

  it('follows a model renamed twice since the last import, keeping both old ids as aliases', async () => {
    hub.addModel(hubModel({ id: 'acme/Twice' }));
    await imports.importModels(['acme/Twice']);
    hub.rename('acme/Twice', 'acme/Twice-v2');
    hub.rename('acme/Twice-v2', 'acme-labs/Twice-v3');
    expect((await imports.importModels(['acme/Twice'])).results).toEqual([
      { id: 'acme/Twice', status: 'updated', model: 'acme-labs/Twice-v3', renamedTo: 'acme-labs/Twice-v3' },
    ]);
    const { rows } = await sql.query(
      `SELECT a.slug FROM model_aliases a JOIN models m ON m.id = a.model_id WHERE m.slug = 'acme-labs/Twice-v3' ORDER BY 1`,
    );
    expect(rows).toEqual([{ slug: 'acme/Twice' }, { slug: 'acme/Twice-v2' }]);
    expect((await binding('acme-labs/Twice-v3')).external_id).toBe('acme-labs/Twice-v3');
  });

  it('reports gone, gated and failing ids without throwing, and still imports the others', async () => {
    hub.addModel({ id: 'acme/Gated-70B', gated: 'manual' });
    hub.addModel(hubModel({ id: 'acme/Fine-2B' }));
    hub.failNext(3, { kind: 'reply', reply: { status: 500, body: { error: 'boom' } } }, '/api/models/acme/Flaky');

    expect(await imports.importModels(['acme/Missing', 'acme/Gated-70B', 'acme/Flaky', 'acme/Fine-2B'])).toEqual({
      results: [
        { id: 'acme/Missing', status: 'gone', model: null },
        { id: 'acme/Gated-70B', status: 'gated', model: null },
        {
          id: 'acme/Flaky',
          status: 'failed',
          model: null,
          error: 'HTTP 500 after 3 attempts (/api/models/acme/Flaky)',
        },
        { id: 'acme/Fine-2B', status: 'created', model: 'acme/Fine-2B' },
      ],
      // one each, and three attempts at the failing one
      upstreamRequests: 6,
    });
    await expect(models.get('acme/Missing')).rejects.toThrow('Model acme/Missing was not found');
    await expect(models.get('acme/Gated-70B')).rejects.toThrow('Model acme/Gated-70B was not found');
  });

  it('links a model imported before its base once the base is imported', async () => {
    hub.addModel(hubModel({ id: 'acme/Child-AWQ', tags: ['base_model:quantized:acme/Parent-7B'] }));
    hub.addModel(hubModel({ id: 'acme/Parent-7B', tags: ['base_model:finetune:Qwen/Qwen2.5-7B'] }));
    await imports.importModels(['acme/Child-AWQ']);
    expect((await models.get('acme/Child-AWQ')).baseModels).toEqual([]);

    await imports.importModels(['acme/Parent-7B']);
    expect((await models.get('acme/Child-AWQ')).baseModels).toEqual([{ id: 'acme/Parent-7B', relation: 'quantized' }]);
    expect((await models.get('acme/Parent-7B')).baseModels).toEqual([{ id: 'Qwen/Qwen2.5-7B', relation: 'finetune' }]);
  });

  it('imports every model of an author from its list pages', async () => {
    hub.addModel(hubModel({ id: 'mistralai/Mistral-7B-v0.1', downloads: 400_000, safetensorsTotal: 7_241_732_096 }));
    hub.addModel(
      hubModel({
        id: 'mistralai/Devstral-Small-2505',
        downloads: 300_000,
        tags: ['base_model:finetune:mistralai/Mistral-Small-24B-Instruct-2501'],
        cardData: { license: 'apache-2.0' },
        pipelineTag: 'text-generation',
      }),
    );

    expect(await imports.importAuthor('mistralai')).toEqual({
      results: [
        { id: 'mistralai/Mistral-7B-v0.1', status: 'updated', model: 'mistralai/Mistral-7B-v0.1' },
        { id: 'mistralai/Devstral-Small-2505', status: 'created', model: 'mistralai/Devstral-Small-2505' },
      ],
      upstreamRequests: 1,
    });
    expect(hub.requests.map((r) => [r.path, r.query.get('author')])).toEqual([['/api/models', 'mistralai']]);
    expect(await models.get('mistralai/Devstral-Small-2505')).toMatchObject({
      license: { id: 'apache-2.0' },
      baseModels: [{ id: 'mistralai/Mistral-Small-24B-Instruct-2501', relation: 'finetune' }],
    });
    // Seeded: the seed's count stays, the hub's is kept beside it.
    expect((await models.get('mistralai/Mistral-7B-v0.1')).parameters).toBe(7_240_000_000);
    expect((await binding('mistralai/Mistral-7B-v0.1')).imported.parametersTotal).toBe(7_241_732_096);
  });

  it('discovers the top models by downloads and trending, creating only those not tracked yet', async () => {
    hub.addModel(hubModel({ id: 'Qwen/Qwen2.5-7B-Instruct', downloads: 9_000_000_000, trendingScore: 5 }));
    hub.addModel(hubModel({ id: 'meta-llama/Llama-3.1-8B-Instruct', downloads: 8_000_000_000 }));
    hub.addModel(hubModel({ id: 'newco/Big-1', downloads: 7_000_000_000, trendingScore: 1000 }));
    hub.addModel(hubModel({ id: 'newco/Hot-2', trendingScore: 900, safetensorsTotal: 2_000_000_000 }));
    hub.addModel(hubModel({ id: 'newco/Hot-3', trendingScore: 800, tags: ['base_model:quantized:newco/Big-1'] }));

    // downloads: Qwen, Llama (both seeded), Big-1; trending: Big-1, Hot-2, Hot-3. One page each.
    expect(await imports.discover(3)).toEqual({
      created: ['newco/Big-1', 'newco/Hot-2', 'newco/Hot-3'],
      alreadyTracked: 2,
      failed: [],
      upstreamRequests: 2,
    });
    expect(hub.requests.map((r) => [r.path, r.query.get('sort')])).toEqual([
      ['/api/models', 'downloads'],
      ['/api/models', 'trendingScore'],
    ]);
    expect((await models.get('newco/Hot-2')).parameters).toBe(2_000_000_000);
    expect((await models.get('newco/Hot-3')).baseModels).toEqual([{ id: 'newco/Big-1', relation: 'quantized' }]);
    expect((await binding('newco/Hot-3')).curated_fields).toEqual([]);

    expect(await imports.discover(3)).toEqual({ created: [], alreadyTracked: 5, failed: [], upstreamRequests: 2 });
  });

  it('reports hub lists that cannot be read as failures, not exceptions', async () => {
    hub.failNext(6, { kind: 'reply', reply: { status: 503, body: { error: 'down' } } }, '/api/models');
    expect(await imports.discover(1)).toEqual({
      created: [],
      alreadyTracked: 0,
      failed: [
        { model: 'top:downloads', error: 'HTTP 503 after 3 attempts (/api/models)' },
        { model: 'top:trending', error: 'HTTP 503 after 3 attempts (/api/models)' },
      ],
      // three attempts at each list
      upstreamRequests: 6,
    });
  });
});
