// The sandbox's clock: real time shifted by an offset that only a person on the page moves, so
// that a four-week engagement can be watched in a few clicks while time still flows between them.
import type { ReminderSchedule } from '../flows/team-days.js';

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

/**
 * The reminder moment of the business day after the team's local today. Always strictly after
 * `now`, so each click moves exactly one business day (today's reminder time is skipped even
 * when still ahead: "next business day" is what the button promises).
 */
export function nextReminderMoment(schedule: ReminderSchedule, now: Date): Date {
  const { calendar, reminderTime } = schedule;
  return calendar.instantAt(calendar.nextBusinessDay(calendar.localDate(now)), reminderTime);
}
