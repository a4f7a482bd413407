import {
  listEngagements,
  listOpenMilestonesOf,
  lockEngagement,
  moveMilestone,
  setEngagementEnd,
  listMilestones,
} from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { enqueue } from '../db/outbox.js';
import type { Db } from '../db/connect.js';
import type { TeamRow } from '../db/schema.js';
import { formatDay } from '../domain/calendar.js';
import { redateOffBusinessDays, type PlanShift } from '../domain/plan-shift.js';
import { ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, requireLead, requireTeam, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { outboxKey, toEngagementRef, toOutboxRows, type OutboxEntry } from './scheduled-messages.js';

export interface RedateOffer {
  readonly milestones: number;
  readonly engagements: number;
  /** The button's words: "Re-date 3 milestones in 2 engagements". */
  readonly label: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function plannedMoves(trx: Db, team: TeamRow): Promise<{ engagementId: string; shift: PlanShift }[]> {
  const calendar = calendarOf(team);
  const open = await listEngagements(trx, team.id, { statuses: ['awaiting_owner', 'active'] });
  const milestonesOf = await listOpenMilestonesOf(
    trx,
    open.map((e) => e.id),
  );
  return open
    .map((e) => ({
      engagementId: e.id,
      shift: redateOffBusinessDays(
        (milestonesOf.get(e.id) ?? []).map((m) => ({
          id: Number(m.id),
          title: m.title,
          dueOn: m.due_on,
          done: false,
        })),
        calendar,
      ),
    }))
    .filter((p) => p.shift.moves.length > 0);
}

/**
 * After the team's holidays or time zone changed: how many open milestones now fall on a
 * non-business day. Nothing moves until a lead clicks; null when there is nothing to offer.
 */
export async function redateOffer(deps: FlowDeps, teamId: string): Promise<RedateOffer | null> {
  const team = await requireTeam(deps.db, teamId);
  if (!team.ok) return null;
  const planned = await plannedMoves(deps.db, team.value);
  const milestones = planned.reduce((n, p) => n + p.shift.moves.length, 0);
  if (milestones === 0) return null;
  return {
    milestones,
    engagements: planned.length,
    label: `Re-date ${plural(milestones, 'milestone')} in ${plural(planned.length, 'engagement')}`,
  };
}

/**
 * A lead's click: each open milestone on a non-business day moves to the next business day; each
 * engagement's end follows; recorded, with one line for each engagement channel (queued in the outbox,
 * returned for the listener to send at once).
 */
export async function redateMilestones(
  deps: FlowDeps,
  actor: Actor,
): Promise<
  Result<
    { lines: { channelId: string; text: string }[]; toSend: QueuedMessage[] },
    'unknown-team' | 'not-a-lead'
  >
> {
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const lead = await requireLead(trx, actor, 're-date milestones');
    if (!lead.ok) return lead;
    const now = deps.now();
    const lines: { channelId: string; text: string }[] = [];
    const entries: OutboxEntry[] = [];
    for (const { engagementId, shift } of await plannedMoves(trx, team.value)) {
      const engagement = (await lockEngagement(trx, actor.teamId, engagementId))!;
      for (const move of shift.moves) await moveMilestone(trx, String(move.id), move.to);
      // The end is the latest of all milestones, done ones included.
      const all = await listMilestones(trx, engagementId);
      const endsOn = all.map((m) => m.due_on).reduce((a, b) => (b > a ? b : a), engagement.ends_on);
      await setEngagementEnd(trx, engagementId, endsOn);
      const eventId = await recordEvent(trx, {
        teamId: actor.teamId,
        engagementId,
        kind: 'milestone.redated',
        actorId: actor.userId,
        at: now,
        reason: 'the team holidays or time zone changed',
        data: { moves: shift.moves, endsOn },
      });
      lines.push({ channelId: engagement.channel_id, text: redatedLine(shift.moves) });
      entries.push({
        teamId: actor.teamId,
        key: outboxKey.planChanged(engagementId, eventId),
        channelId: engagement.channel_id,
        engagementId,
        message: {
          type: 'plan-changed',
          engagement: toEngagementRef(engagement),
          change: {
            kind: 'redated',
            by: actor.userId,
            moves: shift.moves.map((m) => ({ title: m.title, from: m.from, to: m.to })),
            endsOn,
          },
        },
        expiresAt: null,
      });
    }
    await enqueue(trx, toOutboxRows(entries));
    return ok({ lines, toSend: entries.map((e) => ({ teamId: e.teamId, key: e.key })) });
  });
}

/** "Moved off non-business days: Client acceptance test passed to Mon 28 Dec; …." */
export function redatedLine(moves: readonly { title: string; to: string }[]): string {
  return `Moved off non-business days: ${moves.map((m) => `${m.title} to ${formatDay(m.to)}`).join('; ')}.`;
}
