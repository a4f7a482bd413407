// Stand-ins: an owner briefly away over a due date keeps the engagement, and someone acts for them on
// the days away (reminders, status prompts and escalations go to them). Proposed to the leads and
// decided like an owner, recorded as cover, never as a turn.
import type { Db } from '../db/connect.js';
import { listOpenMilestonesOf, lockEngagement } from '../db/engagements.js';
import { listHandedBackBy, recordEvent } from '../db/events.js';
import { findMember, listTimeAway } from '../db/members.js';
import { enqueue } from '../db/outbox.js';
import {
  decideProposal,
  findPendingProposal,
  findProposal,
  insertProposal,
  listProposals,
} from '../db/proposals.js';
import type { EngagementRow, MemberRow, ProposalRow, TeamRow } from '../db/schema.js';
import { recordStandIn } from '../db/stand-ins.js';
import type { LocalDate } from '../domain/calendar.js';
import type { Exclusion } from '../domain/rotation.js';
import { fail, ok, type Result } from '../domain/result.js';
import { inTransaction, mention, requireLead, requireTeam, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { queueProposal, rankTeamFor, toProposalView, type ProposalView } from './proposing.js';
import { outboxKey, toEngagementRef, toOutboxRows, type OutboxEntry } from './scheduled-messages.js';

export interface Cover {
  readonly ownerId: string;
  readonly from: LocalDate;
  readonly to: LocalDate;
}

export type StandInProposalFailure = 'engagement-closed' | 'no-owner' | 'proposal-pending';

/**
 * Proposes someone to stand in for the owner on `cover`'s days: ranked by the rotation over those days
 * (available, under capacity, not the delivery lead), never the owner, nor anyone a lead passed over
 * for these days.
 */
export async function proposeStandIn(
  trx: Db,
  now: Date,
  team: TeamRow,
  engagement: EngagementRow,
  options: { cover: Cover; why: string; actorId: string | null },
): Promise<Result<ProposalView, StandInProposalFailure>> {
  const { cover } = options;
  if (engagement.status === 'closed')
    return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
  if (!engagement.owner_id) return fail('no-owner', `Engagement #${engagement.number} has no owner yet.`);
  if (await findPendingProposal(trx, engagement.id)) {
    return fail(
      'proposal-pending',
      `Engagement #${engagement.number} already has an open proposal; decide that one first.`,
    );
  }
  const excluded: Exclusion[] = [{ userId: cover.ownerId, reason: 'current-owner' }];
  for (const p of await listProposals(trx, engagement.id)) {
    if (p.kind === 'stand-in' && p.outcome === 'passed' && p.candidate_id && overlaps(p, cover))
      excluded.push({ userId: p.candidate_id, reason: 'passed-over' });
  }
  // Whoever handed it back was told they won't be proposed for it again: not for a few days either.
  for (const userId of await listHandedBackBy(trx, team.id, engagement.id)) {
    excluded.push({ userId, reason: 'handed-back' });
  }
  const ranking = await rankTeamFor(
    trx,
    team,
    {
      engagementId: engagement.id,
      startsOn: cover.from,
      endsOn: cover.to,
      deliveryLeadId: engagement.delivery_lead_id,
      cover: true,
    },
    excluded,
  );
  const candidate = ranking.kind === 'proposed' ? ranking.owner : null;
  const proposal = await insertProposal(trx, {
    teamId: team.id,
    engagementId: engagement.id,
    kind: 'stand-in',
    candidateId: candidate?.userId ?? null,
    rank: candidate?.rank ?? null,
    reasons: candidate?.reasons ?? [],
    skipped: ranking.skipped.map((s) => ({ userId: s.userId, name: s.name, reason: s.reason, text: s.text })),
    why: options.why,
    createdAt: now,
    covers: cover,
  });
  await recordEvent(trx, {
    teamId: team.id,
    engagementId: engagement.id,
    kind: 'proposed',
    actorId: options.actorId,
    at: now,
    reason: options.why,
    data: {
      proposalId: proposal.id,
      kind: 'stand-in',
      candidateId: candidate?.userId ?? null,
      ownerId: cover.ownerId,
      from: cover.from,
      to: cover.to,
    },
  });
  return ok(toProposalView(proposal, engagement, candidate?.name ?? null));
}

const overlaps = (p: ProposalRow, cover: Cover) =>
  p.covers_owner_id === cover.ownerId &&
  p.covers_from !== null &&
  p.covers_to !== null &&
  p.covers_from <= cover.to &&
  p.covers_to >= cover.from;

const coverOf = (p: ProposalRow): Cover => ({
  ownerId: p.covers_owner_id!,
  from: p.covers_from!,
  to: p.covers_to!,
});

/** The proposal's message is out of date: it no longer asks anything of the leads. */
export type StandInGone =
  'unknown-proposal' | 'unknown-engagement' | 'already-decided' | 'engagement-closed' | 'owner-changed';
export type DeclineStandInFailure = 'not-a-lead' | StandInGone;
export type ApproveStandInFailure =
  DeclineStandInFailure | 'nobody-proposed' | 'unknown-member' | 'candidate-unavailable';
export type PassOverStandInFailure = DeclineStandInFailure | 'unknown-team' | StandInProposalFailure;

/** Loads and locks a pending stand-in proposal's engagement; refuses anything stale or foreign. */
async function openStandIn(
  trx: Db,
  actor: Actor,
  proposalId: string,
): Promise<Result<{ proposal: ProposalRow; engagement: EngagementRow; cover: Cover }, StandInGone>> {
  const found = await findProposal(trx, actor.teamId, proposalId);
  if (!found || found.kind !== 'stand-in') return fail('unknown-proposal', 'That proposal no longer exists.');
  const engagement = await lockEngagement(trx, actor.teamId, found.engagement_id);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  const proposal = (await findProposal(trx, actor.teamId, proposalId))!;
  if (proposal.outcome !== 'pending') {
    const by = proposal.decided_by ? ` by ${mention(proposal.decided_by)}` : '';
    return fail('already-decided', `This proposal was already ${proposal.outcome}${by}.`);
  }
  if (engagement.status === 'closed')
    return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
  const cover = coverOf(proposal);
  if (engagement.owner_id !== cover.ownerId) {
    return fail(
      'owner-changed',
      `${mention(cover.ownerId)} no longer owns #${engagement.number}: there is nobody to stand in for.`,
    );
  }
  return ok({ proposal, engagement, cover });
}

export interface StandInDecision {
  /** The proposal as its message should now read. */
  readonly decided: ProposalView;
  readonly toSend: readonly QueuedMessage[];
}

/**
 * **Approve** a stand-in (leads only): the cover is recorded, the stand-in hears which days and what
 * falls due, and the owner hears who acts for them. The owner stays the owner.
 */
export async function approveStandIn(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<Result<StandInDecision, ApproveStandInFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'approve a stand-in');
    if (!lead.ok) return lead;
    const opened = await openStandIn(trx, actor, proposalId);
    if (!opened.ok) return opened;
    const { proposal } = opened.value;
    if (!proposal.candidate_id) {
      return fail(
        'nobody-proposed',
        'Nobody was eligible to stand in. Keep things as they are, or propose a handover with /engagement reassign.',
      );
    }
    const standIn = await findMember(trx, actor.teamId, proposal.candidate_id);
    if (!standIn) return fail('unknown-member', 'The proposed stand-in is no longer on the team.');
    return arrange(trx, deps, actor, opened.value, standIn, null);
  });
}

