import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { DAY_MS } from '@modelpulse/core/days';
import { snippet } from '@modelpulse/core/embeds';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const R1 = 'deepseek-ai/DeepSeek-R1';
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';
const QWEN = 'Qwen/Qwen2.5-7B-Instruct';
const ROCKET = 'acme/Rocket-7B';
const HOSTILE_DESCRIPTION = '<script>alert(1)</script>';
const HOSTILE_TAG = '"><img src=x onerror=alert(1)>';

/** One hub reading a day at noon, from `first` to 2025-01-21, the counters given per day. */
function daily(model: string, first: string, counters: (index: number) => { downloadsAllTime: number; likes: number }) {
  const out = [];
  for (let t = Date.parse(`${first}T12:00:00Z`), i = 0; t <= Date.parse('2025-01-21T12:00:00Z'); t += DAY_MS, i++) {
    out.push({ model, source: 'huggingface', observedAt: new Date(t).toISOString(), ...counters(i) });
  }
  return out;
}

/** Two steady giants, the R1 launch on 20 January, and a small model whose curator wrote markup into it. */
const READINGS = [
  ...daily(LLAMA, '2025-01-01', (i) => ({ downloadsAllTime: 100_000_000 + 2_000_000 * i, likes: 4_000 + 100 * i })),
  ...daily(QWEN, '2025-01-01', (i) => ({ downloadsAllTime: 50_000_000 + 1_500_000 * i, likes: 3_000 + 80 * i })),
  ...daily(
    R1,
    '2025-01-20',
    (i) =>
      [
        { downloadsAllTime: 5_000, likes: 200 },
        { downloadsAllTime: 305_000, likes: 3_200 },
      ][i],
  ),
  ...daily(ROCKET, '2025-01-15', (i) => ({
    downloadsAllTime: 10_000 + 1_000 * i + (i === 6 ? 400_000 : 0),
    likes: 10 + i + (i === 6 ? 2_000 : 0),
  })),
];

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const linkedIds = (html: string) =>
  [
    ...html.matchAll(
      /<a class="line" href="https:\/\/modelpulse\.test\/models\/([^"]+)" title="[^"]*" target="_blank"/g,
    ),
  ].map((m) => m[1]);
const changes = (html: string) =>
  [...html.matchAll(/<span class="change (\w+)">(?:<span aria-hidden="true">([^<]*)<\/span>)?/g)].map((m) =>
    m[1] === 'new' ? 'new' : m[2],
  );

