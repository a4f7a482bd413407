// The sandbox page, in a real browser: a lead runs a project as Steward coaches it. She shapes a
// plan template of her own (a field error first), starts an engagement on it, shifts the plan when
// the client is late, keeps a risk register (one risk resolved with a note, one left open) and, on
// status day, the owner posts the drafted update to the client channel: nothing internal in it, and
// the status milestone done.
import { expect, it } from 'vitest';
import { describePage, onPage } from '../support/page.js';

// A Monday morning before the team's 09:00 reminder time (the default zone is UTC).
const START = new Date('2026-12-07T08:00:00Z');

// The engagement starts on Tuesday 8 December (the form's default: the next business day). Dates
// below follow from this plan: Kickoff Tue 8, inputs Thu 10, the weekly status update (every five
// business days) and Pilot live Tue 15, the review Fri 18.
const PLAN = [
  '0 Kickoff with the client',
  '2 Client inputs received',
  '5 Pilot live',
  '8 Pilot review and handover',
];

describePage('the sandbox page: running a project', START, (session) => {
  it('walks a template of the team, a shift, a risk and a posted status update', async () => {
    const { page, steward } = session;
    const { errors, pane, shot, send, beAs, openPane } = onPage(page, 'project');
    const modal = page.locator('form.modal');
    const advance = page.getByRole('button', { name: "Advance to next business day's reminder time" });
    const clock = page.getByTestId('clock-now');
    /** One click on the clock control; its label is back once both jobs have run. */
    const advanceTo = async (day: RegExp) => {
      await advance.click();
      await clock.filter({ hasText: day }).waitFor();
      await advance.waitFor();
    };

    await page.goto(`http://127.0.0.1:${steward.port}/`);
    await clock.filter({ hasText: /7 Dec 2026 · 08:0\d/ }).waitFor();
    await beAs('Ana Lima (workspace admin)');
    await openPane('team-rotation');
    await send('/engagement team add @ben @chloe @dev @elif');
    await pane.locator('.message.ephemeral').filter({ hasText: 'Ben Okafor' }).waitFor();

    // 1. Templates: the list, a new one in the modal (a field error first), offered by the form.
    await send('/engagement templates');
    const list = pane.locator('.message.ephemeral').filter({ hasText: 'Standard 4-week plan' });
    await list.waitFor();
    await shot('01-templates');
    await list.getByRole('button', { name: 'New template' }).click();
    await modal.getByRole('heading', { name: 'New plan template' }).waitFor();
    await modal.getByLabel('Name').fill('Two-week pilot');
    const milestones = modal.getByLabel('Milestones');
    await milestones.fill([...PLAN.slice(0, 2), '-1 Pilot live', '9 Client inputs received'].join('\n'));
    await modal.getByLabel(/status update every/).fill('5');
    await modal.getByRole('button', { name: 'Save' }).click();
    const milestonesError = modal.locator('[data-block-id="template_milestones"] .field-error');
    await milestonesError.filter({ hasText: /negative/ }).waitFor();
    expect(await milestonesError.textContent()).toMatch(/already the title of line 2/);
    await shot('02-template-field-error');
    await milestones.fill(PLAN.join('\n'));
    await modal.getByRole('button', { name: 'Save' }).click();
    await modal.waitFor({ state: 'detached' });
    await pane
      .locator('.message.ephemeral')
      .filter({ hasText: /Saved Two-week pilot version 1/ })
      .waitFor();
    await shot('03-template-saved');

    await send('/engagement new');
    await modal.waitFor();
    const template = modal.getByLabel('Plan template');
    await expect(template.locator('option').allTextContents()).resolves.toContain('Two-week pilot (v1)');
    await modal.getByLabel('Client', { exact: true }).fill('Acme GmbH');
    await modal.getByLabel('Engagement channel').selectOption({ label: '#acme-rollout' });
    await modal.getByLabel('Client channel').selectOption({ label: '#ext-acme' });
    await template.selectOption({ label: 'Two-week pilot (v1)' });
    await shot('04-new-engagement-on-template');
    await modal.getByRole('button', { name: 'Create' }).click();
    await modal.waitFor({ state: 'detached' });
    await pane.getByRole('button', { name: 'Approve Ben Okafor' }).click();
    await pane.getByText(/is the owner, approved by/).waitFor();
    await openPane('acme-rollout');
    const kickoff = pane.locator('.message').filter({ hasText: 'Kickoff: #1 Acme GmbH' });
    await kickoff.waitFor();
    await kickoff.getByText(/Pilot review and handover/).waitFor();
    await shot('05-kickoff-with-plan');

    // 2. Tuesday: the first reminder. The client says its inputs come a day late: shift the plan.
    await advanceTo(/Tue,? 8 Dec 2026 · 09:00/);
    const reminder = pane.locator('.message').filter({ hasText: 'reminder of Tue 8 Dec' });
    await reminder.waitFor();
    await reminder.getByRole('button', { name: 'Mark done' }).first().click();
    await reminder.getByText(/Kickoff with the client: done/).waitFor();
    await reminder.getByRole('button', { name: 'Shift plan' }).click();
    await modal.getByRole('heading', { name: 'Shift the plan' }).waitFor();
    const from = modal.getByLabel('From which milestone');
    const options = await from.locator('option').allTextContents();
    await from.selectOption({ label: options.find((o) => o.includes('Client inputs received')) });
    await modal.getByLabel('By how many business days').fill('1');
    await shot('06-shift-modal');
    await modal.getByRole('button', { name: 'Shift' }).click();
    await modal.waitFor({ state: 'detached' });
    // One line for the channel, and the new dates for the one who shifted.
    await pane
      .locator('.message:not(.ephemeral)')
      .filter({ hasText: /plan shifted 1 business day later by @Ana Lima/ })
      .filter({ hasText: /Client inputs received is now due Fri 11 Dec/ })
      .waitFor();
    const confirmation = pane.locator('.message.ephemeral').filter({ hasText: /Shifted 4 milestones/ });
    await confirmation.getByText(/Fri 11 Dec: Client inputs received \(was Thu 10 Dec\)/).waitFor();
    expect(await confirmation.textContent()).toMatch(
      /Mon 21 Dec: Pilot review and handover \(was Fri 18 Dec\)/,
    );
    // The reminder and the kickoff above now read with the new dates.
    await reminder.getByText(/Now due Fri 11 Dec: the plan was shifted/).waitFor();
    await kickoff.getByText('Mon 21 Dec: Pilot review and handover').waitFor();
    await shot('07-shifted');

    // 3. Risks: one added from the reminder, seen by the owner, resolved with a note; one left open.
    await reminder.getByRole('button', { name: 'Add risk' }).click();
    await modal.getByRole('heading', { name: 'Add a risk' }).waitFor();
    await modal.getByLabel('What could go wrong?').fill('Client inputs late again');
    await modal.getByLabel('Likelihood').selectOption({ label: 'High' });
    await modal.getByLabel('Impact').selectOption({ label: 'Medium' });
    await modal.getByLabel('Mitigation').fill('Ask for the data export by Thursday; start on sample data.');
    await shot('08-add-risk');
    await modal.getByRole('button', { name: 'Add risk' }).click();
    await modal.waitFor({ state: 'detached' });

    await openPane(/Steward → Ben/);
    const register = pane
      .locator('.message')
      .filter({ hasText: /added a risk/ })
      .filter({ hasText: 'Client inputs late again' });
    await register.waitFor();
    await shot('09-owner-register');
    // The owner's App Home: the new dates and the open risk.
    await openPane(/Steward · Home/);
    await pane.getByText('Open risks').waitFor();
    await pane.getByText('Fri 11 Dec: Client inputs received').waitFor();
    await shot('10-home-risks');
    await openPane(/Steward → Ben/);
    await register.getByRole('button', { name: 'Resolve' }).click();
    await modal.getByRole('heading', { name: 'Resolve a risk' }).waitFor();
    await modal.getByLabel('How was it resolved?').fill('The export arrived on Wednesday.');
    await modal.getByRole('button', { name: 'Resolve' }).click();
    await modal.waitFor({ state: 'detached' });
    await pane
      .locator('.message')
      .filter({ hasText: /resolved Client inputs late again/ })
      .waitFor();
    await shot('11-risk-resolved');

    await openPane('acme-rollout');
    await reminder.getByRole('button', { name: 'Add risk' }).click();
    await modal.getByRole('heading', { name: 'Add a risk' }).waitFor();
    await modal.getByLabel('What could go wrong?').fill('Pilot users not trained in time');
    await modal.getByRole('button', { name: 'Add risk' }).click();
    await modal.waitFor({ state: 'detached' });

    // 4. The week goes on: the inputs arrive on their new day, Friday. Status day is Wednesday, a
    // business day later than first planned; the owner drafts the update and posts it.
    await advanceTo(/Wed,? 9 Dec 2026 · 09:00/);
    await advanceTo(/Thu,? 10 Dec 2026 · 09:00/);
    await advanceTo(/Fri,? 11 Dec 2026 · 09:00/);
    await openPane('acme-rollout');
    const friday = pane
      .locator('.message')
      .filter({ hasText: 'reminder of Fri 11 Dec' })
      .filter({ hasText: 'Client inputs received' });
    await friday.getByRole('button', { name: 'Mark done' }).first().click();
    await friday.getByText(/Client inputs received: done/).waitFor();
    await advanceTo(/Mon,? 14 Dec 2026 · 09:00/);
    await advanceTo(/Tue,? 15 Dec 2026 · 09:00/);
    await advanceTo(/Wed,? 16 Dec 2026 · 09:00/);
    await openPane(/Steward → Ben/);
    const prompt = pane.locator('.message').filter({ hasText: /status-update day/i });
    await prompt.waitFor();
    await shot('12-status-day');
    await prompt.getByRole('button', { name: 'Draft the update' }).click();
    await modal.getByRole('heading', { name: 'Client status update' }).waitFor();
    await modal.getByText(/Internal preview/).waitFor();
    const draft = await modal.getByLabel('What the client reads').inputValue();
    expect(draft).not.toMatch(/Pilot users not trained|risk/i);
    await shot('13-status-draft');
    await modal.getByRole('button', { name: 'Post' }).click();
    await modal.waitFor({ state: 'detached' });
    await pane.getByText(/Posted the status update/).waitFor();
    // The prompt keeps no button: it says who posted it, and where.
    await prompt.getByText(/was posted by @Ben Okafor in #ext-acme/).waitFor();
    expect(await prompt.getByRole('button').count()).toBe(0);
    await shot('14-status-posted');

    await openPane(/ext-acme/);
    const update = pane.locator('.message').filter({ hasText: 'Status update, Wed 16 Dec 2026' });
    await update.waitFor();
    expect(await update.textContent()).toContain(draft.split('\n')[0]);
    const clientView = (await pane.textContent()) ?? '';
    expect(clientView).not.toMatch(/Pilot users not trained|Client inputs late again|likelihood|risk/i);
    expect(await pane.getByRole('button').count()).toBe(0);
    await update.scrollIntoViewIfNeeded();
    await shot('15-client-channel');

    // The status update is done: App Home, published afresh on opening (the page shows the last one
    // meanwhile, as Slack does), lists it no more, nor the inputs done on Friday.
    await openPane(/Steward · Home/);
    await expect
      .poll(async () => (await pane.textContent()) ?? '', { timeout: 15_000 })
      .toMatch(/Open risks[\s\S]*Pilot users not trained in time/);
    const home = (await pane.textContent()) ?? '';
    expect(home).toMatch(/Wed 16 Dec: Pilot live[\s\S]*Mon 21 Dec: Pilot review and handover/);
    expect(home).not.toMatch(/Weekly client status update|Client inputs received|Client inputs late again/);
    await shot('16-home-after');

    expect(errors).toEqual([]);
  }, 300_000);
});
