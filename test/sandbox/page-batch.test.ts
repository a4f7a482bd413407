// The sandbox page, in a real browser: a lead plans several engagements at once (each proposal a
// different person, since the ones still waiting for approval count as work), one of them with a
// client channel that gets only the client-safe kickoff, and a shared channel refused as the
// engagement channel.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSteward, type Steward } from '../../src/main.js';
import { testDatabaseKind } from '../support/db.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts';
// A Monday morning before the team's 09:00 reminder time (the default zone is UTC).
const START = new Date('2026-12-07T08:00:00Z');

const embedded = testDatabaseKind() === 'embedded';
const haveBrowser = existsSync(CHROMIUM);

const BATCH = [
  {
    client: 'Acme',
    channel: '#acme-rollout',
    clientChannel: '#ext-acme',
    notes: 'Budget is tight this quarter.',
  },
  { client: 'Globex', channel: '#globex-launch' },
  { client: 'Initech', channel: '#initech-onboarding' },
  { client: 'Hooli', channel: '#hooli-migration' },
] as const;

if (embedded && !haveBrowser) {
  describe('the sandbox page: planning a batch', () => {
    it.skip(`needs Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\``, () => {});
  });
}

describe.runIf(embedded && haveBrowser)('the sandbox page: planning a batch', () => {
  let steward: Steward;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'silent' });
    steward = await startSteward(config, {
      logger: createLogger({ level: 'silent' }),
      now: () => START,
      schedule: false,
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
    page.setDefaultTimeout(15_000);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await steward?.stop();
  });

  it('plans four engagements for one day with four different owners, one with a client channel', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    onTestFailed(async () => {
      await page.screenshot({ path: `${ARTIFACTS}/batch-failure.png`, fullPage: true });
    });
    const shot = (name: string) =>
      page.screenshot({ path: `${ARTIFACTS}/batch-${name}.png`, fullPage: true });
    const composer = page.getByLabel('Message or slash command');
    const send = async (text: string) => {
      await composer.fill(text);
      await composer.press('Enter');
      await expect.poll(() => composer.inputValue(), { timeout: 10_000 }).toBe('');
    };
    const beAs = (name: string) => page.getByLabel('You are').selectOption({ label: name });
    const openPane = (name: string | RegExp) =>
      page.locator('.sidebar').getByRole('button', { name }).click();
    const pane = page.locator('#messages');
    const modal = page.locator('form.modal');
    const approveButtons = pane.getByRole('button', { name: /^Approve / });
    const namesOnApprove = async () =>
      (await approveButtons.allTextContents()).map((t) => t.replace(/^Approve /, '').trim());

    await page.goto(`http://127.0.0.1:${steward.port}/`);
    await page
      .getByTestId('clock-now')
      .filter({ hasText: /7 Dec 2026 · 08:0\d/ })
      .waitFor();

    // 1. The rotation: four people.
    await beAs('Ana Lima (workspace admin)');
    await openPane('team-rotation');
    await send('/engagement team add @ben @chloe @dev @elif');
    await pane.locator('.message.ephemeral').filter({ hasText: 'Ben Okafor' }).waitFor();

    // 2. A shared channel is refused as the engagement channel, and nothing is created.
    await send('/engagement new');
    await modal.waitFor();
    await modal.getByLabel('Client', { exact: true }).fill('Globex');
    await modal.getByLabel('Engagement channel').selectOption({ label: '#ext-globex' });
    await modal.getByRole('button', { name: 'Create' }).click();
    const channelError = modal.locator('[data-block-id="channel"] .field-error');
    await channelError.filter({ hasText: /shared with people outside/ }).waitFor();
    await shot('01-shared-channel-refused');
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await modal.waitFor({ state: 'detached' });
    expect(await pane.getByText('Who should own').count()).toBe(0);

    // 3. Four engagements back to back, all starting the next business day (the form's default).
    for (const [i, e] of BATCH.entries()) {
      await send('/engagement new');
      await modal.waitFor();
      await modal.getByLabel('Client', { exact: true }).fill(e.client);
      await modal.getByLabel('Engagement channel').selectOption({ label: e.channel });
      if ('clientChannel' in e) {
        await modal.getByLabel('Client channel').selectOption({ label: e.clientChannel });
        await modal.getByLabel('Notes').fill(e.notes);
      }
      await modal.getByRole('button', { name: 'Create' }).click();
      await modal.waitFor({ state: 'detached' });
      await pane.getByText(`Who should own #${i + 1} ${e.client}?`).waitFor();
      await expect.poll(() => approveButtons.count()).toBe(i + 1);
    }
    const proposed = await namesOnApprove();
    expect(proposed).toHaveLength(4);
    expect(new Set(proposed).size).toBe(4);
    // The pane scrolls on its own: one picture of the first two proposals, one of the last two.
    await pane.getByText('Who should own #1 Acme?').scrollIntoViewIfNeeded();
    await shot('02-first-proposals');
    await pane.getByText('Who should own #4 Hooli?').scrollIntoViewIfNeeded();
    await shot('02-last-proposals');

    // 4. The lead approves all four: four different owners.
    for (let left = 4; left > 0; left--) {
      await approveButtons.first().click();
      await expect.poll(() => approveButtons.count()).toBe(left - 1);
    }
    const approved = pane.locator('.message').filter({ hasText: /is the owner, approved by/ });
    await expect.poll(() => approved.count()).toBe(4);
    const owners = (await approved.allTextContents()).map((t) => /@?(\S+ \S+) is the owner/.exec(t)?.[1]);
    expect(new Set(owners).size).toBe(4);
    expect(new Set(owners)).toEqual(new Set(proposed));
    await shot('03-four-owners');

    // 5. The client channel gets the kickoff summary and nothing internal.
    await openPane(/ext-acme/);
    const kickoff = pane.locator('.message').filter({ hasText: /Acme: we're starting/ });
    await kickoff.waitFor();
    const clientView = (await pane.textContent()) ?? '';
    expect(clientView).toContain('The plan');
    for (const internal of [
      /Proposed owner/i,
      /rotation order/i,
      /Approve/,
      /Budget is tight/,
      /Who should own/,
    ]) {
      expect(clientView).not.toMatch(internal);
    }
    expect(await pane.getByRole('button').count()).toBe(0);
    await shot('04-client-channel');

    // The internal channel has the team's kickoff; the other shared channels heard nothing.
    await openPane('acme-rollout');
    await pane.getByText(/Kickoff: #1 Acme/).waitFor();
    await shot('05-internal-kickoff');
    await openPane(/ext-globex/);
    await expect.poll(() => pane.locator('.message').count()).toBe(0);

    expect(errors).toEqual([]);
  }, 90_000);
});
