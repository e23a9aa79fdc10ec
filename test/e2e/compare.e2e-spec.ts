import request from 'supertest';
import { SERIES_STYLES, snippet } from '@modelpulse/core/embeds';
import { createTestApp, type TestApp } from '../support/app';
import { linesIn, readChart, texts } from '../support/chart-reading';
import { FakeClock } from '../support/clock';
import { HOSTILE, LLAMA, loadSiteData, QWEN, QWEN_32B, R1, R1_OLD_ID, SITE_NOW } from '../support/site-data';

describe('comparing models', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock: new FakeClock(SITE_NOW) });
    await loadSiteData(t);
  });
  afterAll(() => t.close());

  describe('GET /v1/chart.svg', () => {
    it('draws a line per model in its own colour, with a legend naming them in order', async () => {
      const response = await request(t.http).get(`/v1/chart.svg?models=${LLAMA},${R1},${QWEN_32B}&days=7`).expect(200);
      expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      const svg = String(response.body);
      expect(texts(svg).slice(0, 4)).toEqual(['downloads a day, last 7 days', LLAMA, R1, QWEN_32B]);
      expect(svg).toContain(`aria-label="downloads a day, last 7 days: ${LLAMA}, ${R1}, ${QWEN_32B}"`);
      // Each model has readings up to the 21st and none on the 22nd: one run each, the 22nd a gap.
      for (const style of SERIES_STYLES.slice(0, 3)) expect(linesIn(svg, style.colour)).toHaveLength(1);
      for (const style of SERIES_STYLES.slice(3)) expect(svg).not.toContain(style.colour);
    });

    it('draws for each model the figures the stats API gives, unknown days as gaps', async () => {
      const models = [LLAMA, QWEN, R1, QWEN_32B, HOSTILE];
      const svg = String(
        (
          await request(t.http)
            .get(`/v1/chart.svg?models=${models.join(',')}&days=14`)
            .expect(200)
        ).body,
      );
      const from = '2025-01-09';
      for (const [i, model] of models.entries()) {
        const { body } = await request(t.http).get(`/v1/models/${model}/stats?from=${from}&to=2025-01-22`).expect(200);
        const known = (body.points as { date: string; value: number | null }[]).filter((p) => p.value !== null);
        const drawn = readChart(svg, from, 14, SERIES_STYLES[i].colour);
        expect([...drawn.keys()].sort()).toEqual(known.map((p) => p.date));
        // Points are drawn to a tenth of a pixel: 2.5M over 176 px is some 1.5k a tenth.
        for (const point of known) expect(Math.abs(drawn.get(point.date)! - point.value!)).toBeLessThan(1_500);
      }
    });

    it('draws a renamed model under its new id, and a model asked twice once', async () => {
      const svg = String((await request(t.http).get(`/v1/chart.svg?models=${R1_OLD_ID},${LLAMA},${R1}`)).body);
      expect(texts(svg).slice(1, 3)).toEqual([R1, LLAMA]);
      expect(svg).not.toContain(SERIES_STYLES[2].colour);
    });

    it('draws as wide as asked, text the same size', async () => {
      const svg = String((await request(t.http).get(`/v1/chart.svg?models=${R1}&width=288`).expect(200)).body);
      expect(svg).toMatch(
        /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="288" height="262" viewBox="0 0 288 262"/,
      );
      expect(svg).toContain('font-size="11"');
    });

    const MODELS = 'models must name 1 to 5 model ids as org/name, comma-separated';
    it.each([
      ['no models', '', 'models', MODELS],
      ['an empty list', 'models=', 'models', MODELS],
      ['commas only', 'models=,,', 'models', MODELS],
      [
        'six models',
        `models=${[LLAMA, QWEN, R1, QWEN_32B, HOSTILE, 'Qwen/QwQ-32B'].join(',')}`,
        'models',
        'models must name at most 5 models, not 6',
      ],
      ['a malformed id', `models=${R1},not-an-id`, 'models', `${MODELS}: "not-an-id" is not one`],
      [
        'an unknown model',
        `models=${R1},acme/nothing`,
        'models',
        'unknown model "acme/nothing"; the catalogue at /models finds ids',
      ],
      [
        'a width too narrow',
        `models=${R1}&width=100`,
        'width',
        'width must be a whole number of pixels from 288 to 1200',
      ],
      ['days out of range', `models=${R1}&days=400`, 'days', 'days must be a whole number from 7 to 365'],
    ])('refuses %s with a problem naming the field', async (_, query, field, message) => {
      const response = await request(t.http).get(`/v1/chart.svg?${query}`).expect(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(response.text).errors).toEqual([{ field, message }]);
    });
  });

  describe('GET /compare', () => {
    const page = async (path: string, status = 200) => {
      const response = await request(t.http).get(path).expect(status);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      return response.text;
    };

    it('shows the empty form and what the page is for, with no chart', async () => {
      const text = await page('/compare');
      expect(text).toContain('<h1>Compare models</h1>');
      expect(text).toContain('<form class="filters" method="get" action="/compare">');
      expect(text.match(/<input id="model-\d" name="models" type="text" value=""/g)).toHaveLength(5);
      expect(text).toContain('<a href="/compare?models=deepseek-ai/DeepSeek-R1,Qwen/QwQ-32B">');
      expect(text).not.toContain('<picture>');
      expect(text).not.toContain('<script');
      // The form's blank fields, as a browser sends them.
      expect(await page('/compare?models=&models=&models=')).toContain('<h1>Compare models</h1>');
    });

    it('shows the models side by side, the chart of them all, and links to each', async () => {
      const text = await page(`/compare?models=${R1},${QWEN_32B}&models=&models=${LLAMA}`);
      expect(text).toContain(`<h1>Compare ${R1}, ${QWEN_32B} and ${LLAMA}</h1>`);
      expect(text).toContain(`<title>Compare ${R1}, ${QWEN_32B} and ${LLAMA} · modelpulse</title>`);
      expect(text).toContain(`<input id="model-2" name="models" type="text" value="${QWEN_32B}"`);
      const headers = /<thead>(.*?)<\/thead>/s.exec(text)![1];
      expect(
        [...headers.matchAll(/<th scope="col"><svg [^>]*><line [^>]* stroke="(#[0-9a-f]+)"/g)].map((m) => m[1]),
      ).toEqual(SERIES_STYLES.slice(0, 3).map((style) => style.colour));
      expect([...headers.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
        ['/models/deepseek-ai/DeepSeek-R1', R1],
        ['/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', QWEN_32B],
        ['/models/meta-llama/Llama-3.1-8B-Instruct', LLAMA],
      ]);
      expect(text).toContain(
        '<tr><th scope="row">Downloads, last 7 days</th><td class="num">300k<br><span class="muted">300,000</span></td>' +
          '<td class="num">50k<br><span class="muted">50,000</span></td><td class="num">14M<br><span class="muted">14,000,000</span></td></tr>',
      );
      expect(text).toContain('<tr><th scope="row">Licence</th><td>MIT License</td>');
      expect(text).toContain('<tr><th scope="row">Parameters</th><td class="num">671B<br>');
      expect(text).toContain('<tr><th scope="row">Released</th><td><time datetime="2025-01-20">2025-01-20</time></td>');
      const chart = `/v1/chart.svg?models=${R1},${QWEN_32B},${LLAMA}&amp;metric=downloads&amp;days=90`;
      expect(text).toContain(
        `<picture><source media="(max-width: 431px)" srcset="${chart}&amp;width=288">` +
          `<source media="(max-width: 527px)" srcset="${chart}&amp;width=384">` +
          `<source media="(max-width: 607px)" srcset="${chart}&amp;width=480">` +
          `<source media="(max-width: 687px)" srcset="${chart}&amp;width=560">` +
          `<img class="chart" src="${chart}" alt="Daily downloads of ${R1}, ${QWEN_32B} and ${LLAMA} over the last 90 days, ` +
          `a line each; the table below gives each model&#39;s totals"></picture>`,
      );
      for (const src of [chart, `${chart}&amp;width=288`]) {
        const svg = String((await request(t.http).get(src.replace(/&amp;/g, '&')).expect(200)).body);
        for (const style of SERIES_STYLES.slice(0, 3)) expect(linesIn(svg, style.colour)).toHaveLength(1);
      }
    });

    it("offers the chart as a snippet to paste elsewhere, snippet()'s own, whose image draws every model", async () => {
      const text = await page(`/compare?models=${R1},${QWEN_32B}`);
      const ids = [R1, QWEN_32B];
      const expected = snippet('https://modelpulse.test', {
        kind: 'chart',
        ids,
        query: new URLSearchParams({ metric: 'downloads', days: '90' }),
      });
      const copied = /<pre aria-labelledby="compare-embed"><code>([^<]*)<\/code><\/pre>/.exec(text)![1];
      const unescaped = copied
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
      expect(unescaped).toBe(expected);
      const src = /src="https:\/\/modelpulse\.test([^"]+)"/.exec(unescaped)![1].replace(/&amp;/g, '&');
      const svg = String((await request(t.http).get(src).expect(200)).body);
      for (const style of SERIES_STYLES.slice(0, 2)) expect(linesIn(svg, style.colour)).toHaveLength(1);
    });

    it('shows a renamed model under its new id', async () => {
      const text = await page(`/compare?models=${R1_OLD_ID}`);
      expect(text).toContain(`<h1>Compare ${R1}</h1>`);
      expect(text).toContain(`<input id="model-1" name="models" type="text" value="${R1}"`);
    });

    it.each([
      [
        'a malformed id',
        `models=${R1},not-an-id`,
        'models must name 1 to 5 model ids as org/name, comma-separated: &quot;not-an-id&quot; is not one',
      ],
      [
        'an unknown model',
        `models=acme/nothing`,
        'unknown model &quot;acme/nothing&quot;; the catalogue at /models finds ids',
      ],
      [
        'six models',
        `models=${[LLAMA, QWEN, R1, QWEN_32B, HOSTILE, 'Qwen/QwQ-32B'].join(',')}`,
        'models must name at most 5 models, not 6',
      ],
    ])('answers %s with a 400 page naming models', async (_, query, message) => {
      const text = await page(`/compare?${query}`, 400);
      expect(text).toContain('<h1>That request did not work</h1>');
      expect(text).toContain(`<li><strong>models</strong>: ${message}</li>`);
    });

    it('is linked from the nav and from each model page, whose chart reads on a phone too', async () => {
      const text = await page(`/models/${R1}`);
      expect(text).toContain('<li><a href="/compare">Compare</a></li>');
      expect(text).toContain('<a href="/compare?models=deepseek-ai/DeepSeek-R1">Compare with other models</a>');
      expect(text).toContain(
        '<picture><source media="(max-width: 431px)" srcset="/v1/models/deepseek-ai/DeepSeek-R1/chart.svg?metric=downloads&amp;days=90&amp;width=288">',
      );
    });
  });
});
