import type { BusinessCalendar, LocalDate } from './calendar.js';
import { fail, ok, type Result } from './result.js';

/** A milestone of an engagement's plan as a shift or a re-dating sees it. */
export interface PlannedMilestone {
  readonly id: number;
  readonly title: string;
  readonly dueOn: LocalDate;
  readonly done: boolean;
}

export interface MilestoneMove {
  readonly id: number;
  readonly title: string;
  readonly from: LocalDate;
  readonly to: LocalDate;
}

export interface PlanShift {
  readonly moves: readonly MilestoneMove[];
  /** The engagement's new end: the latest due date once the moves are made. */
  readonly endsOn: LocalDate;
}

/** A client rarely slips more than a quarter; a larger number is more likely a typo. */
export const MAX_SHIFT_BUSINESS_DAYS = 60;

export type ShiftFailure =
  'not-a-number' | 'zero' | 'too-far' | 'unknown' | 'done' | 'past' | 'before-previous';

/**
 * Shift the remaining (not done) milestones from `fromId` on by `days` business days.
 * `milestones` is the whole plan in its order (due date, then position); done ones never move.
 * Refused: a non-integer, 0, more than the maximum, a done or unknown milestone, or a shift that
 * would put the chosen milestone before `today` or before the milestone ahead of it.
 */
export function shiftPlan(
  milestones: readonly PlannedMilestone[],
  fromId: number,
  days: number,
  today: LocalDate,
  calendar: BusinessCalendar,
): Result<PlanShift, ShiftFailure> {
  if (!Number.isInteger(days))
    return fail('not-a-number', 'Give a whole number of business days, like 3 or -2.', 'days');
  if (days === 0)
    return fail('zero', 'A shift of 0 business days changes nothing: give a number like 3 or -2.', 'days');
  if (Math.abs(days) > MAX_SHIFT_BUSINESS_DAYS) {
    return fail('too-far', `Shift by at most ${MAX_SHIFT_BUSINESS_DAYS} business days either way.`, 'days');
  }
  const index = milestones.findIndex((m) => m.id === fromId);
  const chosen = milestones[index];
  if (chosen === undefined)
    return fail('unknown', 'That milestone is not in this plan any more.', 'milestone');
  if (chosen.done)
    return fail('done', `${chosen.title} is already done: choose one still to do.`, 'milestone');
  const newDue = calendar.addBusinessDays(chosen.dueOn, days);
  if (newDue < today) {
    return fail('past', `That would put ${chosen.title} on ${newDue}, before today.`, 'days');
  }
  const previous = milestones[index - 1];
  if (previous !== undefined && newDue < previous.dueOn) {
    return fail(
      'before-previous',
      `That would put ${chosen.title} on ${newDue}, before ${previous.title} (${previous.dueOn}).`,
      'days',
    );
  }
  const moves = milestones
    .slice(index)
    .filter((m) => !m.done)
    .map((m) => ({ id: m.id, title: m.title, from: m.dueOn, to: calendar.addBusinessDays(m.dueOn, days) }));
  return ok({ moves, endsOn: latestDue(milestones, moves) });
}

/**
 * Milestones still to do that fall on a non-business day (after the team's holidays or time zone
 * changed), each moved to the next business day. Done milestones stay where they were.
 */
export function redateOffBusinessDays(
  milestones: readonly PlannedMilestone[],
  calendar: BusinessCalendar,
): PlanShift {
  const moves = milestones
    .filter((m) => !m.done && !calendar.isBusinessDay(m.dueOn))
    .map((m) => ({ id: m.id, title: m.title, from: m.dueOn, to: calendar.onOrNextBusinessDay(m.dueOn) }));
  return { moves, endsOn: latestDue(milestones, moves) };
}

function latestDue(milestones: readonly PlannedMilestone[], moves: readonly MilestoneMove[]): LocalDate {
  const moved = new Map(moves.map((m) => [m.id, m.to]));
  return milestones.map((m) => moved.get(m.id) ?? m.dueOn).reduce((a, b) => (b > a ? b : a), '');
}
