// The sandbox page in a real browser: Steward started as `npm start` runs it without Slack
// credentials (the embedded database, the emulator, a clock the page moves), and Debian's Chromium
// driving the page as a person would.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSteward, type Steward } from '../../src/main.js';
import { testDatabaseKind } from './db.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = 'test/artifacts';

export interface PageSession {
  readonly steward: Steward;
  readonly page: Page;
}

/**
 * A suite on the sandbox page, with Steward started at `start` and a browser open on it. The page
 * is database-agnostic: it runs once, in the embedded project, like `npm start` would; without
 * Chromium it is skipped, saying how to install it.
 */
export function describePage(title: string, start: Date, body: (session: PageSession) => void): void {
  const embedded = testDatabaseKind() === 'embedded';
  const haveBrowser = existsSync(CHROMIUM);
  if (embedded && !haveBrowser) {
    describe(title, () => {
      it.skip(`needs Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\``, () => {});
    });
  }
  describe.runIf(embedded && haveBrowser)(title, () => {
    let steward: Steward | undefined;
    let browser: Browser | undefined;
    let page: Page | undefined;

    beforeAll(async () => {
      const config = loadConfig({ PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'silent' });
      steward = await startSteward(config, {
        logger: createLogger({ level: 'silent' }),
        now: () => start,
        // The clock control runs the jobs; a cron tick in the middle would only add noise.
        schedule: false,
        // On a busy machine the bot may ack after Slack's 3 s: what a page test checks is what the
        // person sees once it has, not the ack's speed.
        sandboxPatience: { ackTimeoutMs: 20_000, triggerLifetimeMs: 30_000 },
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      page.setDefaultTimeout(30_000);
      mkdirSync(ARTIFACTS, { recursive: true });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await steward?.stop();
    });

    body({
      get steward() {
        if (!steward) throw new Error('Steward runs only inside tests');
        return steward;
      },
      get page() {
        if (!page) throw new Error('the page is open only inside tests');
        return page;
      },
    });
  });
}

/**
 * What a person does on the page, for one test: screenshots named `<prefix>-<name>.png` (and
 * `<prefix>-failure.png` when a step times out: what the page showed says more than the locator
 * that waited), the page's own errors collected, and the composer, the person picker and the
 * sidebar.
 */
export function onPage(page: Page, prefix: string) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  onTestFailed(async () => {
    await page.screenshot({ path: `${ARTIFACTS}/${prefix}-failure.png`, fullPage: true });
  });
  const composer = page.getByLabel('Message or slash command');
  return {
    errors,
    pane: page.locator('#messages'),
    shot: (name: string) => page.screenshot({ path: `${ARTIFACTS}/${prefix}-${name}.png`, fullPage: true }),
    async send(text: string) {
      await composer.fill(text);
      await composer.press('Enter');
      // The composer empties once the bot took the command.
      await expect.poll(() => composer.inputValue(), { timeout: 30_000 }).toBe('');
    },
    beAs: (name: string) => page.getByLabel('You are').selectOption({ label: name }),
    openPane: (name: string | RegExp) => page.locator('.sidebar').getByRole('button', { name }).click(),
  };
}
