import { recordEvent } from '../db/events.js';
import { deleteTimeAwayFrom, endTimeAwayBefore, findMember, insertTimeAway } from '../db/members.js';
import type { TimeAwayRow } from '../db/schema.js';
import { addDays, isValidLocalDate } from '../domain/calendar.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, mention, requireTeam, type Actor, type FlowDeps } from './context.js';

type MayActFailure = 'not-on-team' | 'not-a-lead';
export type RecordTimeAwayFailure =
  'bad-date' | 'dates-out-of-order' | 'unknown-team' | 'in-the-past' | MayActFailure;
export type ClearTimeAwayFailure = 'unknown-team' | MayActFailure;

/**
 * `/engagement away @user FROM TO`: a person declares their own time away; a lead may declare anyone's.
 * Dates are inclusive local dates in the team's time zone.
 */
export async function recordTimeAway(
  deps: FlowDeps,
  actor: Actor,
  input: { userId: string; startsOn: string; endsOn: string },
): Promise<Result<TimeAwayRow, RecordTimeAwayFailure>> {
  if (!isValidLocalDate(input.startsOn) || !isValidLocalDate(input.endsOn)) {
    return fail('bad-date', 'Dates must be real dates written YYYY-MM-DD, e.g. 2026-12-21.');
  }
  if (input.endsOn < input.startsOn) {
    return fail(
      'dates-out-of-order',
      `The time away ends (${input.endsOn}) before it starts (${input.startsOn}).`,
    );
  }
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const allowed = await mayActFor(trx, actor, input.userId);
    if (!allowed.ok) return allowed;
    const today = calendarOf(team.value).localDate(deps.now());
    if (input.endsOn < today)
      return fail('in-the-past', `That time away (ending ${input.endsOn}) is already over.`);
    const away = await insertTimeAway(trx, { teamId: actor.teamId, createdBy: actor.userId, ...input });
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'away.recorded',
      actorId: actor.userId,
      at: deps.now(),
      data: { userId: input.userId, startsOn: input.startsOn, endsOn: input.endsOn },
    });
    return ok(away);
  });
}

/** What `back` changed: time away still to come, cancelled; time away under way, ended yesterday. */
export interface TimeAwayCleared {
  readonly cancelled: readonly { readonly startsOn: string; readonly endsOn: string }[];
  readonly endedEarly: readonly {
    readonly startsOn: string;
    readonly endsOn: string;
    readonly nowEndsOn: string;
  }[];
}

/**
 * `/engagement back @user`: cancels time away from today on (days already away stay on record).
 * With nothing to cancel nothing changes, and nothing is recorded.
 */
export async function clearTimeAway(
  deps: FlowDeps,
  actor: Actor,
  userId: string,
): Promise<Result<TimeAwayCleared, ClearTimeAwayFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const allowed = await mayActFor(trx, actor, userId);
    if (!allowed.ok) return allowed;
    const today = calendarOf(team.value).localDate(deps.now());
    // Ends what is under way first, so that what is left from today on is what had not started.
    const ongoing = await endTimeAwayBefore(trx, actor.teamId, userId, today);
    const upcoming = await deleteTimeAwayFrom(trx, actor.teamId, userId, today);
    const cleared: TimeAwayCleared = {
      cancelled: upcoming.map((a) => ({ startsOn: a.starts_on, endsOn: a.ends_on })),
      endedEarly: ongoing.map((a) => ({
        startsOn: a.starts_on,
        endsOn: a.ends_on,
        nowEndsOn: addDays(today, -1),
      })),
    };
    if (upcoming.length + ongoing.length === 0) return ok(cleared);
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'away.cleared',
      actorId: actor.userId,
      at: deps.now(),
      data: { userId, cancelled: cleared.cancelled, endedEarly: cleared.endedEarly },
    });
    return ok(cleared);
  });
}

async function mayActFor(
  trx: FlowDeps['db'],
  actor: Actor,
  userId: string,
): Promise<Result<true, MayActFailure>> {
  const subject = await findMember(trx, actor.teamId, userId);
  if (!subject) return fail('not-on-team', `${mention(userId)} is not on the team.`);
  if (userId === actor.userId) return ok(true);
  const self = await findMember(trx, actor.teamId, actor.userId);
  return self?.is_lead ? ok(true) : fail('not-a-lead', "Only a lead can record someone else's time away.");
}
