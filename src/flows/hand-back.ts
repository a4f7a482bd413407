import { findEngagement, lockEngagement, setHandBackClosesAt, setOwner } from '../db/engagements.js';
import { formatDay } from '../domain/calendar.js';
import { handBackWindow } from '../domain/hand-back.js';
import { lastOwnerDecision, recordEvent } from '../db/events.js';
import { dropLatestPeriod } from '../db/ownership-periods.js';
import { findPendingProposal } from '../db/proposals.js';
import type { Db } from '../db/connect.js';
import type { EngagementRow, TeamRow } from '../db/schema.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, requireTeam, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { ownerChanged } from './owner-news.js';
import { proposeFor, queueProposal, type ProposalView } from './proposing.js';

export type HandBackFailure =
  | 'missing-reason'
  | 'unknown-team'
  | 'unknown-engagement'
  | 'engagement-closed'
  | 'not-owner'
  | 'proposal-pending'
  | 'too-late';

/** Whether the actor may hand this engagement back now: its owner, within the window, no handover open. */
async function mayHandBackNow(
  trx: Db,
  deps: FlowDeps,
  actor: Actor,
  team: TeamRow,
  engagement: EngagementRow,
): Promise<Result<true, 'not-owner' | 'proposal-pending' | 'too-late'>> {
  if (engagement.owner_id !== actor.userId)
    return fail('not-owner', 'Only the current owner can hand an engagement back.');
  if (await findPendingProposal(trx, engagement.id)) {
    return fail('proposal-pending', 'A handover is already being proposed for this engagement.');
  }
  const approval = await lastOwnerDecision(trx, engagement.id);
  if (!approval) {
    return fail('too-late', 'The hand-back window has closed; ask a lead to reassign it.');
  }
  const window = handBackWindow(calendarOf(team), approval.at);
  if (deps.now() >= window.closesAt) {
    return fail(
      'too-late',
      `The hand-back window closed on ${formatDay(window.lastDay)}; ask a lead to reassign it.`,
    );
  }
  return ok(true);
}

/** The engagement as the hand-back modal names it. */
export interface HandBackEngagement {
  readonly id: string;
  readonly number: number;
  readonly clientName: string;
}

const handBackEngagement = (e: EngagementRow): HandBackEngagement => ({
  id: e.id,
  number: e.number,
  clientName: e.client_name,
});

/**
 * Checked when the owner clicks **Hand back**, before the modal asks for a reason: a refusal then
 * saves typing one for nothing. The submission checks again (the window may close meanwhile).
 */
export async function checkHandBack(
  deps: FlowDeps,
  actor: Actor,
  engagementId: string,
): Promise<Result<HandBackEngagement, HandBackFailure>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return team;
  const engagement = await findEngagement(deps.db, actor.teamId, engagementId);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  if (engagement.status === 'closed')
    return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
  const allowed = await mayHandBackNow(deps.db, deps, actor, team.value, engagement);
  return allowed.ok ? ok(handBackEngagement(engagement)) : allowed;
}

/**
 * **Hand back** (the owner's decline): within a business day of becoming owner, with a reason.
 * The owner is released, never proposed for this engagement again, and the next candidate is proposed.
 */
export async function handBack(
  deps: FlowDeps,
  actor: Actor,
  input: { engagementId: string; reason: string },
): Promise<Result<{ next: ProposalView; toSend: readonly QueuedMessage[] }, HandBackFailure>> {
  const reason = input.reason.trim();
  if (reason === '') return fail('missing-reason', 'Say why you are handing it back.', 'reason');
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const engagement = await lockEngagement(trx, actor.teamId, input.engagementId);
    if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
    if (engagement.status === 'closed')
      return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
    const allowed = await mayHandBackNow(trx, deps, actor, team.value, engagement);
    if (!allowed.ok) return allowed;
    await setOwner(trx, engagement.id, null, 'awaiting_owner');
    // Its DM now says it was handed back: no window left to close.
    await setHandBackClosesAt(trx, engagement.id, null);
    await dropLatestPeriod(trx, engagement.id, actor.userId);
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'declined',
      actorId: actor.userId,
      at: deps.now(),
      reason,
      data: { ownerId: actor.userId },
    });
    const released = { ...engagement, owner_id: null, status: 'awaiting_owner' as const };
    const next = await proposeFor(trx, deps.now(), team.value, released, {
      kind: 'owner',
      why: `<@${actor.userId}> handed it back: ${reason}`,
      // Steward proposes the next owner; the reason names who handed it back.
      actorId: null,
    });
    // The engagement channel's kickoff and reminders no longer name them.
    const followed = await ownerChanged(trx, team.value, released, `handed-back:${deps.now().toISOString()}`);
    return ok({ next, toSend: [await queueProposal(trx, actor.teamId, next), ...followed] });
  });
}
