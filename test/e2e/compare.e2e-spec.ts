import request from 'supertest';
import { SERIES_STYLES } from '@modelpulse/core/embeds';
import { DAY_MS } from '@modelpulse/core/days';
import { createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { HOSTILE, LLAMA, loadSiteData, QWEN, QWEN_32B, R1, R1_OLD_ID, SITE_NOW } from '../support/site-data';

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, B: 1e9 };
const fromShort = (text: string) => {
  const [, number, unit] = /^(-?[\d.]+)([kMB]?)$/.exec(text)!;
  return Number(number) * UNITS[unit];
};
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
/** The polylines drawn in a colour, each as its [x, y] points. */
const linesIn = (svg: string, colour: string) =>
  [...svg.matchAll(new RegExp(`<polyline points="([^"]+)" fill="none" stroke="${colour}"`, 'g'))].map((m) =>
    m[1].split(' ').map((pair) => pair.split(',').map(Number)),
  );
const dotsIn = (svg: string, colour: string) =>
  [...svg.matchAll(new RegExp(`<circle cx="([\\d.]+)" cy="([\\d.]+)" r="3" fill="${colour}"/>`, 'g'))].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);

/**
 * What a chart says of each day, read back from the drawing alone: the
 * y axis's labelled grid lines give value per pixel, the plot's width
 * gives the day of each x.
 */
function readChart(svg: string, from: string, days: number, colour: string): Map<string, number> {
  const grid = [
    ...svg.matchAll(
      /<line x1="48" x2="(\d+)" y1="([\d.]+)" y2="[\d.]+" stroke="#d1d9e0"\/><text [^>]*>([^<]+)<\/text>/g,
    ),
  ].map((m) => ({ right: Number(m[1]), y: Number(m[2]), value: fromShort(m[3]) }));
  const [low, high] = [grid[0], grid.at(-1)!];
  const valueAt = (y: number) => low.value + ((low.y - y) / (low.y - high.y)) * (high.value - low.value);
  const dayAt = (x: number) =>
    new Date(Date.parse(from) + Math.round(((x - 48) / (low.right - 48)) * (days - 1)) * DAY_MS)
      .toISOString()
      .slice(0, 10);
  const drawn = new Map<string, number>();
  for (const [x, y] of [...linesIn(svg, colour).flat(), ...dotsIn(svg, colour)]) drawn.set(dayAt(x), valueAt(y));
  return drawn;
}

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
});
