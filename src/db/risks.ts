// The risk register: risks per engagement, open until resolved with a note.
import type { Db } from './connect.js';
import type { RiskLevel, RiskRow } from './schema.js';

export async function insertRisk(
  db: Db,
  risk: {
    teamId: string;
    engagementId: string;
    title: string;
    likelihood: RiskLevel;
    impact: RiskLevel;
    ownerId: string | null;
    mitigation: string | null;
    createdBy: string;
    createdAt: Date;
  },
): Promise<RiskRow> {
  return db
    .insertInto('risks')
    .values({
      team_id: risk.teamId,
      engagement_id: risk.engagementId,
      title: risk.title,
      likelihood: risk.likelihood,
      impact: risk.impact,
      owner_id: risk.ownerId,
      mitigation: risk.mitigation,
      created_by: risk.createdBy,
      created_at: risk.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRisk(db: Db, teamId: string, riskId: string): Promise<RiskRow | undefined> {
  if (!/^\d+$/.test(riskId)) return undefined;
  return db
    .selectFrom('risks')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', riskId)
    .executeTakeFirst();
}

/** Marks a risk resolved unless it already is; returns whether this call resolved it. */
export async function resolveRiskRow(
  db: Db,
  riskId: string,
  resolution: { by: string; at: Date; note: string },
): Promise<boolean> {
  const updated = await db
    .updateTable('risks')
    .set({
      status: 'resolved',
      resolution: resolution.note,
      resolved_by: resolution.by,
      resolved_at: resolution.at,
    })
    .where('id', '=', riskId)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Marks a risk told to the leads unless it was; returns whether this call marked it. */
export async function markLeadsTold(db: Db, riskId: string, at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('risks')
    .set({ leads_told_at: at })
    .where('id', '=', riskId)
    .where('leads_told_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Open risks of some engagements (all of the team's when none are named), worst first. */
export async function listOpenRisks(
  db: Db,
  teamId: string,
  engagementIds?: readonly string[],
): Promise<RiskRow[]> {
  if (engagementIds && engagementIds.length === 0) return [];
  let query = db.selectFrom('risks').selectAll().where('team_id', '=', teamId).where('status', '=', 'open');
  if (engagementIds) query = query.where('engagement_id', 'in', engagementIds);
  return query.orderBy('engagement_id').orderBy('id').execute();
}

/** How many open risks each engagement has (absent: none), in one query. */
export async function countOpenRisks(db: Db, engagementIds: readonly string[]): Promise<Map<string, number>> {
  if (engagementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('risks')
    .select(['engagement_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('engagement_id', 'in', engagementIds)
    .where('status', '=', 'open')
    .groupBy('engagement_id')
    .execute();
  return new Map(rows.map((r) => [r.engagement_id, Number(r.n)]));
}
