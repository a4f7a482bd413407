// Stand-ins as the database keeps them: who covers an owner's short time away on an engagement,
// for which days (inclusive). Cover only: ownership periods, and so turns, are never touched here.
import type { Db } from './connect.js';

export interface StandIn {
  engagementId: string;
  ownerId: string;
  standInId: string;
  startsOn: string;
  endsOn: string;
}

/** An approved stand-in. */
export async function recordStandIn(db: Db, teamId: string, standIn: StandIn): Promise<void> {
  await db
    .insertInto('stand_ins')
    .values({
      team_id: teamId,
      engagement_id: standIn.engagementId,
      owner_id: standIn.ownerId,
      stand_in_id: standIn.standInId,
      starts_on: standIn.startsOn,
      ends_on: standIn.endsOn,
    })
    .execute();
}

/** The owner is back early: cover ends the day before `backOn`; cover not yet begun is dropped. */
export async function endStandInsFor(db: Db, teamId: string, ownerId: string, backOn: string): Promise<void> {
  await db
    .deleteFrom('stand_ins')
    .where('team_id', '=', teamId)
    .where('owner_id', '=', ownerId)
    .where('starts_on', '>=', backOn)
    .execute();
  const dayBefore = new Date(Date.parse(`${backOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await db
    .updateTable('stand_ins')
    .set({ ends_on: dayBefore })
    .where('team_id', '=', teamId)
    .where('owner_id', '=', ownerId)
    .where('ends_on', '>=', backOn)
    .execute();
}

/** Stand-ins of the team covering any day in [from, to]. */
export async function standInsBetween(db: Db, teamId: string, from: string, to: string): Promise<StandIn[]> {
  const rows = await db
    .selectFrom('stand_ins')
    .select(['engagement_id', 'owner_id', 'stand_in_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId)
    .where('starts_on', '<=', to)
    .where('ends_on', '>=', from)
    .orderBy('starts_on')
    .execute();
  return rows.map((r) => ({
    engagementId: r.engagement_id,
    ownerId: r.owner_id,
    standInId: r.stand_in_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
  }));
}

/** Stand-ins of one owner not over before `day`: what their return on `day` cuts short or calls off. */
export async function standInsOfOwnerFrom(
  db: Db,
  teamId: string,
  ownerId: string,
  day: string,
): Promise<StandIn[]> {
  const rows = await db
    .selectFrom('stand_ins')
    .select(['engagement_id', 'owner_id', 'stand_in_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId)
    .where('owner_id', '=', ownerId)
    .where('ends_on', '>=', day)
    .orderBy('starts_on')
    .execute();
  return rows.map((r) => ({
    engagementId: r.engagement_id,
    ownerId: r.owner_id,
    standInId: r.stand_in_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
  }));
}

/**
 * Cover not over before `day`: what a person stands in for (`standInId`), or who stands in on some
 * engagements (`engagementIds`), with the engagement's number and client for showing it.
 */
export async function standInsFrom(
  db: Db,
  teamId: string,
  day: string,
  who: { standInId: string } | { engagementIds: readonly string[] },
): Promise<(StandIn & { number: number; clientName: string })[]> {
  if ('engagementIds' in who && who.engagementIds.length === 0) return [];
  let query = db
    .selectFrom('stand_ins')
    .innerJoin('engagements', 'engagements.id', 'stand_ins.engagement_id')
    .select([
      'stand_ins.engagement_id',
      'stand_ins.owner_id',
      'stand_ins.stand_in_id',
      'stand_ins.starts_on',
      'stand_ins.ends_on',
      'engagements.number',
      'engagements.client_name',
    ])
    .where('stand_ins.team_id', '=', teamId)
    .where('stand_ins.ends_on', '>=', day)
    .where('engagements.status', '!=', 'closed');
  query =
    'standInId' in who
      ? query.where('stand_ins.stand_in_id', '=', who.standInId)
      : query.where('stand_ins.engagement_id', 'in', who.engagementIds);
  const rows = await query.orderBy('stand_ins.starts_on').execute();
  return rows.map((r) => ({
    engagementId: r.engagement_id,
    ownerId: r.owner_id,
    standInId: r.stand_in_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    number: r.number,
    clientName: r.client_name,
  }));
}

/** Whether `userId` stands in on this engagement on `day`. */
export async function standsInOn(
  db: Db,
  engagementId: string,
  userId: string,
  day: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('stand_ins')
    .select('id')
    .where('engagement_id', '=', engagementId)
    .where('stand_in_id', '=', userId)
    .where('starts_on', '<=', day)
    .where('ends_on', '>=', day)
    .executeTakeFirst();
  return row !== undefined;
}
