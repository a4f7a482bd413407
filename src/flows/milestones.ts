import {
  countOpenMilestones,
  findMilestone,
  lockEngagement,
  markClosed,
  markMilestoneDone,
  snoozeMilestone,
} from '../db/engagements.js';
import { listEvents, recordEvent } from '../db/events.js';
import { endPeriods } from '../db/ownership-periods.js';
import { findTeam } from '../db/teams.js';
import { listLeads } from '../db/members.js';
import { enqueue } from '../db/outbox.js';
import { decideProposal, findPendingProposal } from '../db/proposals.js';
import type { EngagementRow, MilestoneRow, TeamRow } from '../db/schema.js';
import type { Db } from '../db/connect.js';
import { formatDay, type LocalDate } from '../domain/calendar.js';
import { fail, ok, type Result } from '../domain/result.js';
import {
  calendarOf,
  inTransaction,
  mention,
  requireOwnerOrLead,
  requireTeam,
  type Actor,
  type FlowDeps,
} from './context.js';
import type { QueuedMessage } from './delivery.js';
import { rotationChannelOf } from './plan-proposals.js';
import { viewProposal } from './proposing.js';
import {
  outboxKey,
  toEngagementRef,
  toOutboxRows,
  type EngagementRef,
  type OutboxEntry,
} from './scheduled-messages.js';
import {
  queueEscalationUpdates,
  queueReminderUpdates,
  queueStatusPromptsClosed,
  queueStatusPromptUpdate,
  type QueuedUpdate,
} from './stale-messages.js';

type MilestoneGone = 'unknown-milestone' | 'unknown-engagement' | 'engagement-closed' | 'already-done';
export type MarkDoneFailure = MilestoneGone | 'not-owner-or-lead' | 'unknown-team';
export type SnoozeFailure = MarkDoneFailure;

/** A button on a message that no longer matches the milestone: its message should be brought up to date. */
export const isMilestoneStale = (code: string): boolean =>
  code === 'already-done' || code === 'engagement-closed';

async function openMilestone(
  trx: Db,
  actor: Actor,
  milestoneId: string,
  doing: string,
  now: Date,
): Promise<Result<{ milestone: MilestoneRow; engagement: EngagementRow; team: TeamRow }, MarkDoneFailure>> {
  const team = await requireTeam(trx, actor.teamId);
  if (!team.ok) return team;
  const calendar = calendarOf(team.value);
  const found = await findMilestone(trx, actor.teamId, milestoneId);
  if (!found) return fail('unknown-milestone', 'That milestone no longer exists.');
  const engagement = await lockEngagement(trx, actor.teamId, found.engagement_id);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  if (engagement.status === 'closed') {
    const on = engagement.closed_at ? ` on ${formatDay(calendar.localDate(engagement.closed_at))}` : '';
    return fail(
      'engagement-closed',
      `Engagement #${engagement.number} ${engagement.client_name} was closed${on}: nothing here needs doing.`,
    );
  }
  const allowed = await requireOwnerOrLead(trx, actor, engagement, doing, calendar.localDate(now));
  if (!allowed.ok) return allowed;
  const milestone = (await findMilestone(trx, actor.teamId, milestoneId))!;
  if (milestone.status === 'done') {
    const by = milestone.done_by ? ` by ${mention(milestone.done_by)}` : '';
    const on = milestone.done_at ? ` on ${formatDay(calendar.localDate(milestone.done_at))}` : '';
    return fail('already-done', `"${milestone.title}" was already marked done${by}${on}.`);
  }
  return ok({ milestone, engagement, team: team.value });
}

/** A milestone as the answers to Mark done and Snooze name it. */
export interface MilestoneNote {
  readonly id: string;
  readonly title: string;
  readonly dueOn: LocalDate;
  readonly status: 'open' | 'done';
  readonly doneBy: string | null;
}

const milestoneNote = (m: MilestoneRow): MilestoneNote => ({
  id: m.id,
  title: m.title,
  dueOn: m.due_on,
  status: m.status,
  doneBy: m.done_by,
});

