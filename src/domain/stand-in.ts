import type { BusinessCalendar, LocalDate } from './calendar.js';

/** What an owner's time away over a due date calls for. */
export type AbsenceResponse =
  { kind: 'stand-in'; coveredDays: LocalDate[] } | { kind: 'handover' } | { kind: 'none' };

/** A short absence is at most this many business days… */
export const MAX_STAND_IN_BUSINESS_DAYS = 5;
/** …and at most this share of the engagement's remaining business days. */
export const MAX_STAND_IN_SHARE = 0.25;

export interface Absence {
  from: LocalDate;
  to: LocalDate;
}

/**
 * Decides whether an owner's absence needs nothing (no due date falls in it), a stand-in for the
 * days away (short: a new owner for a few days would only add churn), or a full handover.
 * `today` bounds the remaining days: days already past are neither covered nor counted.
 */
export function absenceResponse(
  calendar: BusinessCalendar,
  absence: Absence,
  engagement: { end: LocalDate; dueDates: LocalDate[] },
  today: LocalDate,
): AbsenceResponse {
  const from = absence.from > today ? absence.from : today;
  const to = absence.to < engagement.end ? absence.to : engagement.end;
  const coversDueDate = engagement.dueDates.some((due) => due >= from && due <= to);
  if (to < from || !coversDueDate) return { kind: 'none' };
  const coveredDays = calendar.businessDaysIn(from, to);
  const remaining = calendar.businessDaysBetween(today, engagement.end);
  const short =
    coveredDays.length <= MAX_STAND_IN_BUSINESS_DAYS && coveredDays.length <= MAX_STAND_IN_SHARE * remaining;
  return short ? { kind: 'stand-in', coveredDays } : { kind: 'handover' };
}

/** Whoever acts for the engagement on `day`: the stand-in on a covered day, else the owner. */
export function actingPerson(
  ownerId: string,
  standIns: { standInId: string; from: LocalDate; to: LocalDate }[],
  day: LocalDate,
): string {
  const cover = standIns.find((s) => s.from <= day && day <= s.to);
  return cover ? cover.standInId : ownerId;
}
