import type { Db } from '../db/connect.js';
import { findMember } from '../db/members.js';
import { findEngagementByNumber, lockEngagement } from '../db/engagements.js';
import { standsInOn } from '../db/stand-ins.js';
import type { EngagementRow, MemberRow, TeamRow } from '../db/schema.js';
import type { TeamCache } from '../db/team-cache.js';
import { findTeam, type NewEngagementContext } from '../db/teams.js';
import { BusinessCalendar } from '../domain/calendar.js';
import { fail, type Result } from '../domain/result.js';

/** The database handle flows take: the Slack layer and the jobs pass it through, never query it. */
export type { Db };

export interface FlowDeps {
  readonly db: Db;
  /** The clock: flows read time here only, so tests and `--at` can set it. */
  readonly now: () => Date;
  /**
   * What opening the new-engagement form reads, kept between requests while Postgres can say when
   * a team changes (the composition root listens); absent, every form reads the database.
   */
  readonly formFacts?: TeamCache<NewEngagementContext>;
}

/** Who is acting: a Slack user in a Slack team (workspace). Steward itself acts only in jobs, which record `null` as the actor. */
export interface Actor {
  readonly teamId: string;
  readonly userId: string;
}

/** Thrown inside a transaction to roll it back and return the failure as a value. */
class Rollback extends Error {
  constructor(readonly failure: Exclude<Result<unknown>, { ok: true }>) {
    super(failure.message);
  }
}

/**
 * One transaction per flow. Returning a failure rolls back whatever the flow wrote before it
 * noticed, so a refused request changes nothing. The result's type is the work's own: its codes
 * are inferred from the failures it returns.
 */
export async function inTransaction<R extends Result<unknown, string>>(
  db: Db,
  work: (trx: Db) => Promise<R>,
): Promise<R> {
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await work(trx);
      const outcome: Result<unknown> = result;
      if (!outcome.ok) throw new Rollback(outcome);
      return result;
    });
  } catch (error) {
    // The failure is the work's own (a nested call catches its own Rollback), so it is one of R.
    if (error instanceof Rollback) return error.failure as R;
    throw error;
  }
}

// Calendars are immutable and cheap to keep, but checking a zone and a region is not cheap to
// repeat on every request: keep the most recently used per team settings.
const calendars = new Map<string, BusinessCalendar>();
const CALENDARS_KEPT = 200;

export function calendarOf(
  team: Pick<TeamRow, 'time_zone' | 'holiday_region' | 'extra_holidays'>,
): BusinessCalendar {
  const key = `${team.time_zone}|${team.holiday_region ?? ''}|${team.extra_holidays.join(',')}`;
  let calendar = calendars.get(key);
  if (calendar) {
    calendars.delete(key); // re-inserted below: Map order is the recency order
  } else {
    calendar = new BusinessCalendar({
      timeZone: team.time_zone,
      holidayRegion: team.holiday_region,
      extraHolidays: team.extra_holidays,
    });
  }
  calendars.set(key, calendar);
  if (calendars.size > CALENDARS_KEPT) calendars.delete(calendars.keys().next().value!);
  return calendar;
}

export async function requireTeam(db: Db, teamId: string): Promise<Result<TeamRow, 'unknown-team'>> {
  const team = await findTeam(db, teamId);
  return team
    ? { ok: true, value: team }
    : fail(
        'unknown-team',
        'Steward is not set up for this workspace yet: a lead can start with `/engagement team add @someone`.',
      );
}

export async function requireLead(
  db: Db,
  actor: Actor,
  doing: string,
): Promise<Result<MemberRow, 'not-a-lead'>> {
  const member = await findMember(db, actor.teamId, actor.userId);
  if (member?.is_lead) return { ok: true, value: member };
  return fail('not-a-lead', `Only a lead can ${doing}.`);
}

export const mention = (userId: string): string => `<@${userId}>`;

/** How a request names an engagement: a button carries its id, a command its number (`#3`). */
export type EngagementKey = { readonly engagementId: string } | { readonly number: number };

/** The engagement a request names, locked for the flow's transaction. */
export async function lockNamedEngagement(
  trx: Db,
  teamId: string,
  key: EngagementKey,
): Promise<Result<EngagementRow, 'unknown-engagement'>> {
  const id =
    'engagementId' in key ? key.engagementId : (await findEngagementByNumber(trx, teamId, key.number))?.id;
  const engagement = id === undefined ? undefined : await lockEngagement(trx, teamId, id);
  if (engagement) return { ok: true, value: engagement };
  return fail(
    'unknown-engagement',
    'number' in key ? `There is no engagement #${key.number}.` : 'There is no such engagement.',
  );
}

/**
 * The engagement's owner or any lead: who may mark milestones, snooze and keep the risk register.
 * Given the local day (`on`), also whoever stands in for the owner that day: the reminders are theirs.
 */
export async function requireOwnerOrLead(
  db: Db,
  actor: Actor,
  engagement: { id?: string; owner_id: string | null },
  doing: string,
  on?: string,
): Promise<Result<true, 'not-owner-or-lead'>> {
  if (engagement.owner_id === actor.userId) return { ok: true, value: true };
  const member = await findMember(db, actor.teamId, actor.userId);
  if (member?.is_lead) return { ok: true, value: true };
  if (on && engagement.id && (await standsInOn(db, engagement.id, actor.userId, on)))
    return { ok: true, value: true };
  return fail('not-owner-or-lead', `Only the engagement's owner or a lead can ${doing}.`);
}
