// The hourly proposals job's decision for one team: re-propose owners for
// engagements whose start is near, nudge the leads about proposals left unanswered, and propose a
// handover when an owner's time away leaves an engagement uncovered. Sending is the outbox sender's.
import type { Db } from '../db/connect.js';
import { listMembers } from '../db/members.js';
import { dropMark, enqueue, takeMarks } from '../db/outbox.js';
import { decideProposal } from '../db/proposals.js';
import type {
  EngagementRow,
  MemberRow,
  MilestoneRow,
  ProposalRow,
  TeamRow,
  TimeAwayRow,
} from '../db/schema.js';
import {
  listActiveEngagements,
  listAwaitingOwnerStartingBy,
  listOpenMilestonesOfActiveEngagements,
  listPendingProposals,
  listTimeAwayOf,
} from '../db/sweeps.js';
import { findTeam } from '../db/teams.js';
import { addDays, formatDay, type BusinessCalendar, type LocalDate } from '../domain/calendar.js';
import { fail, ok, type Result } from '../domain/result.js';
import { absenceResponse } from '../domain/stand-in.js';
import { calendarOf, inTransaction, type FlowDeps } from './context.js';
import { reminderMoment } from './plan-reminders.js';
import { proposeFor, viewProposal, type ProposalView } from './proposing.js';
import { proposeHandover } from './reassign.js';
import { proposeStandIn } from './stand-ins.js';
import {
  outboxKey,
  toEngagementRef,
  toOutboxRows,
  type NudgeItem,
  type OutboxEntry,
} from './scheduled-messages.js';

/** Taken when the job has looked at a team in a given (UTC) hour: one look per team and hour. */
export const proposalsMark = (at: Date) => `proposals:${at.toISOString().slice(0, 13)}`;
const handoverMarkPrefix = (engagementId: string) => `handover:${engagementId}:`;

/** More than this share of an engagement's remaining business days away: the owner needs cover. */
export const AWAY_SHARE_NEEDING_COVER = 0.2;

export interface PlannedProposals {
  readonly day: LocalDate;
  readonly skipped: 'not-due' | 'already-planned' | null;
  /** Engagements re-proposed because their start is near. */
  readonly reproposed: number;
  /** Handovers proposed to cover an owner's time away. */
  readonly handovers: number;
  /** Stand-ins proposed for an owner's short time away. */
  readonly standIns: number;
  /** Proposals the leads were nudged about. */
  readonly nudged: number;
  readonly written: number;
}

/**
 * Looks at one team, at most once an hour, on business days from the team's reminder time on: the job
 * talks to people during their working day, not at midnight.
 *
 * - An engagement still waiting for an owner whose start is within `propose_days_ahead` business days
 *   is re-proposed if its open proposal predates that window (the ranking was made weeks ago, and load
 *   and time away have moved since) or if it has none. The old proposal is superseded and its buttons
 *   are taken off; a fresh one goes to the rotation channel. This happens once per engagement: the
 *   fresh proposal is inside the window.
 * - A proposal open since an earlier day nudges every lead by DM, once per business day, listing all of
 *   them. Only proposals that matter now: handovers, and owners for engagements starting within the
 *   window (a proposal for an engagement months away is not chased daily).
 * - An active engagement whose owner's recorded time away covers an open milestone's due date, or more
 *   than 20 % of its remaining business days, gets a proposal with the reason, once per stretch of
 *   time away: a stand-in for the days away when the absence is short (at most 5 business days and at
 *   most a quarter of the business days left: a new owner would only add churn), else a handover.
 */
export async function planProposals(
  deps: FlowDeps,
  teamId: string,
): Promise<Result<PlannedProposals, 'unknown-team'>> {
  return inTransaction(deps.db, async (trx) => {
    const team = await findTeam(trx, teamId);
    if (!team) return fail('unknown-team', `No team ${teamId}.`);
    const at = deps.now();
    const { day, businessDay, moment } = reminderMoment(team, at);
    const nothing = { day, reproposed: 0, handovers: 0, standIns: 0, nudged: 0, written: 0 };
    if (!businessDay || at < moment) return ok({ ...nothing, skipped: 'not-due' as const });
    const [taken] = await takeMarks(trx, team.id, [proposalsMark(at)]);
    if (!taken) return ok({ ...nothing, skipped: 'already-planned' as const });
    return ok({ ...(await planHour(trx, team, day, at)), skipped: null });
  });
}

