// Team-wide loads for the scheduled sweeps: one query each, however many engagements a team has, so a
// sweep's query count does not grow with the engagements it looks at.
import type { Db } from './connect.js';
import type { EngagementRow, MilestoneRow, ProposalRow, TimeAwayRow } from './schema.js';

export async function listActiveEngagements(db: Db, teamId: string): Promise<EngagementRow[]> {
  return db
    .selectFrom('engagements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'active')
    .orderBy('number')
    .execute();
}

/** Open milestones of the team's active engagements. */
export async function listOpenMilestonesOfActiveEngagements(db: Db, teamId: string): Promise<MilestoneRow[]> {
  return db
    .selectFrom('milestones as m')
    .innerJoin('engagements as e', 'e.id', 'm.engagement_id')
    .selectAll('m')
    .where('m.team_id', '=', teamId)
    .where('m.status', '=', 'open')
    .where('e.status', '=', 'active')
    .orderBy('m.engagement_id')
    .orderBy('m.due_on')
    .orderBy('m.position')
    .execute();
}

/** Engagements still waiting for an owner that start on or before `startsBy` (late ones included). */
export async function listAwaitingOwnerStartingBy(
  db: Db,
  teamId: string,
  startsBy: string,
): Promise<EngagementRow[]> {
  return db
    .selectFrom('engagements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('status', '=', 'awaiting_owner')
    .where('starts_on', '<=', startsBy)
    .orderBy('starts_on')
    .orderBy('number')
    .execute();
}

/** Every pending proposal of the team with its engagement. */
export async function listPendingProposals(
  db: Db,
  teamId: string,
): Promise<{ proposal: ProposalRow; engagement: EngagementRow }[]> {
  const proposals = await db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('outcome', '=', 'pending')
    .orderBy('id')
    .execute();
  if (proposals.length === 0) return [];
  const engagements = await db
    .selectFrom('engagements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where(
      'id',
      'in',
      proposals.map((p) => p.engagement_id),
    )
    .execute();
  const byId = new Map(engagements.map((e) => [e.id, e]));
  return proposals.flatMap((proposal) => {
    const engagement = byId.get(proposal.engagement_id);
    return engagement ? [{ proposal, engagement }] : [];
  });
}

/** The time away of these people that has not ended before `from`. */
export async function listTimeAwayOf(
  db: Db,
  teamId: string,
  userIds: readonly string[],
  from: string,
): Promise<TimeAwayRow[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('time_away')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', 'in', [...new Set(userIds)])
    .where('ends_on', '>=', from)
    .orderBy('user_id')
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
}
