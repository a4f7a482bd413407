// The sandbox's clock: real time shifted by an offset that only a person on the page moves, so
// that a four-week engagement can be watched in a few clicks while time still flows between them.
import type { Db } from '../db/connect.js';
import { findTeam } from '../db/teams.js';
import { BusinessCalendar } from '../domain/calendar.js';

export class SandboxClock {
  private offsetMs: number;

  constructor(startAt: Date = new Date()) {
    this.offsetMs = startAt.getTime() - Date.now();
  }

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  /**
   * Moves the clock to `at`, from where it runs on. Only forward: message timestamps, the jobs'
   * once-per-local-day keys and Slack's grant expiries all assume time never goes back.
   */
  advanceTo(at: Date): void {
    if (at.getTime() < this.now().getTime()) throw new Error('the sandbox clock only moves forward');
    this.offsetMs = at.getTime() - Date.now();
  }
}

/** The team's calendar and reminder time, or the configured defaults before the team exists. */
export interface ReminderSchedule {
  readonly timeZone: string;
  readonly reminderTime: string;
  readonly calendar: BusinessCalendar;
}

export async function reminderSchedule(
  db: Db,
  teamId: string,
  defaults: { timeZone: string; reminderTime: string },
): Promise<ReminderSchedule> {
  const team = await findTeam(db, teamId);
  const timeZone = team?.time_zone ?? defaults.timeZone;
  return {
    timeZone,
    reminderTime: team?.reminder_time ?? defaults.reminderTime,
    calendar: new BusinessCalendar({
      timeZone,
      holidayRegion: team?.holiday_region ?? null,
      extraHolidays: team?.extra_holidays ?? [],
    }),
  };
}

/**
 * The reminder moment of the business day after the team's local today. Always strictly after
 * `now`, so each click moves exactly one business day (today's reminder time is skipped even
 * when still ahead: "next business day" is what the button promises).
 */
export function nextReminderMoment(schedule: ReminderSchedule, now: Date): Date {
  const { calendar, reminderTime } = schedule;
  return calendar.instantAt(calendar.nextBusinessDay(calendar.localDate(now)), reminderTime);
}
