// What both scheduled jobs do on a tick before sending: look at every team and plan those whose
// working day has begun (a business day, the team's reminder time passed) and that this job has not
// planned yet for the period its mark names.
import { takenMarks } from '../db/outbox.js';
import type { Result } from '../domain/result.js';
import type { Db, FlowDeps } from '../flows/context.js';
import { teamDays } from '../flows/team-days.js';
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
  /** One team's plan: one transaction, taking the mark. It fails only for a team removed meanwhile. */
  readonly plan: (deps: FlowDeps, teamId: string) => Promise<Result<P, 'unknown-team'>>;
}

export async function planDueTeams<P extends { skipped: string | null; written: number }>(
  deps: { db: Db; logger: Logger },
  at: Date,
  planner: TeamPlanner<P>,
): Promise<TeamTick[]> {
  const ticks: TeamTick[] = [];
  const due: { teamId: string; day: string; mark: string }[] = [];
  for (const team of await teamDays(deps.db, at)) {
    if (team.day === null) {
      // One team with settings the calendar refuses must not stop every other team's messages.
      deps.logger.error(
        { err: team.error, teamId: team.teamId, job: planner.job },
        'cannot read the team’s calendar',
      );
      ticks.push({ teamId: team.teamId, day: null, outcome: 'error', written: 0 });
    } else if (team.due) due.push({ teamId: team.teamId, day: team.day, mark: planner.mark(team.day, at) });
    else ticks.push({ teamId: team.teamId, day: team.day, outcome: 'not-due', written: 0 });
  }
  // One cheap look first: on most ticks every due team is planned already. The flow's own mark is
  // what counts (a replica may get there between this look and the plan).
  const taken = await takenMarks(
    deps.db,
    due.map(({ teamId, mark }) => ({ teamId, mark })),
  );
  for (const { teamId, day, mark } of due) {
    if (taken.has(`${teamId}/${mark}`)) {
      ticks.push({ teamId, day, outcome: 'already-planned', written: 0 });
      continue;
    }
    try {
      const result = await withLogContext({ teamId }, () =>
        planner.plan({ db: deps.db, now: () => at }, teamId),
      );
      if (!result.ok) throw new Error(result.message);
      const { skipped, written, ...counts } = result.value;
      ticks.push({
        teamId,
        day,
        outcome: (skipped as TeamTick['outcome'] | null) ?? 'planned',
        written,
      });
      if (skipped === null) {
        const fields: Record<string, unknown> = {
          teamId,
          day,
          job: planner.job,
          written,
          ...counts,
        };
        deps.logger.info(fields, 'planned');
      }
    } catch (error) {
      deps.logger.error(
        { err: error, teamId, day, job: planner.job },
        'planning failed; the next tick retries',
      );
      ticks.push({ teamId, day, outcome: 'error', written: 0 });
    }
  }
  return ticks;
}
