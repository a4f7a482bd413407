import { lockEngagement, setOwner } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { dropLatestPeriod } from '../db/ownership-periods.js';
import { findPendingProposal } from '../db/proposals.js';
import type { Db } from '../db/connect.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, requireTeam, type Actor, type FlowDeps } from './context.js';
import { proposeFor, type ProposalView } from './proposing.js';

/** How long after approval an owner may still hand an engagement back: one business day. */
async function approvedOn(trx: Db, engagementId: string): Promise<{ at: Date } | undefined> {
  return trx
    .selectFrom('events')
    .select(['at'])
    .where('engagement_id', '=', engagementId)
    .where('kind', 'in', ['approved', 'overridden', 'reassigned'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * **Hand back** (the owner's decline): within a business day of becoming owner, with a reason.
 * The owner is released, never proposed for this engagement again, and the next candidate is proposed.
 */
export async function handBack(
  deps: FlowDeps,
  actor: Actor,
  input: { engagementId: string; reason: string },
): Promise<Result<ProposalView>> {
  const reason = input.reason.trim();
  if (reason === '') return fail('missing-reason', 'Say why you are handing it back.', 'reason');
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const engagement = await lockEngagement(trx, actor.teamId, input.engagementId);
    if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
    if (engagement.status === 'closed')
      return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
    if (engagement.owner_id !== actor.userId)
      return fail('not-owner', 'Only the current owner can hand an engagement back.');
    if (await findPendingProposal(trx, engagement.id)) {
      return fail('proposal-pending', 'A handover is already being proposed for this engagement.');
    }
    const approval = await approvedOn(trx, engagement.id);
    const calendar = calendarOf(team.value);
    const deadline = approval ? calendar.nextBusinessDay(calendar.localDate(approval.at)) : undefined;
    if (!approval || !deadline || calendar.localDate(deps.now()) > deadline) {
      return fail(
        'too-late',
        'You can hand an engagement back within a business day of taking it; after that, ask a lead to `/engagement reassign` it.',
      );
    }
    await setOwner(trx, engagement.id, null, 'awaiting_owner');
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
      actorId: actor.userId,
    });
    return ok(next);
  });
}
