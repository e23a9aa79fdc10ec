import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Browser } from 'playwright-core';
import { Clock } from '@modelpulse/core/clock';
import { DemoService } from '@modelpulse/core/demo';
import { CliModule } from '../../apps/cli/src/cli.module';
import { createTestApp, type TestApp } from '../support/app';
import { FakeClock } from '../support/clock';
import { launchChromium, SCREENSHOT_DIR, watch, widths } from './browser';

/** The morning after the demo's last day, so the site's default day is the demo's 27 January 2025. */
const DEMO_MORNING = '2025-01-28T08:00:00Z';
const VIEWPORTS = [
  { suffix: '', width: 1280, height: 900 },
  { suffix: '-phone', width: 390, height: 844 },
];
const PAGES = [
  { name: 'site-home', path: '/', text: 'deepseek-ai/DeepSeek-R1' },
  { name: 'site-model', path: '/models/deepseek-ai/DeepSeek-R1', text: 'Rank history' },
  { name: 'site-models', path: '/models?q=deepseek+distill', text: 'DeepSeek-R1-Distill-Qwen-7B' },
  {
    name: 'site-compare',
    path: '/compare?models=deepseek-ai/DeepSeek-R1,deepseek-ai/DeepSeek-V3,meta-llama/Llama-3.1-8B-Instruct',
    text: 'Compare deepseek-ai/DeepSeek-R1, deepseek-ai/DeepSeek-V3 and meta-llama/Llama-3.1-8B-Instruct',
  },
];

/**
 * The screenshots in docs/screenshots/, redone on every browser run from
 * what a newcomer sees after `npm run cli -- demo`: the demo loaded through
 * the CLI's own module, the site's clock the morning after the demo's last
 * day, at a desktop's 1280 px and a phone's 390 px.
 */
describe('screenshots of the demo', () => {
  let t: TestApp;
  let cli: INestApplicationContext;
  let app: string;
  let browser: Browser;

  beforeAll(async () => {
    const clock = new FakeClock(DEMO_MORNING);
    t = await createTestApp({ seed: true, clock, env: { PUBLIC_URL: 'http://localhost:3000' } });
    // The CLI on the same morning, so the 7- and 30-day figures it refreshes are the site's.
    cli = await (
      await Test.createTestingModule({ imports: [CliModule] })
        .overrideProvider(Clock)
        .useValue(clock)
        .compile()
    ).init();
    await cli.get(DemoService).load();
    await t.app.listen(0, '127.0.0.1');
    app = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await cli?.close();
    await t?.close();
  });

  it('/embed/trending?limit=5, as widget-trending', async () => {
    const context = await browser.newContext({ viewport: { width: 420, height: 560 } });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${app}/embed/trending?limit=5`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(await page.innerText('body')).toContain('DeepSeek-R1-Distill-Qwen-7B');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'widget-trending.png') });
    } finally {
      await context.close();
    }
  });

  describe.each(VIEWPORTS)('at $width px', ({ suffix, width, height }) => {
    it.each(PAGES)('$path, as $name', async ({ name, path, text }) => {
      const context = await browser.newContext({ viewport: { width, height } });
      try {
        const page = await context.newPage();
        const trouble = watch(page);
        const response = await page.goto(`${app}${path}`, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        expect(await page.innerText('main')).toContain(text);
        expect(await page.innerText('main')).toContain('Demo data');
        expect((await widths(page)).scrollWidth).toBeLessThanOrEqual(width);
        expect(trouble.errors).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}${suffix}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  });
});
