// Shared by the flows that put a candidate owner in front of the leads: creating an engagement,
// "Pass over", a hand-back, a reassignment and the scheduled cover for time away.
import type { Db } from '../db/connect.js';
import { listOpenOwnerships, listTentativeOwnerships } from '../db/engagements.js';
import { ownershipHistory } from '../db/ownership-periods.js';
import { listHandedBackBy, recordEvent } from '../db/events.js';
import { findMember, listMembers, listTimeAway } from '../db/members.js';
import { enqueue } from '../db/outbox.js';
import { insertProposal, listProposals } from '../db/proposals.js';
import type { EngagementRow, MemberRow, ProposalRow, TeamRow } from '../db/schema.js';
import { addDays } from '../domain/calendar.js';
import {
  proposeNextOwner,
  RECENT_DAYS,
  type EngagementWindow,
  type Exclusion,
  type OwnerProposal,
} from '../domain/rotation.js';
import { buddyFor } from './buddy.js';
import { calendarOf } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { outboxKey, toOutboxRows, type EngagementView, type ProposalView } from './scheduled-messages.js';

export type { EngagementView, ProposalView } from './scheduled-messages.js';

/** An engagement row as messages and answers show it. */
export const toEngagementView = (engagement: EngagementRow): EngagementView => ({
  id: engagement.id,
  number: engagement.number,
  clientName: engagement.client_name,
  channelId: engagement.channel_id,
  rotationChannelId: engagement.rotation_channel_id,
  ownerId: engagement.owner_id,
  deliveryLeadId: engagement.delivery_lead_id,
  startsOn: engagement.starts_on,
  endsOn: engagement.ends_on,
});

/** A proposal's rows as its message shows them (`candidateName`: null when nobody was eligible). */
export function toProposalView(
  proposal: ProposalRow,
  engagement: EngagementRow,
  candidateName: string | null,
): ProposalView {
  return {
    proposal: {
      id: proposal.id,
      kind: proposal.kind,
      why: proposal.why,
      outcome: proposal.outcome,
      decidedBy: proposal.decided_by,
      decisionNote: proposal.decision_note,
      message:
        proposal.channel_id && proposal.message_ts
          ? { channelId: proposal.channel_id, ts: proposal.message_ts }
          : null,
    },
    engagement: toEngagementView(engagement),
    candidate:
      proposal.candidate_id && candidateName !== null
        ? { userId: proposal.candidate_id, name: candidateName }
        : null,
    reasons: [...proposal.reasons],
    skipped: proposal.skipped.map((s) => ({ ...s })),
    ...(proposal.covers_owner_id && proposal.covers_from && proposal.covers_to
      ? { cover: { ownerId: proposal.covers_owner_id, from: proposal.covers_from, to: proposal.covers_to } }
      : {}),
    buddy:
      proposal.buddy_reason !== null ? { userId: proposal.buddy_id, reason: proposal.buddy_reason } : null,
    // The notes are internal: never where the client could read them.
    notes: engagement.rotation_channel_id === engagement.client_channel_id ? null : engagement.notes,
  };
}

/**
 * Queues a proposal's message for its rotation channel, in the flow's transaction: it goes out through
 * the outbox like every message that must arrive once. The caller asks for it to be sent at once.
 */
export async function queueProposal(
  db: Db,
  teamId: string,
  view: ProposalView,
  channelId: string = view.engagement.rotationChannelId,
): Promise<QueuedMessage> {
  const key = outboxKey.proposal(view.proposal.id);
  await enqueue(
    db,
    toOutboxRows([
      {
        teamId,
        key,
        channelId,
        engagementId: view.engagement.id,
        message: { type: 'proposal', view },
        expiresAt: null,
      },
    ]),
  );
  return { teamId, key };
}

