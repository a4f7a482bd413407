import { lockEngagement } from '../db/engagements.js';
import type { EngagementRow } from '../db/schema.js';
import { fail, ok, type Result } from '../domain/result.js';
import { inTransaction, requireLead, type Actor, type FlowDeps } from './context.js';
import { close } from './milestones.js';

/** `/engagement close`: a lead closes an engagement before (or regardless of) its last milestone. */
export async function closeEngagement(
  deps: FlowDeps,
  actor: Actor,
  input: { engagementId: string; reason?: string | null },
): Promise<Result<EngagementRow>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'close an engagement');
    if (!lead.ok) return lead;
    const engagement = await lockEngagement(trx, actor.teamId, input.engagementId);
    if (!engagement) return fail('unknown-engagement', 'There is no such engagement.');
    if (engagement.status === 'closed')
      return fail('already-closed', `Engagement #${engagement.number} is already closed.`);
    const now = deps.now();
    await close(trx, now, engagement, actor.userId, input.reason?.trim() || 'closed by a lead');
    return ok({ ...engagement, status: 'closed' as const, closed_at: now });
  });
}
