// What people want from the rotation (turns follow the team members' capabilities and interest,
// not only the calendar): more or fewer turns, or a pause. Yourself, or a lead for anyone. Each change is recorded.
import { recordEvent } from '../db/events.js';
import { findMember, listMembers, updateWishes } from '../db/members.js';
import type { Interest } from '../domain/rotation.js';
import { isValidLocalDate, type LocalDate } from '../domain/calendar.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, mention, requireTeam, type Actor, type FlowDeps } from './context.js';

export type InterestFailure = 'unknown-team' | 'not-on-team' | 'not-a-lead' | 'bad-date' | 'in-the-past';

export interface InterestChange {
  readonly userId: string;
  readonly interest: Interest;
  readonly previous: Interest;
}

/** `/engagement prefer more|fewer|normal [@person]`. */
export async function setInterest(
  deps: FlowDeps,
  actor: Actor,
  input: { userId: string; interest: Interest },
): Promise<Result<InterestChange, InterestFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return fail('unknown-team', team.message);
    const subject = await mayActFor(trx, actor, input.userId, 'say what someone else wants');
    if (!subject.ok) return subject;
    const previous = subject.value.interest;
    if (previous !== input.interest) {
      await updateWishes(trx, actor.teamId, input.userId, { interest: input.interest });
      await recordEvent(trx, {
        teamId: actor.teamId,
        kind: 'interest.changed',
        actorId: actor.userId,
        at: deps.now(),
        data: { userId: input.userId, interest: input.interest, previous },
      });
    }
    return ok({ userId: input.userId, interest: input.interest, previous });
  });
}

export interface PauseChange {
  readonly userId: string;
  /** null: the pause ended. */
  readonly pausedUntil: LocalDate | null;
  readonly previous: LocalDate | null;
}

/** `/engagement pause [@person] until YYYY-MM-DD` (through that day), or `pause [@person] off`. */
export async function setPause(
  deps: FlowDeps,
  actor: Actor,
  input: { userId: string; until: LocalDate | null },
): Promise<Result<PauseChange, InterestFailure>> {
  if (input.until !== null && !isValidLocalDate(input.until)) {
    return fail('bad-date', 'Give the last day of the pause as a real date, YYYY-MM-DD.');
  }
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return fail('unknown-team', team.message);
    const subject = await mayActFor(trx, actor, input.userId, "pause someone else's turns");
    if (!subject.ok) return subject;
    const today = calendarOf(team.value).localDate(deps.now());
    if (input.until !== null && input.until < today) {
      return fail(
        'in-the-past',
        `${input.until} has passed: give the last day of the pause, today or later.`,
      );
    }
    // A pause that is over is no pause: ending one that already ran out changes nothing.
    const previous =
      subject.value.paused_until !== null && subject.value.paused_until >= today
        ? subject.value.paused_until
        : null;
    if (previous !== input.until) {
      await updateWishes(trx, actor.teamId, input.userId, { paused_until: input.until });
      await recordEvent(trx, {
        teamId: actor.teamId,
        kind: input.until === null ? 'pause.ended' : 'pause.set',
        actorId: actor.userId,
        at: deps.now(),
        data: { userId: input.userId, pausedUntil: input.until, previous },
      });
    }
    return ok({ userId: input.userId, pausedUntil: input.until, previous });
  });
}

export interface Wish {
  readonly userId: string;
  readonly name: string;
  readonly interest: Interest;
  readonly pausedUntil: LocalDate | null;
}

/** For leads: who asked for more, fewer or a pause (a pause that is over no longer counts). */
export async function wishesOf(deps: FlowDeps, actor: Actor): Promise<Result<Wish[], InterestFailure>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return fail('unknown-team', team.message);
  const lead = await findMember(deps.db, actor.teamId, actor.userId);
  if (!lead?.is_lead) return fail('not-a-lead', 'Only a lead sees who asked for what.');
  const today = calendarOf(team.value).localDate(deps.now());
  const members = await listMembers(deps.db, actor.teamId);
  return ok(
    members
      .filter((m) => m.in_rotation)
      .map((m) => ({
        userId: m.user_id,
        name: m.name,
        interest: m.interest,
        pausedUntil: m.paused_until !== null && m.paused_until >= today ? m.paused_until : null,
      }))
      .filter((w) => w.interest !== 'normal' || w.pausedUntil !== null),
  );
}

async function mayActFor(trx: FlowDeps['db'], actor: Actor, userId: string, doing: string) {
  const subject = await findMember(trx, actor.teamId, userId);
  if (!subject) return fail('not-on-team', `${mention(userId)} is not on the team.`);
  if (userId === actor.userId) return ok(subject);
  const self = await findMember(trx, actor.teamId, actor.userId);
  return self?.is_lead ? ok(subject) : fail('not-a-lead', `Only a lead can ${doing}.`);
}
