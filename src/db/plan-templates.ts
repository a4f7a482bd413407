// Plan templates as the team edits them: every save is a new version of the template (same team and
// name); engagements point at the version they started with, so editing never moves a running plan.
import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { PlanStepJson, PlanTemplateRow } from './schema.js';

/** The next version number of a template (1 for a new name). */
export async function nextTemplateVersion(db: Db, teamId: string, name: string): Promise<number> {
  const row = await db
    .selectFrom('plan_templates')
    .select(sql<number>`coalesce(max(version), 0) + 1`.as('next'))
    .where('team_id', '=', teamId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

/** The newest version of the template named `name`, compared without case. */
export async function findLatestTemplateNamed(
  db: Db,
  teamId: string,
  name: string,
): Promise<PlanTemplateRow | undefined> {
  return db
    .selectFrom('plan_templates')
    .selectAll()
    .where('team_id', '=', teamId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertTemplateVersion(
  db: Db,
  template: {
    teamId: string;
    name: string;
    version: number;
    isDefault: boolean;
    statusEvery: number;
    steps: readonly PlanStepJson[];
  },
): Promise<PlanTemplateRow> {
  return db
    .insertInto('plan_templates')
    .values({
      team_id: template.teamId,
      name: template.name,
      version: template.version,
      is_default: template.isDefault,
      status_every: template.statusEvery,
      steps: JSON.stringify(template.steps),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
