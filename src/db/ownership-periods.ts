// Turns as the database keeps them: ownership periods (who owned which engagement from which day to
// which day). Members' lifetime counts (`turns_count`) follow by trigger.
import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { MemberRow, OwnershipPeriodRow } from './schema.js';
import type { OwnershipHistory, OwnershipPeriod } from '../domain/rotation.js';

/** Approval or takeover: the owner's turn starts (dates inclusive). */
export async function startPeriod(
  db: Db,
  period: { teamId: string; engagementId: string; ownerId: string; startsOn: string; endsOn: string },
): Promise<OwnershipPeriodRow> {
  return db
    .insertInto('ownership_periods')
    .values({
      team_id: period.teamId,
      engagement_id: period.engagementId,
      owner_id: period.ownerId,
      starts_on: period.startsOn,
      // A takeover on the last day still gives the new owner that day.
      ends_on: period.endsOn < period.startsOn ? period.startsOn : period.endsOn,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Ends the engagement's periods still running on `lastDay` (a takeover the next day, or a close).
 * A period that had not started by then never was a turn: it goes.
 */
export async function endPeriods(db: Db, engagementId: string, lastDay: string): Promise<void> {
  await db
    .deleteFrom('ownership_periods')
    .where('engagement_id', '=', engagementId)
    .where('starts_on', '>', lastDay)
    .execute();
  await db
    .updateTable('ownership_periods')
    .set({ ends_on: lastDay })
    .where('engagement_id', '=', engagementId)
    .where('ends_on', '>', lastDay)
    .execute();
}

/** A hand-back within the first business day leaves no turn. */
export async function dropLatestPeriod(db: Db, engagementId: string, ownerId: string): Promise<void> {
  await db
    .deleteFrom('ownership_periods')
    .where(
      'id',
      '=',
      db
        .selectFrom('ownership_periods')
        .select('id')
        .where('engagement_id', '=', engagementId)
        .where('owner_id', '=', ownerId)
        .orderBy('starts_on', 'desc')
        .orderBy('id', 'desc')
        .limit(1),
    )
    .execute();
}

/** The team's periods overlapping [from, to] (both optional), oldest first: reports and history. */
export async function listPeriods(
  db: Db,
  teamId: string,
  range: { from?: string; to?: string; engagementId?: string } = {},
): Promise<OwnershipPeriod[]> {
  let query = db
    .selectFrom('ownership_periods')
    .select(['engagement_id', 'owner_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId);
  if (range.from !== undefined) query = query.where('ends_on', '>=', range.from);
  if (range.to !== undefined) query = query.where('starts_on', '<=', range.to);
  if (range.engagementId !== undefined) query = query.where('engagement_id', '=', range.engagementId);
  const rows = await query.orderBy('starts_on').orderBy('id').execute();
  return rows.map((r) => ({
    engagementId: r.engagement_id,
    ownerId: r.owner_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
  }));
}

/** When the person's next turn as owner starts, after `after` (an approved one, not begun yet). */
export async function nextTurnStart(
  db: Db,
  teamId: string,
  ownerId: string,
  after: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('ownership_periods')
    .select((eb) => eb.fn.min('starts_on').as('starts_on'))
    .where('team_id', '=', teamId)
    .where('owner_id', '=', ownerId)
    .where('starts_on', '>', after)
    .executeTakeFirst();
  return (row?.starts_on as string | null | undefined) ?? null;
}

/**
 * Each member's turns for a window, counted where the rows are: the same definition as the
 * domain's `historyOf` (a test holds them together), without shipping a team's whole history.
 * `recentFrom` is the window's start minus RECENT_DAYS. Lifetime totals come from the members'
 * trigger-kept `turns_count`.
 */
export async function ownershipHistory(
  db: Db,
  teamId: string,
  members: readonly Pick<MemberRow, 'user_id' | 'turns_count'>[],
  window: { startsOn: string; recentFrom: string; engagementId?: string | undefined },
): Promise<Map<string, OwnershipHistory>> {
  const other = window.engagementId ?? '0';
  const recent = await db
    .selectFrom('ownership_periods')
    .select((eb) => [
      'owner_id',
      eb.fn.countAll<string>().filterWhere('starts_on', '<', window.startsOn).as('recent_past'),
      eb.fn.countAll<string>().filterWhere('starts_on', '>=', window.startsOn).as('upcoming'),
      eb.fn.max('starts_on').filterWhere('starts_on', '<', window.startsOn).as('last_owned_on'),
    ])
    .where('team_id', '=', teamId)
    .where('starts_on', '>=', window.recentFrom)
    .where('engagement_id', '<>', other)
    .groupBy('owner_id')
    .execute();
  const byOwner = new Map(recent.map((r) => [r.owner_id, r]));
  // Whoever has nothing recent may still have had a turn long ago: "last turn" looks back forever.
  const quiet = members
    .filter((m) => m.turns_count > 0 && !byOwner.get(m.user_id)?.last_owned_on)
    .map((m) => m.user_id);
  const older =
    quiet.length === 0
      ? []
      : await db
          .selectFrom('ownership_periods')
          .select(['owner_id', (eb) => eb.fn.max('starts_on').as('last_owned_on')])
          .where('team_id', '=', teamId)
          .where('owner_id', 'in', quiet)
          .where('starts_on', '<', window.recentFrom)
          .where('engagement_id', '<>', other)
          .groupBy('owner_id')
          .execute();
  const lastBefore = new Map(older.map((r) => [r.owner_id, String(r.last_owned_on)]));
  // This engagement's own turns count neither for nor against anyone.
  const onThis =
    window.engagementId === undefined
      ? []
      : await db
          .selectFrom('ownership_periods')
          .select(['owner_id', sql<string>`count(*)`.as('n')])
          .where('engagement_id', '=', window.engagementId)
          .groupBy('owner_id')
          .execute();
  const ownTurns = new Map(onThis.map((r) => [r.owner_id, Number(r.n)]));
  return new Map(
    members.map((m) => {
      const r = byOwner.get(m.user_id);
      return [
        m.user_id,
        {
          lifetime: m.turns_count - (ownTurns.get(m.user_id) ?? 0),
          recentPast: Number(r?.recent_past ?? 0),
          upcoming: Number(r?.upcoming ?? 0),
          lastOwnedOn: r?.last_owned_on ? String(r.last_owned_on) : (lastBefore.get(m.user_id) ?? null),
        },
      ];
    }),
  );
}