async function planHour(trx: Db, team: TeamRow, day: LocalDate, at: Date) {
  const calendar = calendarOf(team);
  const windowEnd = calendar.addBusinessDays(day, team.propose_days_ahead);
  const members = await listMembers(trx, team.id);
  const pending = await listPendingProposals(trx, team.id);
  const pendingByEngagement = new Map(pending.map((p) => [p.engagement.id, p.proposal]));
  const entries: OutboxEntry[] = [];
  const proposedNow = new Set<string>();

  const post = (view: ProposalView) => {
    const channelId = rotationChannelOf(team, view.engagement);
    if (!channelId) return;
    proposedNow.add(view.engagement.id);
    entries.push({
      teamId: team.id,
      key: outboxKey.proposal(view.proposal.id),
      channelId,
      engagementId: view.engagement.id,
      message: { type: 'proposal', view },
      expiresAt: null,
    });
  };

  let reproposed = 0;
  for (const engagement of await listAwaitingOwnerStartingBy(trx, team.id, windowEnd)) {
    const open = pendingByEngagement.get(engagement.id);
    const windowOpens = calendar.addBusinessDays(engagement.starts_on, -team.propose_days_ahead);
    if (open && calendar.localDate(open.created_at) >= windowOpens) continue;
    if (open) await retire(trx, entries, team, engagement, open, at);
    const view = await proposeFor(trx, at, team, engagement, {
      kind: 'owner',
      why: `the start (${engagement.starts_on}) is near and no owner is approved yet`,
      actorId: null,
    });
    reproposed++;
    post(view);
  }

  const { handovers, standIns } = await proposeCover(
    trx,
    team,
    day,
    at,
    members,
    pendingByEngagement,
    calendar,
    post,
  );

  const waiting: NudgeItem[] = pending
    .filter(({ proposal, engagement }) => {
      if (proposedNow.has(engagement.id) || engagement.status === 'closed') return false;
      const matters = proposal.kind === 'handover' || engagement.starts_on <= windowEnd;
      return matters && calendar.localDate(proposal.created_at) < day;
    })
    .map(({ proposal, engagement }) => ({
      proposalId: proposal.id,
      kind: proposal.kind,
      engagement: { ...toEngagementRef(engagement), startsOn: engagement.starts_on },
      candidateId: proposal.candidate_id,
      since: calendar.localDate(proposal.created_at),
      rotationChannelId:
        proposal.channel_id ??
        rotationChannelOf(team, {
          rotationChannelId: engagement.rotation_channel_id,
          channelId: engagement.channel_id,
        }) ??
        engagement.rotation_channel_id,
    }));
  if (waiting.length > 0) {
    const expiresAt = calendar.instantAt(addDays(day, 1), '00:00');
    for (const lead of members.filter((m) => m.is_lead)) {
      entries.push({
        teamId: team.id,
        key: outboxKey.nudge(lead.user_id, day),
        channelId: lead.user_id,
        engagementId: null,
        message: { type: 'nudge', day, leadId: lead.user_id, items: waiting },
        expiresAt,
      });
    }
  }

  const written = await enqueue(trx, toOutboxRows(entries));
  return { day, reproposed, handovers, standIns, nudged: waiting.length, written };
}

/** Supersedes a proposal the job replaces; if it was posted, its message loses its buttons. */
async function retire(
  trx: Db,
  entries: OutboxEntry[],
  team: TeamRow,
  engagement: EngagementRow,
  proposal: ProposalRow,
  at: Date,
): Promise<void> {
  const note = 'the start is near, so Steward ranked the team again';
  await decideProposal(trx, proposal.id, { outcome: 'superseded', by: null, at, note });
  if (!proposal.channel_id || !proposal.message_ts) return;
  const view = await viewProposal(
    trx,
    { ...proposal, outcome: 'superseded', decided_at: at, decision_note: note },
    engagement,
  );
  entries.push({
    teamId: team.id,
    key: outboxKey.proposalRetired(proposal.id),
    channelId: proposal.channel_id,
    engagementId: engagement.id,
    message: { type: 'proposal-retired', view, ts: proposal.message_ts, note },
    expiresAt: null,
  });
}

