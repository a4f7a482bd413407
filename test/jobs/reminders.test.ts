import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/outbox.js';
import { updateTeam } from '../../src/db/teams.js';
import { markDone, snooze } from '../../src/flows/milestones.js';
import { planRemindersTick } from '../../src/jobs/reminders.js';
import { ACTIONS, OUTBOX_METADATA_EVENT } from '../../src/slack/ids.js';
import { testDatabaseKind, useTestDatabase } from '../support/db.js';
import { as, expectOk, flowDeps } from '../support/builders.js';
import {
  buttonValues,
  emptyJobTables,
  engagementVia,
  job,
  LEAD,
  posted,
  ROTATION_CHANNEL,
  seedJobsTeam,
  silentLogger,
  TEAM,
  useSlack,
} from './support.js';

const database = useTestDatabase();
emptyJobTables(database);
const slack = useSlack();

// The team works in UTC with reminders at 09:00. Acme starts on Monday 2026-12-07; its standard plan
// is due 12-07 (kickoff), 12-10 (inputs), 12-11 (plan), 12-14 (status update), 12-18, …
const CREATED = '2026-12-01T10:00:00Z';
const acme = { clientName: 'Acme', channelId: 'C0ACME', startsOn: '2026-12-07', createdAt: CREATED };

const titlesIn = (message: { blocks?: { type: string; text?: unknown }[] }) =>
  JSON.stringify(message.blocks ?? []);

