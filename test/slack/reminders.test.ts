// The buttons on a milestone reminder (the reminders job posts it): Mark done, Snooze a day and
// Add risk, for the owner or a lead; anyone else is refused and nothing changes.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { reminderMessage } from '../../src/slack/blocks/reminders.js';
import { listOpenRisks } from '../../src/db/risks.js';
import { ACTIONS, RISK_FIELDS } from '../../src/slack/ids.js';
import type { EngagementRow, MilestoneRow } from '../../src/db/schema.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  type Harness,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

/** An engagement owned by Ana, and today's reminder in its channel, as the reminders job posts it. */
async function reminded(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  await approveOpenProposal(h);
  const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1)) as EngagementRow;
  const milestones = await listMilestones(h.db, engagement.id);
  const [first, second] = milestones as [MilestoneRow, MilestoneRow];
  const message = reminderMessage({
    type: 'reminder',
    day: '2026-12-02',
    engagement: {
      id: engagement.id,
      number: 1,
      clientName: engagement.client_name,
      channelId: CHANNELS.acme,
      ownerId: PEOPLE.ana,
    },
    items: [
      {
        milestoneId: first.id,
        title: first.title,
        dueOn: first.due_on,
        urgency: 'due-today',
        businessDays: 0,
      },
      {
        milestoneId: second.id,
        title: second.title,
        dueOn: second.due_on,
        urgency: 'due-soon',
        businessDays: 2,
      },
    ],
  });
  const posted = await h.app.client.chat.postMessage({
    channel: CHANNELS.acme,
    text: message.text,
    blocks: message.blocks,
  });
  return { engagement, first, second, where: { channelId: CHANNELS.acme, ts: posted.ts! } };
}

describe('Mark done and Snooze a day', () => {
  it('lets the owner mark a milestone done, updating the reminder in place', async () => {
    const h = harness.current;
    const { first, second, where } = await reminded(h);
    await h.click(PEOPLE.ana, where, ACTIONS.markDone, first.id);
    const milestones = await listMilestones(h.db, first.engagement_id);
    expect(milestones.find((m) => m.id === first.id)?.status).toBe('done');
    const updated = h.emulator.message(CHANNELS.acme, where.ts)!;
    expect(textOf(updated)).toContain(`${first.title}: done, marked by <@${PEOPLE.ana}>.`);
    // That milestone's buttons are gone; the other milestone's and Flag risk stay.
    const values = (updated.blocks ?? []).flatMap((b) =>
      ((b as { elements?: { value?: string; action_id?: string }[] }).elements ?? []).map(
        (e) => `${e.action_id}=${e.value}`,
      ),
    );
    expect(values).not.toContain(`${ACTIONS.markDone}=${first.id}`);
    expect(values).not.toContain(`${ACTIONS.snooze}=${first.id}`);
    expect(values).toContain(`${ACTIONS.markDone}=${second.id}`);
    expect(values).toContain(`${ACTIONS.flagRisk}=${first.engagement_id}`);
  });

  it('lets a lead snooze a milestone, saying what a snooze changes and what it does not', async () => {
    const h = harness.current;
    const { first, where } = await reminded(h);
    expect(textOf(h.emulator.message(CHANNELS.acme, where.ts))).toContain(
      '*#1 Acme GmbH* · reminder of Wed 2 Dec: overdue, due today and due within two business days',
    );
    await h.click(PEOPLE.lead, where, ACTIONS.snooze, first.id);
    const milestones = await listMilestones(h.db, first.engagement_id);
    expect(milestones.find((m) => m.id === first.id)).toMatchObject({
      snoozed_until: '2026-12-03',
      due_on: first.due_on,
    });
    expect(textOf(h.emulator.message(CHANNELS.acme, where.ts))).toContain(
      `:zzz: ${first.title}: snoozed by <@U0LEAD>, left out of Wed 2 Dec's reminder and back in Thu 3 Dec's. ` +
        'Still due Wed 2 Dec: the due date and the escalation to the leads stay as they were.',
    );
    // list agrees: the same due date, and the snooze.
    await h.command(PEOPLE.lead, 'list');
    expect(textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1))).toContain(
      `next: ${first.title} (due Wed 2 Dec; snoozed, back in the reminder of Thu 3 Dec)`,
    );
  });

  it.each([
    [ACTIONS.markDone, 'mark milestones done'],
    [ACTIONS.snooze, 'snooze reminders'],
  ])('refuses %s by someone who is neither the owner nor a lead', async (action, doing) => {
    const h = harness.current;
    const { first, where } = await reminded(h);
    const before = h.emulator.message(CHANNELS.acme, where.ts);
    await h.click(PEOPLE.ben, where, action, first.id);
    expect(h.lastEphemeral(PEOPLE.ben)).toBe(`Only the engagement's owner or a lead can ${doing}.`);
    expect(h.emulator.message(CHANNELS.acme, where.ts)).toEqual(before);
    const milestone = (await listMilestones(h.db, first.engagement_id)).find((m) => m.id === first.id)!;
    expect([milestone.status, milestone.snoozed_until]).toEqual(['open', null]);
  });

  it('explains a milestone already marked done', async () => {
    const h = harness.current;
    const { first, where } = await reminded(h);
    const value = first.id;
    // Two people click at once; the second hears who was first.
    await Promise.all([
      h.emulator.clickButton(PEOPLE.ana, where, ACTIONS.markDone, value),
      h.emulator.clickButton(PEOPLE.lead, where, ACTIONS.markDone, value),
    ]);
    await h.app.idle();
    const refusals = [...h.ephemeralTexts(PEOPLE.ana), ...h.ephemeralTexts(PEOPLE.lead)].filter((t) =>
      t.includes('already marked done'),
    );
    expect(refusals).toHaveLength(1);
  });
});

