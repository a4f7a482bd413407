import type { Db } from './connect.js';
import type { EventRow } from './schema.js';

export type EventKind =
  | 'team.member_added'
  | 'team.member_removed'
  | 'team.lead_added'
  | 'team.lead_removed'
  | 'team.settings_changed'
  | 'team.capacity_set'
  | 'away.recorded'
  | 'away.cleared'
  | 'interest.changed'
  | 'pause.set'
  | 'pause.ended'
  | 'engagement.created'
  | 'proposed'
  | 'approved'
  | 'passed'
  | 'declined'
  | 'overridden'
  | 'reassigned'
  | 'handover.dismissed'
  | 'stand-in.approved'
  | 'stand-in.dismissed'
  | 'stand-in.ended'
  | 'buddy.paired'
  | 'buddy.changed'
  | 'milestone.done'
  | 'milestone.snoozed'
  | 'milestone.shifted'
  | 'milestone.redated'
  | 'risk.flagged'
  | 'risk.added'
  | 'risk.resolved'
  | 'status.posted'
  | 'closed'
  | 'owner.nudged'
  | 'retrospective.written'
  | 'template.saved'
  | 'channel.found_shared'
  | 'channel.rotation_shared'
  | 'channel.named';

export interface NewEvent {
  teamId: string;
  engagementId?: string | null;
  kind: EventKind;
  /** null: Steward itself. */
  actorId: string | null;
  at: Date;
  reason?: string | null;
  data?: Record<string, unknown>;
}

/** The audit trail is append-only (a trigger refuses updates and deletes). Returns the event's id. */
export async function recordEvent(db: Db, event: NewEvent): Promise<string> {
  const row = await db
    .insertInto('events')
    .values({
      team_id: event.teamId,
      engagement_id: event.engagementId ?? null,
      kind: event.kind,
      actor_id: event.actorId,
      at: event.at,
      reason: event.reason ?? null,
      data: JSON.stringify(event.data ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** How many events of a kind an engagement has had. */
export async function countEvents(
  db: Db,
  teamId: string,
  engagementId: string,
  kind: EventKind,
): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', teamId)
    .where('engagement_id', '=', engagementId)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listEvents(db: Db, teamId: string, engagementId?: string): Promise<EventRow[]> {
  let query = db.selectFrom('events').selectAll().where('team_id', '=', teamId);
  if (engagementId !== undefined) query = query.where('engagement_id', '=', engagementId);
  return query.orderBy('id').execute();
}

/** One page of an engagement's events, oldest first, after event `afterId` (0: from the start). */
export async function listEngagementEventsPage(
  db: Db,
  teamId: string,
  engagementId: string,
  page: { afterId: string; limit: number },
): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('engagement_id', '=', engagementId)
    .where('id', '>', page.afterId)
    .orderBy('id')
    .limit(page.limit)
    .execute();
}

/** The team's latest events of these kinds, newest first. */
export async function latestTeamEvents(
  db: Db,
  teamId: string,
  kinds: readonly EventKind[],
  limit: number,
): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('kind', 'in', kinds)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Everyone who handed this engagement back (the `declined` events' actors). */
export async function listHandedBackBy(db: Db, teamId: string, engagementId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('actor_id')
    .where('team_id', '=', teamId)
    .where('engagement_id', '=', engagementId)
    .where('kind', '=', 'declined')
    .execute();
  return rows.flatMap((r) => (r.actor_id ? [r.actor_id] : []));
}

/** Who handed this engagement back last, if anyone did. */
export async function lastHandedBackBy(db: Db, engagementId: string): Promise<string | null> {
  const declined = await db
    .selectFrom('events')
    .select('actor_id')
    .where('engagement_id', '=', engagementId)
    .where('kind', '=', 'declined')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return declined?.actor_id ?? null;
}

/** When the engagement's current owner became its owner (approved, chosen by hand, or reassigned). */
export async function lastOwnerDecision(db: Db, engagementId: string): Promise<{ at: Date } | undefined> {
  return db
    .selectFrom('events')
    .select(['at'])
    .where('engagement_id', '=', engagementId)
    .where('kind', 'in', ['approved', 'overridden', 'reassigned'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
}