/** Ranks the team for a window: the one place flows call the rotation. */
export async function rankTeamFor(
  db: Db,
  team: TeamRow,
  window: EngagementWindow,
  excluded: readonly (string | Exclusion)[],
): Promise<OwnerProposal> {
  const members = await listMembers(db, team.id);
  const ownerships = [
    ...(await listOpenOwnerships(db, team.id)),
    ...(await listTentativeOwnerships(db, team.id)),
  ];
  const history = await ownershipHistory(db, team.id, members, {
    startsOn: window.startsOn,
    recentFrom: addDays(window.startsOn, -RECENT_DAYS),
    engagementId: window.engagementId,
  });
  const timeAway = await listTimeAway(db, team.id, window.startsOn, window.endsOn);
  return proposeNextOwner({
    engagement: window,
    members: members.map((m) => ({
      userId: m.user_id,
      name: m.name,
      inRotation: m.in_rotation,
      capacity: m.capacity,
      rotationOrder: m.rotation_order,
      interest: m.interest,
      pausedUntil: m.paused_until,
    })),
    timeAway: timeAway.map((a) => ({ userId: a.user_id, startsOn: a.starts_on, endsOn: a.ends_on })),
    ownerships,
    excluded,
    calendar: calendarOf(team),
    history,
  });
}

/**
 * The stretch a candidate would own the engagement for: all of it before it starts; once under way
 * (a handover, a hand-back), from the next business day on, since the days gone by are no one's to
 * be available for.
 */
export function windowOf(engagement: EngagementRow, team: TeamRow, now: Date): EngagementWindow {
  const calendar = calendarOf(team);
  const from = calendar.onOrNextBusinessDay(calendar.localDate(now));
  const startsOn =
    from > engagement.starts_on
      ? from > engagement.ends_on
        ? engagement.ends_on
        : from
      : engagement.starts_on;
  return {
    engagementId: engagement.id,
    startsOn,
    endsOn: engagement.ends_on,
    deliveryLeadId: engagement.delivery_lead_id,
  };
}

/**
 * People not to propose again for this engagement, each with why: the current owner, whoever
 * handed it back, everyone passed over ("Pass over <name>"), and the candidate of a pending proposal. A superseded
 * proposal (the job re-ranking near the start) excludes nobody: the fresh ranking may well pick
 * the same person.
 */
export async function alreadyConsidered(db: Db, engagement: EngagementRow): Promise<Exclusion[]> {
  const previous = await listProposals(db, engagement.id);
  const excluded: Exclusion[] = [];
  for (const p of previous) {
    // Standing in for a few days says nothing about owning it.
    if (!p.candidate_id || p.kind === 'stand-in') continue;
    if (p.outcome === 'passed') excluded.push({ userId: p.candidate_id, reason: 'passed-over' });
    if (p.outcome === 'pending') excluded.push({ userId: p.candidate_id, reason: 'proposed' });
  }
  for (const userId of await listHandedBackBy(db, engagement.team_id, engagement.id)) {
    excluded.push({ userId, reason: 'handed-back' });
  }
  if (engagement.owner_id) excluded.push({ userId: engagement.owner_id, reason: 'current-owner' });
  return excluded.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** Writes the next proposal for an engagement (the caller has superseded any pending one). */
export async function proposeFor(
  db: Db,
  now: Date,
  team: TeamRow,
  engagement: EngagementRow,
  options: { kind: 'owner' | 'handover'; why: string | null; actorId: string | null },
): Promise<ProposalView> {
  const excluded = await alreadyConsidered(db, engagement);
  const window = windowOf(engagement, team, now);
  const ranking = await rankTeamFor(db, team, window, excluded);
  const candidate = ranking.kind === 'proposed' ? ranking.owner : null;
  const buddy = candidate ? await buddyFor(db, team, window, candidate.userId) : null;
  const proposal = await insertProposal(db, {
    teamId: team.id,
    engagementId: engagement.id,
    kind: options.kind,
    candidateId: candidate?.userId ?? null,
    rank: candidate?.rank ?? null,
    reasons: candidate?.reasons ?? [],
    skipped: ranking.skipped.map((s) => ({ userId: s.userId, name: s.name, reason: s.reason, text: s.text })),
    why: options.why,
    createdAt: now,
    buddy,
  });
  await recordEvent(db, {
    teamId: team.id,
    engagementId: engagement.id,
    kind: 'proposed',
    actorId: options.actorId,
    at: now,
    reason: options.why,
    data: { proposalId: proposal.id, kind: options.kind, candidateId: candidate?.userId ?? null },
  });
  return toProposalView(proposal, engagement, candidate?.name ?? null);
}

export async function viewProposal(
  db: Db,
  proposal: ProposalRow,
  engagement: EngagementRow,
): Promise<ProposalView> {
  const candidate: MemberRow | undefined = proposal.candidate_id
    ? await findMember(db, proposal.team_id, proposal.candidate_id)
    : undefined;
  return toProposalView(proposal, engagement, candidate?.name ?? null);
}
