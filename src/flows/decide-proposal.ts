import { listMilestones, lockEngagement, setHandBackClosesAt, setOwner } from '../db/engagements.js';
import { handBackWindow } from '../domain/hand-back.js';
import { lastHandedBackBy, recordEvent } from '../db/events.js';
import { findMember } from '../db/members.js';
import { decideProposal, findProposal } from '../db/proposals.js';
import { endPeriods, startPeriod } from '../db/ownership-periods.js';
import type { EngagementRow, MemberRow, ProposalRow, TeamRow } from '../db/schema.js';
import { addDays } from '../domain/calendar.js';
import type { Db } from '../db/connect.js';
import { fail, ok, type Result } from '../domain/result.js';
import {
  calendarOf,
  inTransaction,
  mention,
  requireLead,
  requireTeam,
  type Actor,
  type FlowDeps,
} from './context.js';
import type { QueuedMessage } from './delivery.js';
import {
  proposeFor,
  queueProposal,
  rankTeamFor,
  toProposalView,
  windowOf,
  type ProposalView,
} from './proposing.js';
import { setProposalBuddy } from '../db/buddies.js';
import { latestRetrospectivesByTemplate, templateNameOf } from '../db/retrospectives.js';
import { buddyOnApproval, pairBuddy } from './buddy.js';
import { ownerChanged, queueOwnerNews } from './owner-news.js';

export interface OwnerDecision {
  readonly owner: { readonly userId: string; readonly name: string };
  /** Set when this was a handover (or followed a hand-back): who owned it before. */
  readonly previousOwnerId: string | null;
  /** A first-time owner's buddy, told by DM (in `toSend`). */
  readonly buddy: { readonly userId: string; readonly name: string } | null;
  /** Set when a lead chose someone the rotation would have skipped. */
  readonly warning: string | null;
  /**
   * The decided proposal as its message should now read (the engagement as it was when proposed):
   * approved, or overridden when the rotation would have skipped the owner.
   */
  readonly decided: ProposalView;
  /**
   * Messages to send: the owner's DM, the kickoff (or its note and update after a handover), the
   * released owner's DM, the client channel's summary, a first-time owner's buddy's DM.
   */
  readonly toSend: readonly QueuedMessage[];
}

/** Why a proposal can no longer be decided: its message is out of date and should show what happened. */
export type ProposalGone =
  'unknown-proposal' | 'unknown-engagement' | 'already-decided' | 'engagement-closed';

const GONE: readonly string[] = [
  'unknown-proposal',
  'unknown-engagement',
  'already-decided',
  'engagement-closed',
] satisfies ProposalGone[];

export const isProposalGone = (code: string): code is ProposalGone => GONE.includes(code);

export type ApproveFailure =
  | 'not-a-lead'
  | 'unknown-team'
  | ProposalGone
  | 'nobody-proposed'
  | 'unknown-member'
  | 'candidate-unavailable';
export type ProposeNextFailure = 'not-a-lead' | 'unknown-team' | ProposalGone;
export type KeepOwnerFailure = 'not-a-lead' | ProposalGone | 'not-a-handover';
export type ChooseOwnerFailure =
  | 'not-a-lead'
  | 'unknown-team'
  | ProposalGone
  | 'not-on-team'
  | 'delivery-lead'
  | 'already-owner'
  | 'missing-reason'
  // Choosing the current owner of a handover keeps them: the keep's refusal can surface here.
  | 'not-a-handover';

/** Loads and locks a proposal's engagement; refuses stale or foreign proposals. */
async function openProposal(
  trx: Db,
  actor: Actor,
  proposalId: string,
): Promise<Result<{ proposal: ProposalRow; engagement: EngagementRow }, ProposalGone>> {
  const found = await findProposal(trx, actor.teamId, proposalId);
  // A stand-in proposal has its own buttons (src/flows/stand-ins.ts): never decided as an owner.
  if (!found || found.kind === 'stand-in') return fail('unknown-proposal', 'That proposal no longer exists.');
  const engagement = await lockEngagement(trx, actor.teamId, found.engagement_id);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  // Re-read under the lock: a concurrent click may have decided it meanwhile.
  const proposal = (await findProposal(trx, actor.teamId, proposalId))!;
  if (proposal.outcome !== 'pending') {
    const by = proposal.decided_by ? ` by ${mention(proposal.decided_by)}` : '';
    return fail('already-decided', `This proposal was already ${proposal.outcome}${by}.`);
  }
  if (engagement.status === 'closed')
    return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
  return ok({ proposal, engagement });
}

