import request from 'supertest';
import { escapeMarkup, shortNumber, snippet, type SnippetRequest } from '@modelpulse/core/embeds';
import { createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import {
  ATTRIBUTE_BREAK,
  HOSTILE,
  LLAMA,
  loadSiteData,
  QWEN_32B,
  R1,
  R1_OLD_ID,
  SCRIPT,
  SITE_NOW,
} from '../support/site-data';

/** The browsable site: server-rendered pages over the catalogue and the trending ranking. */
describe('site', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock: new FakeClock(SITE_NOW) });
    await loadSiteData(t);
  });
  afterAll(() => t.close());

  const page = async (path: string, status = 200) => {
    const response = await request(t.http).get(path).expect(status);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    return response;
  };
  const count = (text: string, part: string) => text.split(part).length - 1;

  describe('GET /', () => {
    it('shows the trending leaderboard as of the latest complete day, R1 first, with links to model pages', async () => {
      const { text } = await page('/');
      expect(text).toMatch(/^<!doctype html>\n<html lang="en">/);
      expect(count(text, '<h1')).toBe(1);
      expect(text).toContain('<h1>Trending open models</h1>');
      expect(text).toContain('<caption id="ranking-caption">Trending models as of 2025-01-21</caption>');
      const firstRow = text.slice(text.indexOf('<tbody>'), text.indexOf('</tr>', text.indexOf('<tbody>')));
      expect(firstRow).toContain('<td class="num">1</td>');
      expect(firstRow).toContain('<a href="/models/deepseek-ai/DeepSeek-R1">deepseek-ai/DeepSeek-R1</a>');
      expect(firstRow).toContain('mit · 671B params');
      expect(text).toContain(`<a href="/models/meta-llama/Llama-3.1-8B-Instruct">${LLAMA}</a>`);
      expect(text).toContain('<th scope="col" class="num">Volume</th>');
      expect(text).toContain('<span class="flag">new</span>');
    });

    it('lets oEmbed consumers find the trending widget as its card', async () => {
      const { text } = await page('/?license=mit');
      const href = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(text)![1];
      expect(href).toBe(
        'https://modelpulse.test/oembed?url=https%3A%2F%2Fmodelpulse.test%2F%3FasOf%3D2025-01-21%26limit%3D20%26license%3Dmit&amp;format=json',
      );
      const { body } = await request(t.http)
        .get(href.replace('https://modelpulse.test', '').replace('&amp;', '&'))
        .expect(200);
      expect(body).toMatchObject({ type: 'rich', version: '1.0' });
      expect(body.html).toContain('/embed/trending?');
      expect(body.html).toContain('license=mit');
    });

    it('shows rank changes against the day before as arrows with words for screen readers', async () => {
      const { text } = await page('/');
      expect(text).toMatch(
        /<span class="(up|down)"><span aria-hidden="true">[▲▼]<\/span><span class="sr-only">(up|down) <\/span>\d+/,
      );
    });

    it('has a GET form whose every control is labelled, and no script', async () => {
      const { text } = await page('/');
      expect(text).toContain('<form class="filters" method="get" action="/">');
      for (const id of ['license', 'task', 'organization', 'minParams', 'maxParams', 'asOf', 'limit', 'collapse']) {
        expect(text).toContain(`<label for="${id}">`);
        expect(text).toContain(`id="${id}" name="${id}"`);
      }
      expect(text).toContain('<option value="mit">MIT License</option>');
      expect(text).not.toContain('<script');
    });

    it("shows each row's downloads over 7 days and likes as the leaderboards give them, and its daily downloads as a line", async () => {
      for (const asOf of ['2025-01-21', '2025-01-18']) {
        const { text } = await page(`/?asOf=${asOf}`);
        const [downloads, likes] = await Promise.all(
          ['/v1/rankings/downloads?period=7d', '/v1/rankings/likes?period=all'].map(async (path) => {
            const { body } = await request(t.http).get(`${path}&asOf=${asOf}&limit=100`).expect(200);
            return new Map<string, number>(
              body.data.map((e: { model: { id: string }; value: number }) => [e.model.id, e.value]),
            );
          }),
        );
        const rows = text.slice(text.indexOf('<tbody>'), text.indexOf('</tbody>')).split('<tr>').slice(1);
        expect(rows.length).toBeGreaterThanOrEqual(3);
        for (const row of rows) {
          const id = /<th scope="row"><a href="[^"]+">([^<]+)<\/a>/.exec(row)![1].replace(/&#x2F;|&#47;/g, '/');
          const cells = [
            ...row.matchAll(
              /<td class="num">(?:<data value="(\d+)">[^<]+<\/data>|<span class="muted">unknown<\/span>)<\/td>/g,
            ),
          ];
          const [week, liked] = cells.map((c) => (c[1] === undefined ? null : Number(c[1])));
          expect([id, week]).toEqual([id, downloads.get(id) ?? null]);
          expect([id, liked]).toEqual([id, likes.get(id) ?? null]);
          // The line has a vertex for each day the stats API knows, over the 30 days to asOf.
          const from = new Date(Date.parse(asOf) - 29 * 86_400_000).toISOString().slice(0, 10);
          const { body: series } = await request(t.http)
            .get(`/v1/models/${id}/stats?metric=downloads&from=${from}&to=${asOf}`)
            .expect(200);
          const known = series.points.filter((p: { value: number | null }) => p.value !== null).length;
          const svg = /<svg class="spark"[^]*?<\/svg>/.exec(row)?.[0] ?? '';
          const vertices =
            [...svg.matchAll(/points="([^"]+)"/g)].reduce((n, m) => n + m[1].split(' ').length, 0) +
            (svg.match(/<circle/g) ?? []).length;
          expect([id, vertices]).toEqual([id, known]);
        }
      }
    });

    it('filters like the API, treating the blank fields a form sends as "any", and shows the filters back', async () => {
      const { text } = await page('/?license=apache-2.0&task=&organization=&minParams=&maxParams=10B&asOf=2025-01-21');
      expect(text).toContain('<option value="apache-2.0" selected>');
      expect(text).toContain('name="maxParams" type="text" value="10B"');
      expect(text).toContain('name="minParams" type="text" value=""');
      expect(text).not.toContain('/models/deepseek-ai/DeepSeek-R1"');
      // A ranking of a day asked for links to the model pages as of that day.
      expect(text).toContain(`<a href="/models/acme/hostile-7b?asOf=2025-01-21">${HOSTILE}</a>`);
      expect(text).toContain(
        '<a href="/v1/rankings/trending?asOf=2025-01-21&amp;limit=20&amp;license=apache-2.0&amp;maxParams=10000000000">This ranking as JSON</a>',
      );
    });

    it('says so when no model passes the filters', async () => {
      const { text } = await page('/?organization=deepseek-ai&maxParams=1M');
      expect(text).toContain('No model matches these filters on 2025-01-21.');
      expect(text).toContain('Try fewer filters.');
    });

    it('answers an organization it does not know with a 400 page naming it', async () => {
      const { text } = await page('/?organization=nobody-here', 400);
      expect(text).toContain('<strong>organization</strong>: unknown organization &quot;nobody-here&quot;');
    });

    it('answers a bad filter with a 400 page naming the field', async () => {
      const { text } = await page('/?minParams=lots', 400);
      expect(text).toContain('<h1>That request did not work</h1>');
      expect(text).toContain('<strong>minParams</strong>: minParams must be a parameter count such as 7000000000, 7B');
    });

    it('answers a future day with a 400 page', async () => {
      const { text } = await page('/?asOf=2030-01-01', 400);
      expect(text).toContain('asOf must not be in the future');
    });
  });

  describe('GET /models/{org}/{name}', () => {
    it('shows the facts, papers and downloads of a model', async () => {
      const { text } = await page('/models/deepseek-ai/DeepSeek-R1');
      expect(count(text, '<h1')).toBe(1);
      expect(text).toContain('<h1>deepseek-ai/DeepSeek-R1</h1>');
      expect(text).toContain('<title>deepseek-ai/DeepSeek-R1 · modelpulse</title>');
      const glance = text.slice(
        text.indexOf('<ul class="glance"'),
        text.indexOf('</ul>', text.indexOf('<ul class="glance"')),
      );
      const { body: model } = await request(t.http).get('/v1/models/deepseek-ai/DeepSeek-R1').expect(200);
      expect(
        glance
          .replace(/<[^>]+>/g, '')
          .split('\n')
          .filter(Boolean),
      ).toEqual([
        'Task text-generation',
        'Size 671B params',
        'Licence MIT License',
        `Downloads, 30 days ${shortNumber(model.stats.downloads30d)}`,
        `Likes ${shortNumber(model.stats.likes)}`,
      ]);
      expect(text).toContain('<dt>Licence</dt><dd><a href="https://opensource.org/license/mit">MIT License</a>');
      expect(text).toContain('<dt>Parameters</dt><dd>671B <span class="muted">(671,000,000,000)</span></dd>');
      expect(text).toContain('<dt>Active parameters</dt><dd>37B <span class="muted">(37,000,000,000)</span></dd>');
      expect(text).toContain('<dt>Released</dt><dd><time datetime="2025-01-20">2025-01-20</time></dd>');
      expect(text).toContain('<li>text-generation</li>');
      expect(text).toContain('<a href="https://huggingface.co/deepseek-ai/DeepSeek-R1">Hugging Face</a>');
      expect(text).toContain(
        '<a href="https://arxiv.org/abs/2501.12948">DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning</a> <span class="muted">(arXiv:2501.12948)</span>',
      );
      expect(text).toContain(
        '<img class="chart" src="/v1/models/deepseek-ai/DeepSeek-R1/chart.svg?metric=downloads&amp;days=90" alt="Daily downloads of deepseek-ai/DeepSeek-R1 over the last 90 days">',
      );
    });

    it('shows a model as of a past day: its downloads, likes and ranks then, as the API gives them for that day', async () => {
      const asOf = '2025-01-20';
      const { text } = await page(`/models/${LLAMA}?asOf=${asOf}`);
      expect(text).toContain(`As of <strong>${asOf}</strong> (UTC)`);
      const { body: series } = await request(t.http)
        .get(`/v1/models/${LLAMA}/stats?metric=downloads&from=2024-12-22&to=${asOf}`)
        .expect(200);
      const sum = (days: number) =>
        series.points.slice(-days).reduce((n: number, p: { value: number | null }) => n + (p.value ?? 0), 0);
      const exact = (n: number) => n.toLocaleString('en-US');
      expect(text).toContain(
        `<dt>7 days to ${asOf}</dt><dd>${shortNumber(sum(7))} <span class="muted">(${exact(sum(7))})`,
      );
      expect(text).toContain(
        `<dt>30 days to ${asOf}</dt><dd>${shortNumber(sum(30))} <span class="muted">(${exact(sum(30))})`,
      );
      const { body: likes } = await request(t.http)
        .get(`/v1/rankings/likes?period=all&asOf=${asOf}&limit=100`)
        .expect(200);
      const liked = likes.data.find((e: { model: { id: string } }) => e.model.id === LLAMA).value;
      expect(text).toContain(
        `<dt>Likes on ${asOf}</dt><dd>${shortNumber(liked)} <span class="muted">(${exact(liked)})`,
      );
      const { body: history } = await request(t.http).get(`/v1/models/${LLAMA}/rankings?to=${asOf}`).expect(200);
      const last = history.points.at(-1);
      expect(last.date).toBe(asOf);
      expect(text).toContain(`<dt>Trending</dt><dd>#${last.rank} on ${asOf}`);
      expect(text).toContain('<a href="/models/meta-llama/Llama-3.1-8B-Instruct">This model now</a>');
    });

    it('answers a bad or future asOf with a 400 page naming it', async () => {
      expect((await page(`/models/${R1}?asOf=2025-02-30`, 400)).text).toContain(
        '<strong>asOf</strong>: asOf must be a real date',
      );
      expect((await page(`/models/${R1}?asOf=2030-01-01`, 400)).text).toContain(
        '<strong>asOf</strong>: asOf must not be in the future',
      );
      expect((await page(`/models/${R1}?asOf=`)).text).not.toContain('As of <strong>');
    });

    it('shows the lineage with relations and the family downloads', async () => {
      const { text } = await page('/models/deepseek-ai/DeepSeek-R1');
      expect(text).toContain('<caption id="descendants">Made from it</caption>');
      expect(text).toContain(
        `<tr><th scope="row"><a href="/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-32B">${QWEN_32B}</a></th><td>distillation</td>`,
      );
      expect(text).toContain(
        `<tr><th scope="row"><a href="/models/acme/hostile-7b">${HOSTILE}</a></th><td>fine-tune</td>`,
      );
      expect(text).toContain('its family (4 models: fine-tunes, quantizations, adapters and merges)');
    });

    it('shows the rank history of the last 30 days, with the best day', async () => {
      const { text } = await page('/models/deepseek-ai/DeepSeek-R1');
      expect(text).toContain('Trending rank from 2024-12-23 to 2025-01-21');
      expect(text).toContain('best #1 on 2025-01-21');
      expect(text).toContain(
        '<tr><th scope="row"><time datetime="2025-01-21">2025-01-21</time></th><td class="num">1</td>',
      );
      expect(text).toContain('<caption id="history-caption">Rank each day since 2025-01-21, newest first</caption>');
      expect(text).toContain('<dt>Trending</dt><dd>#1 on 2025-01-21 <span class="muted">(score ');
      expect(text).toContain('/chart.svg?metric=rank&amp;days=30&amp;to=2025-01-21');
    });

    it('offers copy-ready embed snippets with absolute URLs, and oEmbed discovery in the head', async () => {
      const { text } = await page('/models/deepseek-ai/DeepSeek-R1');
      expect(text).toContain(
        '<pre aria-labelledby="snippet-markdown"><code>[![downloads](https://modelpulse.test/badges/deepseek-ai/DeepSeek-R1/downloads.svg)](https://modelpulse.test/models/deepseek-ai/DeepSeek-R1)</code></pre>',
      );
      const code = (request: SnippetRequest) =>
        `<code>${escapeMarkup(snippet('https://modelpulse.test', request))}</code>`;
      expect(text).toContain(code({ kind: 'iframe', widget: { kind: 'model', id: R1 } }));
      expect(text).toContain(
        code({ kind: 'iframe', widget: { kind: 'trending', filters: new URLSearchParams('limit=10') } }),
      );
      expect(text).toContain(code({ kind: 'html-badge', id: R1 }));
      expect(text).toContain('height=&quot;592&quot;');
      expect(text).toContain(
        '<img src="/badges/deepseek-ai/DeepSeek-R1/downloads.svg" alt="Downloads badge of deepseek-ai/DeepSeek-R1">',
      );
      const head = text.slice(0, text.indexOf('</head>'));
      expect(head).toContain(
        '<link rel="alternate" type="application/json+oembed" href="https://modelpulse.test/oembed?url=https%3A%2F%2Fmodelpulse.test%2Fmodels%2Fdeepseek-ai%2FDeepSeek-R1&amp;format=json" title="deepseek-ai/DeepSeek-R1">',
      );
      expect(head).toContain('<link rel="canonical" href="https://modelpulse.test/models/deepseek-ai/DeepSeek-R1">');
    });

    it('finds a model in any letter case and shows its canonical id', async () => {
      const { text } = await page('/models/DEEPSEEK-AI/deepseek-r1');
      expect(text).toContain(`<h1>${R1}</h1>`);
    });

    it('redirects an old id with a 301 to the page under the new id', async () => {
      const response = await page(`/models/${R1_OLD_ID}`, 301);
      expect(response.headers.location).toBe('/models/deepseek-ai/DeepSeek-R1');
      expect(response.text).toContain('is now deepseek-ai/DeepSeek-R1');
    });

    it('answers an unknown model with a friendly 404 page', async () => {
      const { text } = await page('/models/nobody/nothing-here', 404);
      expect(text).toContain('<html lang="en">');
      expect(text).toContain('<h1>Not found</h1>');
      expect(text).toContain('<p>Model nobody/nothing-here was not found</p>');
      expect(text).toContain('<a href="/">See what is trending</a>');
    });

    it('escapes every string a model brings: description, tags and paper titles render as text', async () => {
      const { text } = await page('/models/acme/hostile-7b');
      expect(text).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
      expect(text).toContain('<meta name="description" content="&lt;script&gt;alert(1)&lt;/script&gt;">');
      expect(text).toContain('<li>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</li>');
      expect(text).toContain(
        '<a href="https://arxiv.org/abs/2501.00001">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>',
      );
      expect(text).not.toContain(SCRIPT);
      expect(text).not.toContain(ATTRIBUTE_BREAK);
      expect(text).not.toContain('<img src=x');
    });
  });

  describe('the search box', () => {
    it.each([
      ['/', 200],
      ['/models/deepseek-ai/DeepSeek-R1', 200],
      ['/models/nobody/nothing-here', 404],
      ['/models?q=qwen', 200],
    ])('%s has it in the header: a labelled GET form for q, no script', async (path, status) => {
      const { text } = await page(path, status);
      const header = text.slice(text.indexOf('<header>'), text.indexOf('</header>'));
      expect(header).toContain('<form class="search" role="search" method="get" action="/models">');
      expect(header).toContain('<label for="site-search" class="sr-only">Search models');
      expect(header).toContain('<input id="site-search" name="q" type="search"');
      expect(count(text, 'id="site-search"')).toBe(1);
      expect(text).not.toContain('<script');
    });

    it('finds what a person types, as a browser sends it (spaces as +): the distills, best first, as the API lists them', async () => {
      const { text } = await page('/models?q=deepseek+distill');
      const { body } = await request(t.http).get('/v1/models?q=deepseek+distill').expect(200);
      const api = (body as { data: { id: string }[] }).data.map((m) => m.id);
      expect(api).toHaveLength(6);
      expect(api.every((id) => id.startsWith('deepseek-ai/DeepSeek-R1-Distill-'))).toBe(true);
      const rows = [...text.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
      expect(rows).toEqual(api);
      expect(text).toContain('<caption id="models-caption">Models matching “deepseek distill”</caption>');
      expect(text).toContain('<option value="relevance" selected>Best match</option>');
    });
  });

  describe('GET /models', () => {
    it('browses every model a page at a time, each page following the cursor of the one before', async () => {
      const seen: string[] = [];
      let path: string | null = '/models?limit=25';
      while (path !== null) {
        const { text } = await page(path);
        seen.push(...[...text.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]));
        const next = /<a rel="next" href="([^"]+)">/.exec(text)?.[1];
        path = next === undefined ? null : next.replace(/&amp;/g, '&');
      }
      const { body } = await request(t.http).get('/v1/models?limit=100').expect(200);
      const all = (body as { data: { id: string }[] }).data.map((m) => m.id);
      expect(all.length).toBeGreaterThanOrEqual(60);
      expect(seen).toEqual(all);
    });

    it('filters and sorts like the API, treating the blank fields a form sends as "any", and shows them back', async () => {
      const { text } = await page(
        '/models?q=&license=mit&task=&organization=deepseek-ai&minParams=&maxParams=&sort=parameters',
      );
      const { body } = await request(t.http)
        .get('/v1/models?license=mit&organization=deepseek-ai&sort=parameters')
        .expect(200);
      const rows = [...text.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
      expect(rows).toEqual((body as { data: { id: string }[] }).data.map((m) => m.id));
      expect(rows.length).toBeGreaterThan(0);
      expect(text).toContain('<option value="parameters" selected>Parameters</option>');
      expect(text).toContain('value="deepseek-ai"');
      // Without words there is nothing to match best.
      expect(text).not.toContain('value="relevance"');
    });

    it('says so when nothing matches, and answers a bad sort with a 400 page naming the field', async () => {
      const { text } = await page('/models?q=no+such+model+anywhere');
      expect(text).toContain('No model matches these words and filters.');
      const bad = await page('/models?sort=cheapest', 400);
      expect(bad.text).toContain('sort');
    });
  });

  describe('headers', () => {
    it.each(['/', '/models/deepseek-ai/DeepSeek-R1', '/models/nobody/nothing-here'])(
      '%s keeps the strict headers: not framable, scripts and images from this server only',
      async (path) => {
        const response = await request(t.http).get(path);
        expect(response.headers['x-frame-options']).toBe('DENY');
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
      },
    );

    it('leaves the API as it was: problem+json for an unknown model, and the site out of the OpenAPI document', async () => {
      const response = await request(t.http).get('/v1/models/nobody/nothing-here').expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const { body } = await request(t.http).get('/openapi.json').expect(200);
      expect(Object.keys(body.paths as object)).not.toContain('/');
      expect(Object.keys(body.paths as object)).not.toContain('/models/{org}/{name}');
    });
  });
});
