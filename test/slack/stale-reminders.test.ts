// Earlier reminders never keep a live button for what is done: marking a milestone done updates every
// reminder that showed it, closing the engagement takes every reminder's buttons, a shifted plan gives
// the moved items their new date, each update is sent once through the outbox, and a click on a button
// that went stale says what happened instead.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listOutbox } from '../../src/db/outbox.js';
import type { EngagementRow, MilestoneRow } from '../../src/db/schema.js';
import { closeEngagement } from '../../src/flows/engagement-status.js';
import { markDone } from '../../src/flows/milestones.js';
import type { EmulatedMessage } from '../../src/sandbox/slack-emulator.js';
import { ACTIONS, SHIFT_FIELDS } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  CHANNELS,
  closeConfirmed,
  handsBack,
  type Harness,
  PEOPLE,
  remindersTick,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01
beforeEach(async () => {
  // The reminders job plans a team's day once: its marks must not outlive a test.
  await sql`truncate job_marks`.execute(harness.current.db);
});

const remindersAt = remindersTick;

/** Ana owns #1 Acme GmbH (kickoff due Wed 2 Dec); the job posted Wednesday's and Thursday's reminders. */
async function twoReminders(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  await approveOpenProposal(h);
  await remindersAt(h, '2026-12-02T09:00:00Z');
  await remindersAt(h, '2026-12-03T09:00:00Z');
  h.setNow('2026-12-03T10:00:00Z');
  const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1)) as EngagementRow;
  const [kickoff, inputs] = (await listMilestones(h.db, engagement.id)).filter(
    (m) => m.kind === 'milestone',
  ) as [MilestoneRow, MilestoneRow];
  const reminders = h.botMessages(CHANNELS.acme).filter((m) => m.text.startsWith('Milestones for'));
  expect(reminders).toHaveLength(2);
  const [wednesday, thursday] = reminders as [EmulatedMessage, EmulatedMessage];
  return { engagement, kickoff, inputs, wednesday, thursday };
}

const where = (m: EmulatedMessage) => ({ channelId: CHANNELS.acme, ts: m.ts });
const now = (h: Harness, ts: string) => h.emulator.message(CHANNELS.acme, ts)!;
const buttons = (m: EmulatedMessage) =>
  (m.blocks ?? []).flatMap((b) =>
    ((b as { elements?: { value?: string; action_id?: string }[] }).elements ?? [])
      .filter((e) => e.action_id)
      .map((e) => `${e.action_id}=${e.value}`),
  );
const updates = async (h: Harness) =>
  (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'reminder-update');