describe('Add risk', () => {
  it('adds a risk to the register: the owner gets it by DM, the rotation channel a line, the client nothing', async () => {
    const h = harness.current;
    const { engagement, where } = await reminded(h);
    await h.click(PEOPLE.ana, where, ACTIONS.flagRisk, engagement.id);
    const modal = h.modal(PEOPLE.ana)!;
    expect(modal.callback_id).toBe('engagement.add_risk');
    await h.submit(PEOPLE.ana, modal, {
      [RISK_FIELDS.title.block]: 'inputs <late> again',
      [RISK_FIELDS.impact.block]: 'high',
      [RISK_FIELDS.mitigation.block]: 'ask for them on Monday',
    });
    const [risk] = await listOpenRisks(h.db, TEAM_ID, [engagement.id]);
    expect(risk).toMatchObject({
      title: 'inputs <late> again',
      likelihood: 'medium',
      impact: 'high',
      owner_id: PEOPLE.ana,
      mitigation: 'ask for them on Monday',
      created_by: PEOPLE.ana,
    });
    expect(h.botMessages(CHANNELS.rotation).at(-1)?.text).toBe(
      `:warning: Risk added to #1 Acme GmbH by <@${PEOPLE.ana}>: inputs &lt;late&gt; again (likelihood medium, impact high)`,
    );
    const dm = textOf(h.botMessages(PEOPLE.ana).at(-1));
    expect(dm).toContain('*inputs &lt;late&gt; again* (likelihood medium, impact high) · owner <@U0ANA>');
    expect(buttonValue(h.botMessages(PEOPLE.ana).at(-1)!, ACTIONS.resolveRisk)).toBe(risk!.id);
    expect(
      h
        .botMessages(CHANNELS.acme)
        .map((m) => textOf(m))
        .join('\n'),
    ).not.toContain('late');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('Added the risk to #1 Acme GmbH');
    // A medium-likelihood risk is not an alarm: the lead hears nothing by DM.
    expect(h.botMessages(PEOPLE.lead)).toEqual([]);
  });

  it('refuses anyone but the owner or a lead, without a modal', async () => {
    const h = harness.current;
    const { engagement, where } = await reminded(h);
    await h.click(PEOPLE.cat, where, ACTIONS.flagRisk, engagement.id);
    expect(h.modal(PEOPLE.cat)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.cat)).toBe("Only the engagement's owner or a lead can add a risk.");
    expect(await listOpenRisks(h.db, TEAM_ID)).toEqual([]);
  });
});
