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
    /** A channel shared with the client, if any: only client-safe messages go there. */
    clientChannelId?: string | null;
    /** Whether Slack was asked about the engagement channel (and it was not shared). */
    channelChecked?: boolean;
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
      client_channel_id: engagement.clientChannelId ?? null,
      channel_checked: engagement.channelChecked ?? false,
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

/** Which of these engagements of the team are closed. */
export async function closedAmong(
  db: Db,
  teamId: string,
  engagementIds: readonly string[],
): Promise<string[]> {
  if (engagementIds.length === 0) return [];
  const rows = await db
    .selectFrom('engagements')
    .select('id')
    .where('team_id', '=', teamId)
    .where('id', 'in', engagementIds)
    .where('status', '=', 'closed')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
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

/** Where the kickoff was posted (in the engagement channel): a change of owner updates it there. */
export async function recordKickoff(db: Db, engagementId: string, ts: string): Promise<void> {
  await db.updateTable('engagements').set({ kickoff_ts: ts }).where('id', '=', engagementId).execute();
}

/**
 * Where the owner's DM was posted, if they are still the owner (a hand-back may have come first), and
 * when its Hand back window closes.
 */
export async function recordOwnerDm(
  db: Db,
  engagementId: string,
  ownerId: string,
  dm: { channelId: string; ts: string },
): Promise<void> {
  await db
    .updateTable('engagements')
    .set({ owner_dm_channel_id: dm.channelId, owner_dm_ts: dm.ts })
    .where('id', '=', engagementId)
    .where('owner_id', '=', ownerId)
    .execute();
}

/** When the owner's Hand back closes (null: no window open, or its DM is queued for its update). */
export async function setHandBackClosesAt(db: Db, engagementId: string, at: Date | null): Promise<void> {
  await db
    .updateTable('engagements')
    .set({ hand_back_closes_at: at })
    .where('id', '=', engagementId)
    .execute();
}

/**
 * Engagements whose Hand back window closed by `at` and whose owner's DM has not been queued for its
 * update yet, locked; another replica's job skips them rather than waiting.
 */
export async function lockClosedHandBackWindows(
  db: Db,
  at: Date,
  only?: { teamId: string; engagementId: string },
): Promise<EngagementRow[]> {
  let query = db
    .selectFrom('engagements')
    .selectAll()
    .where('hand_back_closes_at', 'is not', null)
    .where('hand_back_closes_at', '<=', at);
  if (only) query = query.where('team_id', '=', only.teamId).where('id', '=', only.engagementId);
  return query.orderBy('id').limit(500).forUpdate().skipLocked().execute();
}

export async function markClosed(db: Db, engagementId: string, at: Date): Promise<void> {
  await db
    .updateTable('engagements')
    .set({ status: 'closed', closed_at: at })
    .where('id', '=', engagementId)
    .execute();
}

/** Open engagements with an owner: what weighs on load and capacity. */
export async function listOpenOwnerships(db: Db, teamId: string): Promise<Ownership[]> {
  const rows = await db
    .selectFrom('engagements')
    .select(['id', 'number', 'client_name', 'owner_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId)
    .where('status', '<>', 'closed')
    .where('owner_id', 'is not', null)
    .execute();
  return rows.map((r) => ({
    engagementId: r.id,
    ownerId: r.owner_id!,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    closed: false,
    label: `#${r.number} ${r.client_name}`,
  }));
}

/**
 * Open engagements' pending proposals with a candidate: tentative turns, which weigh
 * on the candidate's load, capacity and turns until a lead decides.
 */
export async function listTentativeOwnerships(db: Db, teamId: string): Promise<Ownership[]> {
  const rows = await db
    .selectFrom('proposals as p')
    .innerJoin('engagements as e', 'e.id', 'p.engagement_id')
    .select(['e.id', 'e.number', 'e.client_name', 'p.candidate_id', 'e.starts_on', 'e.ends_on'])
    .where('p.team_id', '=', teamId)
    .where('p.outcome', '=', 'pending')
    .where('p.candidate_id', 'is not', null)
    // A proposed stand-in covers a few days: no turn, so no tentative one either.
    .where('p.kind', '<>', 'stand-in')
    .where('e.status', '<>', 'closed')
    .execute();
  return rows.map((r) => ({
    engagementId: r.id,
    ownerId: r.candidate_id!,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    closed: false,
    tentative: true,
    label: `#${r.number} ${r.client_name}`,
  }));
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

/** The open milestones of many engagements in one query, by engagement, in due order. */
export async function listOpenMilestonesOf(
  db: Db,
  engagementIds: readonly string[],
): Promise<Map<string, MilestoneRow[]>> {
  const byEngagement = new Map<string, MilestoneRow[]>(engagementIds.map((id) => [id, []]));
  if (engagementIds.length === 0) return byEngagement;
  const rows = await db
    .selectFrom('milestones')
    .selectAll()
    .where('engagement_id', 'in', engagementIds)
    .where('status', '=', 'open')
    .orderBy('due_on')
    .orderBy('position')
    .execute();
  for (const row of rows) byEngagement.get(row.engagement_id)?.push(row);
  return byEngagement;
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
    // Weekly status updates are prompts, not steps: a missed one must not keep an engagement open.
    .where('kind', '=', 'milestone')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open engagements follow the team's rotation channel: their next proposals go there too. */
export async function setRotationChannelOfOpenEngagements(
  db: Db,
  teamId: string,
  rotationChannelId: string,
): Promise<void> {
  await db
    .updateTable('engagements')
    .set({ rotation_channel_id: rotationChannelId })
    .where('team_id', '=', teamId)
    .where('status', '<>', 'closed')
    .execute();
}

/** A shift or a re-dating moves a milestone; a snooze from before no longer applies to the new date. */
export async function moveMilestone(db: Db, milestoneId: string, dueOn: string): Promise<void> {
  await db
    .updateTable('milestones')
    .set({ due_on: dueOn, snoozed_until: null })
    .where('id', '=', milestoneId)
    .execute();
}

/** The end of the engagement's window (its workload window follows it). */
export async function setEngagementEnd(db: Db, engagementId: string, endsOn: string): Promise<void> {
  await db.updateTable('engagements').set({ ends_on: endsOn }).where('id', '=', engagementId).execute();
}

/** Where an engagement's messages go, as Slack has been asked: its channels and whether each was checked. */
export async function setEngagementChannels(
  db: Db,
  engagementId: string,
  channels: { channelId: string; clientChannelId: string | null; shared: boolean; checked: boolean },
): Promise<void> {
  await db
    .updateTable('engagements')
    .set({
      channel_id: channels.channelId,
      client_channel_id: channels.clientChannelId,
      channel_shared: channels.shared,
      channel_checked: channels.checked,
    })
    .where('id', '=', engagementId)
    .execute();
}

/** Open engagements whose channel Slack has not been asked about yet (created before it was asked). */
export async function listUncheckedChannels(db: Db, limit: number): Promise<EngagementRow[]> {
  return db
    .selectFrom('engagements')
    .selectAll()
    .where('channel_checked', '=', false)
    .where('status', '<>', 'closed')
    .orderBy('id')
    .limit(limit)
    .execute();
}
