// Retrospectives: what an owner learnt from a closed engagement, kept for the next owner on its plan.
import type { Db } from './connect.js';
import type { RetrospectiveRow } from './schema.js';

/** Saves an engagement's retrospective unless it has one; returns it, or undefined if it had one. */
export async function insertRetrospective(
  db: Db,
  r: {
    teamId: string;
    engagementId: string;
    templateName: string;
    wentWell: string;
    toChange: string;
    writtenBy: string;
    writtenAt: Date;
  },
): Promise<RetrospectiveRow | undefined> {
  return db
    .insertInto('retrospectives')
    .values({
      team_id: r.teamId,
      engagement_id: r.engagementId,
      template_name: r.templateName,
      went_well: r.wentWell,
      to_change: r.toChange,
      written_by: r.writtenBy,
      written_at: r.writtenAt,
    })
    .onConflict((oc) => oc.column('engagement_id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findRetrospective(db: Db, engagementId: string): Promise<RetrospectiveRow | undefined> {
  return db
    .selectFrom('retrospectives')
    .selectAll()
    .where('engagement_id', '=', engagementId)
    .executeTakeFirst();
}

/**
 * The latest retrospective of another engagement on each of these plans (by template name), with
 * that engagement's number and client: what the next owner on the same plan reads.
 */
export async function latestRetrospectivesByTemplate(
  db: Db,
  teamId: string,
  templateNames: readonly string[],
): Promise<Map<string, RetrospectiveRow & { number: number; client_name: string }>> {
  if (templateNames.length === 0) return new Map();
  const rows = await db
    .selectFrom('retrospectives as r')
    .innerJoin('engagements as e', 'e.id', 'r.engagement_id')
    .selectAll('r')
    .select(['e.number', 'e.client_name'])
    .where('r.team_id', '=', teamId)
    .where('r.template_name', 'in', templateNames)
    .orderBy('r.written_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  const latest = new Map<string, RetrospectiveRow & { number: number; client_name: string }>();
  for (const row of rows) if (!latest.has(row.template_name)) latest.set(row.template_name, row);
  return latest;
}

/** A plan template's name (every version of a template shares it). */
export async function templateNameOf(db: Db, templateId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('plan_templates')
    .select('name')
    .where('id', '=', templateId)
    .executeTakeFirst();
  return row?.name;
}
