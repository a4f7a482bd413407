// A first-time owner's buddy: named with the proposal, recorded when the owner is approved, told by
// DM (through the outbox), and changed by a lead: another member who has owned one, or none.
import { buddyTurnCounts, setEngagementBuddy, setProposalBuddy } from '../db/buddies.js';
import type { Db } from '../db/connect.js';
import { listMilestones } from '../db/engagements.js';
import { countEvents, recordEvent } from '../db/events.js';
import { findMember, listMembers, listTimeAway } from '../db/members.js';
import { enqueue } from '../db/outbox.js';
import { findPendingProposal } from '../db/proposals.js';
import type { EngagementRow, MemberRow, MilestoneRow, ProposalRow, TeamRow } from '../db/schema.js';
import { chooseBuddy } from '../domain/buddy.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { EngagementWindow } from '../domain/rotation.js';
import {
  calendarOf,
  inTransaction,
  lockNamedEngagement,
  requireLead,
  type Actor,
  type FlowDeps,
} from './context.js';
import type { QueuedMessage } from './delivery.js';
import { toProposalView } from './proposing.js';
import { outboxKey, toEngagementRef, toOutboxRows, type OutboxEntry } from './scheduled-messages.js';

/** Who the buddy is (null: none), and why: the line the proposal shows. */
export interface BuddyPick {
  readonly buddyId: string | null;
  readonly reason: string;
}

/**
 * The buddy the team would give this owner over this window, or null when the owner has had a turn
 * and needs none.
 */
export async function buddyFor(
  db: Db,
  team: TeamRow,
  window: EngagementWindow,
  ownerId: string,
  members?: readonly MemberRow[],
): Promise<BuddyPick | null> {
  const everyone = members ?? (await listMembers(db, team.id));
  // Most owners have had a turn: spare them the queries.
  if ((everyone.find((m) => m.user_id === ownerId)?.turns_count ?? 0) > 0) return null;
  const buddyTurns = await buddyTurnCounts(db, team.id);
  const away = await listTimeAway(db, team.id, window.startsOn, window.endsOn);
  const choice = chooseBuddy({
    ownerId,
    engagement: window,
    members: everyone.map((m) => ({
      userId: m.user_id,
      name: m.name,
      inRotation: m.in_rotation,
      pastTurns: m.turns_count,
      buddyTurns: buddyTurns.get(m.user_id) ?? 0,
      pausedUntil: m.paused_until,
      rotationOrder: m.rotation_order,
    })),
    timeAway: away.map((a) => ({ userId: a.user_id, startsOn: a.starts_on, endsOn: a.ends_on })),
    calendar: calendarOf(team),
  });
  switch (choice.kind) {
    case 'not-needed':
      return null;
    case 'buddy':
      return { buddyId: choice.userId, reason: choice.reason };
    case 'nobody':
      return { buddyId: null, reason: choice.reason };
  }
}

/**
 * The buddy approval records for `ownerId`: what the proposal showed when its candidate is approved
 * (the leads approve what they saw); a lead's pick by hand, kept when another owner is chosen; else
 * what the team would give this owner.
 */
export async function buddyOnApproval(
  trx: Db,
  team: TeamRow,
  window: EngagementWindow,
  proposal: ProposalRow,
  ownerId: string,
): Promise<BuddyPick | null> {
  const shown =
    proposal.buddy_reason !== null ? { buddyId: proposal.buddy_id, reason: proposal.buddy_reason } : null;
  if (ownerId === proposal.candidate_id) return shown;
  if (proposal.buddy_chosen_by && shown && shown.buddyId !== ownerId) return shown;
  return buddyFor(trx, team, window, ownerId);
}

/**
 * Records the engagement's buddy as an owner is decided (none when the owner needs none) and, when
 * there is one, the pairing in the audit trail and the buddy's DM with the engagement and its plan.
 */
