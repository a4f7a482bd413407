import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { MemberRow, TimeAwayRow } from './schema.js';

export async function listMembers(db: Db, teamId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('rotation_order')
    .execute();
}

export async function findMember(db: Db, teamId: string, userId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/**
 * Adds a person (not in the rotation, not a lead) if new, else refreshes their name. Returns the row.
 * `rotation_order` comes last in the team so newcomers queue behind everyone already there.
 */
export async function upsertMember(
  db: Db,
  member: { teamId: string; userId: string; name: string; isLead?: boolean },
): Promise<MemberRow> {
  return db
    .insertInto('members')
    .values({
      team_id: member.teamId,
      user_id: member.userId,
      name: member.name,
      is_lead: member.isLead ?? false,
      rotation_order: sql<number>`(select coalesce(max(rotation_order), 0) + 1 from members where team_id = ${member.teamId})`,
    })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ name: member.name }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setInRotation(
  db: Db,
  teamId: string,
  userId: string,
  inRotation: boolean,
): Promise<void> {
  await db
    .updateTable('members')
    .set({
      in_rotation: inRotation,
      // Joining (again) puts you at the back of the queue's tie-break.
      ...(inRotation
        ? {
            rotation_order: sql<number>`(select coalesce(max(rotation_order), 0) + 1 from members where team_id = ${teamId})`,
          }
        : {}),
    })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
}

export async function setLead(db: Db, teamId: string, userId: string, isLead: boolean): Promise<void> {
  await db
    .updateTable('members')
    .set({ is_lead: isLead })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
}

export async function setCapacity(db: Db, teamId: string, userId: string, capacity: number): Promise<void> {
  await db
    .updateTable('members')
    .set({ capacity })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
}

/** What a person wants from the rotation: more or fewer turns, or a pause until a day. */
export async function updateWishes(
  db: Db,
  teamId: string,
  userId: string,
  change: { interest: MemberRow['interest'] } | { paused_until: string | null },
): Promise<void> {
  await db
    .updateTable('members')
    .set(change)
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .execute();
}

export async function listLeads(db: Db, teamId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('is_lead', '=', true)
    .orderBy('rotation_order')
    .execute();
}

export async function insertTimeAway(
  db: Db,
  away: { teamId: string; userId: string; startsOn: string; endsOn: string; createdBy: string },
): Promise<TimeAwayRow> {
  return db
    .insertInto('time_away')
    .values({
      team_id: away.teamId,
      user_id: away.userId,
      starts_on: away.startsOn,
      ends_on: away.endsOn,
      created_by: away.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Time away that has not started by `today` (what `back` cancels), as it was. */
export async function deleteTimeAwayFrom(
  db: Db,
  teamId: string,
  userId: string,
  today: string,
): Promise<TimeAwayRow[]> {
  const deleted = await db
    .deleteFrom('time_away')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('starts_on', '>=', today)
    .returningAll()
    .execute();
  return deleted.sort((a, b) => (a.starts_on < b.starts_on ? -1 : a.starts_on > b.starts_on ? 1 : 0));
}

/**
 * Ends ongoing time away yesterday, so the record of the days already away stays. Returns the
 * periods as they were before.
 */
export async function endTimeAwayBefore(
  db: Db,
  teamId: string,
  userId: string,
  today: string,
): Promise<TimeAwayRow[]> {
  const ongoing = await db
    .selectFrom('time_away')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('starts_on', '<', today)
    .where('ends_on', '>=', today)
    .orderBy('starts_on')
    .execute();
  if (ongoing.length === 0) return [];
  await db
    .updateTable('time_away')
    .set({ ends_on: sql<string>`(${today}::date - 1)` })
    .where(
      'id',
      'in',
      ongoing.map((a) => a.id),
    )
    .execute();
  return ongoing;
}

/** Time away overlapping [from, to]. */
export async function listTimeAway(db: Db, teamId: string, from: string, to: string): Promise<TimeAwayRow[]> {
  return db
    .selectFrom('time_away')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('ends_on', '>=', from)
    .where('starts_on', '<=', to)
    .orderBy('user_id')
    .orderBy('starts_on')
    .execute();
}