/** **Approve**: a lead makes the proposed candidate the owner (or the new owner, for a handover). */
export async function approveProposal(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<Result<OwnerDecision, ApproveFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'approve an owner');
    if (!lead.ok) return lead;
    const opened = await openProposal(trx, actor, proposalId);
    if (!opened.ok) return opened;
    const { proposal, engagement } = opened.value;
    if (!proposal.candidate_id) {
      return fail('nobody-proposed', 'Nobody was eligible; use **Choose someone else** to pick an owner.');
    }
    const owner = await findMember(trx, actor.teamId, proposal.candidate_id);
    if (!owner) return fail('unknown-member', 'The proposed person is no longer on the team.');
    // A proposal can wait days for a decision: check the candidate still qualifies.
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const ranking = await rankTeamFor(trx, team.value, windowOf(engagement, team.value, deps.now()), []);
    const nowSkipped = ranking.skipped.find((s) => s.userId === owner.user_id);
    if (nowSkipped) {
      return fail(
        'candidate-unavailable',
        `${owner.name} can no longer be proposed (${nowSkipped.text}). Pass over them, or Choose someone else to decide by hand.`,
      );
    }
    return ok(
      await makeOwner(trx, deps, actor, team.value, engagement, proposal, owner, {
        outcome: 'approved',
        warning: null,
      }),
    );
  });
}

/** **Pass over <name>**: passes over the current candidate (never proposed again here) and proposes the next. */
export async function proposeNext(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<
  Result<{ passed: ProposalView; next: ProposalView; toSend: readonly QueuedMessage[] }, ProposeNextFailure>
> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'pass over a candidate');
    if (!lead.ok) return lead;
    const opened = await openProposal(trx, actor, proposalId);
    if (!opened.ok) return opened;
    const { proposal, engagement } = opened.value;
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const now = deps.now();
    await decideProposal(trx, proposal.id, { outcome: 'passed', by: actor.userId, at: now });
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'passed',
      actorId: actor.userId,
      at: deps.now(),
      data: { proposalId: proposal.id, candidateId: proposal.candidate_id },
    });
    const next = await proposeFor(trx, deps.now(), team.value, engagement, {
      kind: proposal.kind === 'handover' ? 'handover' : 'owner',
      why: proposal.why,
      actorId: actor.userId,
    });
    const queued = await queueProposal(trx, actor.teamId, next);
    // The passed-over message shows the decision, not the candidate's name.
    const passed = toProposalView(
      { ...proposal, outcome: 'passed', decided_by: actor.userId, decided_at: now },
      engagement,
      '',
    );
    return ok({ passed, next, toSend: [queued] });
  });
}

/**
 * **Keep the current owner**: a lead turns a handover down (e.g. the time away was short, or
 * cover is arranged); the owner stays and the proposal is closed. Always possible while the
 * engagement has an owner, even when nobody could take it over.
 */
export async function keepOwner(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<Result<KeptOwner, KeepOwnerFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'decide a handover');
    if (!lead.ok) return lead;
    const opened = await openProposal(trx, actor, proposalId);
    if (!opened.ok) return opened;
    return keep(trx, deps, actor, opened.value.proposal, opened.value.engagement);
  });
}

/** A handover turned down: its proposal, and the owner who stays. */
export interface KeptOwner {
  readonly proposalId: string;
  readonly ownerId: string;
}

async function keep(
  trx: Db,
  deps: FlowDeps,
  actor: Actor,
  proposal: ProposalRow,
  engagement: EngagementRow,
): Promise<Result<KeptOwner, KeepOwnerFailure>> {
  if (proposal.kind !== 'handover' || !engagement.owner_id) {
    return fail('not-a-handover', 'Only a handover can be turned down; this proposal is for a first owner.');
  }
  const now = deps.now();
  await decideProposal(trx, proposal.id, {
    outcome: 'dismissed',
    by: actor.userId,
    at: now,
    note: 'kept the current owner',
  });
  await recordEvent(trx, {
    teamId: actor.teamId,
    engagementId: engagement.id,
    kind: 'handover.dismissed',
    actorId: actor.userId,
    at: now,
    reason: proposal.why,
    data: { proposalId: proposal.id, ownerId: engagement.owner_id },
  });
  return ok({ proposalId: proposal.id, ownerId: engagement.owner_id });
}

