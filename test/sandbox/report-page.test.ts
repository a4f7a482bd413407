// The fairness and exposure report in the sandbox page, in a real browser: the report in the
// channel (only the asker sees it), then the CSV to download and the chart, in the lead's DM.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSteward, type Steward } from '../../src/main.js';
import { SANDBOX_TEAM } from '../../src/sandbox/seed.js';
import { testDatabaseKind } from '../support/db.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts';
const START = new Date('2026-12-07T08:00:00Z');

const embedded = testDatabaseKind() === 'embedded';

/** A year of history: who owned what, and who was away. */
async function seedHistory(steward: Steward) {
  const { db } = steward.database;
  await sql`update members set created_at = '2025-06-01T00:00:00Z'`.execute(db);
  const template = await db.selectFrom('plan_templates').select('id').executeTakeFirstOrThrow();
  const turns: [string, string][] = [
    ['U0BEN', '2026-01-12'],
    ['U0CHLOE', '2026-02-16'],
    ['U0BEN', '2026-04-06'],
    ['U0DEV', '2026-05-11'],
    ['U0CHLOE', '2026-07-06'],
    ['U0BEN', '2026-09-07'],
    ['U0CHLOE', '2026-10-12'],
  ];
  for (const [i, [ownerId, startsOn]] of turns.entries()) {
    const endsOn = sql<string>`(${startsOn}::date + 27)`;
    const engagement = await db
      .insertInto('engagements')
      .values({
        team_id: SANDBOX_TEAM.id,
        number: 900 + i,
        client_name: `Past client ${i + 1}`,
        channel_id: `C0PAST${i}`,
        rotation_channel_id: 'C0ROTATION',
        starts_on: startsOn,
        ends_on: endsOn,
        template_id: template.id,
        owner_id: ownerId,
        status: 'closed',
        created_by: 'U0ANA',
        created_at: new Date(`${startsOn}T09:00:00Z`),
      })
      .returning(['id', 'ends_on'])
      .executeTakeFirstOrThrow();
    await db
      .insertInto('ownership_periods')
      .values({
        team_id: SANDBOX_TEAM.id,
        engagement_id: engagement.id,
        owner_id: ownerId,
        starts_on: startsOn,
        ends_on: engagement.ends_on,
      })
      .execute();
  }
  // Dev was away for half the year.
  await db
    .insertInto('time_away')
    .values({
      team_id: SANDBOX_TEAM.id,
      user_id: 'U0DEV',
      starts_on: '2026-06-01',
      ends_on: '2026-11-30',
      created_by: 'U0ANA',
    })
    .execute();
}

describe.runIf(embedded && existsSync(CHROMIUM))('the report in the sandbox page', () => {
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
      args: ['--no-sandbox', '--disable-gpu'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page.setDefaultTimeout(15_000);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await steward?.stop();
  });

  it('shows the report, then the CSV to download and the chart in the DM', async () => {
    onTestFailed(async () => {
      await page.screenshot({ path: `${ARTIFACTS}/report-failure.png`, fullPage: true });
    });
    const composer = page.getByLabel('Message or slash command');
    const send = async (text: string) => {
      await composer.fill(text);
      await composer.press('Enter');
      await expect.poll(() => composer.inputValue(), { timeout: 10_000 }).toBe('');
    };
    await page.goto(steward.sandboxUrl!);
    await page.getByLabel('You are').selectOption({ label: 'Ana Lima (workspace admin)' });
    await page.locator('.sidebar').getByRole('button', { name: 'team-rotation' }).click();
    await send('/engagement team add @ben @chloe @dev @elif');
    // The members exist once Steward has answered (the command is acked before the flow runs).
    await expect
      .poll(() =>
        page.locator('article.message.ephemeral').filter({ hasText: 'Added to the rotation' }).count(),
      )
      .toBe(1);
    await seedHistory(steward);

    await send('/engagement report');
    const report = page.locator('article.message.ephemeral').filter({ hasText: 'Fairness and exposure' });
    await expect.poll(() => report.count()).toBeGreaterThan(0);
    await expect.poll(() => report.last().innerText()).toContain('Balance');
    await page.screenshot({ path: `${ARTIFACTS}/report-01-report.png` });
    if (process.env.UPDATE_README_SCREENSHOT)
      copyFileSync(`${ARTIFACTS}/report-01-report.png`, 'docs/report.png');

    await send('/engagement report csv');
    await page
      .locator('.sidebar')
      .getByRole('button', { name: /Steward → Ana/ })
      .click();
    const download = page.locator('a.file-card');
    await expect.poll(() => download.count()).toBe(1);
    expect(await download.getAttribute('download')).toMatch(/^exposure-.*\.csv$/);
    const chart = page.locator('.file-image img');
    await expect
      .poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(900);
    await page.screenshot({ path: `${ARTIFACTS}/report-02-files.png`, fullPage: true });
    const csv = await page.evaluate(
      async (href) => (await fetch(href!)).text(),
      await download.getAttribute('href'),
    );
    expect(csv.split('\r\n')[0]).toMatch(/^member,interest,/);
  });
});
