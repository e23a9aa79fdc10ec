import request from 'supertest';
import { Client } from 'pg';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('catalogue writes', () => {
  let t: TestApp;
  let sql: Client;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  describe('authorization', () => {
    it('answers 401 with a Bearer challenge when no key is sent', async () => {
      const response = await request(t.http).post('/v1/models').send({ id: 'acme/model-a' }).expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('answers 401 to an unknown key, on every write', async () => {
      const wrong = { Authorization: 'Bearer not-the-token' };
      await request(t.http).post('/v1/models').set(wrong).send({ id: 'acme/model-a' }).expect(401);
      await request(t.http).patch('/v1/models/Qwen/QwQ-32B').set(wrong).send({ tags: [] }).expect(401);
      await request(t.http).delete('/v1/models/Qwen/QwQ-32B').set(wrong).expect(401);
      await request(t.http).get('/v1/models/Qwen/QwQ-32B').expect(200);
    });
  });

  describe('POST /v1/models', () => {
    it('creates a model that answers at once, in any letter case', async () => {
      const created = await request(t.http)
        .post('/v1/models')
        .set(auth)
        .send({
          id: 'acme/Rocket-7B',
          description: 'A test model.',
          license: 'apache-2.0',
          parameters: 7_000_000_000,
          releaseDate: '2025-02-01',
          tasks: ['text-generation'],
          tags: ['Test'],
          papers: [{ arxivId: '2501.12948' }, { arxivId: '2502.00001', title: 'A new paper' }],
          links: {
            huggingface: 'https://huggingface.co/acme/Rocket-7B',
            github: 'acme/rocket',
            homepage: 'https://acme.test',
          },
          baseModels: [{ id: 'qwen/qwen2.5-7b', relation: 'finetune' }],
        })
        .expect(201);
      expect(created.body).toMatchObject({
        id: 'acme/Rocket-7B',
        organization: 'acme',
        license: { id: 'apache-2.0', spdx: 'Apache-2.0' },
        parameters: 7000000000,
        tags: ['test'],
        papers: [
          {
            arxivId: '2501.12948',
            title: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
          },
          { arxivId: '2502.00001', title: 'A new paper' },
        ],
        links: {
          huggingface: 'https://huggingface.co/acme/Rocket-7B',
          github: 'https://github.com/acme/rocket',
          homepage: 'https://acme.test',
        },
        baseModels: [{ id: 'Qwen/Qwen2.5-7B', relation: 'finetune' }],
      });
      const { body } = await request(t.http).get('/v1/models/ACME/rocket-7b').expect(200);
      expect(body.id).toBe('acme/Rocket-7B');
      const orgs = await request(t.http).get('/v1/organizations').expect(200);
      expect(orgs.body.data).toContainEqual({ id: 'acme', name: 'acme', url: null, models: 1 });
    });

    it('answers 409 for an id that exists, whatever its letter case', async () => {
      const response = await request(t.http)
        .post('/v1/models')
        .set(auth)
        .send({ id: 'DEEPSEEK-AI/deepseek-r1' })
        .expect(409);
      expect(response.body).toMatchObject({ status: 409, detail: 'Model deepseek-ai/DeepSeek-R1 already exists' });
    });

    it('answers 409 when the hub repository is bound to another model', async () => {
      const response = await request(t.http)
        .post('/v1/models')
        .set(auth)
        .send({ id: 'acme/copy', links: { huggingface: 'deepseek-ai/DeepSeek-R1' } })
        .expect(409);
      expect(fieldsOf(response.body)).toEqual(['links.huggingface']);
    });

    it.each([
      [{ id: 'no-slash' }, 'id'],
      [{ id: 'a/b/c' }, 'id'],
      [{}, 'id'],
      [{ id: 'acme/x', license: 'made-up' }, 'license'],
      [{ id: 'acme/x', parameters: '7B' }, 'parameters'],
      [{ id: 'acme/x', parameters: 1.5 }, 'parameters'],
      [{ id: 'acme/x', parameters: 10, activeParameters: 20 }, 'activeParameters'],
      [{ id: 'acme/x', releaseDate: '2025-13-01' }, 'releaseDate'],
      [{ id: 'acme/x', tasks: 'text-generation' }, 'tasks'],
      [{ id: 'acme/x', papers: [{ arxivId: 'x' }] }, 'papers[0].arxivId'],
      [{ id: 'acme/x', baseModels: [{ id: 'nobody/nothing', relation: 'finetune' }] }, 'baseModels[0].id'],
      [{ id: 'acme/x', baseModels: [{ id: 'Qwen/QwQ-32B', relation: 'cousin' }] }, 'baseModels[0].relation'],
      [{ id: 'acme/x', links: { homepage: 'javascript:alert(1)' } }, 'links.homepage'],
      [{ id: 'acme/x', links: { github: 'not a repo' } }, 'links.github'],
      [{ id: 'acme/x', popularity: 11 }, 'popularity'],
      [{ id: 'acme/x', description: 'nul \u0000 inside' }, 'description'],
      [{ id: 'acme/x', tags: ['ok', 'n\u0000'] }, 'tags[1]'],
      [[{ id: 'acme/x' }], 'body'],
    ])('refuses %j with a 400 naming %s, and stores nothing', async (payload, field) => {
      const response = await request(t.http).post('/v1/models').set(auth).send(payload).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(fieldsOf(response.body)).toContain(field);
      await request(t.http).get('/v1/models/acme/x').expect(404);
    });

    it('refuses a body that is not JSON with a 400 problem', async () => {
      const response = await request(t.http)
        .post('/v1/models')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"id": ')
        .expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('PATCH /v1/models/{org}/{name}', () => {
    it('changes only the fields sent, and null clears one', async () => {
      const { body } = await request(t.http)
        .patch('/v1/models/qwen/qwq-32b')
        .set(auth)
        .send({ description: 'Edited by a person.', releaseDate: null })
        .expect(200);
      expect(body).toMatchObject({
        id: 'Qwen/QwQ-32B',
        description: 'Edited by a person.',
        releaseDate: null,
        parameters: 32500000000,
        license: { id: 'apache-2.0' },
      });
      const stored = await sql.query("SELECT curated_fields FROM models WHERE slug = 'Qwen/QwQ-32B'");
      expect(stored.rows[0].curated_fields.sort()).toEqual(['description', 'releaseDate']);
    });

    it('refuses lineage that would loop', async () => {
      const response = await request(t.http)
        .patch('/v1/models/Qwen/Qwen2.5-7B')
        .set(auth)
        .send({ baseModels: [{ id: 'Qwen/Qwen2.5-7B-Instruct-AWQ', relation: 'finetune' }] })
        .expect(400);
      expect(fieldsOf(response.body)).toEqual(['baseModels[0].id']);
      await request(t.http)
        .patch('/v1/models/Qwen/Qwen2.5-7B')
        .set(auth)
        .send({ baseModels: [{ id: 'Qwen/Qwen2.5-7B', relation: 'finetune' }] })
        .expect(400);
    });

    it('answers 404 for an unknown model and refuses a new id', async () => {
      await request(t.http).patch('/v1/models/acme/nothing').set(auth).send({ tags: [] }).expect(404);
      const response = await request(t.http).patch('/v1/models/Qwen/QwQ-32B').set(auth).send({ id: 'x/y' }).expect(400);
      expect(fieldsOf(response.body)).toEqual(['id']);
    });
  });

  describe('DELETE /v1/models/{org}/{name}', () => {
    it('archives: the model answers 404 and leaves every list, but its rows stay', async () => {
      await request(t.http).delete('/v1/models/google/gemma-3-1b-it').set(auth).expect(204);
      await request(t.http).get('/v1/models/google/gemma-3-1b-it').expect(404);
      const list = await request(t.http).get('/v1/models?organization=google&limit=100').expect(200);
      expect(list.body.data.map((m: { id: string }) => m.id)).not.toContain('google/gemma-3-1b-it');
      const orgs = await request(t.http).get('/v1/organizations').expect(200);
      expect(orgs.body.data).toContainEqual(expect.objectContaining({ id: 'google', models: 8 }));
      const stored = await sql.query("SELECT archived_at FROM models WHERE slug = 'google/gemma-3-1b-it'");
      expect(stored.rows[0].archived_at).toBeInstanceOf(Date);
      await request(t.http).delete('/v1/models/google/gemma-3-1b-it').set(auth).expect(404);
      const again = await request(t.http).post('/v1/models').set(auth).send({ id: 'google/gemma-3-1b-it' }).expect(409);
      expect(again.body.detail).toMatch(/was deleted/);
    });

    it('drops an archived model from the lineage of others', async () => {
      await request(t.http).delete('/v1/models/Qwen/Qwen2.5-72B-Instruct-AWQ').set(auth).expect(204);
      const { body } = await request(t.http).get('/v1/models/Qwen/Qwen2.5-72B-Instruct/lineage').expect(200);
      expect(body.descendants).toEqual([]);
      expect(body.family).toEqual(['Qwen/Qwen2.5-72B', 'Qwen/Qwen2.5-72B-Instruct']);
    });
  });

  describe('with stats', () => {
    beforeAll(async () => {
      await sql.query(
        `INSERT INTO model_stats (model_id, downloads_30d, downloads_all_time, likes)
         SELECT id, v.downloads, v.downloads * 10, v.likes FROM models m
           JOIN (VALUES ('deepseek-ai/DeepSeek-R1', 1000, 50), ('deepseek-ai/DeepSeek-V3', 500, 80),
                        ('deepseek-ai/DeepSeek-V3-Base', 20, 5), ('deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 7000, 10))
             AS v(slug, downloads, likes) ON v.slug = m.slug`,
      );
    });

    it('sums 30-day downloads over the family, leaving out distills', async () => {
      const { body } = await request(t.http).get('/v1/models/deepseek-ai/DeepSeek-R1/lineage').expect(200);
      expect(body.downloads30d).toEqual({ model: 1000, family: 1520, demo: false });
    });

    it('sorts by downloads and likes, models without figures last', async () => {
      const downloads = await request(t.http).get('/v1/models?sort=downloads&limit=5').expect(200);
      expect(downloads.body.data.map((m: { id: string }) => m.id)).toEqual([
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
        'deepseek-ai/DeepSeek-R1',
        'deepseek-ai/DeepSeek-V3',
        'deepseek-ai/DeepSeek-V3-Base',
        'Qwen/QwQ-32B',
      ]);
      expect(downloads.body.data[1].stats).toMatchObject({ downloads30d: 1000, downloadsAllTime: 10000, likes: 50 });
      const likes = await request(t.http).get('/v1/models?sort=likes&order=asc&limit=2').expect(200);
      expect(likes.body.data.map((m: { id: string }) => m.id)).toEqual([
        'deepseek-ai/DeepSeek-V3-Base',
        'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
      ]);
    });

    it('continues a page across the end of the known figures', async () => {
      const first = await request(t.http).get('/v1/models?sort=downloads&limit=3').expect(200);
      const second = await request(t.http)
        .get(`/v1/models?sort=downloads&limit=3&cursor=${first.body.nextCursor}`)
        .expect(200);
      expect(second.body.data.map((m: { id: string }) => m.id)).toEqual([
        'deepseek-ai/DeepSeek-V3-Base',
        'Qwen/QwQ-32B',
        'Qwen/Qwen2.5-14B',
      ]);
    });
  });

  it('keeps a cursor correct while models are added before and after it', async () => {
    const first = await request(t.http).get('/v1/models?organization=mistralai&sort=name&limit=3').expect(200);
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual([
      'mistralai/Mistral-7B-Instruct-v0.1',
      'mistralai/Mistral-7B-v0.1',
      'mistralai/Mistral-Small-24B-Base-2501',
    ]);
    await request(t.http).post('/v1/models').set(auth).send({ id: 'mistralai/Aardvark' }).expect(201);
    await request(t.http).post('/v1/models').set(auth).send({ id: 'mistralai/Mistral-Small-24B-C' }).expect(201);
    const second = await request(t.http)
      .get(`/v1/models?organization=mistralai&sort=name&limit=3&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.data.map((m: { id: string }) => m.id)).toEqual([
      'mistralai/Mistral-Small-24B-C',
      'mistralai/Mistral-Small-24B-Instruct-2501',
      'mistralai/Mixtral-8x7B-Instruct-v0.1',
    ]);
  });
});