/** What a lead's pick on **Choose someone else** came to. */
export type ChosenOwner =
  | { readonly kind: 'owner'; readonly decision: OwnerDecision }
  /** The lead picked the current owner of a handover: things stay as they are. */
  | ({ readonly kind: 'kept' } & KeptOwner)
  /**
   * The rotation would skip the person (away, at capacity, paused…): nothing is decided until the
   * lead confirms the override, with a reason.
   */
  | { readonly kind: 'confirm-override'; readonly name: string; readonly why: string };

/**
 * **Choose someone else**: a lead picks the owner by hand. The delivery lead is refused (separation
 * of duties); the current owner of a handover means keeping things as they are; someone the
 * rotation would skip needs the lead's confirmation and a reason (`override`), and is recorded as an
 * override. `ownerName` is what Slack calls the person, for refusals naming someone not on the team.
 */
export async function chooseOwner(
  deps: FlowDeps,
  actor: Actor,
  input: {
    proposalId: string;
    ownerId: string;
    ownerName?: string;
    reason?: string | null;
    override?: boolean;
  },
): Promise<Result<ChosenOwner, ChooseOwnerFailure>> {
  const reason = input.reason?.trim() || null;
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'choose an owner');
    if (!lead.ok) return lead;
    const opened = await openProposal(trx, actor, input.proposalId);
    if (!opened.ok) return opened;
    const { proposal, engagement } = opened.value;
    if (input.ownerId === engagement.owner_id && proposal.kind === 'handover') {
      const kept = await keep(trx, deps, actor, proposal, engagement);
      return kept.ok ? ok({ kind: 'kept' as const, ...kept.value }) : kept;
    }
    const owner = await findMember(trx, actor.teamId, input.ownerId);
    if (!owner) {
      const name = input.ownerName ?? 'That person';
      return fail(
        'not-on-team',
        `${name} is not on the team; a lead adds them with /engagement team add first.`,
        'owner',
      );
    }
    if (owner.user_id === engagement.delivery_lead_id) {
      return fail(
        'delivery-lead',
        `${owner.name} is the delivery lead: the owner manages the engagement, so it must be someone else.`,
        'owner',
      );
    }
    if (owner.user_id === engagement.owner_id) {
      return fail('already-owner', `${owner.name} already owns this engagement.`, 'owner');
    }
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const ranking = await rankTeamFor(trx, team.value, windowOf(engagement, team.value, deps.now()), []);
    const skipped = ranking.skipped.find((s) => s.userId === owner.user_id);
    if (skipped && !input.override) {
      return ok({ kind: 'confirm-override' as const, name: owner.name, why: skipped.text });
    }
    if (skipped && !reason) {
      return fail('missing-reason', `Say why ${owner.name} should own it anyway.`, 'reason');
    }
    const warning = skipped ? `${owner.name} would not have been proposed: ${skipped.text}.` : null;
    const decision = await makeOwner(trx, deps, actor, team.value, engagement, proposal, owner, {
      outcome: warning ? 'overridden' : 'approved',
      warning,
      note: reason,
    });
    return ok({ kind: 'owner' as const, decision });
  });
}

