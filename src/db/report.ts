// What the fairness and exposure report reads, one query each: the rows overlapping the period, and
// each member's turn counts summarised where the 100,000 rows are.
import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { OnTime, Span, TurnSpan, TurnSummary } from '../domain/report.js';

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** Ownership periods overlapping the period. */
export async function periodsOverlapping(db: Db, teamId: string, period: Period): Promise<TurnSpan[]> {
  const rows = await db
    .selectFrom('ownership_periods')
    .select(['owner_id', 'engagement_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId)
    .where('starts_on', '<=', period.to)
    .where('ends_on', '>=', period.from)
    .execute();
  return rows.map((r) => ({
    userId: r.owner_id,
    engagementId: r.engagement_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
  }));
}

/**
 * Each owner's turns started in the period and latest start up to its end: the domain's
 * `turnSummaryOf`, counted in SQL (a test holds the two together).
 */
export async function turnSummaries(
  db: Db,
  teamId: string,
  period: Period,
): Promise<Map<string, TurnSummary>> {
  const rows = await db
    .selectFrom('ownership_periods')
    .select((eb) => [
      'owner_id',
      eb.fn.countAll<string>().filterWhere('starts_on', '>=', period.from).as('turns'),
      eb.fn.max('starts_on').as('last_turn'),
    ])
    .where('team_id', '=', teamId)
    .where('starts_on', '<=', period.to)
    .groupBy('owner_id')
    .execute();
  return new Map(
    rows.map((r) => [r.owner_id, { turns: Number(r.turns), lastTurn: r.last_turn as string | null }]),
  );
}

export async function timeAwayOverlapping(db: Db, teamId: string, period: Period): Promise<Span[]> {
  const rows = await db
    .selectFrom('time_away')
    .select(['user_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId)
    .where('starts_on', '<=', period.to)
    .where('ends_on', '>=', period.from)
    .execute();
  return rows.map((r) => ({ userId: r.user_id, startsOn: r.starts_on, endsOn: r.ends_on }));
}

export async function standInsOverlapping(db: Db, teamId: string, period: Period): Promise<Span[]> {
  const rows = await db
    .selectFrom('stand_ins')
    .select(['stand_in_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId)
    .where('starts_on', '<=', period.to)
    .where('ends_on', '>=', period.from)
    .execute();
  return rows.map((r) => ({ userId: r.stand_in_id, startsOn: r.starts_on, endsOn: r.ends_on }));
}

/** Engagements overlapping the period, as their delivery leads' and buddies' spans. */
export async function rolesOverlapping(
  db: Db,
  teamId: string,
  period: Period,
): Promise<{ deliveryLeads: TurnSpan[]; buddies: TurnSpan[] }> {
  const rows = await db
    .selectFrom('engagements')
    .select(['id', 'delivery_lead_id', 'buddy_id', 'starts_on', 'ends_on'])
    .where('team_id', '=', teamId)
    .where('starts_on', '<=', period.to)
    .where('ends_on', '>=', period.from)
    .where((eb) => eb.or([eb('delivery_lead_id', 'is not', null), eb('buddy_id', 'is not', null)]))
    .execute();
  const span = (userId: string, r: (typeof rows)[number]): TurnSpan => ({
    userId,
    engagementId: r.id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
  });
  return {
    deliveryLeads: rows.flatMap((r) => (r.delivery_lead_id ? [span(r.delivery_lead_id, r)] : [])),
    buddies: rows.flatMap((r) => (r.buddy_id ? [span(r.buddy_id, r)] : [])),
  };
}

/**
 * Per owner (whoever owned the engagement on the due date), milestones due in the period that are
 * judged (due before today, or done) and those done on or before the due date, in the team's local
 * days: the domain's `onTimeOf`, counted where the rows are.
 */
export async function onTimeByOwner(
  db: Db,
  teamId: string,
  period: Period & { readonly today: string },
  timeZone: string,
): Promise<Map<string, OnTime>> {
  const doneOn = sql<string>`(m.done_at at time zone ${timeZone})::date`;
  const rows = await db
    .selectFrom('milestones as m')
    .innerJoin('ownership_periods as p', (join) =>
      join
        .onRef('p.engagement_id', '=', 'm.engagement_id')
        .onRef('p.starts_on', '<=', 'm.due_on')
        .onRef('p.ends_on', '>=', 'm.due_on'),
    )
    .select((eb) => [
      'p.owner_id',
      eb.fn
        .countAll<string>()
        .filterWhere((w) => w.or([w('m.due_on', '<', period.today), w('m.done_at', 'is not', null)]))
        .as('due'),
      eb.fn
        .countAll<string>()
        .filterWhere((w) => w.and([w('m.done_at', 'is not', null), w(doneOn, '<=', w.ref('m.due_on'))]))
        .as('done'),
    ])
    .where('m.team_id', '=', teamId)
    .where('m.due_on', '>=', period.from)
    .where('m.due_on', '<=', period.to)
    .groupBy('p.owner_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_id, { due: Number(r.due), done: Number(r.done) }]));
}