async function proposeCover(
  trx: Db,
  team: TeamRow,
  day: LocalDate,
  at: Date,
  members: readonly MemberRow[],
  pendingByEngagement: ReadonlyMap<string, ProposalRow>,
  calendar: BusinessCalendar,
  post: (view: ProposalView) => void,
): Promise<{ handovers: number; standIns: number }> {
  const none = { handovers: 0, standIns: 0 };
  const active = (await listActiveEngagements(trx, team.id)).filter(
    (e) => e.owner_id !== null && !pendingByEngagement.has(e.id),
  );
  if (active.length === 0) return none;
  const away = await listTimeAwayOf(
    trx,
    team.id,
    active.map((e) => e.owner_id!),
    day,
  );
  if (away.length === 0) return none;
  const awayOf = groupBy(away, (a) => a.user_id);
  const milestonesOf = groupBy(
    await listOpenMilestonesOfActiveEngagements(trx, team.id),
    (m) => m.engagement_id,
  );
  const names = new Map(members.map((m) => [m.user_id, m.name]));
  const needs = active.flatMap((engagement) => {
    const ownAway = awayOf.get(engagement.owner_id!);
    if (!ownAway) return [];
    const cover = coverNeeded({
      engagement,
      ownerName: names.get(engagement.owner_id!) ?? 'The owner',
      away: ownAway,
      milestones: milestonesOf.get(engagement.id) ?? [],
      today: day,
      calendar,
    });
    return cover
      ? [
          {
            engagement,
            cover,
            mark: `${handoverMarkPrefix(engagement.id)}${engagement.owner_id}:${cover.timeAwayIds.join('+')}`,
          },
        ]
      : [];
  });
  if (needs.length === 0) return none;
  const newly = new Set(
    await takeMarks(
      trx,
      team.id,
      needs.map((n) => n.mark),
    ),
  );
  const proposed = { ...none };
  for (const need of needs) {
    if (!newly.has(need.mark)) continue;
    const { engagement, cover } = need;
    const response = cover.stretch
      ? absenceResponse(
          calendar,
          { from: cover.stretch.starts_on, to: cover.stretch.ends_on },
          {
            end: engagement.ends_on,
            // Status updates are a weekly ritual, not a deliverable: they call for no cover.
            dueDates: (milestonesOf.get(engagement.id) ?? [])
              .filter((m) => m.kind === 'milestone')
              .map((m) => m.due_on),
          },
          day,
        )
      : ({ kind: 'handover' } as const);
    const standIn = response.kind === 'stand-in' && response.coveredDays.length > 0 ? response : null;
    const result = standIn
      ? await proposeStandIn(trx, at, team, engagement, {
          cover: {
            ownerId: engagement.owner_id!,
            from: standIn.coveredDays[0]!,
            to: standIn.coveredDays.at(-1)!,
          },
          why: cover.reason,
          actorId: null,
        })
      : await proposeHandover(trx, at, team, engagement, { why: cover.reason, actorId: null });
    if (result.ok) {
      if (standIn) proposed.standIns++;
      else proposed.handovers++;
      post(result.value);
    } else {
      // Someone opened a proposal meanwhile: not proposed, so not marked; the next hour looks again.
      await dropMark(trx, team.id, need.mark);
    }
  }
  return proposed;
}

export interface CoverNeeded {
  readonly reason: string;
  /** The stretch over a due date, when that is the cause: a short one calls for a stand-in. */
  readonly stretch?: Pick<TimeAwayRow, 'starts_on' | 'ends_on'>;
  /** The stretches of time away behind it: the same stretches never propose a handover twice. */
  readonly timeAwayIds: readonly string[];
}

/**
 * Does the owner's recorded time away leave this engagement uncovered? Yes when it covers the due date
 * of an open milestone (status updates aside: a weekly ritual, not a deliverable), or more than 20 % of
 * the business days the engagement has left.
 */
export function coverNeeded(input: {
  engagement: EngagementRow;
  ownerName: string;
  away: readonly Pick<TimeAwayRow, 'id' | 'starts_on' | 'ends_on'>[];
  milestones: readonly Pick<MilestoneRow, 'kind' | 'status' | 'title' | 'due_on'>[];
  today: LocalDate;
  calendar: BusinessCalendar;
}): CoverNeeded | null {
  const { engagement, ownerName, today, calendar } = input;
  const away = input.away.filter((a) => a.ends_on >= today);
  if (away.length === 0) return null;
  const open = input.milestones
    .filter((m) => m.kind === 'milestone' && m.status === 'open')
    .sort((a, b) => (a.due_on < b.due_on ? -1 : a.due_on > b.due_on ? 1 : 0));
  for (const milestone of open) {
    const stretch = away.find((a) => a.starts_on <= milestone.due_on && milestone.due_on <= a.ends_on);
    if (stretch) {
      // Name everything that falls due in that stretch: the lead weighs the cover by all of it.
      const due = open.filter((m) => stretch.starts_on <= m.due_on && m.due_on <= stretch.ends_on);
      const named = due.map((m) => `"${m.title}" (${formatDay(m.due_on)})`);
      const list = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
      return {
        reason: `${ownerName} is away ${formatDay(stretch.starts_on)} – ${formatDay(stretch.ends_on)}, over the due ${named.length > 1 ? 'dates' : 'date'} of ${list}`,
        timeAwayIds: [stretch.id],
        stretch: { starts_on: stretch.starts_on, ends_on: stretch.ends_on },
      };
    }
  }
  const from = engagement.starts_on > today ? engagement.starts_on : today;
  const left = calendar.businessDaysIn(from, engagement.ends_on);
  if (left.length === 0) return null;
  const overlapping = away.filter((a) => a.starts_on <= engagement.ends_on && a.ends_on >= from);
  const awayDays = left.filter((d) => overlapping.some((a) => a.starts_on <= d && d <= a.ends_on)).length;
  if (awayDays / left.length <= AWAY_SHARE_NEEDING_COVER) return null;
  return {
    reason: `${ownerName} is away ${awayDays} of the ${left.length} business days left (${Math.round((awayDays / left.length) * 100)} %)`,
    timeAwayIds: overlapping.map((a) => a.id).sort((a, b) => Number(a) - Number(b)),
  };
}

/** Where internal talk about an engagement goes: never its own channel, which the client may share. */
export function rotationChannelOf(
  team: Pick<TeamRow, 'rotation_channel_id'>,
  engagement: { rotationChannelId: string; channelId: string },
): string | null {
  for (const channel of [team.rotation_channel_id, engagement.rotationChannelId]) {
    if (channel && channel !== engagement.channelId) return channel;
  }
  return null;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
