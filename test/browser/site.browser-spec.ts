import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { loadSiteData, SITE_NOW } from '../support/site-data';
import { axeViolations, imageState, launchChromium, watch, widths, type PageTrouble } from './browser';
import { startOtherOrigin } from './other-origin';

/** The narrowest screen the site and its widgets are made for. */
const NARROW = { width: 320, height: 640 };
const DESKTOP = { width: 1024, height: 900 };

/**
 * Images the site shows from routes the badge and chart work adds (they
 * have cases of their own below); a site case must not fail on them.
 */
const SIBLING_ROUTES = /\/(badges\/[^?]+\.svg|v1\/models\/[^?]+\/chart\.svg)/;

/**
 * The site, its widgets and badges as a user meets them, in Debian's
 * headless Chromium: what is shown, what loaded, what the console says,
 * what axe-core finds, and whether a 320 px screen scrolls sideways.
 */
describe('in a real browser', () => {
  let t: TestApp;
  let app: string;
  let other: { url: string; close(): Promise<void> };
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await createTestApp({
      seed: true,
      clock: new FakeClock(SITE_NOW),
      env: { PUBLIC_URL: 'http://localhost:3000' },
    });
    await loadSiteData(t);
    await t.app.listen(0, '127.0.0.1');
    app = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    other = await startOtherOrigin(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await other?.close();
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
    const response = await page.goto(path.startsWith('http') ? path : `${app}${path}`, { waitUntil: 'load' });
    return { page, trouble, status: response?.status() ?? 0 };
  }

  /** The page's errors, leaving out what another part of the work serves and what the page itself was meant to answer. */
  const siteErrors = (trouble: PageTrouble, ownUrl?: string) =>
    trouble.errors.filter((error) => !SIBLING_ROUTES.test(error) && !(ownUrl && error.endsWith(`(${ownUrl})`)));

  describe('the site', () => {
    const PAGES = [
      { path: '/', status: 200, text: ['Trending open models', 'deepseek-ai/DeepSeek-R1', 'Filter the ranking'] },
      {
        path: '/?license=apache-2.0&maxParams=10B&task=&organization=&minParams=&asOf=',
        status: 200,
        text: ['acme/hostile-7b'],
      },
      {
        path: '/models/deepseek-ai/DeepSeek-R1',
        status: 200,
        text: [
          'MIT License',
          '671B',
          'Made from it',
          'Rank history',
          'Embed this model',
          '[![downloads](http://localhost:3000/badges/deepseek-ai/DeepSeek-R1/downloads.svg)',
        ],
      },
      {
        path: '/models/meta-llama/Llama-3.1-8B-Instruct?asOf=2025-01-20',
        status: 200,
        text: ['As of 2025-01-20 (UTC)', '7 days to 2025-01-20', 'This model now'],
      },
      {
        path: '/models/acme/hostile-7b',
        status: 200,
        text: ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'],
      },
      {
        path: '/models/nobody/nothing-here',
        status: 404,
        text: ['Not found', 'Model nobody/nothing-here was not found'],
      },
      { path: '/models', status: 200, text: ['Every model', 'Find models', 'Next 20 models'] },
      {
        path: '/models?q=deepseek+distill&license=&task=',
        status: 200,
        text: ['Models matching “deepseek distill”', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 'Best match'],
      },
    ];

    it.each(PAGES)('$path shows its text with no console error and no dialog', async ({ path, status, text }) => {
      const { page, trouble, status: got } = await open(path);
      expect(got).toBe(status);
      const body = await page.innerText('body');
      for (const part of text) expect(body).toContain(part);
      expect(await page.locator('h1').count()).toBe(1);
      expect(siteErrors(trouble, status === 200 ? undefined : `${app}${path}`)).toEqual([]);
      expect(trouble.dialogs).toEqual([]);
    });

    it('axe-core, as injected here, does find violations where there are some', async () => {
      const page = await context.newPage();
      await page.setContent('<html><body><img src="data:,"><input type="text"></body></html>');
      const ids = (await axeViolations(page)).map((v) => v.id);
      expect(ids).toEqual(expect.arrayContaining(['html-has-lang', 'image-alt', 'label']));
    });

    it.each(PAGES)('$path has no axe-core violation', async ({ path }) => {
      const { page } = await open(path);
      expect(await axeViolations(page)).toEqual([]);
    });

    it.each(PAGES)('$path does not scroll sideways at 320 px', async ({ path }) => {
      const { page } = await open(path, NARROW);
      const { scrollWidth } = await widths(page);
      expect(scrollWidth).toBeLessThanOrEqual(320);
    });

    it('filters the leaderboard with the form alone, JavaScript off', async () => {
      await context.close();
      context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
      const { page } = await open('/');
      await page.selectOption('#license', 'apache-2.0');
      await page.fill('#maxParams', '10B');
      await Promise.all([page.waitForURL(/maxParams=10B/), page.click('form.filters button[type=submit]')]);
      expect(page.url()).toBe(`${app}/?license=apache-2.0&task=&organization=&minParams=&maxParams=10B&asOf=&limit=20`);
      const rows = await page.locator('tbody tr th a').allInnerTexts();
      expect(rows).toContain('acme/hostile-7b');
      expect(rows).not.toContain('deepseek-ai/DeepSeek-R1');
    });

    it('searches from the box in the header, JavaScript off, and lands on the catalogue, best matches first', async () => {
      await context.close();
      context = await browser.newContext({ viewport: NARROW, javaScriptEnabled: false });
      const { page } = await open('/models/deepseek-ai/DeepSeek-R1');
      await page.fill('#site-search', 'distill deepseek');
      await Promise.all([page.waitForURL(/\/models\?q=/), page.click('form.search button[type=submit]')]);
      expect(page.url()).toBe(`${app}/models?q=distill+deepseek`);
      const rows = await page.locator('tbody tr th a').allInnerTexts();
      expect(rows).toHaveLength(6);
      expect(rows.every((id) => id.startsWith('deepseek-ai/DeepSeek-R1-Distill-'))).toBe(true);
    });

    it('titles the home page with the day it ranks', async () => {
      const home = await open('/');
      expect(await home.page.title()).toBe('Trending open models as of 2025-01-21 · modelpulse');
    });
  });

  /*
   * The routes below come from the badges and widgets work (GET /badges/…,
   * /embed/…, /v1/models/…/chart.svg). Until it is merged these cases fail,
   * loudly and on purpose: nothing here is skipped.
   */
  describe('embeds: the chart, badges and widgets, by URL', () => {
    it('the model page shows its download chart and badge as loaded images', async () => {
      const { page, trouble } = await open('/models/deepseek-ai/DeepSeek-R1');
      expect(await imageState(page, 'img.chart')).toEqual({ complete: true, naturalWidth: expect.any(Number) });
      expect((await imageState(page, 'img.chart')).naturalWidth).toBeGreaterThan(0);
      expect((await imageState(page, 'img[src^="/badges/"]')).naturalWidth).toBeGreaterThan(0);
      expect(trouble.errors).toEqual([]);
    });

    const WIDGETS = [
      { path: '/embed/trending', text: 'DeepSeek-R1' },
      { path: '/embed/trending?theme=dark&limit=5', text: 'DeepSeek-R1' },
      { path: '/embed/models/deepseek-ai/DeepSeek-R1', text: 'DeepSeek-R1' },
      { path: '/embed/models/acme/hostile-7b', text: 'acme/hostile-7b' },
    ];

    it.each(WIDGETS)(
      'widget $path shows its text at 320 px with no sideways scroll, no console error and no axe-core violation',
      async ({ path, text }) => {
        const { page, trouble, status } = await open(path, NARROW);
        expect(status).toBe(200);
        expect(await page.innerText('body')).toContain(text);
        expect((await widths(page)).scrollWidth).toBeLessThanOrEqual(320);
        expect(await axeViolations(page)).toEqual([]);
        expect(trouble.errors).toEqual([]);
        expect(trouble.dialogs).toEqual([]);
      },
    );

    /** Every style and option of a badge, an ignored parameter, and the error badges: each must load as an image. */
    const BADGE_URLS = [
      'downloads.svg?style=flat',
      'downloads.svg?style=flat-square',
      'downloads.svg?style=plastic',
      'downloads.svg?style=for-the-badge',
      'likes.svg?style=social',
      'downloads.svg?label=R1%20downloads&color=ff69b4',
      'downloads.svg?labelColor=blue&color=yellow',
      'downloads.svg?logo=huggingface',
      'downloads.svg?logo=hf&logoColor=ffd21e&style=for-the-badge',
      'likes.svg?logo=huggingface&style=social',
      'downloads.svg?logo=huggingface&style=plastic&labelColor=333',
      'downloads.svg?cacheSeconds=3600',
      'downloads.svg?v=2&utm_source=readme',
      'downloads.svg?color=notacolour',
      'nothing.svg',
    ];

    it.each(BADGE_URLS)('an <img> of the badge %s on another origin loads with a width', async (badge) => {
      const { page } = await open(other.url);
      const url = `${app}/badges/deepseek-ai/DeepSeek-R1/${badge}`;
      const state = await page.evaluate<{ complete: boolean; naturalWidth: number }>(
        `new Promise((resolve) => { const img = new Image(); img.onload = img.onerror = () => resolve({ complete: img.complete, naturalWidth: img.naturalWidth }); img.src = ${JSON.stringify(url)}; document.body.append(img); })`,
      );
      expect(state.complete).toBe(true);
      expect(state.naturalWidth).toBeGreaterThan(0);
    });

    it.each([DESKTOP, NARROW])(
      'a page on another origin shows the trending widget in an iframe and the badge in an img (%o)',
      async (viewport) => {
        const { page, trouble } = await open(other.url, viewport);
        expect(new URL(other.url).origin).not.toBe(new URL(app).origin);
        const badge = await imageState(page, '#badge');
        expect(badge.complete).toBe(true);
        expect(badge.naturalWidth).toBeGreaterThan(0);
        const widget = page.frame({ url: (url) => url.pathname === '/embed/trending' });
        expect(widget).not.toBeNull();
        expect(await widget!.innerText('body')).toContain('DeepSeek-R1');
        const inFrame = await widths(widget!);
        expect(inFrame.scrollWidth).toBeLessThanOrEqual(inFrame.innerWidth);
        expect((await widths(page)).scrollWidth).toBeLessThanOrEqual(viewport.width);
        expect(await axeViolations(page, { iframes: false })).toEqual([]);
        expect(await axeViolations(widget!)).toEqual([]);
        expect(trouble.errors).toEqual([]);
      },
    );
  });
});
