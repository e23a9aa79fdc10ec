import { createServer, type AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { Clock } from '@modelpulse/core/clock';
import { DemoService } from '@modelpulse/core/demo';
import { snippet, type SnippetRequest, type WidgetTarget } from '@modelpulse/core/embeds';
import { CliModule } from '../../apps/cli/src/cli.module';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { imageState, launchChromium, watch, type PageTrouble } from './browser';
import { startOtherOrigin, type OtherOrigin } from './other-origin';

/** The morning after the demo's last day: the demo's figures rank 2025-01-27. */
const DEMO_MORNING = '2025-01-28T08:00:00Z';
const VIEWPORTS = [
  { width: 320, height: 640 },
  { width: 1280, height: 900 },
];
/** A model whose id is longer than any row or card is wide, given demo figures like the others. */
const LONG_ORG = 'an-organisation-with-a-rather-long-name';
const LONG_ID = `${LONG_ORG}/Distilled-Reasoning-Model-72B-Instruct-GGUF-Q4_K_M-with-a-long-suffix`;
const R1 = 'deepseek-ai/DeepSeek-R1';

const trending = (query: string): WidgetTarget => ({ kind: 'trending', filters: new URLSearchParams(query) });
const iframe = (widget: WidgetTarget): SnippetRequest => ({ kind: 'iframe', widget });

/** Every widget snippet `snippet()` offers that the test pastes, and the rows its widget shows. */
const WIDGETS: { name: string; widget: WidgetTarget; rows: number | 'empty' | 'card'; text: string }[] = [
  { name: 'trending, limit 1', widget: trending('limit=1'), rows: 1, text: 'Demo data' },
  { name: 'trending, limit 10 (the default)', widget: trending(''), rows: 10, text: 'Demo data' },
  { name: 'trending, limit 25', widget: trending('limit=25'), rows: 25, text: 'Demo data' },
  { name: 'trending, limit 25, dark', widget: trending('limit=25&theme=dark'), rows: 25, text: 'Trending' },
  {
    name: 'trending, a long id',
    widget: trending(`organization=${LONG_ORG}&limit=1`),
    rows: 1,
    text: LONG_ID.split('/')[1],
  },
  {
    name: 'trending, filters that leave nothing',
    widget: trending('minParams=1T&limit=1'),
    rows: 'empty',
    text: 'No model matches',
  },
  {
    name: 'trending, a day with no figures, limit 10',
    widget: trending('asOf=2024-01-01'),
    rows: 'empty',
    text: 'Figures',
  },
  { name: 'card', widget: { kind: 'model', id: R1 }, rows: 'card', text: 'DeepSeek-R1' },
  {
    name: 'card, a long id, dark',
    widget: { kind: 'model', id: LONG_ID, theme: 'dark' },
    rows: 'card',
    text: LONG_ORG,
  },
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How a widget lies in its iframe: the iframe's size, the document's, and each row's and the footer's box. */
interface Fit {
  iframe: { width: number; height: number; attribute: number };
  scrollHeight: number;
  scrollWidth: number;
  innerHeight: number;
  innerWidth: number;
  /** Boxes (rows, the footer, the card's parts) not wholly inside the iframe's viewport. */
  outside: string[];
  /** Where the footer ends: the whole widget's height. */
  footerBottom: number;
  rows: number;
}

async function fitOf(page: Page, frame: Frame): Promise<Fit> {
  const iframe = await page.evaluate<Fit['iframe']>(`(() => {
    const box = document.querySelector('iframe').getBoundingClientRect();
    return { width: box.width, height: box.height, attribute: Number(document.querySelector('iframe').getAttribute('height')) };
  })()`);
  const inside = await frame.evaluate<Omit<Fit, 'iframe'>>(`(() => {
    const root = document.documentElement;
    const boxes = [...document.querySelectorAll('.ranking li, .empty, main > *, section > *, footer')];
    const outside = boxes
      .filter((el) => { const r = el.getBoundingClientRect(); return r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth; })
      .map((el) => el.tagName + '.' + el.className + ': ' + JSON.stringify(el.getBoundingClientRect()));
    const footer = document.querySelector('footer');
    return {
      scrollHeight: root.scrollHeight, scrollWidth: root.scrollWidth, innerHeight, innerWidth, outside,
      footerBottom: footer.getBoundingClientRect().bottom,
      rows: document.querySelectorAll('.ranking li').length,
    };
  })()`);
  return { iframe, ...inside };
}

/**
 * Each snippet in a page on another origin, pasted as `snippet()` writes
 * it, as the oEmbed answer's `html` carries it and as the model page shows
 * it, at a phone's 320 px and a desktop's 1280 px: inside the iframe, every
 * row and the footer lie within its viewport, and the document is no taller
 * and no wider than the iframe, so nothing is cut off and nothing scrolls.
 * The widgets fill their iframes exactly when they have all the rows asked
 * for: the snippets' heights are the widgets', not a guess with a margin.
 */
describe('snippets pasted into another site', () => {
  let t: TestApp;
  let cli: INestApplicationContext;
  let app: string;
  let other: OtherOrigin;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    // PUBLIC_URL is where the browser reaches the app, so the snippets' URLs load.
    const port = await freePort();
    app = `http://127.0.0.1:${port}`;
    const clock = new FakeClock(DEMO_MORNING);
    t = await createTestApp({ seed: true, clock, env: { PUBLIC_URL: app } });
    await request(t.http)
      .post('/v1/models')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ id: LONG_ID, license: 'apache-2.0', parameters: 72_000_000_000, releaseDate: '2024-06-01' })
      .expect(201);
    cli = await (
      await Test.createTestingModule({ imports: [CliModule] })
        .overrideProvider(Clock)
        .useValue(clock)
        .compile()
    ).init();
    await cli.get(DemoService).load();
    await t.app.listen(port, '127.0.0.1');
    other = await startOtherOrigin(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await other?.close();
    await cli?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
  });
  afterEach(() => context.close());

  async function pasted(html: string, viewport: { width: number; height: number }) {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    const trouble: PageTrouble = watch(page);
    await page.goto(other.paste(html), { waitUntil: 'load' });
    // A lazy iframe may start loading after the page's own load event.
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    if (!frame) throw new Error(`no frame for ${html}`);
    await frame.waitForURL((url) => url.href.startsWith(`${app}/embed/`));
    await frame.waitForLoadState('load');
    return { page, frame, trouble };
  }

  /** What every pasted widget must hold, whatever its snippet. */
  function expectWhole(fit: Fit, viewport: { width: number }) {
    expect(fit.iframe.height).toBe(fit.iframe.attribute);
    expect(fit.iframe.width).toBe(Math.min(400, viewport.width));
    expect(fit.outside).toEqual([]);
    expect(fit.scrollHeight).toBeLessThanOrEqual(fit.innerHeight);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
    expect(fit.innerHeight).toBe(fit.iframe.height);
  }

  describe.each(VIEWPORTS)('at $width px', (viewport) => {
    it.each(WIDGETS)('$name shows the whole widget', async ({ widget, rows, text }) => {
      const { page, frame, trouble } = await pasted(snippet(app, iframe(widget)), viewport);
      const fit = await fitOf(page, frame);
      expectWhole(fit, viewport);
      expect(await frame.innerText('body')).toContain(text);
      const dark = widget.kind === 'model' ? widget.theme === 'dark' : widget.filters.get('theme') === 'dark';
      expect(await frame.getAttribute('body', 'class')).toBe(dark ? 'theme-dark' : 'theme-light');
      expect(fit.rows).toBe(typeof rows === 'number' ? rows : 0);
      // All the rows asked for, an empty leaderboard's explanation or a card fill the iframe to the pixel.
      expect(fit.footerBottom).toBe(fit.innerHeight);
      expect(trouble.errors).toEqual([]);
    });

    it.each([
      ['the leaderboard, limit 5', '/?limit=5'],
      ['a model page', `/models/${R1}`],
    ])("the oEmbed answer's html for %s shows the whole widget", async (_, path) => {
      const answer = await request(t.http)
        .get(`/oembed?url=${encodeURIComponent(`${app}${path}`)}&format=json`)
        .expect(200);
      const body = JSON.parse(answer.text) as { html: string; height: number };
      const { page, frame } = await pasted(body.html, viewport);
      const fit = await fitOf(page, frame);
      expectWhole(fit, viewport);
      expect(fit.iframe.height).toBe(body.height);
      expect(fit.footerBottom).toBe(fit.innerHeight);
    });

    it.each(['snippet-card', 'snippet-trending'])(
      "the model page's %s snippet, copied from the page, shows the whole widget",
      async (id) => {
        const site = await context.newPage();
        await site.goto(`${app}/models/${LONG_ID}`, { waitUntil: 'load' });
        const copied = await site.innerText(`pre[aria-labelledby="${id}"] code`);
        const { page, frame } = await pasted(copied, viewport);
        const fit = await fitOf(page, frame);
        expectWhole(fit, viewport);
        expect(fit.footerBottom).toBe(fit.innerHeight);
      },
    );
  });

  it.each([
    ['HTML badge', 'snippet-html-badge', { kind: 'html-badge', id: R1 }],
    ['downloads chart', 'snippet-chart', { kind: 'chart', ids: [R1], query: new URLSearchParams({ days: '90' }) }],
  ] as const)("the model page's %s, copied from the page, loads on another origin", async (_, id, request) => {
    const site = await context.newPage();
    await site.goto(`${app}/models/${R1}`, { waitUntil: 'load' });
    const copied = await site.innerText(`pre[aria-labelledby="${id}"] code`);
    expect(copied).toBe(snippet(app, request));
    const page = await context.newPage();
    await page.goto(other.paste(copied), { waitUntil: 'load' });
    const badge = await imageState(page, 'img');
    expect(badge.complete).toBe(true);
    expect(badge.naturalWidth).toBeGreaterThan(0);
  });
});
