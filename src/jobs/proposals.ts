// The `proposals` job's planning half: re-proposals when a start is near, nudges
// about unanswered proposals, and handovers to cover an owner's time away. Hourly, from the team's
// reminder time on, on business days: the leads hear from it during their working day.
import type { Db } from '../flows/context.js';
import { planProposals, proposalsMark } from '../flows/plan-proposals.js';
import type { Logger } from '../logger.js';
import { planDueTeams, type TeamTick } from './team-tick.js';

export function planProposalsTick(deps: { db: Db; logger: Logger }, at: Date): Promise<TeamTick[]> {
  return planDueTeams(deps, at, {
    job: 'proposals',
    mark: (_day, tick) => proposalsMark(tick),
    plan: planProposals,
  });
}