export type ChooseStandInFailure = ApproveStandInFailure | 'not-on-team' | 'the-owner' | 'delivery-lead';

/**
 * **Choose someone else** (leads only): the lead's pick stands in instead of the proposed person,
 * for the same days, and is recorded as chosen by hand with the lead's reason. Whoever stands in
 * acts for the owner, so neither the owner nor the delivery lead can.
 */
export async function chooseStandIn(
  deps: FlowDeps,
  actor: Actor,
  input: { proposalId: string; standInId: string; reason?: string | null },
): Promise<Result<StandInDecision, ChooseStandInFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'choose a stand-in');
    if (!lead.ok) return lead;
    const opened = await openStandIn(trx, actor, input.proposalId);
    if (!opened.ok) return opened;
    const { engagement, cover } = opened.value;
    const standIn = await findMember(trx, actor.teamId, input.standInId);
    if (!standIn) {
      return fail(
        'not-on-team',
        // A mention: under the field it reads as the person's name, looked up only now it is needed.
        `${mention(input.standInId)} is not on the team; a lead adds them with /engagement team add first.`,
        'standIn',
      );
    }
    if (standIn.user_id === cover.ownerId)
      return fail('the-owner', `${standIn.name} is the owner: pick someone to act for them.`, 'standIn');
    if (standIn.user_id === engagement.delivery_lead_id) {
      return fail(
        'delivery-lead',
        `${standIn.name} is the delivery lead: whoever stands in manages the engagement, so it must be someone else.`,
        'standIn',
      );
    }
    return arrange(trx, deps, actor, opened.value, standIn, { reason: input.reason?.trim() || null });
  });
}

