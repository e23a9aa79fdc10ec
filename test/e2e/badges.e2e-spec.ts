import { Client } from 'pg';
import request from 'supertest';
import { ModelsService, RenamesService } from '@modelpulse/core/catalog';
import { RankingsService } from '@modelpulse/core/rankings';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const R1 = 'deepseek-ai/DeepSeek-R1';
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';
const HOSTILE_SCRIPT = '<script>alert(1)</script>';
const HOSTILE_TAG = '"><img src=x onerror=alert(1)>';

const hub = (observedAt: string, counters: Record<string, number>) => ({
  model: R1,
  source: 'huggingface',
  observedAt,
  ...counters,
});

/**
 * R1's first week on the hub (as in the stats tests): 561k downloads by the hub's counter, 560k of them
 * counted on our days (the first reading is a baseline), all in the 7 complete days up to yesterday.
 */
const LAUNCH = [
  hub('2025-01-20T18:00:00Z', { downloadsAllTime: 1_000, downloads30d: 1_000, likes: 50 }),
  hub('2025-01-21T06:00:00Z', { downloadsAllTime: 21_000, downloads30d: 21_000, likes: 250 }),
  hub('2025-01-21T18:00:00Z', { downloadsAllTime: 61_000, downloads30d: 61_000, likes: 400 }),
  hub('2025-01-22T18:00:00Z', { downloadsAllTime: 161_000, downloads30d: 161_000, likes: 900 }),
  hub('2025-01-25T18:00:00Z', { downloadsAllTime: 461_000, downloads30d: 461_000, likes: 2_100 }),
  hub('2025-01-27T18:00:00Z', { downloadsAllTime: 561_000, downloads30d: 561_000, likes: 2_600 }),
];

/** The texts drawn in an SVG badge, shadows left out, and what it tells screen readers. */
function read(svg: string): { title: string | undefined; ariaLabel: string | undefined; texts: string[] } {
  return {
    title: /<title>([^<]*)<\/title>/.exec(svg)?.[1],
    ariaLabel: /<svg[^>]* aria-label="([^"]*)"/.exec(svg)?.[1],
    texts: [...svg.matchAll(/<text (?!aria-hidden)[^>]*>([^<]*)<\/text>/g)].map(([, text]) => text),
  };
}

