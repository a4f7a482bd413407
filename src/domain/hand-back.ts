// An owner may hand an engagement back within a business day of taking it: until the end of the
// business day after the one they were approved on, in the team's time zone.
import { addDays, type BusinessCalendar, type LocalDate } from './calendar.js';

export interface HandBackWindow {
  /** The last local day a hand-back is possible. */
  readonly lastDay: LocalDate;
  /** The instant it closes: the start of the next local day (midnight in the team's zone, DST-safe). */
  readonly closesAt: Date;
}

export function handBackWindow(calendar: BusinessCalendar, approvedAt: Date): HandBackWindow {
  const lastDay = calendar.nextBusinessDay(calendar.localDate(approvedAt));
  return { lastDay, closesAt: calendar.instantAt(addDays(lastDay, 1), '00:00') };
}
