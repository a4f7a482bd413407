// What both scheduled jobs do on a tick before sending: look at every team and plan those whose
// working day has begun (a business day, the team's reminder time passed) and that this job has not
// planned yet for the period its mark names.
import type { Db } from '../db/connect.js';
import { takenMarks } from '../db/outbox.js';
import type { TeamRow } from '../db/schema.js';
import { listTeams } from '../db/teams.js';
import type { Result } from '../domain/result.js';
import type { FlowDeps } from '../flows/context.js';
import { reminderMoment } from '../flows/plan-reminders.js';
import { withLogContext, type Logger } from '../logger.js';

/** What one job tick did for one team. */
export interface TeamTick {
  readonly teamId: string;
  /** The team's local day at the tick (null when its settings could not be read). */
  readonly day: string | null;
  readonly outcome: 'planned' | 'not-due' | 'already-planned' | 'error';
  /** Outbox rows written. */
  readonly written: number;
}

export interface TeamPlanner<P extends { skipped: string | null; written: number }> {
  readonly job: string;
  /** The mark the plan takes for a team (it must match what the flow takes). */
  readonly mark: (day: string, at: Date) => string;
  /** One team's plan: one transaction, taking the mark. */
  readonly plan: (deps: FlowDeps, teamId: string) => Promise<Result<P>>;
}

export async function planDueTeams<P extends { skipped: string | null; written: number }>(
  deps: { db: Db; logger: Logger },
  at: Date,
  planner: TeamPlanner<P>,
): Promise<TeamTick[]> {
  const ticks: TeamTick[] = [];
  const due: { team: TeamRow; day: string; mark: string }[] = [];
  for (const team of await listTeams(deps.db)) {
    try {
      const { day, businessDay, moment } = reminderMoment(team, at);
      if (businessDay && at >= moment) due.push({ team, day, mark: planner.mark(day, at) });
      else ticks.push({ teamId: team.id, day, outcome: 'not-due', written: 0 });
    } catch (error) {
      // One team with settings the calendar refuses must not stop every other team's messages.
      deps.logger.error({ err: error, teamId: team.id, job: planner.job }, 'cannot read the team’s calendar');
      ticks.push({ teamId: team.id, day: null, outcome: 'error', written: 0 });
    }
  }
  // One cheap look first: on most ticks every due team is planned already. The flow's own mark is
  // what counts (a replica may get there between this look and the plan).
  const taken = await takenMarks(
    deps.db,
    due.map(({ team, mark }) => ({ teamId: team.id, mark })),
  );
  for (const { team, day, mark } of due) {
    if (taken.has(`${team.id}/${mark}`)) {
      ticks.push({ teamId: team.id, day, outcome: 'already-planned', written: 0 });
      continue;
    }
    try {
      const result = await withLogContext({ teamId: team.id }, () =>
        planner.plan({ db: deps.db, now: () => at }, team.id),
      );
      if (!result.ok) throw new Error(result.message);
      const { skipped, written, ...counts } = result.value;
      ticks.push({
        teamId: team.id,
        day,
        outcome: (skipped as TeamTick['outcome'] | null) ?? 'planned',
        written,
      });
      if (skipped === null) {
        const fields: Record<string, unknown> = {
          teamId: team.id,
          day,
          job: planner.job,
          written,
          ...counts,
        };
        deps.logger.info(fields, 'planned');
      }
    } catch (error) {
      deps.logger.error(
        { err: error, teamId: team.id, day, job: planner.job },
        'planning failed; the next tick retries',
      );
      ticks.push({ teamId: team.id, day, outcome: 'error', written: 0 });
    }
  }
  return ticks;
}
