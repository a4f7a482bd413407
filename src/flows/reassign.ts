import { findPendingProposal } from '../db/proposals.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Db } from '../db/connect.js';
import type { EngagementRow, TeamRow } from '../db/schema.js';
import {
  inTransaction,
  lockNamedEngagement,
  requireLead,
  requireTeam,
  type Actor,
  type EngagementKey,
  type FlowDeps,
} from './context.js';
import type { QueuedMessage } from './delivery.js';
import { proposeFor, queueProposal, type ProposalView } from './proposing.js';

export type HandoverFailure = 'engagement-closed' | 'no-owner' | 'proposal-pending';
export type ReassignFailure = 'not-a-lead' | 'unknown-team' | 'unknown-engagement' | HandoverFailure;

/**
 * `/engagement reassign`: a mid-flight handover. Proposes a new owner (never the current one); a lead
 * approves it like any proposal, which records the reassignment.
 */
export async function reassignEngagement(
  deps: FlowDeps,
  actor: Actor,
  input: EngagementKey & { why?: string | null },
): Promise<Result<{ proposal: ProposalView; toSend: readonly QueuedMessage[] }, ReassignFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const found = await lockNamedEngagement(trx, actor.teamId, input);
    if (!found.ok) return found;
    const lead = await requireLead(trx, actor, 'reassign an engagement');
    if (!lead.ok) return lead;
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const proposed = await proposeHandover(trx, deps.now(), team.value, found.value, {
      why: input.why?.trim() || `requested by <@${actor.userId}>`,
      actorId: actor.userId,
    });
    if (!proposed.ok) return proposed;
    const queued = await queueProposal(trx, actor.teamId, proposed.value);
    return ok({ proposal: proposed.value, toSend: [queued] });
  });
}

/** A handover proposal for an active engagement (also used by the cover-for-time-away job). */
export async function proposeHandover(
  trx: Db,
  now: Date,
  team: TeamRow,
  engagement: EngagementRow,
  options: { why: string; actorId: string | null },
): Promise<Result<ProposalView, HandoverFailure>> {
  if (engagement.status === 'closed')
    return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
  if (!engagement.owner_id) {
    return fail(
      'no-owner',
      `Engagement #${engagement.number} has no owner yet; approve or choose one on its proposal.`,
    );
  }
  if (await findPendingProposal(trx, engagement.id)) {
    return fail(
      'proposal-pending',
      `Engagement #${engagement.number} already has an open proposal; decide that one first.`,
    );
  }
  return ok(await proposeFor(trx, now, team, engagement, { kind: 'handover', ...options }));
}
