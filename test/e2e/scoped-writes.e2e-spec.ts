import request from 'supertest';
import { Client } from 'pg';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
const R1 = 'deepseek-ai/DeepSeek-R1';
const MAX_DOWNLOADS = 2 ** 53 - 1;
const MAX_LIKES = 2 ** 31 - 1;

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/**
 * What a key may write, and what no write may do: the probe of issue 12 found a
 * `stats:ingest` key writing any model's figures under any source, figures
 * that overflow, and a `catalog:write` key retitling a paper every model cites.
 */
describe('scoped writes', () => {
  let t: TestApp;
  let sql: Client;
  const clock = new FakeClock('2025-01-28T12:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  const makeKey = async (name: string, scopes: string[], sources?: string[]) =>
    (await request(t.http).post('/v1/admin/api-keys').set(admin).send({ name, scopes, sources }).expect(201)).body as {
      id: string;
      scopes: string[];
      sources: string[];
      secret: string;
    };
  const observe = (key: Record<string, string>, observations: object[]) =>
    request(t.http).post('/v1/observations').set(key).send({ observations });
  const stats = async (id: string) => (await request(t.http).get(`/v1/models/${id}`).expect(200)).body.stats;
  const readingsOf = async (source: string) =>
    Number((await sql.query('SELECT count(*) FROM observations WHERE source = $1', [source])).rows[0].count);

  describe('a key writes only the sources it was made for', () => {
    beforeAll(async () => {
      // The hub's own readings, as the sync would have written them.
      await observe(admin, [
        { model: R1, source: 'huggingface', observedAt: '2025-01-20T06:00:00Z', downloadsAllTime: 1_000 },
        { model: R1, source: 'huggingface', observedAt: '2025-01-21T06:00:00Z', downloadsAllTime: 21_000 },
      ]).expect(200, { accepted: 2, duplicates: 0, rejected: [] });
    });

    it('refuses the probe: a mirror key adding 899 999 180 000 hub downloads to DeepSeek-R1', async () => {
      const mirror = await makeKey('mirror eu', ['stats:ingest'], ['mirror-eu']);
      const before = await stats(R1);
      const hubReadings = await readingsOf('huggingface');

      const attack = await observe(bearer(mirror.secret), [
        { model: R1, source: 'huggingface', observedAt: '2025-01-22T06:00:00Z', downloadsAllTime: 899_999_201_000 },
      ]).expect(403);
      expect(attack.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(attack.body).toMatchObject({
        type: 'https://modelpulse.dev/problems/forbidden',
        status: 403,
        detail: 'The API key may not write source "huggingface"; it was made for mirror-eu',
        errors: [{ field: 'source' }],
      });

      expect(await readingsOf('huggingface')).toBe(hubReadings);
      expect(await stats(R1)).toEqual(before);
      expect(before.downloadsAllTime).toBe(21_000);
    });

    it('refuses a whole batch that hides one foreign source among its own, storing none of it', async () => {
      const mirror = await makeKey('mirror us', ['stats:ingest'], ['mirror-us']);
      const denied = await observe(bearer(mirror.secret), [
        { model: R1, source: 'mirror-us', observedAt: '2025-01-22T06:00:00Z', downloadsAllTime: 10 },
        { model: R1, source: 'github', observedAt: '2025-01-22T06:00:00Z', stars: 1_000_000 },
      ]).expect(403);
      expect((denied.body as Problem).detail).toContain('"github"');
      expect(await readingsOf('mirror-us')).toBe(0);
      expect(await readingsOf('github')).toBe(0);
    });

    it('takes the readings of its own sources, and rejects a malformed source item by item', async () => {
      const mirror = await makeKey('two mirrors', ['stats:ingest'], ['mirror-b', 'mirror-a', 'mirror-a']);
      expect(mirror.sources).toEqual(['mirror-a', 'mirror-b']);
      const sent = await observe(bearer(mirror.secret), [
        { model: R1, source: 'mirror-a', observedAt: '2025-01-22T06:00:00Z', downloadsAllTime: 5 },
        { model: R1, source: 'Mirror A', observedAt: '2025-01-22T06:00:00Z', downloadsAllTime: 5 },
        { model: R1, source: 'mirror-b', observedAt: '2025-01-22T06:00:00Z', downloadsAllTime: 7 },
      ]).expect(200);
      expect(sent.body).toEqual({
        accepted: 2,
        duplicates: 0,
        rejected: [{ index: 1, field: 'source', error: expect.stringMatching(/^source must be/) }],
      });
    });

    it('lets the hub source be written by a key made for it, as a stand-in for the sync', async () => {
      const standIn = await makeKey('hub stand-in', ['stats:ingest'], ['huggingface']);
      await observe(bearer(standIn.secret), [
        { model: R1, source: 'huggingface', observedAt: '2025-01-22T06:00:00Z', downloadsAllTime: 31_000 },
      ]).expect(200, { accepted: 1, duplicates: 0, rejected: [] });
      expect((await stats(R1)).downloadsAllTime).toBe(31_000 + 12);
    });

    it('posts download events only with a key made for the events source', async () => {
      const events = [{ id: 'e-1', model: R1, occurredAt: '2025-01-27T10:00:00Z' }];
      const mirror = await makeKey('no events', ['stats:ingest'], ['mirror-c']);
      const denied = await request(t.http).post('/v1/events').set(bearer(mirror.secret)).send({ events }).expect(403);
      expect((denied.body as Problem).detail).toBe(
        'The API key may not write source "events"; it was made for mirror-c',
      );
      const counter = await makeKey('events', ['stats:ingest'], ['events']);
      await request(t.http)
        .post('/v1/events')
        .set(bearer(counter.secret))
        .send({ events })
        .expect(200, { accepted: 1, duplicates: 0, rejected: [] });
    });

    it('holds keys with the admin scope to their sources too; only the admin token writes every source', async () => {
      const operator = await makeKey('operator', ['admin', 'stats:ingest'], ['mirror-ops']);
      await observe(bearer(operator.secret), [
        { model: R1, source: 'huggingface', observedAt: '2025-01-23T06:00:00Z', downloadsAllTime: 41_000 },
      ]).expect(403);
      await observe(admin, [
        { model: R1, source: 'huggingface', observedAt: '2025-01-23T06:00:00Z', downloadsAllTime: 41_000 },
      ]).expect(200, { accepted: 1, duplicates: 0, rejected: [] });
    });

    it('makes keys only with sources that fit their scopes, naming the field', async () => {
      const refused = async (body: object, message: RegExp) => {
        const answer = await request(t.http).post('/v1/admin/api-keys').set(admin).send(body).expect(400);
        expect((answer.body as Problem).errors).toEqual([
          { field: 'sources', message: expect.stringMatching(message) },
        ]);
      };
      await refused({ name: 'x', scopes: ['stats:ingest'] }, /^a stats:ingest key needs the sources it writes/);
      await refused({ name: 'x', scopes: ['stats:ingest'], sources: [] }, /^a stats:ingest key needs/);
      await refused({ name: 'x', scopes: ['catalog:write'], sources: ['mirror'] }, /^sources are for stats:ingest/);
      await refused({ name: 'x', scopes: ['stats:ingest'], sources: ['link'] }, /^sources must not hold link/);
      await refused({ name: 'x', scopes: ['stats:ingest'], sources: ['Mirror EU'] }, /^sources must each be/);
      await refused({ name: 'x', scopes: ['stats:ingest'], sources: [42] }, /^sources must each be/);

      const listed = (await request(t.http).get('/v1/admin/api-keys').set(admin).expect(200)).body.data as {
        name: string;
        sources: string[];
      }[];
      expect(listed.find((k) => k.name === 'two mirrors')?.sources).toEqual(['mirror-a', 'mirror-b']);
      expect(listed.find((k) => k.name === 'operator')?.sources).toEqual(['mirror-ops']);
    });
  });

  describe('counters and their sums', () => {
    const raw = (body: string) =>
      request(t.http).post('/v1/observations').set(admin).set('Content-Type', 'application/json').send(body);

    it('answers 400 naming the field for a counter beyond 2^53 - 1, storing nothing of the batch', async () => {
      for (const [value, field] of [
        ['9007199254740992', 'downloadsAllTime'],
        ['9223372036854775808', 'downloads30d'],
        ['1e308', 'likes'],
      ]) {
        const answer = await raw(
          `{"observations":[{"model":"${R1}","source":"mirror-big","observedAt":"2025-01-24T06:00:00Z","stars":1},` +
            `{"model":"${R1}","source":"mirror-big","observedAt":"2025-01-25T06:00:00Z","${field}":${value}}]}`,
        ).expect(400);
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect((answer.body as Problem).errors).toEqual([
          {
            field: `observations[1].${field}`,
            message: `observations[1].${field} must be at most ${MAX_DOWNLOADS} (2^53 - 1)`,
          },
        ]);
      }
      expect(await readingsOf('mirror-big')).toBe(0);
    });

    it('publishes the counters’ range in the OpenAPI document', async () => {
      const doc = (await request(t.http).get('/openapi.json').expect(200)).body;
      const item = doc.components.schemas.ObservationInputDto.properties;
      expect(item.downloadsAllTime).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_DOWNLOADS });
      expect(item.downloads30d).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_DOWNLOADS });
      expect(item.likes).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_LIKES });
    });

    describe('with 1100 sources at the largest values', () => {
      const BIG = 'acme/Overflow';
      const FINETUNE = 'acme/Overflow-ft';
      const SOURCES = Array.from({ length: 1100 }, (_, i) => `mirror-${String(i).padStart(4, '0')}`);
      /** A baseline of zeros, then every counter at its largest a day later: each source adds the most it can. */
      const readings = (model: string, sources: string[]) =>
        sources.flatMap((source) => [
          { model, source, observedAt: '2025-01-20T06:00:00Z', downloadsAllTime: 0, likes: 0, stars: 0 },
          {
            model,
            source,
            observedAt: '2025-01-21T06:00:00Z',
            downloadsAllTime: MAX_DOWNLOADS,
            downloads30d: MAX_DOWNLOADS,
            likes: MAX_LIKES,
            stars: MAX_LIKES,
          },
        ]);

      let sent: object[] = [];
      let accepted = 0;

      beforeAll(async () => {
        await request(t.http).post('/v1/models').set(admin).send({ id: BIG, releaseDate: '2025-01-19' }).expect(201);
        await request(t.http)
          .post('/v1/models')
          .set(admin)
          .send({ id: FINETUNE, baseModels: [{ id: BIG, relation: 'finetune' }] })
          .expect(201);
        sent = [...readings(BIG, SOURCES), ...readings(FINETUNE, SOURCES.slice(0, 2))];
        for (let i = 0; i < sent.length; i += 1000) {
          accepted += (await observe(admin, sent.slice(i, i + 1000)).expect(200)).body.accepted as number;
        }
      }, 120_000);

      it('holds the model’s figures at what a figure holds instead of overflowing', async () => {
        expect(accepted).toBe(sent.length);
        expect(await stats(BIG)).toMatchObject({
          downloadsAllTime: MAX_DOWNLOADS,
          downloads30d: MAX_DOWNLOADS,
          downloads7d: MAX_DOWNLOADS,
          hubDownloads30d: MAX_DOWNLOADS,
          likes: MAX_LIKES,
          stars: MAX_LIKES,
        });
      });

      it('lists, sorts and pages the catalogue by those figures', async () => {
        for (const sort of ['downloads', 'downloads7d', 'downloadsAllTime', 'likes']) {
          const page = await request(t.http).get(`/v1/models?sort=${sort}&limit=2`).expect(200);
          expect(page.body.data[0].id).toBe(BIG);
          await request(t.http).get(`/v1/models?sort=${sort}&limit=2&cursor=${page.body.nextCursor}`).expect(200);
        }
        await request(t.http).get('/v1/models?sort=trending').expect(200);
      });

      it('sums the daily series exactly below the bound and stops at it', async () => {
        const days = (await request(t.http).get(`/v1/models/${BIG}/stats?from=2025-01-20&to=2025-01-21`).expect(200))
          .body;
        expect(days.points.map((p: { value: number }) => p.value)).toEqual([0, MAX_DOWNLOADS]);
        expect(days.total).toBe(MAX_DOWNLOADS);
        const likes = (await request(t.http).get(`/v1/models/${BIG}/stats?metric=likes&from=2025-01-21&to=2025-01-21`))
          .body;
        expect(likes.total).toBe(1100 * MAX_LIKES);
        for (const query of ['interval=week', 'interval=month', 'format=csv', 'metric=stars', 'source=mirror-0001']) {
          await request(t.http).get(`/v1/models/${BIG}/stats?from=2025-01-01&${query}`).expect(200);
        }
      });

      it('holds the family’s downloads in its lineage', async () => {
        const lineage = (await request(t.http).get(`/v1/models/${BIG}/lineage`).expect(200)).body;
        expect(lineage.downloads30d).toEqual({ model: MAX_DOWNLOADS, family: MAX_DOWNLOADS, demo: false });
      });

      it('ranks it in every ranking with volumes and values that never overflow', async () => {
        const trending = (await request(t.http).get('/v1/rankings/trending?asOf=2025-01-21').expect(200)).body;
        const entry = trending.data.find((e: { model: { id: string } }) => e.model.id === BIG);
        // Its days were summed to the bound: a week of the most a day holds, at the very most.
        expect(entry.components.volume).toBeGreaterThan(Math.log10(MAX_DOWNLOADS));
        expect(entry.components.volume).toBeLessThanOrEqual(Math.log10(1 + 7 * MAX_DOWNLOADS));
        expect(Number.isFinite(entry.score)).toBe(true);
        await request(t.http).get('/v1/rankings/trending?asOf=2025-01-21&collapse=family').expect(200);
        for (const [ranking, period, value] of [
          ['downloads', '7d', MAX_DOWNLOADS],
          ['downloads', '30d', MAX_DOWNLOADS],
          ['downloads', 'all', MAX_DOWNLOADS],
          ['likes', '7d', MAX_LIKES],
          ['likes', 'all', MAX_LIKES],
        ] as const) {
          const board = (
            await request(t.http).get(`/v1/rankings/${ranking}?period=${period}&asOf=2025-01-21`).expect(200)
          ).body;
          expect(board.data[0]).toMatchObject({ model: { id: BIG }, value });
        }
        const fresh = (await request(t.http).get('/v1/rankings/new?asOf=2025-01-21').expect(200)).body;
        expect(fresh.data[0]).toMatchObject({ model: { id: BIG }, value: MAX_DOWNLOADS });
        await request(t.http).get(`/v1/models/${BIG}/rankings?from=2025-01-20&to=2025-01-27`).expect(200);
      });

      it('draws its badges, widgets and pages', async () => {
        for (const metric of ['downloads', 'downloads-week', 'downloads-total', 'likes', 'trending']) {
          await request(t.http).get(`/badges/${BIG}/${metric}.svg`).expect(200);
          await request(t.http).get(`/badges/${BIG}/${metric}.json`).expect(200);
        }
        await request(t.http).get(`/v1/models/${BIG}/chart.svg?days=30`).expect(200);
        await request(t.http).get(`/embed/models/${BIG}`).expect(200);
        await request(t.http).get('/embed/trending').expect(200);
        await request(t.http).get(`/models/${BIG}`).expect(200);
        await request(t.http).get('/').expect(200);
      });
    });
  });

  describe('shared rows', () => {
    const R1_PAPER = '2501.12948';

    it('refuses the probe: a catalog:write key cannot retitle a paper other models cite', async () => {
      const writer = await makeKey('editor', ['catalog:write']);
      const before = (await request(t.http).get(`/v1/papers/${R1_PAPER}`).expect(200)).body;
      const created = await request(t.http)
        .post('/v1/models')
        .set(bearer(writer.secret))
        .send({ id: 'acme/Retitler', papers: [{ arxivId: R1_PAPER, title: 'Pwned' }] })
        .expect(201);
      // The answer shows the title the catalogue keeps, not the one sent.
      expect(created.body.papers).toEqual([
        { arxivId: R1_PAPER, title: before.title, url: `https://arxiv.org/abs/${R1_PAPER}` },
      ]);
      await request(t.http)
        .patch('/v1/models/acme/Retitler')
        .set(bearer(writer.secret))
        .send({ papers: [{ arxivId: R1_PAPER, title: 'Pwned again' }] })
        .expect(200);

      const after = (await request(t.http).get(`/v1/papers/${R1_PAPER}`).expect(200)).body;
      expect(after.title).toBe(before.title);
      expect(after.title).toMatch(/^DeepSeek-R1/);
      expect((await request(t.http).get(`/v1/models/${R1}`).expect(200)).body.papers[0].title).toBe(before.title);
    });

    it('makes a paper new to the catalogue with the title given, which later writes keep', async () => {
      const writer = await makeKey('editor two', ['catalog:write']);
      await request(t.http)
        .post('/v1/models')
        .set(bearer(writer.secret))
        .send({ id: 'acme/Citer', papers: [{ arxivId: '2502.00042', title: 'A fresh paper' }] })
        .expect(201);
      await request(t.http)
        .post('/v1/models')
        .set(bearer(writer.secret))
        .send({ id: 'acme/Citer-2', papers: [{ arxivId: '2502.00042', title: 'Another title' }] })
        .expect(201);
      expect((await request(t.http).get('/v1/papers/2502.00042').expect(200)).body).toMatchObject({
        title: 'A fresh paper',
        models: [{ id: 'acme/Citer' }, { id: 'acme/Citer-2' }],
      });
    });

    it('leaves organizations and licences as they are when a model names them', async () => {
      const writer = await makeKey('editor three', ['catalog:write']);
      const orgs = (await request(t.http).get('/v1/organizations').expect(200)).body.data;
      const licenses = (await request(t.http).get('/v1/licenses').expect(200)).body.data;
      await request(t.http)
        .post('/v1/models')
        .set(bearer(writer.secret))
        .send({ id: 'DEEPSEEK-AI/Impostor', license: 'MIT' })
        .expect(201)
        .expect((answer) => expect(answer.body.organization).toBe('deepseek-ai'));
      const unknown = await request(t.http)
        .post('/v1/models')
        .set(bearer(writer.secret))
        .send({ id: 'acme/Own-licence', license: 'my-own-licence' })
        .expect(400);
      expect((unknown.body as Problem).errors?.[0].field).toBe('license');

      const count = (list: { id: string; models: number }[], id: string) => list.find((x) => x.id === id)?.models;
      const orgsAfter = (await request(t.http).get('/v1/organizations').expect(200)).body.data;
      const licensesAfter = (await request(t.http).get('/v1/licenses').expect(200)).body.data;
      const withoutCounts = (list: { models: number }[]) => list.map(({ models: _models, ...rest }) => rest);
      expect(withoutCounts(orgsAfter)).toEqual(withoutCounts(orgs));
      expect(withoutCounts(licensesAfter)).toEqual(withoutCounts(licenses));
      expect(count(orgsAfter, 'deepseek-ai')).toBe((count(orgs, 'deepseek-ai') ?? 0) + 1);
    });
  });
});