export async function pairBuddy(
  trx: Db,
  input: {
    team: TeamRow;
    engagement: EngagementRow;
    ownerId: string;
    pick: BuddyPick | null;
    by: string | null;
    at: Date;
    /** What decided it, for the DM's idempotency key. */
    change: string;
    milestones: readonly MilestoneRow[];
  },
): Promise<{ buddy: { userId: string; name: string } | null; toSend: QueuedMessage[] }> {
  const { team, engagement, pick } = input;
  const buddyId = pick?.buddyId ?? null;
  await setEngagementBuddy(trx, engagement.id, buddyId);
  const entries: OutboxEntry[] = [];
  // A new owner after a hand-back or a takeover: the buddy of the one before is free again.
  if (
    engagement.buddy_id &&
    engagement.buddy_id !== buddyId &&
    engagement.buddy_id !== input.ownerId &&
    input.by
  ) {
    entries.push({
      teamId: team.id,
      key: outboxKey.buddyChanged(engagement.id, 'former-buddy', input.change),
      channelId: engagement.buddy_id,
      engagementId: engagement.id,
      message: {
        type: 'buddy-changed',
        engagement: toEngagementRef({ ...engagement, owner_id: input.ownerId }),
        to: 'former-buddy',
        buddyId,
        by: input.by,
      },
      expiresAt: null,
    });
  }
  const sent = () => entries.map((e) => ({ teamId: e.teamId, key: e.key }));
  if (!pick?.buddyId) {
    await enqueue(trx, toOutboxRows(entries));
    return { buddy: null, toSend: sent() };
  }
  const buddy = await findMember(trx, team.id, pick.buddyId);
  await recordEvent(trx, {
    teamId: team.id,
    engagementId: engagement.id,
    kind: 'buddy.paired',
    actorId: input.by,
    at: input.at,
    reason: pick.reason,
    data: { buddyId: pick.buddyId, ownerId: input.ownerId },
  });
  const entry = buddyDm(
    team.id,
    { ...engagement, owner_id: input.ownerId },
    {
      buddyId: pick.buddyId,
      by: input.by,
      reason: pick.reason,
      change: input.change,
      milestones: input.milestones,
    },
  );
  entries.push(entry);
  await enqueue(trx, toOutboxRows(entries));
  return { buddy: { userId: pick.buddyId, name: buddy?.name ?? 'your buddy' }, toSend: sent() };
}

function buddyDm(
  teamId: string,
  engagement: EngagementRow & { owner_id: string },
  d: {
    buddyId: string;
    by: string | null;
    reason: string;
    change: string;
    milestones: readonly MilestoneRow[];
  },
): OutboxEntry {
  return {
    teamId,
    key: outboxKey.buddy(engagement.id, d.buddyId, d.change),
    channelId: d.buddyId,
    engagementId: engagement.id,
    message: {
      type: 'buddy',
      engagement: {
        ...toEngagementRef(engagement),
        deliveryLeadId: engagement.delivery_lead_id,
        startsOn: engagement.starts_on,
        endsOn: engagement.ends_on,
      },
      ownerId: engagement.owner_id,
      buddyId: d.buddyId,
      by: d.by,
      reason: d.reason,
      plan: d.milestones.filter((m) => m.status === 'open').map((m) => ({ title: m.title, dueOn: m.due_on })),
    },
    expiresAt: null,
  };
}

export type ChangeBuddyFailure =
  | 'not-a-lead'
  | 'unknown-engagement'
  | 'engagement-closed'
  | 'no-owner'
  | 'not-on-team'
  | 'is-owner'
  | 'delivery-lead'
  | 'no-turn-yet';

export interface BuddyChange {
  readonly engagement: { readonly number: number; readonly clientName: string };
  readonly buddyId: string | null;
  /** Whose buddy changed: the open proposal's candidate (approval records it), or the owner's. */
  readonly on: 'proposal' | 'owner';
  readonly ownerId: string;
  /** False when the engagement already had this buddy. */
  readonly changed: boolean;
  readonly toSend: readonly QueuedMessage[];
}

/**
 * `/engagement buddy #n @person|none`: a lead picks the buddy by hand. While a proposal is open it is
 * that proposal's buddy (its message shows the pick, and approval records it); once an owner is
 * approved, the engagement's: the new buddy gets the DM, the owner hears who it is now, a former buddy
 * that they are free. A buddy has owned an engagement before, and is neither the owner nor the
 * delivery lead.
 */
