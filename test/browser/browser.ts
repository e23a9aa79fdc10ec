import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

/** Debian's Chromium unless told otherwise: no test tool downloads a browser of its own here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the screenshots for people go; committed, so the README can show them. */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

export function launchChromium(): Promise<Browser> {
  const runningAsRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      // Chromium refuses its sandbox to root.
      ...(runningAsRoot ? ['--no-sandbox'] : []),
      '--disable-gpu',
      // No network but loopback here: Chromium's own background connections would only fail, noisily.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** What a user would notice went wrong on a page: console errors, uncaught exceptions, dialogs (an injected alert). */
export interface PageTrouble {
  errors: string[];
  dialogs: string[];
}

export function watch(page: Page): PageTrouble {
  const trouble: PageTrouble = { errors: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => trouble.errors.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    trouble.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return trouble;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's violations on a page or frame, every rule on. Injected through
 * the DevTools protocol, which the page's CSP does not govern, so the
 * embeds' `script-src 'none'` stays as it is in production.
 */
export async function axeViolations(
  target: Page | Frame,
  options: { iframes?: boolean } = {},
): Promise<AxeViolation[]> {
  await target.evaluate(AXE_SOURCE);
  return target.evaluate<AxeViolation[]>(`
    axe.run(document, { resultTypes: ['violations'], iframes: ${options.iframes ?? true} }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      })),
    )
  `);
}

/** How wide the document is against the window: wider means the reader scrolls sideways. */
export function widths(target: Page | Frame): Promise<{ scrollWidth: number; innerWidth: number }> {
  return target.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
}

/** An image as the browser has it: loaded, and how wide it came out. */
export function imageState(
  target: Page | Frame,
  selector: string,
): Promise<{ complete: boolean; naturalWidth: number }> {
  return target.evaluate<{ complete: boolean; naturalWidth: number }>(
    `(() => { const img = document.querySelector(${JSON.stringify(selector)}); return img ? { complete: img.complete, naturalWidth: img.naturalWidth } : { complete: false, naturalWidth: 0 }; })()`,
  );
}
