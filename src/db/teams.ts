import type { Db } from './connect.js';
import type { PlanTemplateRow, TeamRow } from './schema.js';
import type { PlanTemplate } from '../domain/plan.js';

export async function findTeam(db: Db, teamId: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst();
}

export async function findTeamForUpdate(db: Db, teamId: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', teamId).forUpdate().executeTakeFirst();
}

export async function listTeams(db: Db): Promise<TeamRow[]> {
  return db.selectFrom('teams').selectAll().orderBy('id').execute();
}

/** Inserts the team with its defaults if new; returns whether it was created. */
export async function insertTeamIfMissing(
  db: Db,
  team: { id: string; name: string | null; timeZone: string; reminderTime: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('teams')
    .values({ id: team.id, name: team.name, time_zone: team.timeZone, reminder_time: team.reminderTime })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export interface TeamSettingsUpdate {
  name?: string | null;
  timeZone?: string;
  reminderTime?: string;
  holidayRegion?: string | null;
  extraHolidays?: readonly string[];
  rotationChannelId?: string | null;
  proposeDaysAhead?: number;
}

export async function updateTeam(db: Db, teamId: string, update: TeamSettingsUpdate): Promise<void> {
  await db
    .updateTable('teams')
    .set({
      ...(update.name !== undefined ? { name: update.name } : {}),
      ...(update.timeZone !== undefined ? { time_zone: update.timeZone } : {}),
      ...(update.reminderTime !== undefined ? { reminder_time: update.reminderTime } : {}),
      ...(update.holidayRegion !== undefined ? { holiday_region: update.holidayRegion } : {}),
      ...(update.extraHolidays !== undefined ? { extra_holidays: [...update.extraHolidays] } : {}),
      ...(update.rotationChannelId !== undefined ? { rotation_channel_id: update.rotationChannelId } : {}),
      ...(update.proposeDaysAhead !== undefined ? { propose_days_ahead: update.proposeDaysAhead } : {}),
    })
    .where('id', '=', teamId)
    .execute();
}

export async function insertPlanTemplate(
  db: Db,
  teamId: string,
  template: PlanTemplate,
  isDefault: boolean,
): Promise<PlanTemplateRow> {
  return db
    .insertInto('plan_templates')
    .values({
      team_id: teamId,
      name: template.name,
      version: template.version,
      is_default: isDefault,
      status_every: template.statusEvery,
      steps: JSON.stringify(template.steps),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The newest version of each of the team's templates, the default first. */
export async function listPlanTemplates(db: Db, teamId: string): Promise<PlanTemplateRow[]> {
  return db
    .selectFrom('plan_templates as t')
    .selectAll('t')
    .where('t.team_id', '=', teamId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('plan_templates as newer')
            .select('newer.id')
            .whereRef('newer.team_id', '=', 't.team_id')
            .whereRef('newer.name', '=', 't.name')
            .whereRef('newer.version', '>', 't.version'),
        ),
      ),
    )
    .orderBy('t.is_default', 'desc')
    .orderBy('t.name')
    .execute();
}

export async function findPlanTemplate(
  db: Db,
  teamId: string,
  templateId: string,
): Promise<PlanTemplateRow | undefined> {
  return db
    .selectFrom('plan_templates')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', templateId)
    .executeTakeFirst();
}

export function toPlanTemplate(row: PlanTemplateRow): PlanTemplate {
  return { name: row.name, version: row.version, statusEvery: row.status_every, steps: row.steps };
}
