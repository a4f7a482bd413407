import { fail, ok, type Result } from '../domain/result.js';
import {
  inTransaction,
  lockNamedEngagement,
  requireLead,
  type Actor,
  type EngagementKey,
  type FlowDeps,
} from './context.js';
import { findPendingProposal } from '../db/proposals.js';
import { toEngagementView, viewProposal, type EngagementView, type ProposalView } from './proposing.js';
import type { QueuedMessage } from './delivery.js';
import { close } from './milestones.js';

export type CloseFailure = 'not-a-lead' | 'unknown-engagement' | 'already-closed';

export interface ClosedEngagement {
  readonly engagement: EngagementView;
  /** The proposal that was still open, as its message showed it: its buttons must go. */
  readonly retired: ProposalView | null;
  /** Earlier reminders losing their buttons. */
  readonly toSend: readonly QueuedMessage[];
}

/** `/engagement close`: a lead closes an engagement before (or regardless of) its last milestone. */
export async function closeEngagement(
  deps: FlowDeps,
  actor: Actor,
  input: EngagementKey & { reason?: string | null },
): Promise<Result<ClosedEngagement, CloseFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const found = await lockNamedEngagement(trx, actor.teamId, input);
    if (!found.ok) return found;
    const lead = await requireLead(trx, actor, 'close an engagement');
    if (!lead.ok) return lead;
    const engagement = found.value;
    if (engagement.status === 'closed')
      return fail('already-closed', `Engagement #${engagement.number} is already closed.`);
    const pending = await findPendingProposal(trx, engagement.id);
    const retired = pending ? await viewProposal(trx, pending, engagement) : null;
    const now = deps.now();
    const toSend = await close(
      trx,
      now,
      engagement,
      actor.userId,
      input.reason?.trim() || 'closed by a lead',
    );
    return ok({
      engagement: toEngagementView({ ...engagement, status: 'closed', closed_at: now }),
      retired,
      toSend,
    });
  });
}