describe('earlier reminders', () => {
  it('lose the buttons of a milestone marked done on another day’s reminder, each updated once', async () => {
    const h = harness.current;
    const { kickoff, inputs, wednesday, thursday } = await twoReminders(h);
    expect(buttons(wednesday)).toContain(`${ACTIONS.markDone}=${kickoff.id}`);
    expect(buttons(thursday)).toContain(`${ACTIONS.markDone}=${inputs.id}`);

    await h.click(PEOPLE.ana, where(thursday), ACTIONS.markDone, kickoff.id);

    for (const reminder of [wednesday, thursday]) {
      const updated = now(h, reminder.ts);
      expect(buttons(updated)).not.toContain(`${ACTIONS.markDone}=${kickoff.id}`);
      expect(buttons(updated)).not.toContain(`${ACTIONS.snooze}=${kickoff.id}`);
      expect(textOf(updated)).toContain(
        `:white_check_mark: ${kickoff.title}: done, marked by <@${PEOPLE.ana}> on Thu 3 Dec.`,
      );
    }
    // What is not done keeps its buttons.
    expect(buttons(now(h, thursday.ts))).toContain(`${ACTIONS.markDone}=${inputs.id}`);
    expect(buttons(now(h, thursday.ts))).toContain(`${ACTIONS.flagRisk}=${kickoff.engagement_id}`);
    const sent = await updates(h);
    expect(sent.map((r) => [r.channel_id, r.message_ts, r.status])).toEqual([
      [CHANNELS.acme, wednesday.ts, 'sent'],
      [CHANNELS.acme, thursday.ts, 'sent'],
    ]);

    // The next day's tick sends nothing again.
    await remindersAt(h, '2026-12-03T09:05:00Z');
    expect(await updates(h)).toHaveLength(2);
  });

  it('answer a click on a stale button with what happened, and are brought up to date', async () => {
    const h = harness.current;
    const { kickoff, wednesday } = await twoReminders(h);
    // Marked done elsewhere (App Home, a command): the update is queued, not yet sent.
    const done = await markDone(
      { db: h.db, now: () => new Date('2026-12-03T10:00:00Z') },
      {
        teamId: TEAM_ID,
        userId: PEOPLE.ana,
      },
      kickoff.id,
    );
    expect(done.ok).toBe(true);
    expect(buttons(now(h, wednesday.ts))).toContain(`${ACTIONS.snooze}=${kickoff.id}`);

    await h.click(PEOPLE.lead, where(wednesday), ACTIONS.snooze, kickoff.id);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      `"${kickoff.title}" was already marked done by <@${PEOPLE.ana}> on Thu 3 Dec.`,
    );
    const [milestone] = (await listMilestones(h.db, kickoff.engagement_id)).filter(
      (m) => m.id === kickoff.id,
    );
    expect(milestone?.snoozed_until).toBeNull();
    expect(buttons(now(h, wednesday.ts))).not.toContain(`${ACTIONS.snooze}=${kickoff.id}`);
    expect((await updates(h)).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('lose every button when the engagement closes, and a stale click says it was closed', async () => {
    const h = harness.current;
    const { engagement, kickoff, inputs, wednesday, thursday } = await twoReminders(h);
    await h.click(PEOPLE.ana, where(thursday), ACTIONS.markDone, kickoff.id);

    expect(await closeConfirmed(h, 'close #1 the client cancelled')).toContain('Closed #1 Acme GmbH.');
    for (const reminder of [wednesday, thursday]) {
      const updated = now(h, reminder.ts);
      expect(buttons(updated)).toEqual([]);
      expect(textOf(updated)).toContain('#1 Acme GmbH was closed on Thu 3 Dec: nothing here needs doing.');
      expect(textOf(updated)).toContain(`${kickoff.title}: done, marked by <@${PEOPLE.ana}> on Thu 3 Dec.`);
    }
    // One update per reminder for the milestone, one per reminder for the close.
    expect((await updates(h)).map((r) => r.idempotency_key.split(':').at(-1))).toEqual([
      kickoff.id,
      kickoff.id,
      'closed',
      'closed',
    ]);
    expect(engagement.id).toBe(inputs.engagement_id);
  });

  it('answer a click after the close with the day it closed, and take the buttons away', async () => {
    const h = harness.current;
    const { inputs, thursday } = await twoReminders(h);
    // Closed, its updates not sent yet: Thursday's buttons are still there to click.
    const closed = await closeEngagement(
      { db: h.db, now: () => new Date('2026-12-03T10:00:00Z') },
      { teamId: TEAM_ID, userId: PEOPLE.lead },
      { number: 1 },
    );
    expect(closed.ok).toBe(true);

    await h.click(PEOPLE.ana, where(thursday), ACTIONS.markDone, inputs.id);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe(
      'Engagement #1 Acme GmbH was closed on Thu 3 Dec: nothing here needs doing.',
    );
    expect(buttons(now(h, thursday.ts))).toEqual([]);
    const [milestone] = (await listMilestones(h.db, inputs.engagement_id)).filter((m) => m.id === inputs.id);
    expect(milestone?.status).toBe('open');
  });
  it('show the new due date of what a shift moved, keeping its buttons; the others are left alone', async () => {
    const h = harness.current;
    const { engagement, kickoff, inputs, wednesday, thursday } = await twoReminders(h);
    expect(textOf(thursday)).toContain(`:white_circle: Due Mon 7 Dec, in 2 business days\n${inputs.title}`);

    await h.click(PEOPLE.ana, where(thursday), ACTIONS.shiftPlan, engagement.id);
    const shifted = await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, {
      [SHIFT_FIELDS.milestone.block]: inputs.id,
      [SHIFT_FIELDS.days.block]: '2',
    });
    expect(shifted.errors).toBeUndefined();

    const updated = now(h, thursday.ts);
    expect(textOf(updated)).toContain(
      `:calendar: *Now due Wed 9 Dec*: the plan was shifted\n${inputs.title}`,
    );
    expect(textOf(updated)).not.toContain('Due Mon 7 Dec');
    expect(buttons(updated)).toContain(`${ACTIONS.markDone}=${inputs.id}`);
    expect(buttons(updated)).toContain(`${ACTIONS.markDone}=${kickoff.id}`);
    // Wednesday's showed only the kickoff, which did not move.
    expect(now(h, wednesday.ts).updatedAt).toBeUndefined();
    expect((await updates(h)).map((r) => [r.message_ts, r.status])).toEqual([[thursday.ts, 'sent']]);

    // Marked done later, it says so, and the update keeps what the shift did to the rest.
    await h.click(PEOPLE.ana, where(thursday), ACTIONS.markDone, kickoff.id);
    expect(textOf(now(h, thursday.ts))).toContain('*Now due Wed 9 Dec*');
    expect(textOf(now(h, thursday.ts))).toContain(`${kickoff.title}: done`);
  });

  it('name the owner they have now after a takeover or a hand-back, and keep naming them', async () => {
    const h = harness.current;
    const { wednesday, thursday, inputs } = await twoReminders(h);
    expect(textOf(now(h, thursday.ts))).toContain(`owner <@${PEOPLE.ana}>`);
    await h.command(PEOPLE.lead, 'reassign #1 Ana is away next week');
    await approveOpenProposal(h);
    const owner = (await findEngagementByNumber(h.db, TEAM_ID, 1))!.owner_id!;
    expect(owner).not.toBe(PEOPLE.ana);
    for (const reminder of [wednesday, thursday]) {
      expect(textOf(now(h, reminder.ts))).toContain(`owner now <@${owner}>`);
      expect(textOf(now(h, reminder.ts))).not.toContain(`<@${PEOPLE.ana}>`);
    }
    // Marking something done keeps the owner it has now.
    await h.click(owner, where(thursday), ACTIONS.markDone, inputs.id);
    expect(textOf(now(h, thursday.ts))).toContain(`:white_check_mark: ${inputs.title}: done`);
    expect(textOf(now(h, thursday.ts))).toContain(`owner now <@${owner}>`);

    // Handed back: being chosen.
    await handsBack(h, owner, 'on the bid all month');
    expect(textOf(now(h, wednesday.ts))).toContain('owner being chosen');
  });
});
