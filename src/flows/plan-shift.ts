import { listMilestones, lockEngagement, moveMilestone, setEngagementEnd } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import type { EngagementRow } from '../db/schema.js';
import { formatDay } from '../domain/calendar.js';
import { shiftPlan as decideShift, type PlanShift, type ShiftFailure } from '../domain/plan-shift.js';
import { fail, ok, type Result } from '../domain/result.js';
import {
  calendarOf,
  inTransaction,
  requireOwnerOrLead,
  requireTeam,
  type Actor,
  type FlowDeps,
} from './context.js';

export type ShiftPlanFailure =
  ShiftFailure | 'unknown-team' | 'unknown-engagement' | 'engagement-closed' | 'not-owner-or-lead';

export interface ShiftPlanInput {
  readonly engagementId: string;
  readonly fromMilestoneId: string;
  readonly days: number;
}

/**
 * The owner or a lead shifts the remaining milestones from a chosen one by N business days (the
 * client was late); the engagement's end, and so its workload window, follows. Returns the one line
 * the engagement channel is told.
 */
export async function shiftPlan(
  deps: FlowDeps,
  actor: Actor,
  input: ShiftPlanInput,
): Promise<Result<{ engagement: EngagementRow; shift: PlanShift; line: string }, ShiftPlanFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const engagement = await lockEngagement(trx, actor.teamId, input.engagementId);
    if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
    if (engagement.status === 'closed') {
      return fail(
        'engagement-closed',
        `Engagement #${engagement.number} ${engagement.client_name} is closed.`,
      );
    }
    const allowed = await requireOwnerOrLead(trx, actor, engagement, 'shift its plan');
    if (!allowed.ok) return allowed;
    const calendar = calendarOf(team.value);
    const now = deps.now();
    const rows = await listMilestones(trx, engagement.id);
    const decided = decideShift(
      rows.map((m) => ({ id: Number(m.id), title: m.title, dueOn: m.due_on, done: m.status === 'done' })),
      Number(input.fromMilestoneId),
      input.days,
      calendar.localDate(now),
      calendar,
    );
    if (!decided.ok) return decided;
    const shift = decided.value;
    for (const move of shift.moves) await moveMilestone(trx, String(move.id), move.to);
    await setEngagementEnd(trx, engagement.id, shift.endsOn);
    const from = shift.moves[0]!;
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'milestone.shifted',
      actorId: actor.userId,
      at: now,
      data: { days: input.days, from: from.title, moves: shift.moves, endsOn: shift.endsOn },
    });
    const n = Math.abs(input.days);
    const direction = input.days > 0 ? 'later' : 'earlier';
    const line =
      `Plan shifted ${n} business day${n === 1 ? '' : 's'} ${direction} from ${from.title}: ` +
      `the engagement now ends ${formatDay(shift.endsOn)}.`;
    return ok({ engagement: { ...engagement, ends_on: shift.endsOn }, shift, line });
  });
}
