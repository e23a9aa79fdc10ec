import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { LLAMA, loadSiteData, QWEN_32B, R1, SITE_NOW } from '../support/site-data';
import { axeViolations, imageState, launchChromium, watch, widths, type PageTrouble } from './browser';

const NARROW = { width: 320, height: 640 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1024, height: 900 };

/** The smallest text a chart draws (its axis labels), in the drawing's own pixels. */
const AXIS_FONT_PX = 11;

/**
 * The compare page and the site's charts in Debian's headless Chromium:
 * what axe-core finds, whether a narrow screen scrolls sideways, whether the
 * charts load, and how large their smallest text comes out on a phone.
 */
describe('comparing models in a real browser', () => {
  let t: TestApp;
  let app: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, clock: new FakeClock(SITE_NOW) });
    await loadSiteData(t);
    await t.app.listen(0, '127.0.0.1');
    app = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: DESKTOP });
  });
  afterEach(() => context.close());

  async function open(path: string, viewport = DESKTOP): Promise<{ page: Page; trouble: PageTrouble; status: number }> {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    const trouble = watch(page);
    const response = await page.goto(`${app}${path}`, { waitUntil: 'load' });
    return { page, trouble, status: response?.status() ?? 0 };
  }

  /**
   * How large the chart's axis labels are on screen, in CSS pixels: their
   * size in the drawing times the ratio of the width the `<img>` is laid out
   * at to the width of the drawing the browser picked (its viewBox, read
   * from the very SVG it loaded).
   */
  async function axisLabelPx(
    page: Page,
    index = 0,
  ): Promise<{ px: number; src: string; drawnWidth: number; shownWidth: number }> {
    const { src, shownWidth } = await page.evaluate<{ src: string; shownWidth: number }>(
      `(() => { const img = document.querySelectorAll('img.chart')[${index}]; return { src: img.currentSrc, shownWidth: img.getBoundingClientRect().width }; })()`,
    );
    const svg = await (await page.request.get(src)).text();
    const drawnWidth = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
    const fontSizes = [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...fontSizes)).toBe(AXIS_FONT_PX);
    return { px: (AXIS_FONT_PX * shownWidth) / drawnWidth, src, drawnWidth, shownWidth };
  }

  const COMPARED = `/compare?models=${R1},${QWEN_32B},${LLAMA}`;
  const PAGES = [
    { path: '/compare', status: 200, text: ['Compare models', 'Models to compare'] },
    {
      path: COMPARED,
      status: 200,
      text: ['Downloads a day', 'Downloads, last 30 days', 'Llama 3.1 Community License'],
    },
    { path: '/compare?models=acme/nothing', status: 400, text: ['models: unknown model "acme/nothing"'] },
  ];

  it.each(PAGES)('$path shows its text, has no axe-core violation and one h1', async ({ path, status, text }) => {
    const { page, status: got } = await open(path);
    expect(got).toBe(status);
    const body = await page.innerText('body');
    for (const part of text) expect(body).toContain(part);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it.each(PAGES)('$path does not scroll sideways at 320 px', async ({ path }) => {
    const { page } = await open(path, NARROW);
    expect((await widths(page)).scrollWidth).toBeLessThanOrEqual(NARROW.width);
  });

  it.each([NARROW, PHONE, DESKTOP])('the compare chart loads with no console error (%o)', async (viewport) => {
    const { page, trouble } = await open(COMPARED, viewport);
    const chart = await imageState(page, 'img.chart');
    expect(chart.complete).toBe(true);
    expect(chart.naturalWidth).toBeGreaterThan(0);
    expect(trouble.errors).toEqual([]);
  });

  it.each([
    ['the compare page', COMPARED, 0],
    ["a model page's downloads", `/models/${R1}`, 0],
    ["a model page's rank history", `/models/${R1}`, 1],
  ])('on %s the chart is not shrunk: axis labels of 11 px or more at 320, 390 and 1024 px', async (_, path, index) => {
    const measured: Record<number, { px: number; drawnWidth: number }> = {};
    for (const viewport of [NARROW, PHONE, DESKTOP]) {
      const { page } = await open(path, viewport);
      await page.waitForFunction(`[...document.querySelectorAll('img.chart')].every((img) => img.complete)`);
      const { px, drawnWidth, src } = await axisLabelPx(page, index);
      expect(src).toContain(index === 1 ? 'metric=rank' : 'metric=downloads');
      measured[viewport.width] = { px: Math.round(px * 100) / 100, drawnWidth };
      await page.close();
    }
    // Each screen gets a drawing no wider than its column, shown at its own size.
    expect(measured).toEqual({
      320: { px: AXIS_FONT_PX, drawnWidth: 288 },
      390: { px: AXIS_FONT_PX, drawnWidth: 288 },
      1024: { px: AXIS_FONT_PX, drawnWidth: 640 },
    });
  });

  it('measures a 640 px drawing shrunk onto a 390 px phone as the 6 px it would be', async () => {
    const page = await context.newPage();
    await page.setViewportSize(PHONE);
    // A page of the site's origin, whose CSP lets it show the site's images.
    await page.goto(`${app}/compare`);
    await page.setContent(
      `<body style="margin:0;padding:0 16px"><img class="chart" style="display:block;max-width:100%;height:auto" alt="" src="${app}/v1/chart.svg?models=${R1}"></body>`,
    );
    await page.waitForFunction(`document.querySelector('img.chart').complete`);
    const measured = await axisLabelPx(page);
    expect(measured.drawnWidth).toBe(640);
    expect(measured.px).toBeCloseTo((AXIS_FONT_PX * (PHONE.width - 32)) / 640, 1);
  });

  it('edits the list with the form alone, JavaScript off, from a model page', async () => {
    await context.close();
    context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const { page } = await open(`/models/${R1}`, PHONE);
    await Promise.all([page.waitForURL(/\/compare\?/), page.click('text=Compare with other models')]);
    expect(await page.inputValue('#model-1')).toBe(R1);
    await page.fill('#model-2', LLAMA.toLowerCase());
    await Promise.all([page.waitForURL(/models=/), page.click('form.filters button[type=submit]')]);
    expect(await page.locator('thead th a').allInnerTexts()).toEqual([R1, LLAMA]);
    expect(await page.inputValue('#model-2')).toBe(LLAMA);
  });
});