describe('badges', () => {
  let t: TestApp;
  let sql: Client;
  const clock = new FakeClock('2025-01-28T12:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    await request(t.http).post('/v1/observations').set(auth).send({ observations: LAUNCH }).expect(200);
    await t.app.get(RankingsService).snapshotLatest();
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  /** GET a badge as text whatever its type, so SVG bodies are readable. */
  const get = (path: string) => request(t.http).get(path).buffer(true).parse(text);
  const svgOf = async (path: string, status = 200): Promise<string> => (await get(path).expect(status)).body;

  describe('what each metric says', () => {
    it.each([
      ['downloads', 'downloads', '560k/month'],
      ['downloads-week', 'downloads', '560k/week'],
      ['downloads-total', 'downloads', '561k'],
      ['likes', 'likes', '2.6k'],
      ['trending', 'trending', '#1'],
      ['license', 'license', 'MIT'],
      ['parameters', 'parameters', '671B'],
    ])('%s of DeepSeek-R1: %s | %s', async (metric, label, message) => {
      const svg = await svgOf(`/badges/${R1}/${metric}.svg`);
      expect(read(svg)).toEqual({
        title: `${label}: ${message}`,
        ariaLabel: `${label}: ${message}`,
        texts: [label, message],
      });
      const { body } = await request(t.http).get(`/badges/${R1}/${metric}.json`).expect(200);
      expect(body).toMatchObject({ label, message });
    });

    it('says what it does not know plainly: no readings, no rank, a custom licence by name', async () => {
      expect(read(await svgOf(`/badges/${LLAMA}/downloads.svg`)).texts).toEqual(['downloads', 'unknown']);
      expect(read(await svgOf(`/badges/${LLAMA}/trending.svg`)).texts).toEqual(['trending', 'unranked']);
      expect(read(await svgOf(`/badges/${LLAMA}/license.svg`)).texts).toEqual([
        'license',
        'Llama 3.1 Community License',
      ]);
    });

    it('matches the id in any letter case', async () => {
      expect(read(await svgOf('/badges/DEEPSEEK-AI/deepseek-r1/parameters.svg')).texts).toEqual(['parameters', '671B']);
    });
  });

  describe('SVG', () => {
    it('is a 20 px flat badge by default, grey label, coloured message, sized from Verdana widths', async () => {
      const response = await get(`/badges/${R1}/downloads.svg`).expect(200);
      expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(response.body).toMatch(
        /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* width="148" height="20" role="img"/,
      );
      expect(response.body).toContain('<rect width="69" height="20" fill="#555"/>');
      expect(response.body).toContain('<rect x="69" width="79" height="20" fill="#4c1"/>');
      expect(response.body).toContain('rx="3"');
    });

    it('draws every shields.io style', async () => {
      const square = await svgOf(`/badges/${R1}/downloads.svg?style=flat-square`);
      expect(square).toMatch(/width="148" height="20"/);
      expect(square).not.toContain('rx=');
      const big = await svgOf(`/badges/${R1}/downloads.svg?style=for-the-badge`);
      expect(big).toMatch(/ height="28"/);
      expect(read(big).texts).toEqual(['DOWNLOADS', '560K/MONTH']);
      const plastic = await svgOf(`/badges/${R1}/downloads.svg?style=plastic`);
      expect(plastic).toMatch(/ height="18"/);
      expect(read(plastic).texts).toEqual(['downloads', '560k/month']);
      const social = await svgOf(`/badges/${R1}/likes.svg?style=social`);
      expect(social).toMatch(/ height="20"/);
      expect(read(social).ariaLabel).toBe('Likes: 2.6k');
    });

    it('takes labelColor, the Hugging Face logo in logoColor, and cacheSeconds', async () => {
      const svg = await svgOf(`/badges/${R1}/downloads.svg?labelColor=blue&logo=huggingface&logoColor=yellow`);
      expect(svg).toContain('fill="#007ec6"');
      const logo = /<image [^>]*xlink:href="data:image\/svg\+xml;base64,([^"]+)"/.exec(svg)?.[1];
      expect(Buffer.from(logo!, 'base64').toString()).toContain('fill="#dfb317"');
      const kept = await get(`/badges/${R1}/downloads.svg?cacheSeconds=3600`).expect(200);
      expect(kept.headers['cache-control']).toBe('public, max-age=3600');
      // Less than the default is the default, as on shields.io; the endpoint JSON says the same.
      const short = await get(`/badges/${R1}/downloads.svg?cacheSeconds=10`).expect(200);
      expect(short.headers['cache-control']).toBe('public, max-age=300');
      const json = await request(t.http).get(`/badges/${R1}/downloads.json?cacheSeconds=3600`).expect(200);
      expect(json.body.cacheSeconds).toBe(3600);
      expect(json.headers['cache-control']).toBe('public, max-age=3600');
    });

    it('ignores query parameters it does not read, as shields.io does, and still reads the ones it knows', async () => {
      // The URL with extra parameters first, so it is answered by the route, not from the response cache.
      const busted = await get(`/badges/${R1}/likes.svg?v=2&style=plastic&label=hearts&cacheBust=x&theme=dark`).expect(
        200,
      );
      expect(busted.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(read(busted.body).texts).toEqual(['hearts', '2.6k']);
      expect(busted.body).toMatch(/ height="18"/);
      expect(await svgOf(`/badges/${R1}/likes.svg?style=plastic&label=hearts`)).toBe(busted.body);
    });

    it('takes a label and a colour: a named one or hex digits', async () => {
      const named = await svgOf(`/badges/${R1}/downloads.svg?label=R1%20downloads&color=blue`);
      expect(read(named).texts).toEqual(['R1 downloads', '560k/month']);
      expect(named).toContain('fill="#007ec6"');
      expect(await svgOf(`/badges/${R1}/likes.svg?color=ff69b4`)).toContain('fill="#ff69b4"');
      expect(await svgOf(`/badges/${R1}/likes.svg?color=%23ABC`)).toContain('fill="#abc"');
      const bare = await svgOf(`/badges/${R1}/trending.svg?label=`);
      expect(read(bare)).toEqual({ title: '#1', ariaLabel: '#1', texts: ['#1'] });
    });

    it('refuses a colour or style it does not know with a 400 grey badge naming the parameter', async () => {
      for (const [query, field] of [
        ['color=notacolour', 'color'],
        ['color=ff69b', 'color'],
        ['color=red;stroke:url(x)', 'color'],
        ['style=3d', 'style'],
        ['label=a&label=b', 'label'],
        ['labelColor=nope', 'labelColor'],
        ['logo=github', 'logo'],
        ['logoColor=%3Cx%3E', 'logoColor'],
        ['cacheSeconds=soon', 'cacheSeconds'],
        ['cacheSeconds=-1', 'cacheSeconds'],
        ['v=1&style=3d', 'style'],
      ]) {
        // A badge URL always answers a badge, so a README shows why instead of a broken image.
        const response = await request(t.http).get(`/badges/${R1}/downloads.svg?${query}`).expect(400);
        expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
        expect(response.headers['cache-control']).toBe('public, max-age=60');
        expect(read(response.body.toString())).toEqual({
          title: `downloads: invalid ${field}`,
          ariaLabel: `downloads: invalid ${field}`,
          texts: ['downloads', `invalid ${field}`],
        });
        expect(response.body.toString()).toContain('fill="#9f9f9f"');
      }
      // The endpoint JSON is read by shields.io and scripts: the problem, naming the parameter.
      const { body, headers } = await request(t.http).get(`/badges/${R1}/downloads.json?color=nope`).expect(400);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body.errors.map((e: { field: string }) => e.field)).toEqual(['color']);
      // The endpoint JSON keeps the strict rule: a parameter it does not know is named too.
      const unknown = await request(t.http).get(`/badges/${R1}/downloads.json?v=1`).expect(400);
      expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['v']);
    });
  });

  describe('not found', () => {
    it('answers a grey "not found" badge with 404 for an unknown model, never a broken image', async () => {
      const response = await get('/badges/nobody/nothing/downloads.svg').expect(404);
      expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(read(response.body)).toEqual({
        title: 'downloads: not found',
        ariaLabel: 'downloads: not found',
        texts: ['downloads', 'not found'],
      });
      expect(response.body).toContain('fill="#9f9f9f"');
    });

    it('does the same for an unknown metric', async () => {
      const svg = await svgOf(`/badges/${R1}/stars.svg`, 404);
      expect(read(svg).texts).toEqual(['modelpulse', 'not found']);
      const { body } = await request(t.http).get(`/badges/${R1}/stars.json`).expect(404);
      expect(body).toEqual({
        schemaVersion: 1,
        label: 'modelpulse',
        message: 'not found',
        color: 'lightgrey',
        cacheSeconds: 300,
        isError: true,
      });
    });

    it('treats a deleted model as unknown', async () => {
      await request(t.http).post('/v1/models').set(auth).send({ id: 'acme/gone', license: 'mit' }).expect(201);
      expect(read(await svgOf('/badges/acme/gone/license.svg')).texts).toEqual(['license', 'MIT']);
      await request(t.http).delete('/v1/models/acme/gone').set(auth).expect(204);
      expect(read(await svgOf('/badges/acme/gone/license.svg', 404)).texts).toEqual(['license', 'not found']);
    });
  });

  it('redirects an old id of a renamed model to the same badge under the new id', async () => {
    await request(t.http)
      .post('/v1/models')
      .set(auth)
      .send({ id: 'acme/rocket', parameters: 7_000_000_000, links: { huggingface: 'acme/rocket' } })
      .expect(201);
    const models = t.app.get(ModelsService);
    const { id } = await models.resolve('acme/rocket');
    await t.app.get(RenamesService).followUpstreamRename({
      modelId: id,
      upstream: 'huggingface',
      from: 'acme/rocket',
      to: 'acme-labs/Rocket-v2',
      seenAt: null,
    });
    for (const extension of ['svg', 'json']) {
      const response = await request(t.http).get(`/badges/acme/rocket/parameters.${extension}?style=flat-square`);
      expect(response.status).toBe(301);
      expect(response.headers.location).toBe(`/badges/acme-labs/Rocket-v2/parameters.${extension}?style=flat-square`);
    }
    expect(read(await svgOf('/badges/acme-labs/Rocket-v2/parameters.svg')).texts).toEqual(['parameters', '7B']);
  });

  it('never answers JSON on a .svg URL, whatever goes wrong', async () => {
    for (const [path, status] of [
      [`/badges/${R1}/downloads.svg?color=nope&style=3d&logo=x`, 400],
      [`/badges/${R1}/downloads.svg?label=${'x'.repeat(101)}`, 400],
      [`/badges/${R1}/downloads.svg?cacheSeconds=999999999`, 400],
      [`/badges/${R1}/downloads.svg?style=flat&style=social`, 400],
      [`/badges/${R1}/downloads.svg?label=%00`, 400],
      // A broken escape in the query is read as text, as browsers send it: a badge that draws.
      [`/badges/${R1}/downloads.svg?label=%E0%A4%A`, 200],
      ['/badges/nobody/nothing/downloads.svg?logo=huggingface', 404],
      [`/badges/${R1}/nothing.svg?style=social`, 404],
      ['/badges/not%20an%20org/x/downloads.svg', 400],
      ['/badges/acme/rocket/likes.svg?style=social', 301],
    ] as const) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, status]);
      expect([path, response.headers['content-type']]).toEqual([path, 'image/svg+xml; charset=utf-8']);
      expect(response.body).toMatch(/^<svg /);
    }
  });

  describe('shields.io endpoint JSON', () => {
    it('has exactly the schema\u2019s keys, version 1', async () => {
      const response = await request(t.http).get(`/badges/${R1}/downloads.json`).expect(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.body).toEqual({
        schemaVersion: 1,
        label: 'downloads',
        message: '560k/month',
        color: 'brightgreen',
        cacheSeconds: 300,
      });
    });

    it('carries the label and colour overrides, the colour as shields.io reads it', async () => {
      const { body } = await request(t.http).get(`/badges/${R1}/likes.json?label=hearts&color=%23FF69B4`).expect(200);
      expect(body).toEqual({ schemaVersion: 1, label: 'hearts', message: '2.6k', color: 'ff69b4', cacheSeconds: 300 });
    });

    it('passes the look on in the schema\u2019s own optional keys', async () => {
      const { body } = await request(t.http)
        .get(`/badges/${R1}/likes.json?style=social&labelColor=555&logo=hf&logoColor=ffd21e`)
        .expect(200);
      expect(body).toEqual({
        schemaVersion: 1,
        label: 'likes',
        message: '2.6k',
        color: 'blue',
        cacheSeconds: 300,
        style: 'social',
        labelColor: '555',
        namedLogo: 'huggingface',
        logoColor: 'ffd21e',
      });
    });
  });

  describe('headers', () => {
    it('lets any site show and read a badge, cached briefly, with an ETag', async () => {
      for (const extension of ['svg', 'json']) {
        const { headers } = await request(t.http).get(`/badges/${R1}/downloads.${extension}`).expect(200);
        expect(headers['access-control-allow-origin']).toBe('*');
        expect(headers['content-security-policy']).toContain('frame-ancestors *');
        expect(headers['x-frame-options']).toBeUndefined();
        expect(headers['cache-control']).toBe('public, max-age=300');
        expect(headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      }
    });

    it('answers 304 to its own ETag, and the full badge to another', async () => {
      const first = await get(`/badges/${R1}/downloads.svg?style=for-the-badge`).expect(200);
      const again = await request(t.http)
        .get(`/badges/${R1}/downloads.svg?style=for-the-badge`)
        .set('If-None-Match', first.headers.etag)
        .expect(304);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.text).toBe('');
      const other = await get(`/badges/${R1}/downloads.svg`).set('If-None-Match', first.headers.etag).expect(200);
      expect(other.headers.etag).not.toBe(first.headers.etag);
      const json = await request(t.http).get(`/badges/${R1}/downloads.json`).expect(200);
      await request(t.http).get(`/badges/${R1}/downloads.json`).set('If-None-Match', json.headers.etag).expect(304);
    });
  });

  describe('hostile text', () => {
    it('draws markup in a label as text, in the SVG and the JSON alike', async () => {
      for (const hostile of [HOSTILE_SCRIPT, HOSTILE_TAG]) {
        const svg = await svgOf(`/badges/${R1}/downloads.svg?label=${encodeURIComponent(hostile)}`);
        expect(svg).not.toContain('<script');
        expect(svg).not.toContain('<img');
        expect(read(svg).texts[0]).toBe(
          hostile === HOSTILE_SCRIPT
            ? '&lt;script&gt;alert(1)&lt;/script&gt;'
            : '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;',
        );
        const { body } = await request(t.http)
          .get(`/badges/${R1}/downloads.json?label=${encodeURIComponent(hostile)}`)
          .expect(200);
        // JSON carries text as text: shields.io escapes it when it draws.
        expect(body.label).toBe(hostile);
      }
    });

    it('draws a model-supplied licence name with markup as text', async () => {
      await sql.query(`INSERT INTO licenses (id, name, spdx) VALUES ('evil', $1, NULL)`, [HOSTILE_TAG]);
      await request(t.http)
        .post('/v1/models')
        .set(auth)
        .send({ id: 'acme/evil', license: 'evil', description: HOSTILE_SCRIPT, tags: ['x<y>'] })
        .expect(201);
      const svg = await svgOf('/badges/acme/evil/license.svg?style=for-the-badge');
      expect(svg).not.toContain('<img');
      expect(read(svg)).toEqual({
        title: 'LICENSE: &quot;&gt;&lt;IMG SRC=X ONERROR=ALERT(1)&gt;',
        ariaLabel: 'LICENSE: &quot;&gt;&lt;IMG SRC=X ONERROR=ALERT(1)&gt;',
        texts: ['LICENSE', '&quot;&gt;&lt;IMG SRC=X ONERROR=ALERT(1)&gt;'],
      });
    });
  });
});

/** supertest's parser for any body as text (an SVG is not text/* to it). */
function text(response: request.Response, done: (error: Error | null, body: string) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  stream.on('end', () => done(null, body));
}