async function makeOwner(
  trx: Db,
  deps: FlowDeps,
  actor: Actor,
  team: TeamRow,
  engagement: EngagementRow,
  proposal: ProposalRow,
  owner: MemberRow,
  decision: { outcome: 'approved' | 'overridden'; warning: string | null; note?: string | null },
): Promise<OwnerDecision> {
  const now = deps.now();
  // The turn starts when the owner does: the engagement's start, or today's next business day
  // for one under way; a takeover ends the old owner's turn the day before.
  const window = windowOf(engagement, team, now);
  const { startsOn } = window;
  // Read before this turn is recorded: a first-time owner still has none.
  const buddyPick = await buddyOnApproval(trx, team, window, proposal, owner.user_id);
  if (engagement.owner_id) await endPeriods(trx, engagement.id, addDays(startsOn, -1));
  await startPeriod(trx, {
    teamId: team.id,
    engagementId: engagement.id,
    ownerId: owner.user_id,
    startsOn,
    endsOn: engagement.ends_on,
  });
  const chosenByHand = proposal.candidate_id !== owner.user_id;
  await decideProposal(trx, proposal.id, {
    outcome: chosenByHand && decision.outcome === 'approved' ? 'superseded' : decision.outcome,
    by: actor.userId,
    at: now,
    note: decision.note ?? decision.warning,
  });
  // After a hand-back the engagement has no owner, but it had one: the new owner takes over from
  // them (a handover, not a second kickoff in the client's channel).
  const previousOwnerId = engagement.owner_id ?? (await lastHandedBackBy(trx, engagement.id));
  await setOwner(trx, engagement.id, owner.user_id, 'active');
  // The new owner's DM offers Hand back until this closes; the job then takes the button away.
  await setHandBackClosesAt(trx, engagement.id, handBackWindow(calendarOf(team), now).closesAt);
  const kind = decision.outcome === 'overridden' ? 'overridden' : previousOwnerId ? 'reassigned' : 'approved';
  await recordEvent(trx, {
    teamId: actor.teamId,
    engagementId: engagement.id,
    kind,
    actorId: actor.userId,
    at: now,
    reason: decision.warning ?? decision.note ?? proposal.why,
    data: {
      proposalId: proposal.id,
      ownerId: owner.user_id,
      previousOwnerId,
      chosenByHand,
      ...(decision.outcome === 'overridden' && previousOwnerId ? { handover: true } : {}),
    },
  });
  // The proposal keeps the buddy recorded, which differs from the one it showed when a lead chose
  // another owner by hand.
  const buddy = { buddyId: buddyPick?.buddyId ?? null, reason: buddyPick?.reason ?? null };
  await setProposalBuddy(trx, proposal.id, { ...buddy, chosenBy: proposal.buddy_chosen_by });
  const decided = {
    ...proposal,
    outcome: decision.outcome,
    decided_by: actor.userId,
    decided_at: now,
    buddy_id: buddy.buddyId,
    buddy_reason: buddy.reason,
  };
  const owned = { ...engagement, owner_id: owner.user_id, status: 'active' as const };
  // A takeover (or an owner after a hand-back) gets a note in the channel; the kickoff follows too.
  const milestones = await listMilestones(trx, engagement.id);
  const paired = await pairBuddy(trx, {
    team,
    engagement: owned,
    ownerId: owner.user_id,
    pick: buddyPick,
    by: actor.userId,
    at: now,
    change: `proposal:${proposal.id}`,
    milestones,
  });
  const change = `proposal:${proposal.id}`;
  const templateName = (await templateNameOf(trx, engagement.template_id)) ?? '';
  const learnt = (await latestRetrospectivesByTemplate(trx, team.id, [templateName])).get(templateName);
  const lastRetrospective = learnt
    ? {
        number: learnt.number,
        clientName: learnt.client_name,
        writtenBy: learnt.written_by,
        wentWell: learnt.went_well,
        toChange: learnt.to_change,
      }
    : null;
  // What still names a previous owner follows first, so that their DM still waiting is dropped
  // before the new owner's is queued.
  const followed = previousOwnerId ? await ownerChanged(trx, team, owned, change) : [];
  const told = await queueOwnerNews(trx, {
    engagement: owned,
    decidedBy: actor.userId,
    previousOwnerId,
    milestones,
    buddyId: paired.buddy?.userId ?? null,
    lastRetrospective,
    change,
    takenOver: engagement.owner_id
      ? {
          dm:
            engagement.owner_dm_channel_id && engagement.owner_dm_ts
              ? { channelId: engagement.owner_dm_channel_id, ts: engagement.owner_dm_ts }
              : null,
          on: calendarOf(team).localDate(now),
        }
      : null,
  });
  return {
    toSend: [...told, ...followed, ...paired.toSend],
    decided: toProposalView(decided, { ...engagement, owner_id: previousOwnerId }, ''),
    owner: { userId: owner.user_id, name: owner.name },
    previousOwnerId,
    buddy: paired.buddy,
    warning: decision.warning,
  };
}