describe('widgets, charts and oEmbed', () => {
  let t: TestApp;
  let sql: Client;
  const clock = new FakeClock('2025-01-22T06:00:00Z');

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock });
    await request(t.http)
      .post('/v1/models')
      .set(auth)
      .send({
        id: ROCKET,
        description: HOSTILE_DESCRIPTION,
        license: 'apache-2.0',
        parameters: 7_000_000_000,
        releaseDate: '2025-01-15',
        tags: [HOSTILE_TAG, 'rocket'],
      })
      .expect(201);
    const { body } = await request(t.http)
      .post('/v1/observations')
      .set(auth)
      .send({ observations: READINGS })
      .expect(200);
    if (body.rejected.length > 0) throw new Error(`readings rejected: ${JSON.stringify(body.rejected)}`);
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    // An old id, as an upstream rename leaves it.
    await sql.query(
      `INSERT INTO model_aliases (slug, model_id) SELECT 'acme/rocket-old', id FROM models WHERE slug = $1`,
      [ROCKET],
    );
  });
  afterAll(async () => {
    await sql.end();
    await t.close();
  });

  describe('GET /v1/models/{org}/{name}/chart.svg', () => {
    it('draws the daily downloads with labelled axes', async () => {
      const response = await request(t.http).get(`/v1/models/${R1}/chart.svg?days=7`).expect(200);
      expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      const svg = String(response.body);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="240"/);
      expect(svg).toContain('role="img" aria-label="deepseek-ai/DeepSeek-R1: downloads a day, last 7 days"');
      expect(texts(svg)).toEqual([
        'deepseek-ai/DeepSeek-R1: downloads a day, last 7 days',
        '0',
        '100k',
        '200k',
        '300k',
        'Jan 16, 2025',
        'Jan 18',
        'Jan 19',
        'Jan 21',
        'Jan 22',
      ]);
      // Today (the 22nd) has no reading yet: the line stops at the 21st instead of dropping to 0.
      expect(svg).toContain('<polyline points="432,212 528,36"');
      expect(svg).not.toContain('624,212');
    });

    it('draws a model with no readings as "no data yet"', async () => {
      const { body } = await request(t.http).get('/v1/models/microsoft/phi-4/chart.svg?metric=likes').expect(200);
      const svg = String(body);
      expect(texts(svg)).toContain('no data yet');
      expect(texts(svg)[0]).toBe('microsoft/phi-4: likes a day, last 90 days');
    });

    it.each([
      ['days=400', 'days', 'days must be a whole number from 7 to 365'],
      ['days=6', 'days', 'days must be a whole number from 7 to 365'],
      ['metric=clicks', 'metric', 'metric must be one of downloads, likes, stars, rank'],
    ])('refuses %s naming the field', async (query, field, message) => {
      const response = await request(t.http).get(`/v1/models/${R1}/chart.svg?${query}`).expect(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(JSON.parse(response.text).errors).toEqual([{ field, message }]);
    });

    it('answers 404 for an unknown model, readable from any origin', async () => {
      const response = await request(t.http).get('/v1/models/acme/nothing/chart.svg').expect(404);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(response.text).detail).toBe('Model acme/nothing was not found');
    });

    it('redirects an old id to the renamed model, query kept', async () => {
      const response = await request(t.http).get('/v1/models/acme/rocket-old/chart.svg?days=30').expect(301);
      expect(response.headers.location).toBe('/v1/models/acme/Rocket-7B/chart.svg?days=30');
      expect(response.headers['cache-control']).toBe('public, max-age=86400');
    });
  });

  describe('GET /embed/trending', () => {
    it('lists the ranking in order with rank changes, licences and short downloads', async () => {
      const response = await request(t.http).get('/embed/trending?asOf=2025-01-21').expect(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      const html = response.text;
      expect(linkedIds(html)).toEqual([R1, ROCKET, LLAMA, QWEN]);
      expect(changes(html)).toEqual(['new', '▲1', '▼2', '▼2']);
      expect(html).toContain('<span class="muted line">deepseek-ai · mit</span>');
      expect(html).toContain(
        '<span class="num"><span class="line">300k</span><span class="muted line">30 d</span></span>',
      );
      expect(html).toContain('<span class="num"><span class="line">406k</span>');
      expect(html).toContain('<span class="num"><span class="line">40M</span>');
      expect(html).toContain('As of 2025-01-21 (UTC)');
    });

    it('is a self-contained page: language, title, landmarks, oEmbed discovery, no script', async () => {
      const html = (await request(t.http).get('/embed/trending').expect(200)).text;
      expect(html).toMatch(/^<!doctype html>\n<html lang="en"><head><meta charset="utf-8">/);
      expect(html).toContain('<title>Trending models · modelpulse</title>');
      expect(html).toContain('<main><h1>Trending models</h1>');
      expect(html).toContain('<footer>');
      expect(html).toContain(
        '<link rel="alternate" type="application/json+oembed" ' +
          'href="https://modelpulse.test/oembed?url=https%3A%2F%2Fmodelpulse.test%2F&amp;format=json"',
      );
      expect(html).toContain('<body class="theme-light">');
      expect(html).not.toMatch(/<script|src=|url\(|@import/i);
    });

    it('takes the dark theme and the ranking filters', async () => {
      const html = (await request(t.http).get('/embed/trending?theme=dark&organization=Qwen,meta-llama&limit=1')).text;
      expect(html).toContain('<body class="theme-dark">');
      expect(linkedIds(html)).toEqual([LLAMA]);
    });

    it.each([
      ['theme=blue', 'theme', 'theme must be one of light, dark'],
      ['limit=26', 'limit', 'limit must be a whole number from 1 to 25'],
      ['minParams=lots', 'minParams', 'minParams must be a parameter count such as 7000000000, 7B, 1.5T or 350M'],
    ])('refuses %s naming the field', async (query, field, message) => {
      const { text } = await request(t.http).get(`/embed/trending?${query}`).expect(400);
      expect(JSON.parse(text).errors).toContainEqual({ field, message });
    });
  });

  describe('GET /embed/models/{org}/{name}', () => {
    it('shows licence, size, release date, 30-day downloads with a sparkline and the trending rank', async () => {
      const html = (await request(t.http).get(`/embed/models/${R1}?theme=dark`).expect(200)).text;
      expect(html).toContain('<title>deepseek-ai/DeepSeek-R1 · modelpulse</title>');
      expect(html).toContain('<body class="theme-dark">');
      expect(html).toContain(
        '<h1><a href="https://modelpulse.test/models/deepseek-ai/DeepSeek-R1" title="deepseek-ai/DeepSeek-R1" ' +
          'target="_blank" rel="noopener">deepseek-ai/DeepSeek-R1</a></h1>',
      );
      expect(html).toContain('<div><dt>Licence</dt><dd>MIT License</dd></div>');
      expect(html).toContain('<div><dt>Size</dt><dd>671B parameters</dd></div>');
      expect(html).toContain('<div><dt>Released</dt><dd>2025-01-20</dd></div>');
      expect(html).toContain('<div><dt>Trending</dt><dd>#1 <span class="change new">new</span></dd></div>');
      expect(html).toContain('<p class="total"><strong>300k</strong> downloads in the last 30 days</p>');
      expect(html).toContain(
        '<svg class="spark" viewBox="0 0 100 40" preserveAspectRatio="none" role="img" ' +
          'aria-label="Downloads a day over the last 30 days, deepseek-ai/DeepSeek-R1 (1 day unknown)">' +
          '<polyline points="0,38 50,2"',
      );
      expect(html).toContain(
        'href="https://modelpulse.test/oembed?url=https%3A%2F%2Fmodelpulse.test%2Fmodels%2Fdeepseek-ai%2FDeepSeek-R1&amp;format=json"',
      );
    });

    it('answers any letter case with the canonical id, and 404 for an unknown model', async () => {
      const html = (await request(t.http).get('/embed/models/DEEPSEEK-AI/deepseek-r1').expect(200)).text;
      expect(html).toContain('<title>deepseek-ai/DeepSeek-R1 · modelpulse</title>');
      await request(t.http).get('/embed/models/acme/nothing').expect(404);
    });

    it('redirects an old id to the renamed model', async () => {
      const response = await request(t.http).get('/embed/models/acme/rocket-old?theme=dark').expect(301);
      expect(response.headers.location).toBe('/embed/models/acme/Rocket-7B?theme=dark');
    });
  });

  describe('hostile strings', () => {
    it('come out of the card as text', async () => {
      const html = (await request(t.http).get(`/embed/models/${ROCKET}`).expect(200)).text;
      expect(html).toContain('<p class="desc clamp">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
      expect(html).toContain('<li>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</li>');
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
    });

    it('come out of the oEmbed snippet as text', async () => {
      const { text } = await request(t.http)
        .get(`/oembed?url=${encodeURIComponent('https://modelpulse.test/?task="><script>alert(1)</script>')}`)
        .expect(200);
      const html = JSON.parse(text).html as string;
      expect(html).not.toContain('<script');
      expect(html).toContain(
        'src="https://modelpulse.test/embed/trending?task=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"',
      );
    });
  });

  describe('embed headers', () => {
    it.each([
      `/v1/models/${R1}/chart.svg`,
      '/embed/trending',
      `/embed/models/${R1}`,
      `/oembed?url=${encodeURIComponent('https://modelpulse.test/')}`,
    ])('%s is readable from anywhere, framable, cacheable, and 304 to its own ETag', async (path) => {
      const first = await request(t.http).get(path).expect(200);
      expect(first.headers['access-control-allow-origin']).toBe('*');
      expect(first.headers['content-security-policy']).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors *",
      );
      expect(first.headers['x-frame-options']).toBeUndefined();
      expect(first.headers['cache-control']).toBe('public, max-age=300');
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      const again = await request(t.http).get(path).set('If-None-Match', etag).expect(304);
      expect(again.text).toBe('');
    });
  });

  describe('GET /oembed', () => {
    const oembed = (url: string, extra = '') => request(t.http).get(`/oembed?url=${encodeURIComponent(url)}${extra}`);

    it('answers a model page with its card, exactly the spec keys', async () => {
      const response = await oembed('https://modelpulse.test/models/deepseek-ai/DeepSeek-R1').expect(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(response.text)).toEqual({
        type: 'rich',
        version: '1.0',
        title: 'deepseek-ai/DeepSeek-R1 on modelpulse',
        provider_name: 'modelpulse',
        provider_url: 'https://modelpulse.test/',
        cache_age: 300,
        html:
          '<iframe src="https://modelpulse.test/embed/models/deepseek-ai/DeepSeek-R1" width="400" height="308" ' +
          'title="deepseek-ai/DeepSeek-R1 on modelpulse" style="border:0;max-width:100%" loading="lazy" ' +
          'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>',
        width: 400,
        height: 308,
      });
    });

    it('answers the leaderboard with the trending widget, its filters carried over, within maxwidth × maxheight', async () => {
      const { text } = await oembed(
        'https://modelpulse.test/?license=mit&limit=5&sort=ignored',
        '&maxwidth=320&maxheight=200&format=json',
      ).expect(200);
      const body = JSON.parse(text);
      expect(body).toMatchObject({ title: 'Trending models on modelpulse', width: 320, height: 200 });
      expect(body.html).toContain(
        '<iframe src="https://modelpulse.test/embed/trending?license=mit&amp;limit=5" width="320" height="200"',
      );
    });

    it('sizes the trending widget by its rows, in the snippet the site and docs offer', async () => {
      const { text } = await oembed('https://modelpulse.test/?limit=3').expect(200);
      const body = JSON.parse(text);
      expect(body).toMatchObject({ width: 400, height: 112 + 3 * 48 });
      const widget = { kind: 'trending', filters: new URLSearchParams({ limit: '3' }) } as const;
      expect(body.html).toBe(snippet('https://modelpulse.test', { kind: 'iframe', widget }));
      expect(JSON.parse((await oembed('https://modelpulse.test/').expect(200)).text).height).toBe(592);
    });

    it("follows a renamed model's old page to the card under its new id", async () => {
      const { text } = await oembed('https://modelpulse.test/models/acme/rocket-old').expect(200);
      expect(JSON.parse(text).html).toContain('src="https://modelpulse.test/embed/models/acme/Rocket-7B"');
    });

    it.each([
      ['another host', 'https://elsewhere.test/models/deepseek-ai/DeepSeek-R1'],
      ['an unknown model', 'https://modelpulse.test/models/acme/nothing'],
      ['a page with no embed', 'https://modelpulse.test/docs'],
    ])('answers 404 for %s', async (_, url) => {
      const response = await oembed(url).expect(404);
      expect(response.headers['access-control-allow-origin']).toBe('*');
    });

    it('answers 501 for format=xml', async () => {
      const { text } = await oembed('https://modelpulse.test/', '&format=xml').expect(501);
      expect(JSON.parse(text)).toMatchObject({ status: 501, detail: 'format xml is not served; ask for format=json' });
    });

    it.each([
      [
        'a url that is no url',
        '/oembed?url=not%20a%20url',
        'url',
        'url must be an absolute http(s) URL of a page of this site',
      ],
      ['no url', '/oembed', 'url', 'url must be the address of a page of this site'],
      [
        'a maxwidth that is no number',
        `/oembed?url=${encodeURIComponent('https://modelpulse.test/')}&maxwidth=wide`,
        'maxwidth',
        'maxwidth must be a whole number of pixels, 1 or more',
      ],
    ])('answers 400 for %s, naming the field', async (_, path, field, message) => {
      const { text } = await request(t.http).get(path).expect(400);
      expect(JSON.parse(text).errors).toContainEqual({ field, message });
    });
  });
});
