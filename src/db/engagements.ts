import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { EngagementRow, EngagementStatus, MilestoneRow } from './schema.js';
import type { DatedMilestone } from '../domain/plan.js';
import type { Ownership } from '../domain/rotation.js';

export async function nextEngagementNumber(db: Db, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('engagements')
    .select(sql<number>`coalesce(max(number), 0) + 1`.as('next'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function insertEngagement(
  db: Db,
  engagement: {
    teamId: string;
    number: number;
    clientName: string;
    channelId: string;
    rotationChannelId: string;
    startsOn: string;
    endsOn: string;
    templateId: string;
    deliveryLeadId: string | null;
    notes: string | null;
    createdBy: string;
    createdAt: Date;
  },
): Promise<EngagementRow> {
  return db
    .insertInto('engagements')
    .values({
      team_id: engagement.teamId,
      number: engagement.number,
      client_name: engagement.clientName,
      channel_id: engagement.channelId,
      rotation_channel_id: engagement.rotationChannelId,
      starts_on: engagement.startsOn,
      ends_on: engagement.endsOn,
      template_id: engagement.templateId,
      delivery_lead_id: engagement.deliveryLeadId,
      notes: engagement.notes,
      created_by: engagement.createdBy,
      created_at: engagement.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertMilestones(
  db: Db,
  teamId: string,
  engagementId: string,
  milestones: readonly DatedMilestone[],
): Promise<void> {
  if (milestones.length === 0) return;
  await db
    .insertInto('milestones')
    .values(
      milestones.map((m) => ({
        team_id: teamId,
        engagement_id: engagementId,
        position: m.position,
        kind: m.kind,
        title: m.title,
        offset_days: m.offset,
        due_on: m.dueOn,
      })),
    )
    .execute();
}

export async function findEngagement(
  db: Db,
  teamId: string,
  engagementId: string,
): Promise<EngagementRow | undefined> {
  if (!/^\d+$/.test(engagementId)) return undefined;
  return db
    .selectFrom('engagements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', engagementId)
    .executeTakeFirst();
}

/** Locks the engagement for the rest of the transaction: decisions on one engagement take turns. */
export async function lockEngagement(
  db: Db,
  teamId: string,
  engagementId: string,
): Promise<EngagementRow | undefined> {
  if (!/^\d+$/.test(engagementId)) return undefined;
  return db
    .selectFrom('engagements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', engagementId)
    .forUpdate()
    .executeTakeFirst();
}

export async function findEngagementByNumber(
  db: Db,
  teamId: string,
  number: number,
): Promise<EngagementRow | undefined> {
  return db
    .selectFrom('engagements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function findOpenEngagementInChannel(
  db: Db,
  teamId: string,
  channelId: string,
): Promise<EngagementRow | undefined> {
  return db
    .selectFrom('engagements')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
}

export async function listEngagements(
  db: Db,
  teamId: string,
  filter: { statuses?: readonly EngagementStatus[]; ownerId?: string } = {},
): Promise<EngagementRow[]> {
  let query = db.selectFrom('engagements').selectAll().where('team_id', '=', teamId);
  if (filter.statuses && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
  if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
  return query.orderBy('starts_on').orderBy('number').execute();
}

export async function setOwner(
  db: Db,
  engagementId: string,
  ownerId: string | null,
  status: EngagementStatus,
): Promise<void> {
  await db
    .updateTable('engagements')
    .set({ owner_id: ownerId, status })
    .where('id', '=', engagementId)
    .execute();
}

export async function flagRisk(db: Db, engagementId: string, note: string | null): Promise<void> {
  await db
    .updateTable('engagements')
    .set({ risk: 'flagged', risk_note: note })
    .where('id', '=', engagementId)
    .execute();
}

export async function markClosed(db: Db, engagementId: string, at: Date): Promise<void> {
  await db
    .updateTable('engagements')
    .set({ status: 'closed', closed_at: at })
    .where('id', '=', engagementId)
    .execute();
}

/**
 * Everything that feeds the rotation: the team's ownerships that can still weigh on a ranking (open,
 * or ended on/after `since`), plus each owner's latest one however old ("time since last ownership").
 */
export async function listOwnerships(db: Db, teamId: string, since: string): Promise<Ownership[]> {
  const columns = ['id', 'owner_id', 'starts_on', 'ends_on', 'status'] as const;
  const recent = await db
    .selectFrom('engagements')
    .select(columns)
    .where('team_id', '=', teamId)
    .where('owner_id', 'is not', null)
    .where((eb) => eb.or([eb('ends_on', '>=', since), eb('status', '<>', 'closed')]))
    .execute();
  const latest = await db
    .selectFrom('engagements')
    .distinctOn('owner_id')
    .select(columns)
    .where('team_id', '=', teamId)
    .where('owner_id', 'is not', null)
    .orderBy('owner_id')
    .orderBy('starts_on', 'desc')
    .execute();
  const byId = new Map([...recent, ...latest].map((r) => [r.id, r]));
  return [...byId.values()].map((r) => ({
    engagementId: r.id,
    ownerId: r.owner_id!,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    closed: r.status === 'closed',
  }));
}

/** How many engagements each member has ever owned. */
export async function countOwnerships(db: Db, teamId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('engagements')
    .select(['owner_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('team_id', '=', teamId)
    .where('owner_id', 'is not', null)
    .groupBy('owner_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_id!, Number(r.n)]));
}

export async function listMilestones(db: Db, engagementId: string): Promise<MilestoneRow[]> {
  return db
    .selectFrom('milestones')
    .selectAll()
    .where('engagement_id', '=', engagementId)
    .orderBy('due_on')
    .orderBy('position')
    .execute();
}

export async function findMilestone(
  db: Db,
  teamId: string,
  milestoneId: string,
): Promise<MilestoneRow | undefined> {
  if (!/^\d+$/.test(milestoneId)) return undefined;
  return db
    .selectFrom('milestones')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', milestoneId)
    .executeTakeFirst();
}

export async function markMilestoneDone(db: Db, milestoneId: string, by: string, at: Date): Promise<void> {
  await db
    .updateTable('milestones')
    .set({ status: 'done', done_by: by, done_at: at })
    .where('id', '=', milestoneId)
    .execute();
}

export async function snoozeMilestone(db: Db, milestoneId: string, until: string): Promise<void> {
  await db.updateTable('milestones').set({ snoozed_until: until }).where('id', '=', milestoneId).execute();
}

export async function countOpenMilestones(db: Db, engagementId: string): Promise<number> {
  const row = await db
    .selectFrom('milestones')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('engagement_id', '=', engagementId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
