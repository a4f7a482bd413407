// What the fairness and exposure report reads, one query each: the rows overlapping the period, and
// counts summarised where the rows are. Each reads only what overlaps the period (plus one index
// probe a member for their last turn): a report on a long history costs what its year holds.
import { sql } from 'kysely';
import type { Db } from './connect.js';
import type { OnTime, RoleCounts, Span, TurnSpan, TurnSummary } from '../domain/report.js';

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
 * Each member's turns started in the period and latest start up to its end: the domain's
 * `turnSummaryOf`, counted in SQL (a test holds the two together). Member by member on the
 * (team, owner, start) index, so the years before the period are never read: grouping all of a
 * team's periods instead costs as much as its whole history, every time.
 */
export async function turnSummaries(
  db: Db,
  teamId: string,
  period: Period,
): Promise<Map<string, TurnSummary>> {
  const rows = await db
    .selectFrom('members as m')
    .select((eb) => [
      'm.user_id',
      eb
        .selectFrom('ownership_periods as p')
        .select((sub) => sub.fn.countAll<string>().as('turns'))
        .whereRef('p.team_id', '=', 'm.team_id')
        .whereRef('p.owner_id', '=', 'm.user_id')
        .where('p.starts_on', '>=', period.from)
        .where('p.starts_on', '<=', period.to)
        .as('turns'),
      eb
        .selectFrom('ownership_periods as p')
        .select((sub) => sub.fn.max('p.starts_on').as('last_turn'))
        .whereRef('p.team_id', '=', 'm.team_id')
        .whereRef('p.owner_id', '=', 'm.user_id')
        .where('p.starts_on', '<=', period.to)
        .as('last_turn'),
    ])
    .where('m.team_id', '=', teamId)
    .execute();
  return new Map(
    rows.flatMap((r) =>
      r.last_turn === null
        ? []
        : [[r.user_id, { turns: Number(r.turns), lastTurn: r.last_turn as string }] as const],
    ),
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

/**
 * Per member, engagements overlapping the period they delivered and buddy turns starting in it: the
 * domain's `roleCountsOf`, counted in SQL (a test holds the two together), so a year's engagements
 * are not shipped to be counted.
 */
export async function roleCounts(db: Db, teamId: string, period: Period): Promise<Map<string, RoleCounts>> {
  const overlapping = db
    .selectFrom('engagements')
    .where('team_id', '=', teamId)
    .where('starts_on', '<=', period.to)
    .where('ends_on', '>=', period.from);
  const rows = await overlapping
    .select((eb) => [
      eb.ref('delivery_lead_id').$notNull().as('user_id'),
      eb.fn.countAll<string>().as('delivered'),
      sql<string>`0`.as('buddied'),
    ])
    .where('delivery_lead_id', 'is not', null)
    .groupBy('delivery_lead_id')
    .unionAll(
      overlapping
        .select((eb) => [
          eb.ref('buddy_id').$notNull().as('user_id'),
          sql<string>`0`.as('delivered'),
          eb.fn.countAll<string>().as('buddied'),
        ])
        .where('buddy_id', 'is not', null)
        .where('starts_on', '>=', period.from)
        .groupBy('buddy_id'),
    )
    .execute();
  const counts = new Map<string, { buddyTurns: number; deliveryLeadEngagements: number }>();
  for (const r of rows) {
    let member = counts.get(r.user_id);
    if (!member) counts.set(r.user_id, (member = { buddyTurns: 0, deliveryLeadEngagements: 0 }));
    member.buddyTurns += Number(r.buddied);
    member.deliveryLeadEngagements += Number(r.delivered);
  }
  return counts;
}

/**
 * Per owner (whoever owned the engagement on the due date), milestones due in the period that are
 * judged (due before today, or done) and those done on or before the due date, in the team's local
 * days: the domain's `onTimeOf`, counted where the rows are (a test holds the two together).
 */
export async function onTimeByOwner(
  db: Db,
  teamId: string,
  period: Period & { readonly today: string },
  timeZone: string,
): Promise<Map<string, OnTime>> {
  const doneOn = sql<string>`(m.done_at at time zone ${timeZone})::date`;
  // Joined on the engagement alone, with "owned on the due date" tested in the counts: as a join
  // condition, Postgres guesses it keeps a ninth of the rows, then sorts (and spills) a year's
  // milestones to group them, where hashing into one counter per owner is linear.
  const rows = await db
    .selectFrom('milestones as m')
    .innerJoin('ownership_periods as p', 'p.engagement_id', 'm.engagement_id')
    .select((eb) => {
      const owned = (w: typeof eb) =>
        w.and([w('p.starts_on', '<=', w.ref('m.due_on')), w('p.ends_on', '>=', w.ref('m.due_on'))]);
      return [
        'p.owner_id',
        eb.fn
          .countAll<string>()
          .filterWhere((w) =>
            w.and([owned(w), w.or([w('m.due_on', '<', period.today), w('m.done_at', 'is not', null)])]),
          )
          .as('due'),
        eb.fn
          .countAll<string>()
          .filterWhere((w) =>
            w.and([owned(w), w('m.done_at', 'is not', null), w(doneOn, '<=', w.ref('m.due_on'))]),
          )
          .as('done'),
      ];
    })
    .where('m.team_id', '=', teamId)
    .where('m.due_on', '>=', period.from)
    .where('m.due_on', '<=', period.to)
    // Only periods overlapping the report's (a period holding a due date in it does): without these
    // the join hashes every ownership period the team ever had.
    .where('p.team_id', '=', teamId)
    .where('p.starts_on', '<=', period.to)
    .where('p.ends_on', '>=', period.from)
    .groupBy('p.owner_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_id, { due: Number(r.due), done: Number(r.done) }]));
}
