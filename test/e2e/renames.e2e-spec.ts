import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { AppConfigModule } from '@modelpulse/config';
import { CatalogModule } from '@modelpulse/core/catalog';
import { CORE_ENTITIES } from '@modelpulse/core/entities';
import { HuggingFaceSource } from '@modelpulse/core/sources';
import { ImportService, SyncModule } from '@modelpulse/core/sync';
import { DatabaseModule } from '@modelpulse/database';
import { FakeHuggingFace } from '../fakes/fake-hugging-face';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * A model imported from the hub, curated by a person, then renamed on the
 * hub and imported again: the real import path leaves the old id as an alias.
 */
describe('renamed models', () => {
  let t: TestApp;
  let sql: Client;
  let hub: FakeHuggingFace;
  let importer: TestingModule;
  let imports: ImportService;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { RATE_LIMIT_DL_PER_MINUTE: '1000' } });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    hub = await FakeHuggingFace.start();
    const source = new HuggingFaceSource(
      {
        baseUrl: hub.url,
        token: null,
        requestsPerSecond: 1000,
        concurrency: 4,
        timeoutMs: 2000,
        maxRetries: 0,
        maxWaitMs: 1000,
        backoffBaseMs: 1,
        backoffMaxMs: 1,
        listPageSize: 100,
        listMaxPages: 1,
      },
      { now: () => new Date(), sleep: () => Promise.resolve(), random: () => 0.5 },
    );
    // The import as the worker and CLI run it, on the API's database.
    importer = await Test.createTestingModule({
      imports: [AppConfigModule, DatabaseModule.forRoot({ entities: CORE_ENTITIES }), CatalogModule, SyncModule],
    })
      .overrideProvider(HuggingFaceSource)
      .useValue(source)
      .setLogger({ log: () => {}, error: console.error, warn: console.warn })
      .compile();
    await importer.init();
    imports = importer.get(ImportService);

    hub.addModel({
      id: 'acme/launch',
      downloadsAllTime: 5_000,
      downloads: 1_000,
      likes: 10,
      safetensorsTotal: 8_030_261_248,
      pipelineTag: 'text-generation',
      cardData: { license: 'mit' },
      tags: ['arxiv:2501.12948', 'base_model:finetune:Qwen/Qwen2.5-7B'],
    });
    await imports.importModels(['acme/launch']);
    await request(t.http)
      .patch('/v1/models/acme/launch')
      .set(auth)
      .send({ parameters: 8_000_000_000, links: { github: 'acme/launch' } })
      .expect(200);
    await sql.query(
      `UPDATE upstream_bindings SET status = 'failing', last_error = 'HTTP 500 after 3 attempts (/repos/acme/launch)',
              last_synced_at = '2025-01-20T06:00:00Z'
        WHERE upstream = 'github'`,
    );
    hub.rename('acme/launch', 'acme-labs/Launch-v2');
    await imports.importModels(['acme/launch']);
  });

  afterAll(async () => {
    await sql.end();
    await importer.close();
    await hub.stop();
    await t.close();
  });

  /** The old id's answer: a 301 problem saying where the model went. */
  const moved = async (path: string) => {
    const response = await request(t.http).get(path).expect(301);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    expect(response.body).toEqual({
      type: 'https://modelpulse.dev/problems/moved-permanently',
      title: 'Moved permanently',
      status: 301,
      detail: `Model ${path.split('?')[0].split('/').slice(-2).join('/')} is now acme-labs/Launch-v2: it was renamed upstream, and the old id redirects`,
      movedTo: 'acme-labs/Launch-v2',
      requestId: response.headers['x-request-id'],
    });
    return response.headers.location;
  };

  describe('an old id', () => {
    it('is what the import left: the model has the new id, the old one is its alias', async () => {
      const { rows } = await sql.query(
        'SELECT a.slug, m.slug AS model FROM model_aliases a JOIN models m ON m.id = a.model_id',
      );
      expect(rows).toEqual([{ slug: 'acme/launch', model: 'acme-labs/Launch-v2' }]);
    });

    it('answers 301 to the model under its new id', async () => {
      expect(await moved('/v1/models/acme/launch')).toBe('/v1/models/acme-labs/Launch-v2');
      const { body } = await request(t.http).get('/v1/models/acme-labs/Launch-v2').expect(200);
      expect(body.id).toBe('acme-labs/Launch-v2');
    });

    it('answers 301 in any letter case', async () => {
      expect(await moved('/v1/models/ACME/Launch')).toBe('/v1/models/acme-labs/Launch-v2');
    });

    it('answers 301 on the lineage', async () => {
      const response = await request(t.http).get('/v1/models/Acme/LAUNCH/lineage').expect(301);
      expect(response.headers.location).toBe('/v1/models/acme-labs/Launch-v2/lineage');
    });

    it('answers 301 on the stats, the query string kept', async () => {
      const response = await request(t.http)
        .get('/v1/models/acme/launch/stats?metric=likes&interval=week&from=2025-01-01&source=huggingface')
        .expect(301);
      expect(response.headers.location).toBe(
        '/v1/models/acme-labs/Launch-v2/stats?metric=likes&interval=week&from=2025-01-01&source=huggingface',
      );
      await request(t.http).get(response.headers.location).expect(200);
    });

    it('answers 301 on the tracked download link, counting nothing until the new link is followed', async () => {
      const response = await request(t.http).get('/dl/acme/launch?file=onnx/model.onnx&revision=v1.0').expect(301);
      expect(response.headers.location).toBe('/dl/acme-labs/Launch-v2?file=onnx/model.onnx&revision=v1.0');
      const { rows } = await sql.query(`SELECT count(*)::int AS clicks FROM download_events WHERE source = 'link'`);
      expect(rows).toEqual([{ clicks: 0 }]);
      await request(t.http).get(response.headers.location).expect(302);
    });

    it('is refused to writes with a 404 naming the new id, so no write lands on a model the client did not name', async () => {
      const writes = [
        () =>
          request(t.http)
            .patch('/v1/models/acme/launch')
            .set(auth)
            .send({ tags: ['x'] }),
        () => request(t.http).delete('/v1/models/ACME/launch').set(auth),
      ];
      for (const write of writes) {
        const response = await write().expect(404);
        expect(response.body).toMatchObject({
          status: 404,
          detail: expect.stringMatching(/ was renamed to acme-labs\/Launch-v2; send changes to acme-labs\/Launch-v2$/),
          movedTo: 'acme-labs/Launch-v2',
        });
      }
      const { body } = await request(t.http).get('/v1/models/acme-labs/Launch-v2').expect(200);
      expect(body.tags).toEqual([]);
    });

    it('still takes readings and events for the model it now names', async () => {
      const { body } = await request(t.http)
        .post('/v1/events')
        .set(auth)
        .send({ events: [{ id: 'old-name-1', model: 'acme/launch' }] })
        .expect(200);
      expect(body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const { rows } = await sql.query(
        `SELECT m.slug FROM download_events e JOIN models m ON m.id = e.model_id WHERE e.event_id = 'old-name-1'`,
      );
      expect(rows).toEqual([{ slug: 'acme-labs/Launch-v2' }]);
    });

    it('cannot be taken by a new model: 409 naming the model it points to', async () => {
      const response = await request(t.http).post('/v1/models').set(auth).send({ id: 'Acme/Launch' }).expect(409);
      expect(response.body).toMatchObject({
        detail: 'Acme/Launch is an old id of acme-labs/Launch-v2 (renamed upstream) and redirects there',
        errors: [{ field: 'id', message: expect.stringContaining('acme-labs/Launch-v2') }],
      });
    });
  });

  describe('the model', () => {
    it('shows each upstream binding with its state, and the hub values beside the curated ones', async () => {
      const { body } = await request(t.http).get('/v1/models/acme-labs/launch-v2').expect(200);
      expect(body.parameters).toBe(8_000_000_000);
      expect(body.upstreams).toEqual([
        {
          upstream: 'huggingface',
          id: 'acme-labs/Launch-v2',
          url: 'https://huggingface.co/acme-labs/Launch-v2',
          status: 'renamed',
          lastSyncedAt: null,
          lastError: null,
          imported: {
            license: 'mit',
            parameters: 8_030_261_248,
            tasks: ['text-generation'],
            papers: ['2501.12948'],
            baseModels: [{ id: 'Qwen/Qwen2.5-7B', relation: 'finetune' }],
            differs: ['parameters'],
          },
        },
        {
          upstream: 'github',
          id: 'acme/launch',
          url: 'https://github.com/acme/launch',
          status: 'failing',
          lastSyncedAt: '2025-01-20T06:00:00.000Z',
          lastError: 'HTTP 500 after 3 attempts (/repos/acme/launch)',
          imported: null,
        },
      ]);
    });

    it('keeps upstreams out of list items', async () => {
      const { body } = await request(t.http).get('/v1/models?organization=acme-labs').expect(200);
      expect(body.data.map((m: { id: string }) => m.id)).toEqual(['acme-labs/Launch-v2']);
      expect(body.data[0]).not.toHaveProperty('upstreams');
    });
  });

  describe('once the renamed model is deleted', () => {
    beforeAll(async () => {
      await request(t.http).delete('/v1/models/acme-labs/Launch-v2').set(auth).expect(204);
    });

    it('answers 404 at the old id too', async () => {
      const response = await request(t.http).get('/v1/models/acme/launch').expect(404);
      expect(response.body).toMatchObject({ status: 404, detail: 'Model acme/launch was not found' });
      expect(response.body).not.toHaveProperty('movedTo');
      expect(response.headers).not.toHaveProperty('location');
      await request(t.http).get('/dl/acme/launch').expect(404);
    });

    it('still keeps the old id from a new model until the deleted one is purged', async () => {
      const response = await request(t.http).post('/v1/models').set(auth).send({ id: 'acme/launch' }).expect(409);
      expect(response.body.detail).toBe(
        'acme/launch is an old id of acme-labs/Launch-v2, which was deleted; purge acme-labs/Launch-v2 with the CLI to free the id',
      );
    });
  });
});