/**
 * Records the cover and the decision, and queues the stand-in's DM and the owner's note. `byHand`:
 * a lead chose this person instead of the proposed one.
 */
async function arrange(
  trx: Db,
  deps: FlowDeps,
  actor: Actor,
  { proposal, engagement, cover }: { proposal: ProposalRow; engagement: EngagementRow; cover: Cover },
  standIn: MemberRow,
  byHand: { reason: string | null } | null,
): Promise<Result<StandInDecision, 'candidate-unavailable'>> {
  const away = (await listTimeAway(trx, actor.teamId, cover.from, cover.to)).find(
    (a) => a.user_id === standIn.user_id,
  );
  if (away) {
    return fail(
      'candidate-unavailable',
      `${standIn.name} is away ${away.starts_on} – ${away.ends_on} and cannot stand in. ${byHand ? 'Pick someone else.' : 'Pass over them.'}`,
      'standIn',
    );
  }
  const now = deps.now();
  // Choosing the proposed person by hand is approving them.
  const chosenByHand = byHand !== null && standIn.user_id !== proposal.candidate_id;
  const outcome = chosenByHand ? ('overridden' as const) : ('approved' as const);
  const note = byHand?.reason ?? null;
  await recordStandIn(trx, actor.teamId, {
    engagementId: engagement.id,
    ownerId: cover.ownerId,
    standInId: standIn.user_id,
    startsOn: cover.from,
    endsOn: cover.to,
  });
  await decideProposal(trx, proposal.id, {
    outcome,
    by: actor.userId,
    at: now,
    note,
    ...(chosenByHand ? { chosen: standIn.user_id } : {}),
  });
  await recordEvent(trx, {
    teamId: actor.teamId,
    engagementId: engagement.id,
    kind: 'stand-in.approved',
    actorId: actor.userId,
    at: now,
    reason: note ?? proposal.why,
    data: {
      proposalId: proposal.id,
      ownerId: cover.ownerId,
      standInId: standIn.user_id,
      from: cover.from,
      to: cover.to,
      ...(chosenByHand ? { chosenByHand: true, proposedId: proposal.candidate_id } : {}),
    },
  });
  const open = (await listOpenMilestonesOf(trx, [engagement.id])).get(engagement.id) ?? [];
  const due = open
    .filter((m) => m.due_on >= cover.from && m.due_on <= cover.to)
    .map((m) => ({ title: m.title, dueOn: m.due_on }));
  const engagementRef = toEngagementRef(engagement);
  const entries: OutboxEntry[] = [
    {
      teamId: actor.teamId,
      key: outboxKey.standInAsked(proposal.id),
      channelId: standIn.user_id,
      engagementId: engagement.id,
      message: {
        type: 'stand-in-asked',
        engagement: engagementRef,
        ownerId: cover.ownerId,
        from: cover.from,
        to: cover.to,
        approvedBy: actor.userId,
        due,
        notes: engagement.notes,
      },
      expiresAt: null,
    },
    {
      teamId: actor.teamId,
      key: outboxKey.standInArranged(proposal.id),
      channelId: cover.ownerId,
      engagementId: engagement.id,
      message: {
        type: 'stand-in-arranged',
        engagement: engagementRef,
        standInId: standIn.user_id,
        from: cover.from,
        to: cover.to,
        approvedBy: actor.userId,
      },
      expiresAt: null,
    },
  ];
  await enqueue(trx, toOutboxRows(entries));
  const decided = {
    ...proposal,
    ...(chosenByHand ? { candidate_id: standIn.user_id, rank: null, reasons: [] } : {}),
    outcome,
    decided_by: actor.userId,
    decided_at: now,
    decision_note: note,
  };
  return ok({
    decided: toProposalView(decided, engagement, standIn.name),
    toSend: entries.map((e) => ({ teamId: e.teamId, key: e.key })),
  });
}

