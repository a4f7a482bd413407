// Where each team is in its working day, for the scheduled jobs and the sandbox's clock: they ask
// here rather than read the teams table themselves.
import type { Db } from '../db/connect.js';
import { findTeam, listTeams } from '../db/teams.js';
import { BusinessCalendar, type LocalDate } from '../domain/calendar.js';
import { reminderMoment } from './plan-reminders.js';

/** One team at one instant: its local day, and whether its working day has begun. */
export type TeamDay =
  | { readonly teamId: string; readonly day: LocalDate; readonly due: boolean }
  /** Settings the calendar refuses (a zone or region it does not know): this team only is skipped. */
  | { readonly teamId: string; readonly day: null; readonly error: unknown };

/** Every team's day at `at`: due when it is a business day and the team's reminder time has passed. */
export async function teamDays(db: Db, at: Date): Promise<TeamDay[]> {
  return (await listTeams(db)).map((team) => {
    try {
      const { day, businessDay, moment } = reminderMoment(team, at);
      return { teamId: team.id, day, due: businessDay && at >= moment };
    } catch (error) {
      return { teamId: team.id, day: null, error };
    }
  });
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
