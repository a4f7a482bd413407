import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { MemberRow, PlanTemplateRow, TeamRow } from './schema.js';
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

/** What opening the new-engagement form reads: the person's standing, the team's calendar, its templates. */
export interface NewEngagementContext {
  readonly member: Pick<MemberRow, 'in_rotation' | 'is_lead'> | null;
  readonly team: Pick<
    TeamRow,
    'time_zone' | 'holiday_region' | 'extra_holidays' | 'rotation_channel_id'
  > | null;
  /** The newest version of each template, the default first (as listPlanTemplates orders them). */
  readonly templates: readonly Pick<PlanTemplateRow, 'id' | 'name' | 'version'>[];
}

/**
 * The form's three lookups in one round trip: it is read on every `/engagement new` before Slack's
 * 3-second trigger runs out, and each separate query costs a pool checkout and a network round trip.
 */
export async function findNewEngagementContext(
  db: Db,
  teamId: string,
  userId: string,
): Promise<NewEngagementContext> {
  // Ids are bigints, read as text everywhere (JSON would make them numbers).
  const { rows } = await sql<NewEngagementContext>`
    select
      (select json_build_object('in_rotation', m.in_rotation, 'is_lead', m.is_lead)
         from members m where m.team_id = ${teamId} and m.user_id = ${userId}) as member,
      (select json_build_object(
                'time_zone', t.time_zone, 'holiday_region', t.holiday_region,
                'extra_holidays', t.extra_holidays, 'rotation_channel_id', t.rotation_channel_id)
         from teams t where t.id = ${teamId}) as team,
      coalesce(
        (select json_agg(json_build_object('id', p.id::text, 'name', p.name, 'version', p.version)
                         order by p.is_default desc, p.name)
           from plan_templates p
          where p.team_id = ${teamId}
            and not exists (select 1 from plan_templates newer
                             where newer.team_id = p.team_id and newer.name = p.name
                               and newer.version > p.version)),
        '[]'::json) as templates`.execute(db);
  return rows[0]!;
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
