// A first-time owner's buddy: named on the proposal, kept on the engagement once approved.
import { sql } from 'kysely';
import type { Db } from './connect.js';

/** How often each member has been a buddy: engagements that name them, closed ones included. */
export async function buddyTurnCounts(db: Db, teamId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('engagements')
    .select(['buddy_id', sql<string>`count(*)`.as('n')])
    .where('team_id', '=', teamId)
    .where('buddy_id', 'is not', null)
    .groupBy('buddy_id')
    .execute();
  return new Map(rows.map((r) => [r.buddy_id!, Number(r.n)]));
}

export async function setEngagementBuddy(
  db: Db,
  engagementId: string,
  buddyId: string | null,
): Promise<void> {
  await db.updateTable('engagements').set({ buddy_id: buddyId }).where('id', '=', engagementId).execute();
}

/** The buddy a pending proposal names, and why (`reason` null: no buddy line). */
export async function setProposalBuddy(
  db: Db,
  proposalId: string,
  buddy: { buddyId: string | null; reason: string | null; chosenBy: string | null },
): Promise<void> {
  await db
    .updateTable('proposals')
    .set({ buddy_id: buddy.buddyId, buddy_reason: buddy.reason, buddy_chosen_by: buddy.chosenBy })
    .where('id', '=', proposalId)
    .execute();
}
