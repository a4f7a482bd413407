// The sandbox end to end, through the page in a real browser: the whole loop a person tries first
// (team, new engagement, approval, DM and kickoff, a reminder, done) against the real bot on the
// embedded database, as `npm start` runs it without Slack credentials.
import { copyFileSync, mkdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ARTIFACTS, describePage, onPage } from '../support/page.js';

// A Monday morning before the team's 09:00 reminder time (the default zone is UTC).
const START = new Date('2026-12-07T08:00:00Z');

describePage('the sandbox page', START, (session) => {
  it('runs the loop: team, new engagement, approval, DM and kickoff, a reminder, done', async () => {
    const { page, steward } = session;
    const { errors, pane, shot, send, beAs, openPane } = onPage(page, 'sandbox');

    expect(steward.sandboxUrl).toBe(`http://localhost:${steward.port}/`);
    await page.goto(`http://127.0.0.1:${steward.port}/`);
    await page
      .getByTestId('clock-now')
      .filter({ hasText: /7 Dec 2026 · 08:0\d/ })
      .waitFor();
    await expect(page.locator('.sidebar').textContent()).resolves.toMatch(
      /team-rotation.*acme-rollout.*ext-acme⇄/,
    );

    // 1. The lead (a workspace admin) builds the rotation in the rotation channel.
    await beAs('Ana Lima (workspace admin)');
    await openPane('team-rotation');
    await send('/engagement team add @ben @chloe @dev @elif');
    await pane.locator('.message.ephemeral').filter({ hasText: 'Ben Okafor' }).waitFor();
    await shot('01-team');

    // 2. A new engagement: Slack refuses an empty required field, the bot a blank client name.
    await send('/engagement new');
    const modal = page.locator('form.modal');
    await modal.waitFor();
    const clientError = modal.locator('[data-block-id="client"] .field-error');
    await modal.getByLabel('Engagement channel').selectOption({ label: '#acme-rollout' });
    await modal.getByRole('button', { name: 'Create' }).click();
    await clientError.waitFor();
    expect(await clientError.textContent()).toMatch(/required/);
    await modal.getByLabel('Client', { exact: true }).fill('   ');
    await modal.getByRole('button', { name: 'Create' }).click();
    await clientError.filter({ hasNotText: /required/ }).waitFor();
    expect((await clientError.textContent())?.trim()).not.toBe('');
    await shot('02-field-error');
    await modal.getByLabel('Client', { exact: true }).fill('Acme GmbH');
    await modal.getByRole('button', { name: 'Create' }).click();
    await modal.waitFor({ state: 'detached' });

    // 3. The proposal, in the rotation channel, with its buttons.
    const approve = pane.getByRole('button', { name: 'Approve Ben Okafor' });
    await approve.waitFor();
    await pane.getByText('Who should own').waitFor();
    await shot('03-proposal');
    // The README's picture: the lead looking at a proposal (refreshed on request, so a test run
    // never leaves the working tree changed).
    if (process.env.UPDATE_README_SCREENSHOT) {
      mkdirSync('docs', { recursive: true });
      copyFileSync(`${ARTIFACTS}/sandbox-03-proposal.png`, 'docs/sandbox.png');
    }

    // 4. Only leads approve: a member is refused, and only that member sees why.
    await beAs('Ben Okafor');
    await approve.click();
    const refusal = pane.locator('.message.ephemeral').filter({ hasText: /Only a lead/ });
    await refusal.waitFor();
    await shot('04-refused');
    await beAs('Ana Lima (workspace admin)');
    await pane.getByText('Who should own').waitFor();
    expect(await refusal.count()).toBe(0);
    await approve.click();
    await pane.getByText(/is the owner, approved by/).waitFor();
    expect(await approve.count()).toBe(0);

    // 5. The owner's DM and the kickoff in the engagement channel.
    await openPane(/Steward → Ben/);
    await pane.getByText(/You own/).waitFor();
    await shot('05-dm');
    await openPane('acme-rollout');
    await pane.getByText('Kickoff: #1 Acme GmbH').waitFor();

    // 6. Next business day's reminder time: the jobs run, a reminder arrives with its buttons.
    const advance = page.getByRole('button', { name: "Advance to next business day's reminder time" });
    await advance.click();
    await page
      .getByTestId('clock-now')
      .filter({ hasText: /Tue,? 8 Dec 2026 · 09:00/ })
      .waitFor();
    await advance.waitFor(); // its label is back once both jobs have run
    const reminder = pane.locator('.message').filter({ hasText: 'Due today' });
    await reminder.waitFor();
    expect(await reminder.textContent()).toContain('Kickoff with the client');
    await shot('06-reminder');

    // 7. The owner marks it done (opening Ben's DM made us Ben).
    await reminder.getByRole('button', { name: 'Mark done' }).click();
    await reminder.getByText(/done, marked by/).waitFor();
    expect(await reminder.getByRole('button', { name: 'Mark done' }).count()).toBe(0);
    await shot('07-done');

    // 8. App Home: the owner's engagements and the team's workload.
    await openPane(/Steward · Home/);
    await pane.getByText('Your engagements').waitFor();
    await pane.getByText('#1 Acme GmbH').first().waitFor();
    await shot('08-home');

    expect(errors).toEqual([]);
  }, 120_000);
});
