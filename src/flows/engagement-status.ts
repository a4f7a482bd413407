import { countOpenMilestones, findEngagement, findEngagementByNumber } from '../db/engagements.js';
import { findPendingProposal } from '../db/proposals.js';
import { fail, ok, type Result } from '../domain/result.js';
import {
  inTransaction,
  lockNamedEngagement,
  requireLead,
  type Actor,
  type EngagementKey,
  type FlowDeps,
} from './context.js';
import { toEngagementView, type EngagementView } from './proposing.js';
import type { QueuedMessage } from './delivery.js';
import { close } from './milestones.js';

export type CloseFailure = 'not-a-lead' | 'unknown-engagement' | 'already-closed';

/** What a lead is asked before closing: what closing will leave undone. */
export interface ClosePreview {
  readonly engagement: EngagementView;
  readonly openMilestones: number;
  readonly pendingProposal: boolean;
}

/** `/engagement close #n` first asks: only a lead, only an open engagement. Nothing changes here. */
export async function previewClose(
  deps: FlowDeps,
  actor: Actor,
  input: EngagementKey,
): Promise<Result<ClosePreview, CloseFailure>> {
  const lead = await requireLead(deps.db, actor, 'close an engagement');
  if (!lead.ok) return lead;
  const engagement =
    'number' in input
      ? await findEngagementByNumber(deps.db, actor.teamId, input.number)
      : await findEngagement(deps.db, actor.teamId, input.engagementId);
  if (!engagement)
    return fail(
      'unknown-engagement',
      'number' in input ? `There is no engagement #${input.number}.` : 'That engagement no longer exists.',
    );
  if (engagement.status === 'closed')
    return fail('already-closed', `Engagement #${engagement.number} is already closed.`);
  return ok({
    engagement: toEngagementView(engagement),
    openMilestones: await countOpenMilestones(deps.db, engagement.id),
    pendingProposal: (await findPendingProposal(deps.db, engagement.id)) !== undefined,
  });
}

export interface ClosedEngagement {
  readonly engagement: EngagementView;
  /** The news of the closing, the open proposal losing its buttons, earlier reminders losing theirs. */
  readonly toSend: readonly QueuedMessage[];
}

/**
 * A lead closes an engagement before (or regardless of) its last milestone, once confirmed: one
 * transaction closes it and queues everything that must be told.
 */
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
    const now = deps.now();
    const toSend = await close(
      trx,
      now,
      engagement,
      actor.userId,
      input.reason?.trim() || 'closed by a lead',
      'closed',
    );
    return ok({
      engagement: toEngagementView({ ...engagement, status: 'closed', closed_at: now }),
      toSend,
    });
  });
}
