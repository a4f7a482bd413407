import { describe, expect, it } from 'vitest';
import { findEngagement } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import {
  decideProposal,
  findPendingProposal,
  findProposal,
  recordProposalMessage,
} from '../../src/db/proposals.js';
import type { EngagementRow } from '../../src/db/schema.js';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import { approveProposal } from '../../src/flows/decide-proposal.js';
import { coverNeeded } from '../../src/flows/plan-proposals.js';
import { recordTimeAway } from '../../src/flows/time-away.js';
import { PROPOSAL_ACTIONS_BLOCK } from '../../src/slack/blocks/proposal.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { as, asLead, expectOk, flowDeps } from '../support/builders.js';
import { useTestDatabase } from '../support/db.js';
import {
  buttonValues,
  emptyJobTables,
  engagementVia,
  job,
  LEAD,
  posted,
  ROTATION_CHANNEL,
  seedJobsTeam,
  TEAM,
  useSlack,
} from './support.js';

const database = useTestDatabase();
emptyJobTables(database);
const slack = useSlack();

const text = (m: { blocks?: unknown[] }) => JSON.stringify(m.blocks ?? []);

describe('the proposals job', () => {
  it('re-proposes an engagement without an owner when its start is near, then nudges the leads once a business day', async () => {
    await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
    // Created five weeks ahead; its first proposal was posted then and never decided.
    const { engagement, proposalId: first } = await engagementVia(database.db, slack, {
      clientName: 'Umbrella',
      channelId: 'C0UMBRELLA',
      startsOn: '2027-01-11',
      createdAt: '2026-12-01T10:00:00Z',
      approve: false,
    });
    const old = await slack.client().chat.postMessage({
      channel: ROTATION_CHANNEL,
      text: 'Owner proposal for #1 Umbrella',
      blocks: [
        {
          type: 'actions',
          block_id: PROPOSAL_ACTIONS_BLOCK,
          elements: [
            {
              type: 'button',
              action_id: ACTIONS.approveOwner,
              text: { type: 'plain_text', text: 'Approve' },
              value: first,
            },
          ],
        },
      ],
    });
    await recordProposalMessage(database.db, first, ROTATION_CHANNEL, old.ts!);

    // Outside the five business days before the start: left alone, and not chased either.
    await job(database.db, slack, 'proposals', '2026-12-30T10:00:00Z');
    expect(posted(slack, ROTATION_CHANNEL)).toHaveLength(1);
    expect(posted(slack, LEAD)).toHaveLength(0);

    // Monday 2027-01-04 is five business days before the start: a fresh ranking, once.
    const report = await job(database.db, slack, 'proposals', '2027-01-04T10:00:00Z');
    expect(report.teams[0]).toMatchObject({ outcome: 'planned', written: 2 });
    expect((await findProposal(database.db, TEAM, first))!).toMatchObject({
      outcome: 'superseded',
      decided_by: null,
    });
    const fresh = (await findPendingProposal(database.db, engagement.id))!;
    const messages = posted(slack, ROTATION_CHANNEL);
    expect(messages).toHaveLength(2);
    const [retired, reproposal] = messages;
    // The old message lost its buttons, so nobody decides a stale ranking.
    expect(buttonValues(retired!, ACTIONS.approveOwner)).toEqual([]);
    expect(text(retired!)).toContain('Superseded');
    expect(buttonValues(reproposal!, ACTIONS.approveOwner)).toEqual([fresh.id]);
    expect(text(reproposal!)).toContain('the start (2027-01-11) is near and no owner is approved yet');
    expect(fresh).toMatchObject({ channel_id: ROTATION_CHANNEL, message_ts: reproposal!.ts });
    const events = await listEvents(database.db, TEAM, engagement.id);
    expect(events.filter((e) => e.kind === 'proposed').map((e) => e.actor_id)).toEqual([LEAD, null]);

    // The same hour again, and the next hour: nothing new (the fresh proposal is inside the window).
    expect((await job(database.db, slack, 'proposals', '2027-01-04T10:30:00Z')).teams[0]).toMatchObject({
      outcome: 'already-planned',
    });
    await job(database.db, slack, 'proposals', '2027-01-04T11:00:00Z');
    expect(posted(slack, ROTATION_CHANNEL)).toHaveLength(2);
    expect(posted(slack, LEAD)).toHaveLength(0);

    // Unanswered by the next business day: the leads are nudged, once that day.
    for (const at of [
      '2027-01-05T08:00:00Z',
      '2027-01-05T10:00:00Z',
      '2027-01-05T11:00:00Z',
      '2027-01-05T16:00:00Z',
    ]) {
      await job(database.db, slack, 'proposals', at);
    }
    const [nudge] = posted(slack, LEAD);
    expect(posted(slack, LEAD)).toHaveLength(1);
    expect(nudge!.text).toBe('A proposal is waiting for your decision');
    expect(text(nudge!)).toContain('#1 Umbrella');
    expect(text(nudge!)).toContain(`<#${ROTATION_CHANNEL}>`);
    // Every business day until decided; not at the weekend.
    for (const at of [
      '2027-01-06T10:00:00Z',
      '2027-01-09T10:00:00Z',
      '2027-01-10T10:00:00Z',
      '2027-01-11T10:00:00Z',
    ]) {
      await job(database.db, slack, 'proposals', at);
    }
    expect(posted(slack, LEAD)).toHaveLength(3);
    // Internal talk never reaches the engagement's own channel.
    expect(posted(slack, 'C0UMBRELLA')).toHaveLength(0);
  });

  it('proposes a stand-in once when the owner goes away briefly over a due date', async () => {
    await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
    const { engagement } = await engagementVia(database.db, slack, {
      clientName: 'Acme',
      channelId: 'C0ACME',
      startsOn: '2026-12-07',
      createdAt: '2026-12-01T10:00:00Z',
    });
    const owner = engagement.owner_id!;
    expectOk(
      await recordTimeAway(
        flowDeps(database.db, () => new Date('2026-12-07T12:00:00Z')),
        as(owner),
        {
          userId: owner,
          startsOn: '2026-12-09',
          endsOn: '2026-12-11',
        },
      ),
    );

    await job(database.db, slack, 'proposals', '2026-12-08T10:00:00Z');
    // Three business days of some twenty left: a stand-in for those days, not a new owner.
    const handover = (await findPendingProposal(database.db, engagement.id))!;
    expect(handover).toMatchObject({
      kind: 'stand-in',
      covers_owner_id: owner,
      covers_from: '2026-12-09',
      covers_to: '2026-12-11',
    });
    expect(handover.candidate_id).not.toBe(owner);
    expect(handover.why).toBe(
      `ana is away Wed 9 Dec – Fri 11 Dec, over the due dates of "Client inputs received" (Thu 10 Dec) and "Plan and risk register shared (breakdown, sequencing, risks)" (Fri 11 Dec)`,
    );
    const [message] = posted(slack, ROTATION_CHANNEL);
    expect(message!.text).toMatch(/^Stand-in proposal for #1 Acme/);
    expect(text(message!)).toContain('over the due dates of');
    expect(buttonValues(message!, ACTIONS.approveStandIn)).toEqual([handover.id]);
    expect(buttonValues(message!, ACTIONS.approveOwner)).toEqual([]);

    // Later ticks, even after the proposal lapsed without a decision, never propose it again.
    await job(database.db, slack, 'proposals', '2026-12-08T11:00:00Z');
    await decideProposal(database.db, handover.id, {
      outcome: 'superseded',
      by: null,
      at: new Date('2026-12-08T11:30:00Z'),
    });
    await job(database.db, slack, 'proposals', '2026-12-08T12:00:00Z');
    await job(database.db, slack, 'proposals', '2026-12-09T10:00:00Z');
    expect(posted(slack, ROTATION_CHANNEL)).toHaveLength(1);
    expect(await findPendingProposal(database.db, engagement.id)).toBeUndefined();
    expect(
      posted(slack, 'C0ACME').filter((m) => !String(m.metadata?.event_payload.key).startsWith('reminder:')),
    ).toEqual([]);
  });

  it('proposes a handover for a longer absence, approvable like any proposal: the approval is a reassignment', async () => {
    await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
    const { engagement } = await engagementVia(database.db, slack, {
      clientName: 'Acme',
      channelId: 'C0ACME',
      startsOn: '2026-12-07',
      createdAt: '2026-12-01T10:00:00Z',
    });
    const owner = engagement.owner_id!;
    expectOk(
      await recordTimeAway(
        flowDeps(database.db, () => new Date('2026-12-07T12:00:00Z')),
        as(owner),
        {
          userId: owner,
          startsOn: '2026-12-14',
          endsOn: '2026-12-31',
        },
      ),
    );
    await job(database.db, slack, 'proposals', '2026-12-08T10:00:00Z');
    const handover = (await findPendingProposal(database.db, engagement.id))!;
    expect(handover.kind).toBe('handover');
    const decided = expectOk(
      await approveProposal(
        flowDeps(database.db, () => new Date('2026-12-08T11:00:00Z')),
        asLead,
        handover.id,
      ),
    );
    expect(decided.previousOwnerId).toBe(owner);
    expect((await findEngagement(database.db, TEAM, engagement.id))!.owner_id).toBe(handover.candidate_id);
    expect((await listEvents(database.db, TEAM, engagement.id)).at(-1)).toMatchObject({ kind: 'reassigned' });
    // The new owner is not away: nothing more to propose.
    await job(database.db, slack, 'proposals', '2026-12-09T10:00:00Z');
    expect(posted(slack, ROTATION_CHANNEL)).toHaveLength(1);
  });
});

describe('cover for time away', () => {
  const calendar = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });
  // Starts Monday 2026-12-07, ends 2027-01-04: 21 business days.
  const engagement = { starts_on: '2026-12-07', ends_on: '2027-01-04' } as EngagementRow;
  const milestones = [
    { kind: 'milestone' as const, status: 'open' as const, title: 'Inputs', due_on: '2026-12-10' },
    { kind: 'milestone' as const, status: 'open' as const, title: 'Go-live', due_on: '2027-01-01' },
    { kind: 'milestone' as const, status: 'done' as const, title: 'Kickoff', due_on: '2026-12-07' },
    { kind: 'status_update' as const, status: 'open' as const, title: 'Status', due_on: '2026-12-14' },
  ];
  const away = (id: string, starts_on: string, ends_on: string) => ({ id, starts_on, ends_on });

  it.each([
    [
      'over an open due date',
      '2026-12-07',
      [away('1', '2026-12-10', '2026-12-10')],
      'over the due date of "Inputs"',
      ['1'],
    ],
    ['over a done milestone only', '2026-12-07', [away('1', '2026-12-07', '2026-12-07')], null, []],
    ['over a status update only', '2026-12-07', [away('1', '2026-12-14', '2026-12-14')], null, []],
    ['already back', '2026-12-15', [away('1', '2026-12-10', '2026-12-11')], null, []],
    ['4 of 21 business days left (19 %)', '2026-12-07', [away('1', '2026-12-14', '2026-12-17')], null, []],
    ['exactly 20 %: 4 of the 20 left', '2026-12-08', [away('1', '2026-12-14', '2026-12-17')], null, []],
    [
      'more than 20 % over two stretches',
      '2026-12-07',
      [away('1', '2026-12-14', '2026-12-17'), away('2', '2026-12-28', '2026-12-31')],
      'away 8 of the 21 business days left (38 %)',
      ['1', '2'],
    ],
  ])('%s', (_case, today, records, reason, ids) => {
    const cover = coverNeeded({ engagement, ownerName: 'ana', away: records, milestones, today, calendar });
    if (reason === null) expect(cover).toBeNull();
    else expect(cover).toMatchObject({ reason: expect.stringContaining(reason), timeAwayIds: ids });
  });
});