describe('the reminders job', () => {
  it('reminds on the start day at the reminder time, with the buttons, and not before', async () => {
    await seedJobsTeam(database.db, CREATED);
    const { engagement, milestones } = await engagementVia(database.db, slack, acme);
    const kickoff = milestones.find((m) => m.due_on === '2026-12-07' && m.kind === 'milestone')!;

    const early = await job(database.db, slack, 'reminders', '2026-12-07T08:59:00Z');
    expect(early.teams).toEqual([expect.objectContaining({ teamId: TEAM, outcome: 'not-due' })]);
    expect(posted(slack, 'C0ACME')).toHaveLength(0);

    const report = await job(database.db, slack, 'reminders', '2026-12-07T09:00:00Z');
    expect(report.teams).toEqual([
      expect.objectContaining({ outcome: 'planned', day: '2026-12-07', written: 1 }),
    ]);
    expect(report.sending).toMatchObject({ sent: 1, failed: 0 });
    const [reminder, ...more] = posted(slack, 'C0ACME');
    expect(more).toHaveLength(0);
    expect(reminder!.text).toBe('Milestones for #1 Acme: 1 due today');
    expect(titlesIn(reminder!)).toContain('Kickoff with the client');
    expect(titlesIn(reminder!)).toContain(`owner <@${engagement.owner_id}>`);
    expect(buttonValues(reminder!, ACTIONS.markDone)).toEqual([kickoff.id]);
    expect(buttonValues(reminder!, ACTIONS.snooze)).toEqual([kickoff.id]);
    expect(buttonValues(reminder!, ACTIONS.flagRisk)).toEqual([engagement.id]);
    expect(reminder!.metadata).toEqual({
      event_type: OUTBOX_METADATA_EVENT,
      event_payload: { key: `reminder:${engagement.id}:2026-12-07`, team: TEAM },
    });
    const [row] = await listOutbox(database.db, TEAM);
    expect(row).toMatchObject({
      status: 'sent',
      message_ts: reminder!.ts,
      attempts: 1,
      channel_id: 'C0ACME',
    });
  });

  it('sends nothing on weekends and holidays, and nothing when nothing is due', async () => {
    await seedJobsTeam(database.db, CREATED, { extraHolidays: ['2026-12-08'] });
    await engagementVia(database.db, slack, acme);
    await job(database.db, slack, 'reminders', '2026-12-07T09:00:00Z');
    expect(posted(slack, 'C0ACME')).toHaveLength(1);

    // The kickoff is overdue from Tuesday on, but Tuesday is a holiday and Saturday and Sunday are weekend.
    for (const at of ['2026-12-08T09:00:00Z', '2026-12-12T09:00:00Z', '2026-12-13T12:00:00Z']) {
      const report = await job(database.db, slack, 'reminders', at);
      expect(report.teams[0]).toMatchObject({ outcome: 'not-due' });
    }
    expect(posted(slack, 'C0ACME')).toHaveLength(1);
    await job(database.db, slack, 'reminders', '2026-12-09T09:00:00Z');
    expect(posted(slack, 'C0ACME')).toHaveLength(2);

    // A region's public holiday counts too: Christmas Day 2026 is a Friday.
    await updateTeam(database.db, TEAM, { holidayRegion: 'DE' });
    await job(database.db, slack, 'reminders', '2026-12-25T09:00:00Z');
    expect(posted(slack, 'C0ACME').map((m) => m.metadata?.event_payload.key)).not.toContain(
      expect.stringMatching(/2026-12-25$/),
    );

    // An active engagement with nothing due, overdue or due within two business days gets nothing.
    const { milestones } = await engagementVia(database.db, slack, {
      clientName: 'Later',
      channelId: 'C0LATER',
      startsOn: '2027-01-11',
      createdAt: '2026-12-09T10:00:00Z',
    });
    expect(milestones.length).toBeGreaterThan(0);
    await job(database.db, slack, 'reminders', '2026-12-10T09:00:00Z');
    expect(posted(slack, 'C0LATER')).toHaveLength(0);
  });

  it('sends one reminder per engagement per day however often and in how many places it runs', async () => {
    await seedJobsTeam(database.db, CREATED);
    await engagementVia(database.db, slack, acme);
    await engagementVia(database.db, slack, { ...acme, clientName: 'Globex', channelId: 'C0GLOBEX' });

    const ticks = ['2026-12-07T09:00:00Z', '2026-12-07T09:00:00Z', '2026-12-07T09:01:00Z'];
    // Side by side on Postgres, as replicas would. The embedded database serves one process
    // (replicas share a Postgres), and its socket server mixes up concurrent connections' statements.
    const reports =
      testDatabaseKind() === 'postgres'
        ? await Promise.all(ticks.map((at) => job(database.db, slack, 'reminders', at)))
        : [
            await job(database.db, slack, 'reminders', ticks[0]!),
            await job(database.db, slack, 'reminders', ticks[1]!),
            await job(database.db, slack, 'reminders', ticks[2]!),
          ];
    expect(reports.flatMap((r) => r.teams.map((t) => t.outcome)).sort()).toEqual([
      'already-planned',
      'already-planned',
      'planned',
    ]);
    const again = await job(database.db, slack, 'reminders', '2026-12-07T15:30:00Z');
    expect(again.teams[0]).toMatchObject({ outcome: 'already-planned', written: 0 });
    expect(posted(slack, 'C0ACME')).toHaveLength(1);
    expect(posted(slack, 'C0GLOBEX')).toHaveLength(1);
    // Every message went once; the approvals' own news (a buddy's DM) went with the first sweep.
    const keys = slack.emulator
      .callsTo('chat.postMessage')
      .map((c) => (c.args.metadata as { event_payload: { key: string } }).event_payload.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('reminder:'))).toHaveLength(2);
  });

  it('leaves out a milestone once it is marked done', async () => {
    await seedJobsTeam(database.db, CREATED);
    const { engagement, milestones } = await engagementVia(database.db, slack, acme);
    const kickoff = milestones.find((m) => m.due_on === '2026-12-07')!;
    const inputs = milestones.find((m) => m.due_on === '2026-12-10')!;
    const owner = as(engagement.owner_id!);
    expectOk(
      await markDone(
        flowDeps(database.db, () => new Date('2026-12-07T08:30:00Z')),
        owner,
        kickoff.id,
      ),
    );

    await job(database.db, slack, 'reminders', '2026-12-07T09:00:00Z');
    expect(posted(slack, 'C0ACME')).toHaveLength(0);

    // Tuesday: the inputs are due in two business days; the kickoff, done, is not mentioned.
    await job(database.db, slack, 'reminders', '2026-12-08T09:00:00Z');
    const [tuesday] = posted(slack, 'C0ACME');
    expect(buttonValues(tuesday!, ACTIONS.markDone)).toEqual([inputs.id]);
    expect(tuesday!.text).toBe('Milestones for #1 Acme: 1 due soon');
  });

  it('moves a snoozed milestone a business day later', async () => {
    await seedJobsTeam(database.db, CREATED);
    const { engagement, milestones } = await engagementVia(database.db, slack, acme);
    const kickoff = milestones.find((m) => m.due_on === '2026-12-07')!;
    await job(database.db, slack, 'reminders', '2026-12-07T09:00:00Z');
    expectOk(
      await snooze(
        flowDeps(database.db, () => new Date('2026-12-07T11:00:00Z')),
        as(engagement.owner_id!),
        kickoff.id,
      ),
    );
    // Tuesday: the snoozed kickoff is left out (the inputs, due Thursday, are still mentioned).
    await job(database.db, slack, 'reminders', '2026-12-08T09:00:00Z');
    const tuesday = posted(slack, 'C0ACME').at(-1)!;
    expect(buttonValues(tuesday, ACTIONS.markDone)).not.toContain(kickoff.id);
    // Wednesday: back, overdue.
    await job(database.db, slack, 'reminders', '2026-12-09T09:00:00Z');
    const last = posted(slack, 'C0ACME').at(-1)!;
    expect(buttonValues(last, ACTIONS.markDone)).toContain(kickoff.id);
  });

  it('escalates a snoozed milestone on the day it would have been escalated anyway', async () => {
    await seedJobsTeam(database.db, CREATED);
    const { engagement, milestones } = await engagementVia(database.db, slack, acme);
    const kickoff = milestones.find((m) => m.due_on === '2026-12-07')!;
    for (const day of ['2026-12-07', '2026-12-08', '2026-12-09'])
      await job(database.db, slack, 'reminders', `${day}T09:00:00Z`);
    expect(posted(slack, LEAD)).toEqual([]);
    // Snoozed on Wednesday: Thursday's reminder leaves it out, but it is 3 business days late.
    expectOk(
      await snooze(
        flowDeps(database.db, () => new Date('2026-12-09T11:00:00Z')),
        as(engagement.owner_id!),
        kickoff.id,
      ),
    );
    await job(database.db, slack, 'reminders', '2026-12-10T09:00:00Z');
    expect(buttonValues(posted(slack, 'C0ACME').at(-1)!, ACTIONS.markDone)).not.toContain(kickoff.id);
    const [escalation] = posted(slack, LEAD);
    expect(titlesIn(escalation!)).toContain('3 business days late');
  });

  it('escalates a milestone to the leads once, when it is more than two business days overdue', async () => {
    await seedJobsTeam(database.db, CREATED);
    const { milestones } = await engagementVia(database.db, slack, acme);
    const kickoff = milestones.find((m) => m.due_on === '2026-12-07')!;
    const days = [
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
      '2026-12-14',
      '2026-12-15',
    ];
    const escalationsBy: Record<string, number> = {};
    for (const day of days) {
      await job(database.db, slack, 'reminders', `${day}T09:00:00Z`);
      escalationsBy[day] = posted(slack, LEAD).length;
    }
    // Late by 1 on Tuesday, 2 on Wednesday, 3 on Thursday: escalated then, and never again.
    expect(escalationsBy).toEqual({
      '2026-12-07': 0,
      '2026-12-08': 0,
      '2026-12-09': 0,
      '2026-12-10': 1,
      '2026-12-11': 1,
      '2026-12-14': 1,
      '2026-12-15': 2,
    });
    const [first, second] = posted(slack, LEAD);
    expect(first!.text).toBe('Escalation: a milestone is overdue by more than two business days');
    expect(titlesIn(first!)).toContain('Kickoff with the client');
    expect(titlesIn(first!)).toContain('3 business days late');
    // The inputs (due Thursday) are 3 days late on Tuesday; the kickoff is not told again.
    expect(titlesIn(second!)).toContain('Client inputs received');
    expect(titlesIn(second!)).not.toContain('Kickoff');
    // Escalations are internal: nothing about them reaches the engagement's channel.
    expect(
      posted(slack, 'C0ACME').every((m) => String(m.metadata?.event_payload.key).startsWith('reminder:')),
    ).toBe(true);
    expect(kickoff.status).toBe('open');
  });

  it('catches up after downtime with today’s reminder once, and still escalates', async () => {
    await seedJobsTeam(database.db, CREATED);
    await engagementVia(database.db, slack, acme);
    await job(database.db, slack, 'reminders', '2026-12-07T09:00:00Z');
    // Down from Monday evening until Friday afternoon; back at 15:00 on Friday.
    const report = await job(database.db, slack, 'reminders', '2026-12-11T15:00:00Z');
    expect(report.teams[0]).toMatchObject({ outcome: 'planned', day: '2026-12-11' });
    const keys = posted(slack, 'C0ACME').map((m) => m.metadata?.event_payload.key);
    expect(keys).toEqual([expect.stringMatching(/:2026-12-07$/), expect.stringMatching(/:2026-12-11$/)]);
    const [escalation] = posted(slack, LEAD);
    expect(titlesIn(escalation!)).toContain('Kickoff with the client');
    expect(titlesIn(escalation!)).toContain('4 business days late');
  });

  it('drops a reminder whose day has passed instead of sending it late', async () => {
    await seedJobsTeam(database.db, CREATED);
    await engagementVia(database.db, slack, acme);
    // Monday's plan was written but the process died before sending it.
    await planRemindersTick({ db: database.db, logger: silentLogger }, new Date('2026-12-07T09:00:00Z'));
    const report = await job(database.db, slack, 'reminders', '2026-12-08T09:00:00Z');
    expect(report.sending).toMatchObject({ sent: 1, expired: 1 });
    expect(posted(slack, 'C0ACME').map((m) => m.metadata?.event_payload.key)).toEqual([
      expect.stringMatching(/:2026-12-08$/),
    ]);
    const rows = await listOutbox(database.db, TEAM);
    expect(rows.map((r) => [r.idempotency_key.slice(-10), r.status])).toEqual([
      ['2026-12-07', 'failed'],
      ['2026-12-08', 'sent'],
    ]);
  });

  it('prompts the owner by DM on a status-update day, not in the client’s channel', async () => {
    await seedJobsTeam(database.db, CREATED);
    const { engagement, milestones } = await engagementVia(database.db, slack, acme);
    const status = milestones.find((m) => m.kind === 'status_update' && m.due_on === '2026-12-14')!;
    await job(database.db, slack, 'reminders', '2026-12-14T09:00:00Z');
    const [prompt, ...more] = posted(slack, engagement.owner_id!);
    expect(more).toHaveLength(0);
    expect(prompt!.text).toBe('Weekly client status update for #1 Acme is due today');
    expect(buttonValues(prompt!, ACTIONS.markDone)).toEqual([status.id]);
    const channelReminder = posted(slack, 'C0ACME').at(-1)!;
    expect(buttonValues(channelReminder, ACTIONS.markDone)).not.toContain(status.id);
    expect(posted(slack, ROTATION_CHANNEL)).toHaveLength(0);
  });
});
