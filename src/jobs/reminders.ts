// The `reminders` job's planning half: the day's reminders in engagement
// channels, status-update prompts to owners and escalations to leads.
//
// It ticks every minute rather than once per team at its reminder time. Each tick computes every
// team's reminder moment afresh from the team's wall clock (BusinessCalendar.instantAt), so a DST
// change can neither shift it nor, when the clocks go back, make it happen twice; and the day's mark
// makes a second plan impossible, whether a replica ticked too or the process restarted. A per-team
// cron would need re-registering whenever a team changes its time zone or reminder time, and would
// inherit node-cron's handling of a repeated or skipped local hour.
import type { Db } from '../flows/context.js';
import { planReminders, remindersMark } from '../flows/plan-reminders.js';
import { closeHandBackWindows } from '../flows/stale-messages.js';
import { checkEngagementChannels, type AskChannel } from '../flows/engagement-channels.js';
import type { Logger } from '../logger.js';
import { planDueTeams, type TeamTick } from './team-tick.js';

export async function planRemindersTick(
  deps: { db: Db; logger: Logger; askChannel?: AskChannel },
  at: Date,
): Promise<TeamTick[]> {
  // Before planning: an engagement channel found shared today already gets today's reminders elsewhere.
  if (deps.askChannel) {
    try {
      const shared = await checkEngagementChannels({ db: deps.db, now: () => at }, deps.askChannel);
      if (shared > 0) deps.logger.warn({ shared }, 'engagement channels found shared with clients');
    } catch (error) {
      deps.logger.error(
        { err: error },
        'asking Slack about engagement channels failed; the next tick retries',
      );
    }
  }
  const ticks = await planDueTeams(deps, at, {
    job: 'reminders',
    mark: (day) => remindersMark(day),
    plan: planReminders,
  });
  // Not part of a team's working day: a Hand back window closes at midnight in the team's zone, and
  // the owner's DM should lose its button then, not at the next reminder time.
  try {
    const queued = await closeHandBackWindows({ db: deps.db, now: () => at });
    if (queued.length > 0) deps.logger.info({ queued: queued.length }, 'hand-back windows closed');
  } catch (error) {
    deps.logger.error({ err: error }, 'closing hand-back windows failed; the next tick retries');
  }
  return ticks;
}
