import { queueClientPlanUpdate } from './client-channel.js';
import {
  findEngagement,
  listMilestones,
  lockEngagement,
  moveMilestone,
  setEngagementEnd,
} from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { enqueue } from '../db/outbox.js';
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
import type { QueuedMessage } from './delivery.js';
import { outboxKey, toEngagementRef, toOutboxRows, type EngagementRef } from './scheduled-messages.js';
import { queueKickoffUpdate, queueOwnerDmPlanUpdate, queueReminderUpdates } from './stale-messages.js';

export type ShiftPlanFailure =
  ShiftFailure | 'unknown-team' | 'unknown-engagement' | 'engagement-closed' | 'not-owner-or-lead';

export interface ShiftPlanInput {
  readonly engagementId: string;
  readonly fromMilestoneId: string;
  readonly days: number;
}

/**
 * The owner or a lead shifts the remaining milestones from a chosen one by N business days (the
 * client was late); the engagement's end, and so its workload window, follows. The engagement channel
 * is told in one line, queued in the outbox (returned for the listener to send at once).
 */
export async function shiftPlan(
  deps: FlowDeps,
  actor: Actor,
  input: ShiftPlanInput,
): Promise<
  Result<
    { engagement: EngagementRef; shift: PlanShift; line: string; toSend: QueuedMessage[] },
    ShiftPlanFailure
  >
> {
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
    const eventId = await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'milestone.shifted',
      actorId: actor.userId,
      at: now,
      data: { days: input.days, from: from.title, moves: shift.moves, endsOn: shift.endsOn },
    });
    const key = outboxKey.planChanged(engagement.id, eventId);
    await enqueue(
      trx,
      toOutboxRows([
        {
          teamId: actor.teamId,
          key,
          channelId: engagement.channel_id,
          engagementId: engagement.id,
          message: {
            type: 'plan-changed',
            engagement: toEngagementRef(engagement),
            change: {
              kind: 'shifted',
              by: actor.userId,
              days: input.days,
              from: from.title,
              fromDueOn: from.to,
              endsOn: shift.endsOn,
            },
          },
          expiresAt: null,
        },
      ]),
    );
    const line = shiftLine(input.days, from.title, shift.endsOn);
    const shifted = { ...engagement, ends_on: shift.endsOn };
    // Reminders already posted, the kickoff and the owner's DM show the old dates: brought up to
    // date, each once; so is the client channel's summary.
    const reminders = await queueReminderUpdates(trx, team.value, shifted, { shifted: eventId });
    const kickoff = await queueKickoffUpdate(trx, shifted, `shifted:${eventId}`);
    const ownerDm = await queueOwnerDmPlanUpdate(trx, shifted, `shifted:${eventId}`);
    const client = await queueClientPlanUpdate(trx, shifted, `event:${eventId}`, calendar.localDate(now));
    return ok({
      engagement: toEngagementRef(shifted),
      shift,
      line,
      toSend: [{ teamId: actor.teamId, key }, ...reminders, ...kickoff, ...ownerDm, ...client],
    });
  });
}

/** "Plan shifted 3 business days later from Client acceptance test passed: the engagement now ends Thu 7 Jan." */
export function shiftLine(days: number, from: string, endsOn: string): string {
  const n = Math.abs(days);
  const direction = days > 0 ? 'later' : 'earlier';
  return (
    `Plan shifted ${n} business day${n === 1 ? '' : 's'} ${direction} from ${from}: ` +
    `the engagement now ends ${formatDay(endsOn)}.`
  );
}

/** What the shift modal offers: the engagement and its milestones still to do, in plan order. */
export interface ShiftablePlan {
  readonly engagement: { readonly id: string; readonly number: number; readonly clientName: string };
  readonly milestones: readonly { readonly id: string; readonly title: string; readonly dueOn: string }[];
}

/** Before the modal opens: only the owner or a lead, on an open engagement with something left to do. */
export async function planToShift(
  deps: FlowDeps,
  actor: Actor,
  engagementId: string,
): Promise<Result<ShiftablePlan, ShiftPlanFailure | 'nothing-to-shift'>> {
  const engagement = await findEngagement(deps.db, actor.teamId, engagementId);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  if (engagement.status === 'closed') {
    return fail('engagement-closed', `Engagement #${engagement.number} ${engagement.client_name} is closed.`);
  }
  const allowed = await requireOwnerOrLead(deps.db, actor, engagement, 'shift its plan');
  if (!allowed.ok) return allowed;
  const open = (await listMilestones(deps.db, engagement.id)).filter((m) => m.status !== 'done');
  if (open.length === 0) {
    return fail(
      'nothing-to-shift',
      `Every milestone of #${engagement.number} ${engagement.client_name} is done: there is nothing to shift.`,
    );
  }
  return ok({
    engagement: { id: engagement.id, number: engagement.number, clientName: engagement.client_name },
    milestones: open.map((m) => ({ id: m.id, title: m.title, dueOn: m.due_on })),
  });
}
