// Shift plan (reminders and App Home): the owner or a lead moves the remaining milestones from a
// chosen one by N business days in a modal; bad input is a field error and changes nothing; the
// engagement channel gets one line, through the outbox, once.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import type { EngagementRow } from '../../src/db/schema.js';
import { reminderMessage } from '../../src/slack/blocks/reminders.js';
import { ACTIONS, SHIFT_FIELDS as F } from '../../src/slack/ids.js';
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

/** Engagement #1 owned by Ana, and a reminder in its channel as the reminders job posts it. */
async function reminded(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  await approveOpenProposal(h);
  const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1)) as EngagementRow;
  const [first] = await listMilestones(h.db, engagement.id);
  const message = reminderMessage({
    type: 'reminder',
    day: '2026-12-01',
    engagement: {
      id: engagement.id,
      number: 1,
      clientName: engagement.client_name,
      channelId: CHANNELS.acme,
      ownerId: PEOPLE.ana,
    },
    items: [
      {
        milestoneId: first!.id,
        title: first!.title,
        dueOn: first!.due_on,
        urgency: 'due-today',
        businessDays: 0,
      },
    ],
  });
  const posted = await h.app.client.chat.postMessage({
    channel: CHANNELS.acme,
    text: message.text,
    blocks: message.blocks,
  });
  return { engagement, where: { channelId: CHANNELS.acme, ts: posted.ts! } };
}

const planLines = (h: Harness) => h.botMessages(CHANNELS.acme).filter((m) => /plan shifted/i.test(m.text));

