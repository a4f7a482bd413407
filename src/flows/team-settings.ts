import { findOpenEngagementInChannel, setRotationChannelOfOpenEngagements } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import type { TeamRow } from '../db/schema.js';
import { findTeam, updateTeam, type TeamSettingsUpdate } from '../db/teams.js';
import {
  isValidHolidayRegion,
  isValidLocalDate,
  isValidTimeOfDay,
  isValidTimeZone,
} from '../domain/calendar.js';
import { isSharedOutside, type ChannelFacts } from '../domain/channels.js';
import { fail, ok, type Result } from '../domain/result.js';
import { inTransaction, requireLead, requireTeam, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { queueRedateOffer, type RedateOffer } from './plan-redate.js';

/** Why a settings change was refused: nothing changed. */
export type SettingsFailure =
  | 'not-a-lead'
  | 'unknown-team'
  | 'bad-time-zone'
  | 'bad-time'
  | 'bad-date'
  | 'bad-number'
  | 'bad-region'
  | 'shared-channel'
  | 'engagement-channel';

/** The settings as saved; when the calendar changed and open milestones now fall on days off, the offer to re-date them. */
export interface SettingsChanged {
  readonly team: TeamSettings;
  readonly redate: RedateOffer | null;
  /** The offer, queued for the rotation channel. */
  readonly toSend: readonly QueuedMessage[];
}

const CALENDAR_SETTINGS: readonly (keyof TeamSettingsUpdate)[] = [
  'timeZone',
  'holidayRegion',
  'extraHolidays',
];

/**
 * Changes the team's time zone, reminder time, holidays or rotation channel. Leads only. A new
 * rotation channel comes with what Slack says of it (null: Slack would not say). A new calendar that
 * leaves open milestones on days off is offered for re-dating to every lead (rotation channel, App Home).
 */
export async function changeTeamSettings(
  deps: FlowDeps,
  actor: Actor,
  update: TeamSettingsUpdate,
  rotationChannel?: ChannelFacts | null,
): Promise<Result<SettingsChanged, SettingsFailure>> {
  if (update.timeZone !== undefined && !isValidTimeZone(update.timeZone)) {
    return fail(
      'bad-time-zone',
      `"${update.timeZone}" is not a time zone; use an IANA name such as Europe/Berlin.`,
    );
  }
  if (update.reminderTime !== undefined && !isValidTimeOfDay(update.reminderTime)) {
    return fail('bad-time', 'The reminder time is a 24-hour HH:MM time, e.g. 09:00.');
  }
  if (update.holidayRegion && !isValidHolidayRegion(update.holidayRegion)) {
    return fail(
      'bad-region',
      `"${update.holidayRegion}" is not a holiday region; use a code such as DE, DE-BE or US-NY.`,
    );
  }
  if (update.extraHolidays?.some((d) => !isValidLocalDate(d))) {
    return fail('bad-date', 'Holidays are dates written YYYY-MM-DD.');
  }
  if (
    update.proposeDaysAhead !== undefined &&
    !(Number.isInteger(update.proposeDaysAhead) && update.proposeDaysAhead >= 0)
  ) {
    return fail('bad-number', 'Days ahead is a whole number of business days.');
  }
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const lead = await requireLead(trx, actor, "change the team's settings");
    if (!lead.ok) return lead;
    if (update.rotationChannelId) {
      // Proposals, skip reasons and time away go to the rotation channel: never a client's channel.
      if (rotationChannel && isSharedOutside(rotationChannel)) {
        return fail(
          'shared-channel',
          `<#${update.rotationChannelId}> is shared with people outside the organisation (Slack Connect): proposals, skip reasons and time away go to the rotation channel, so it must be an internal one. Nothing was changed; run this in the team's own channel.`,
        );
      }
      const clash = await findOpenEngagementInChannel(trx, actor.teamId, update.rotationChannelId);
      if (clash) {
        return fail(
          'engagement-channel',
          `This is the channel of engagement #${clash.number} (${clash.client_name}), which the client may see; the rotation channel must be an internal one.`,
        );
      }
      // Open engagements follow: their next proposals go to the new channel too.
      await setRotationChannelOfOpenEngagements(trx, actor.teamId, update.rotationChannelId);
    }
    await updateTeam(trx, actor.teamId, update);
    const eventId = await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'team.settings_changed',
      actorId: actor.userId,
      at: deps.now(),
      data: { ...update },
    });
    const saved = (await findTeam(trx, actor.teamId))!;
    const offered = CALENDAR_SETTINGS.some((k) => k in update)
      ? await queueRedateOffer(trx, saved, actor.userId, eventId)
      : { offer: null, toSend: [] };
    return ok({ team: settingsOf(saved), redate: offered.offer, toSend: offered.toSend });
  });
}

/** The team's settings as `/engagement settings` shows them. */
export interface TeamSettings {
  readonly timeZone: string;
  /** The local time reminders go out on business days, `HH:MM`. */
  readonly reminderTime: string;
  readonly holidayRegion: string | null;
  /** The team's own days off, besides the region's public holidays. */
  readonly extraHolidays: readonly string[];
  /** Null until the first `/engagement new` sets it. */
  readonly rotationChannelId: string | null;
  readonly proposeDaysAhead: number;
}

const settingsOf = (team: TeamRow): TeamSettings => ({
  timeZone: team.time_zone,
  reminderTime: team.reminder_time,
  holidayRegion: team.holiday_region,
  extraHolidays: team.extra_holidays,
  rotationChannelId: team.rotation_channel_id,
  proposeDaysAhead: team.propose_days_ahead,
});

/** The team's settings as they stand (anyone on the team may look). */
export async function teamSettings(
  deps: FlowDeps,
  teamId: string,
): Promise<Result<TeamSettings, 'unknown-team'>> {
  const team = await requireTeam(deps.db, teamId);
  return team.ok ? ok(settingsOf(team.value)) : team;
}