/** **Mark done**. When the last milestone is done, the engagement closes and its owner's load drops. */
export async function markDone(
  deps: FlowDeps,
  actor: Actor,
  milestoneId: string,
): Promise<
  Result<
    {
      milestone: MilestoneNote;
      engagement: EngagementRef;
      closed: boolean;
      /** Updates of the earlier reminders that showed it (or, when it closed, of all of them and the news of the closing). */
      toSend: readonly QueuedMessage[];
    },
    MarkDoneFailure
  >
> {
  return inTransaction(deps.db, async (trx) => {
    const opened = await openMilestone(trx, actor, milestoneId, 'mark milestones done', deps.now());
    if (!opened.ok) return opened;
    const { milestone, engagement, team } = opened.value;
    const now = deps.now();
    await markMilestoneDone(trx, milestone.id, actor.userId, now);
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'milestone.done',
      actorId: actor.userId,
      at: now,
      data: { milestoneId: milestone.id, title: milestone.title },
    });
    const closed = (await countOpenMilestones(trx, engagement.id)) === 0;
    // Closing updates every reminder (this item's done included): one update each, not two.
    const toSend = closed
      ? await close(trx, now, engagement, actor.userId, 'all milestones done')
      : await queueReminderUpdates(trx, team, engagement, { done: milestone.id });
    if (milestone.kind === 'status_update')
      toSend.push(
        ...(await queueStatusPromptUpdate(trx, team, milestone, {
          by: actor.userId,
          at: now,
          postedIn: null,
        })),
      );
    return ok({
      milestone: milestoneNote({ ...milestone, status: 'done', done_by: actor.userId, done_at: now }),
      engagement: toEngagementRef(engagement),
      closed,
      toSend,
    });
  });
}

/**
 * After a click on a stale Mark done, Snooze or Draft the update: queues (again: the keys make it once) the updates that
 * bring the milestone's reminders up to date, for the listener to send.
 */
export async function staleMilestoneUpdates(
  deps: FlowDeps,
  actor: Actor,
  milestoneId: string,
): Promise<readonly QueuedUpdate[]> {
  const updates = await inTransaction(deps.db, async (trx) => {
    const team = await findTeam(trx, actor.teamId);
    const milestone = await findMilestone(trx, actor.teamId, milestoneId);
    const engagement = milestone
      ? await lockEngagement(trx, actor.teamId, milestone.engagement_id)
      : undefined;
    if (!team || !milestone || !engagement) return ok<QueuedUpdate[]>([]);
    if (engagement.status === 'closed') {
      const closedOn = calendarOf(team).localDate(engagement.closed_at ?? deps.now());
      return ok([
        ...(await queueReminderUpdates(trx, team, engagement, { closed: true })),
        ...(await queueStatusPromptsClosed(trx, team, engagement, closedOn)),
      ]);
    }
    if (milestone.status !== 'done') return ok<QueuedUpdate[]>([]);
    if (milestone.kind === 'status_update') {
      const posted = (await listEvents(trx, team.id, engagement.id)).findLast(
        (e) =>
          e.kind === 'status.posted' && (e.data as { milestoneId?: string }).milestoneId === milestone.id,
      )?.data as { channelId?: string; toClient?: boolean } | undefined;
      return ok(
        await queueStatusPromptUpdate(trx, team, milestone, {
          by: milestone.done_by,
          at: milestone.done_at ?? deps.now(),
          postedIn: posted?.channelId
            ? { channelId: posted.channelId, toClient: posted.toClient === true }
            : null,
        }),
      );
    }
    return ok(await queueReminderUpdates(trx, team, engagement, { done: milestone.id }));
  });
  return updates.ok ? updates.value : [];
}

/** What **Snooze a day** did: which reminder leaves the milestone out, and when it is back. */
export interface Snoozed {
  readonly milestone: MilestoneNote;
  /** The next business day: its reminder leaves the milestone out. */
  readonly quietOn: string;
  /** The business day after: its reminder has the milestone again (stored as `snoozed_until`). */
  readonly until: string;
}

/**
 * **Snooze a day**: the next business day's reminder leaves this milestone out. Only the reminder:
 * the due date stays, `list` shows it, and the escalation counts from the due date as before.
 */
