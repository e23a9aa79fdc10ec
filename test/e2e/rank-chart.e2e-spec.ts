import request from 'supertest';
import { SERIES_STYLES } from '@modelpulse/core/embeds';
import { createTestApp, type TestApp } from '../support/app';
import { readChart, texts } from '../support/chart-reading';
import { FakeClock } from '../support/clock';
import { LLAMA, loadSiteData, QWEN_32B, R1, SITE_NOW } from '../support/site-data';

/** The colour of a chart of one model. */
const LINE = '#0969da';

describe('rank charts and charts ending on a day', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock: new FakeClock(SITE_NOW) });
    await loadSiteData(t);
  });
  afterAll(() => t.close());

  const svgOf = async (path: string) => String((await request(t.http).get(path).expect(200)).body);
  const ranksOf = async (model: string, from: string, to: string) => {
    const { body } = await request(t.http).get(`/v1/models/${model}/rankings?from=${from}&to=${to}`).expect(200);
    return new Map(
      (body.points as { date: string; rank: number | null }[])
        .filter((p) => p.rank !== null)
        .map((p) => [p.date, p.rank!]),
    );
  };
  const rounded = (drawn: Map<string, number>) => new Map([...drawn].map(([day, rank]) => [day, Math.round(rank)]));

  it("draws a model's trending rank each day as the rank history gives it, rank 1 on top", async () => {
    const svg = await svgOf(`/v1/models/${R1}/chart.svg?metric=rank&days=30&to=2025-01-21`);
    expect(texts(svg)[0]).toBe(`${R1}: trending rank each day, 30 days to 2025-01-21`);
    const ranks = await ranksOf(R1, '2024-12-23', '2025-01-21');
    expect(ranks.size).toBeGreaterThan(0);
    expect(rounded(readChart(svg, '2024-12-23', 30, LINE))).toEqual(ranks);
    // Rank 1 is the top of the plot: the first labelled grid line.
    expect(texts(svg)[1]).toBe('1');
  });

  it('ends a rank chart yesterday by default: today has no final rank yet', async () => {
    const svg = await svgOf(`/v1/models/${R1}/chart.svg?metric=rank&days=7`);
    expect(texts(svg)[0]).toBe(`${R1}: trending rank each day, last 7 days`);
    expect(rounded(readChart(svg, '2025-01-15', 7, LINE))).toEqual(await ranksOf(R1, '2025-01-15', '2025-01-21'));
  });

  it('draws the ranks of several models, a line each', async () => {
    const models = [R1, QWEN_32B, LLAMA];
    const svg = await svgOf(`/v1/chart.svg?models=${models.join(',')}&metric=rank&days=14&to=2025-01-21`);
    expect(texts(svg)[0]).toBe('trending rank each day, 14 days to 2025-01-21');
    let drawnAny = 0;
    for (const [i, model] of models.entries()) {
      const ranks = await ranksOf(model, '2025-01-08', '2025-01-21');
      expect(rounded(readChart(svg, '2025-01-08', 14, SERIES_STYLES[i].colour))).toEqual(ranks);
      drawnAny += ranks.size;
    }
    expect(drawnAny).toBeGreaterThan(0);
  });

  it('ends a downloads chart on the day asked, as the stats API gives it', async () => {
    const svg = await svgOf(`/v1/models/${LLAMA}/chart.svg?days=7&to=2025-01-18`);
    expect(texts(svg)[0]).toBe(`${LLAMA}: downloads a day, 7 days to 2025-01-18`);
    const { body } = await request(t.http).get(`/v1/models/${LLAMA}/stats?from=2025-01-12&to=2025-01-18`).expect(200);
    const known = (body.points as { date: string; value: number | null }[]).filter((p) => p.value !== null);
    expect(known.length).toBeGreaterThan(0);
    const drawn = readChart(svg, '2025-01-12', 7, LINE);
    expect([...drawn.keys()].sort()).toEqual(known.map((p) => p.date));
    for (const point of known) expect(Math.abs(drawn.get(point.date)! - point.value!)).toBeLessThan(1_500);
  });

  it.each([
    ['a day in the future', `/v1/models/${R1}/chart.svg?to=2025-01-23`, 'to', 'to must not be in the future'],
    ['a malformed day', `/v1/models/${R1}/chart.svg?to=21-01-2025`, 'to', 'to must be a date like 2025-01-27'],
    ['a day that does not exist', `/v1/chart.svg?models=${R1}&to=2025-02-30`, 'to', 'to must be a real date'],
    [
      'a rank chart longer than a rank history',
      `/v1/models/${R1}/chart.svg?metric=rank&days=120`,
      'days',
      'a rank chart draws at most 92 days',
    ],
  ])('refuses %s with a problem naming the field', async (_, path, field, message) => {
    const response = await request(t.http).get(path).expect(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    // A malformed day is not a real one either: both are said.
    expect(JSON.parse(response.text).errors).toContainEqual({ field, message });
  });

  it("shows the model page's rank history as that chart, and a past day's downloads up to that day", async () => {
    const now = (await request(t.http).get(`/models/${R1}`).expect(200)).text;
    const rankChart = `/v1/models/${R1}/chart.svg?metric=rank&amp;days=30&amp;to=2025-01-21`;
    expect(now).toContain(
      `<img class="chart" src="${rankChart}" alt="Trending rank of ${R1} each day from 2024-12-23 to 2025-01-21; best 1, on 2025-01-21">`,
    );
    expect(now).toContain(`srcset="${rankChart}&amp;width=288"`);
    const drawn = readChart(await svgOf(rankChart.replace(/&amp;/g, '&')), '2024-12-23', 30, LINE);
    expect(rounded(drawn)).toEqual(await ranksOf(R1, '2024-12-23', '2025-01-21'));
    const past = (await request(t.http).get(`/models/${R1}?asOf=2025-01-18`).expect(200)).text;
    expect(past).toContain(
      `<img class="chart" src="/v1/models/${R1}/chart.svg?metric=downloads&amp;days=90&amp;to=2025-01-18" ` +
        `alt="Daily downloads of ${R1} over the 90 days to 2025-01-18">`,
    );
    // Not ranked before its first full day out: a sentence, no empty chart.
    expect(past).toContain('Not ranked on any day from 2024-12-20 to 2025-01-18.');
    expect(past).not.toContain('metric=rank');
  });
});