export async function changeBuddy(
  deps: FlowDeps,
  actor: Actor,
  input: { number: number; buddyId: string | null; buddyName?: string },
): Promise<Result<BuddyChange, ChangeBuddyFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'pick a buddy');
    if (!lead.ok) return lead;
    const found = await lockNamedEngagement(trx, actor.teamId, { number: input.number });
    if (!found.ok) return found;
    const engagement = found.value;
    if (engagement.status === 'closed')
      return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
    const pending = await findPendingProposal(trx, engagement.id);
    const ownerId = pending ? pending.candidate_id : engagement.owner_id;
    if (!ownerId) {
      return fail(
        'no-owner',
        `Engagement #${engagement.number} has nobody proposed as owner yet: choose an owner on its proposal first.`,
      );
    }
    if (input.buddyId) {
      const buddy = await findMember(trx, actor.teamId, input.buddyId);
      const name = buddy?.name ?? input.buddyName ?? 'That person';
      if (!buddy) return fail('not-on-team', `${name} is not on the team.`);
      if (buddy.user_id === ownerId)
        return fail(
          'is-owner',
          `${name} is the ${pending ? 'proposed ' : ''}owner: a buddy is someone else.`,
        );
      if (buddy.user_id === engagement.delivery_lead_id)
        return fail('delivery-lead', `${name} is the delivery lead: a buddy is someone else on the team.`);
      if (buddy.turns_count === 0)
        return fail('no-turn-yet', `${name} hasn't owned an engagement yet: a buddy is someone who has.`);
    }
    const now = deps.now();
    const reason = input.buddyId ? `chosen by ${lead.value.name}` : `${lead.value.name} chose none`;
    const previous = pending ? pending.buddy_id : engagement.buddy_id;
    // Picking none where the proposal names nobody (or needs no buddy) changes nothing either.
    const unchanged =
      previous === input.buddyId && (!pending || pending.buddy_reason !== null || input.buddyId === null);
    const result = {
      engagement: { number: engagement.number, clientName: engagement.client_name },
      buddyId: input.buddyId,
      on: pending ? ('proposal' as const) : ('owner' as const),
      ownerId,
      changed: !unchanged,
    };
    if (unchanged) return ok({ ...result, toSend: [] });
    // The nth change of this engagement's buddy names its messages: unique, and the same on a retry.
    const change = `change:${(await countEvents(trx, actor.teamId, engagement.id, 'buddy.changed')) + 1}`;
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'buddy.changed',
      actorId: actor.userId,
      at: now,
      reason,
      data: { buddyId: input.buddyId, previousBuddyId: previous, ownerId, proposalId: pending?.id ?? null },
    });
    const entries: OutboxEntry[] = [];
    if (pending) {
      const picked = { buddyId: input.buddyId, reason, chosenBy: actor.userId };
      await setProposalBuddy(trx, pending.id, picked);
      if (pending.channel_id && pending.message_ts) {
        const candidate = await findMember(trx, actor.teamId, ownerId);
        const view = toProposalView(
          { ...pending, buddy_id: input.buddyId, buddy_reason: reason, buddy_chosen_by: actor.userId },
          engagement,
          candidate?.name ?? null,
        );
        entries.push({
          teamId: actor.teamId,
          key: outboxKey.proposalUpdate(pending.id, `buddy:${change}`),
          channelId: pending.channel_id,
          engagementId: engagement.id,
          message: { type: 'proposal-update', view, ts: pending.message_ts },
          expiresAt: null,
        });
      }
    } else {
      await setEngagementBuddy(trx, engagement.id, input.buddyId);
      const owned = { ...engagement, owner_id: ownerId };
      if (input.buddyId) {
        entries.push(
          buddyDm(actor.teamId, owned, {
            buddyId: input.buddyId,
            by: actor.userId,
            reason,
            change,
            milestones: await listMilestones(trx, engagement.id),
          }),
        );
      }
      const notice = (to: 'owner' | 'former-buddy', channelId: string): OutboxEntry => ({
        teamId: actor.teamId,
        key: outboxKey.buddyChanged(engagement.id, to, change),
        channelId,
        engagementId: engagement.id,
        message: {
          type: 'buddy-changed',
          engagement: toEngagementRef(owned),
          to,
          buddyId: input.buddyId,
          by: actor.userId,
        },
        expiresAt: null,
      });
      entries.push(notice('owner', ownerId));
      if (previous) entries.push(notice('former-buddy', previous));
    }
    await enqueue(trx, toOutboxRows(entries));
    return ok({ ...result, toSend: entries.map((e) => ({ teamId: e.teamId, key: e.key })) });
  });
}