export interface StandInPassed {
  readonly passed: ProposalView;
  readonly next: ProposalView;
  readonly toSend: readonly QueuedMessage[];
}

/** **Pass over** the proposed stand-in (leads only): the next one for the same days is proposed. */
export async function passOverStandIn(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<Result<StandInPassed, PassOverStandInFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'pass over a stand-in');
    if (!lead.ok) return lead;
    const opened = await openStandIn(trx, actor, proposalId);
    if (!opened.ok) return opened;
    const { proposal, engagement, cover } = opened.value;
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const now = deps.now();
    await decideProposal(trx, proposal.id, { outcome: 'passed', by: actor.userId, at: now });
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'passed',
      actorId: actor.userId,
      at: now,
      data: { proposalId: proposal.id, candidateId: proposal.candidate_id, kind: 'stand-in' },
    });
    const next = await proposeStandIn(trx, now, team.value, engagement, {
      cover,
      why: proposal.why ?? '',
      actorId: actor.userId,
    });
    if (!next.ok) return next;
    const queued = await queueProposal(trx, actor.teamId, next.value);
    const passed = toProposalView(
      { ...proposal, outcome: 'passed', decided_by: actor.userId, decided_at: now },
      engagement,
      '',
    );
    return ok({ passed, next: next.value, toSend: [queued] });
  });
}

/**
 * **No stand-in** (leads only): things stay as they are; the owner keeps getting everything, and
 * nothing more is proposed for these days.
 */
export async function declineStandIn(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<Result<StandInDecision, DeclineStandInFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'decide a stand-in');
    if (!lead.ok) return lead;
    const opened = await openStandIn(trx, actor, proposalId);
    if (!opened.ok) return opened;
    const { proposal, engagement, cover } = opened.value;
    const now = deps.now();
    const note = 'no stand-in';
    await decideProposal(trx, proposal.id, { outcome: 'dismissed', by: actor.userId, at: now, note });
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'stand-in.dismissed',
      actorId: actor.userId,
      at: now,
      reason: proposal.why,
      data: { proposalId: proposal.id, ownerId: cover.ownerId, from: cover.from, to: cover.to },
    });
    const decided = {
      ...proposal,
      outcome: 'dismissed' as const,
      decided_by: actor.userId,
      decided_at: now,
      decision_note: note,
    };
    const candidate = proposal.candidate_id
      ? await findMember(trx, actor.teamId, proposal.candidate_id)
      : null;
    return ok({ decided: toProposalView(decided, engagement, candidate?.name ?? null), toSend: [] });
  });
}