export async function snooze(
  deps: FlowDeps,
  actor: Actor,
  milestoneId: string,
): Promise<Result<Snoozed, SnoozeFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const opened = await openMilestone(trx, actor, milestoneId, 'snooze reminders', deps.now());
    if (!opened.ok) return opened;
    const { milestone, engagement, team } = opened.value;
    const calendar = calendarOf(team);
    const today = calendar.localDate(deps.now());
    const quietOn = calendar.addBusinessDays(today, 1);
    const until = calendar.addBusinessDays(today, 2);
    await snoozeMilestone(trx, milestone.id, until);
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'milestone.snoozed',
      actorId: actor.userId,
      at: deps.now(),
      data: { milestoneId: milestone.id, quietOn, until },
    });
    return ok({ milestone: milestoneNote(milestone), quietOn, until });
  });
}

/**
 * Closes an engagement, all in the caller's transaction: pending proposals lapse (a posted one is
 * queued to lose its buttons), the owner's load drops, every earlier reminder is queued to lose its
 * buttons, and the closing is queued for the engagement channel, the rotation channel, the owner (who
 * is asked for a retrospective) and every lead but the one who did it. Returns what was queued, for
 * the caller to send.
 */
export async function close(
  trx: Db,
  now: Date,
  engagement: EngagementRow,
  actorId: string | null,
  reason: string,
  how: 'completed' | 'closed' = 'completed',
): Promise<QueuedMessage[]> {
  await markClosed(trx, engagement.id, now);
  // The owner's turn ends with the engagement (one closed before it started was no turn).
  const team = await findTeam(trx, engagement.team_id);
  if (team) await endPeriods(trx, engagement.id, calendarOf(team).localDate(now));
  const closedEngagement = { ...engagement, status: 'closed' as const, closed_at: now };
  const entries: OutboxEntry[] = [];
  const pending = await findPendingProposal(trx, engagement.id);
  if (pending) {
    const note = 'the engagement was closed';
    await decideProposal(trx, pending.id, { outcome: 'superseded', by: actorId, at: now, note });
    if (pending.channel_id && pending.message_ts) {
      const view = await viewProposal(
        trx,
        { ...pending, outcome: 'superseded', decided_by: actorId, decided_at: now, decision_note: note },
        closedEngagement,
      );
      entries.push({
        teamId: engagement.team_id,
        key: outboxKey.proposalRetired(pending.id),
        channelId: pending.channel_id,
        engagementId: engagement.id,
        message: { type: 'proposal-retired', view, ts: pending.message_ts, note },
        expiresAt: null,
      });
    }
  }
  await recordEvent(trx, {
    teamId: engagement.team_id,
    engagementId: engagement.id,
    kind: 'closed',
    actorId,
    at: now,
    reason,
  });
  if (!team) return [];
  const closedOn = calendarOf(team).localDate(now);
  const told = (audience: 'channel' | 'rotation' | 'owner' | 'lead', channelId: string, key: string) =>
    entries.push({
      teamId: team.id,
      key: outboxKey.closed(engagement.id, key),
      channelId,
      engagementId: engagement.id,
      message: {
        type: 'engagement-closed',
        engagement: toEngagementRef(closedEngagement),
        audience,
        how,
        by: actorId,
        reason: how === 'closed' ? reason : null,
        closedOn,
      },
      // Hearing of a closing late is better than never.
      expiresAt: null,
    });
  told('channel', engagement.channel_id, 'channel');
  const rotation = rotationChannelOf(team, {
    rotationChannelId: engagement.rotation_channel_id,
    channelId: engagement.channel_id,
  });
  if (rotation) told('rotation', rotation, 'rotation');
  if (engagement.owner_id) told('owner', engagement.owner_id, 'owner');
  for (const lead of await listLeads(trx, team.id)) {
    if (lead.user_id !== actorId && lead.user_id !== engagement.owner_id)
      told('lead', lead.user_id, `lead:${lead.user_id}`);
  }
  await enqueue(trx, toOutboxRows(entries));
  const updates = [
    ...(await queueReminderUpdates(trx, team, closedEngagement, { closed: true })),
    ...(await queueStatusPromptsClosed(trx, team, closedEngagement, closedOn)),
    ...(await queueEscalationUpdates(trx, team.id, engagement.id)),
  ];
  return [...entries.map((e) => ({ teamId: e.teamId, key: e.key })), ...updates];
}
