// The sandbox page, in a real browser: a lead plans several engagements at once (each proposal a
// different person, since the ones still waiting for approval count as work), one of them with a
// client channel that gets only the client-safe kickoff, and a shared channel refused as the
// engagement channel.
import { expect, it } from 'vitest';
import { describePage, onPage } from '../support/page.js';

// A Monday morning before the team's 09:00 reminder time (the default zone is UTC).
const START = new Date('2026-12-07T08:00:00Z');

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

describePage('the sandbox page: planning a batch', START, (session) => {
  it('plans four engagements for one day with four different owners, one with a client channel', async () => {
    const { page, steward } = session;
    const { errors, pane, shot, send, beAs, openPane } = onPage(page, 'batch');
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