describe('Shift plan', () => {
  it('from a reminder: field errors for bad numbers, then one line in the engagement channel', async () => {
    const h = harness.current;
    const { engagement, where } = await reminded(h);
    const before = await listMilestones(h.db, engagement.id);
    const acceptance = before.find((m) => m.title.startsWith('Client acceptance'))!;
    const goLive = before.find((m) => m.title.startsWith('Go-live'))!;
    expect(buttonValue(h.emulator.message(CHANNELS.acme, where.ts)!, ACTIONS.shiftPlan)).toBe(engagement.id);

    await h.click(PEOPLE.ana, where, ACTIONS.shiftPlan, engagement.id);
    const modal = h.modal(PEOPLE.ana)!;
    expect(modal.callback_id).toBe('plan.shift');
    for (const [typed, message] of [
      ['three', 'Give a whole number of business days, like 3 or -2.'],
      ['2.5', 'Give a whole number of business days, like 3 or -2.'],
      ['0', 'A shift of 0 business days changes nothing: give a number like 3 or -2.'],
      ['61', 'Shift by at most 60 business days either way.'],
    ] as const) {
      const refused = await h.submit(PEOPLE.ana, modal, {
        [F.milestone.block]: acceptance.id,
        [F.days.block]: typed,
      });
      expect(refused.errors).toEqual({ [F.days.block]: message });
    }
    expect(await listMilestones(h.db, engagement.id)).toEqual(before);
    expect(planLines(h)).toHaveLength(0);

    const done = await h.submit(PEOPLE.ana, modal, {
      [F.milestone.block]: acceptance.id,
      [F.days.block]: '3',
    });
    expect(done.errors).toBeUndefined();
    const after = await listMilestones(h.db, engagement.id);
    const moved = (id: string) => after.find((m) => m.id === id)!.due_on;
    expect([acceptance.due_on, moved(acceptance.id)]).toEqual(['2026-12-22', '2026-12-25']);
    expect([goLive.due_on, moved(goLive.id)]).toEqual(['2026-12-29', '2027-01-01']);
    expect(moved(before[0]!.id)).toBe(before[0]!.due_on);
    const updated = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    expect(updated.ends_on).toBe('2027-01-04');

    const lines = planLines(h);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toBe(
      ':calendar: *#1 Acme GmbH*: plan shifted 3 business days later by <@U0ANA>: *Client acceptance test passed* is now due Fri 25 Dec, and what follows moves with it; the engagement now ends Mon 4 Jan.',
    );
    expect(h.lastEphemeral(PEOPLE.ana)).toContain(
      'Shifted 4 milestones of #1 Acme GmbH: it now ends Mon 4 Jan.',
    );
    // Each milestone's new date, with the old one, for the person who shifted.
    expect(h.lastEphemeral(PEOPLE.ana)).toContain(
      '• Fri 25 Dec: Client acceptance test passed (was Tue 22 Dec)',
    );
    const outbox = await h.db.selectFrom('outbox').selectAll().where('kind', '=', 'plan-changed').execute();
    expect(outbox.map((r) => [r.status, r.channel_id])).toEqual([['sent', CHANNELS.acme]]);
    // The owner's DM shows the new dates; the rest of it, Hand back included, as it was.
    const dm = h.botMessages(PEOPLE.ana).find((m) => /You own/.test(m.text))!;
    const ownerDm = textOf(h.emulator.message(dm.channel, dm.ts));
    expect(ownerDm).toContain('Fri 25 Dec: Client acceptance test passed');
    expect(ownerDm).not.toContain('Tue 22 Dec: Client acceptance test passed');
    expect(buttonValue(h.emulator.message(dm.channel, dm.ts)!, ACTIONS.handBack)).toBeDefined();
    expect(
      (await listEvents(h.db, TEAM_ID, engagement.id)).filter((e) => e.kind === 'milestone.shifted'),
    ).toHaveLength(1);

    // The story tells it in words.
    await h.command(PEOPLE.lead, 'history #1');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('History of #1 Acme GmbH');
    const history = textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1) as never);
    expect(history).toContain(
      '<@U0ANA> shifted the plan 3 business days later from "Client acceptance test passed" (4 milestones moved; now ends Mon 4 Jan)',
    );
  });

  it('is refused to anyone but the owner or a lead, before any modal', async () => {
    const h = harness.current;
    const { engagement, where } = await reminded(h);
    await h.click(PEOPLE.ben, where, ACTIONS.shiftPlan, engagement.id);
    expect(h.modal(PEOPLE.ben)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.ben)).toBe("Only the engagement's owner or a lead can shift its plan.");
  });

  it('from App Home: the owner shifts earlier and is told by DM', async () => {
    const h = harness.current;
    const { engagement } = await reminded(h);
    const home = (await h.openHome(PEOPLE.ana))!;
    expect(buttonValue(home, ACTIONS.shiftPlan)).toBe(engagement.id);
    await h.click(PEOPLE.ana, { viewId: home.id }, ACTIONS.shiftPlan, engagement.id);
    const milestones = await listMilestones(h.db, engagement.id);
    const goLive = milestones.find((m) => m.title.startsWith('Go-live'))!;
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, {
      [F.milestone.block]: goLive.id,
      [F.days.block]: '-1',
    });
    expect((await listMilestones(h.db, engagement.id)).find((m) => m.id === goLive.id)!.due_on).toBe(
      '2026-12-28',
    );
    expect(planLines(h)).toHaveLength(1);
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).toContain('Shifted 2 milestones of #1 Acme GmbH');
  });
  it("brings the client channel's summary up to date in place, with the new dates and nothing internal", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { channel: CHANNELS.acme, clientChannel: CHANNELS.acmeClient });
    await approveOpenProposal(h);
    const [summary] = h.botMessages(CHANNELS.acmeClient);
    expect(textOf(summary)).toContain('Tue 22 Dec: Client acceptance test passed');
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    const acceptance = (await listMilestones(h.db, engagement.id)).find((m) =>
      m.title.startsWith('Client acceptance'),
    )!;
    const home = await h.openHome(PEOPLE.ana);
    await h.click(PEOPLE.ana, { viewId: home!.id }, ACTIONS.shiftPlan, engagement.id);
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, {
      [F.milestone.block]: acceptance.id,
      [F.days.block]: '3',
    });

    // The same message, not a new one: the client reads one summary, as it now stands.
    const inClient = h.botMessages(CHANNELS.acmeClient);
    expect(inClient).toHaveLength(1);
    const updated = textOf(h.emulator.message(CHANNELS.acmeClient, summary!.ts));
    expect(updated).toContain('Wed 2 Dec 2026 → Mon 4 Jan 2027');
    expect(updated).toContain('Fri 25 Dec: Client acceptance test passed');
    expect(updated).toContain('Fri 1 Jan: Go-live');
    expect(updated).toContain('Dates updated Tue 1 Dec 2026');
    for (const internal of ['shift', 'business day', PEOPLE.lead, '#1'])
      expect(updated).not.toContain(internal);
  });
});
