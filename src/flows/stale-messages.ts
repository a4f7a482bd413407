// Messages that go stale when what they show changes: earlier reminders once their items are done or
// the engagement closes, the status-day DM once the update is posted or marked done, the kickoff when
// the owner changes, the owner's DM when its Hand back window closes. Each update is an outbox row with its own key, so it is sent once however
// often the change is noticed (a click on a stale button notices it again).
import type { Db } from '../db/connect.js';
import {
  closedAmong,
  listMilestones,
  lockClosedHandBackWindows,
  setHandBackClosesAt,
} from '../db/engagements.js';
import { findTeam } from '../db/teams.js';
import { enqueue, listSentEscalationsNaming, listSentMessages } from '../db/outbox.js';
import type { EngagementRow, MilestoneRow, TeamRow } from '../db/schema.js';
import { calendarOf, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import {
  outboxKey,
  readPayload,
  toEngagementRef,
  toOutboxRows,
  toPlanLine,
  type DoneItem,
  type OutboxEntry,
  type ReminderMessage,
  type StatusUpdateDone,
} from './scheduled-messages.js';

/** An update queued for a message: where the message is, so a listener can tell its own apart. */
export type QueuedUpdate = QueuedMessage & { readonly ts: string };

/**
 * What changed: a milestone was done, the plan was shifted (the event's id), the engagement closed,
 * or its owner changed (what changed it: a handover, a hand-back).
 */
export type ReminderChange =
  | { readonly done: string }
  | { readonly shifted: string }
  | { readonly closed: true }
  | { readonly owner: string };

/**
 * Queues an update of every reminder of the engagement that reached Slack and shows what changed:
 * those showing the milestone just done, those showing a milestone the shift moved, those with
 * something left to do when the owner changed, or all of them when the engagement closed. Each reads
 * as the reminder now stands (every item done so far, every new due date, its owner now, closed or
 * not); `engagement` as it is after the change.
 */
export async function queueReminderUpdates(
  trx: Db,
  team: TeamRow,
  engagement: EngagementRow,
  change: ReminderChange,
): Promise<QueuedUpdate[]> {
  const calendar = calendarOf(team);
  const done = new Map<string, DoneItem>();
  const dueNow = new Map<string, string>();
  for (const m of await listMilestones(trx, engagement.id)) {
    if (m.status === 'done' && m.done_at)
      done.set(m.id, { milestoneId: m.id, by: m.done_by, on: calendar.localDate(m.done_at) });
    else dueNow.set(m.id, m.due_on);
  }
  const movedIn = (reminder: ReminderMessage) =>
    reminder.items.flatMap((i) => {
      const due = dueNow.get(i.milestoneId);
      return due !== undefined && due !== i.dueOn ? [{ milestoneId: i.milestoneId, dueOn: due }] : [];
    });
  const reminders: { key: string; channelId: string; ts: string; reminder: ReminderMessage }[] = [];
  for (const row of await listSentMessages(trx, engagement.id, 'reminder')) {
    const read = readPayload('reminder', row.payload);
    // A reminder an older version wrote that no longer reads keeps its buttons; a click still answers.
    if (!read.ok || read.payload.message.type !== 'reminder' || !row.message_ts) continue;
    const reminder = read.payload.message;
    if ('done' in change && !reminder.items.some((i) => i.milestoneId === change.done)) continue;
    if ('shifted' in change && movedIn(reminder).length === 0) continue;
    // A new owner changes the reminders with something left to do: the others are history.
    if ('owner' in change && reminder.items.every((i) => done.has(i.milestoneId))) continue;
    reminders.push({ key: row.idempotency_key, channelId: row.channel_id, ts: row.message_ts, reminder });
  }
  if (reminders.length === 0) return [];
  const closedOn =
    engagement.status === 'closed' && engagement.closed_at ? calendar.localDate(engagement.closed_at) : null;
  const entries: OutboxEntry[] = reminders.map(({ key, channelId, ts, reminder }) => ({
    teamId: team.id,
    key: outboxKey.reminderUpdate(
      key,
      'done' in change
        ? change.done
        : 'shifted' in change
          ? `shifted:${change.shifted}`
          : 'owner' in change
            ? `owner:${change.owner}`
            : 'closed',
    ),
    channelId,
    engagementId: engagement.id,
    message: {
      type: 'reminder-update',
      ts,
      reminder,
      done: reminder.items.flatMap((i) => done.get(i.milestoneId) ?? []),
      moved: movedIn(reminder),
      closedOn,
      ...(engagement.owner_id !== reminder.engagement.ownerId ? { owner: { id: engagement.owner_id } } : {}),
    },
    // Never too late to take a stale button away.
    expiresAt: null,
  }));
  await enqueue(trx, toOutboxRows(entries));
  return entries.map(({ teamId, key, message }) => ({
    teamId,
    key,
    ts: message.type === 'reminder-update' ? message.ts : '',
  }));
}

/**
 * Queues the update of the status-day DM that offered this status milestone (when it reached Slack):
 * no more Draft the update or Mark done, and a line saying who posted it and where (`postedIn`; null:
 * marked done without a post), by whom and when. Once per DM.
 */
export async function queueStatusPromptUpdate(
  trx: Db,
  team: TeamRow,
  milestone: Pick<MilestoneRow, 'id' | 'engagement_id'>,
  done: {
    readonly by: string | null;
    readonly at: Date;
    readonly postedIn: { readonly channelId: string; readonly toClient: boolean } | null;
  },
): Promise<QueuedUpdate[]> {
  return queueStatusPromptsSettled(trx, team, milestone.engagement_id, (id) => id === milestone.id, {
    by: done.by,
    on: calendarOf(team).localDate(done.at),
    postedIn: done.postedIn ? { channelId: done.postedIn.channelId, toClient: done.postedIn.toClient } : null,
  });
}

/**
 * Queues the update of every status-day DM of a closed engagement whose update was neither posted nor
 * marked done: no more buttons, and a line saying the engagement closed (`closedOn`). The key is the
 * one a posted update would have used, so each DM changes once.
 */
export async function queueStatusPromptsClosed(
  trx: Db,
  team: TeamRow,
  engagement: Pick<EngagementRow, 'id'>,
  closedOn: string,
): Promise<QueuedUpdate[]> {
  const open = new Set(
    (await listMilestones(trx, engagement.id)).filter((m) => m.status !== 'done').map((m) => m.id),
  );
  return queueStatusPromptsSettled(trx, team, engagement.id, (id) => open.has(id), {
    by: null,
    on: closedOn,
    postedIn: null,
    engagementClosed: true,
  });
}

/** The sent status-day DMs of the engagement whose milestone `which` picks, each queued to read `settled`. */
async function queueStatusPromptsSettled(
  trx: Db,
  team: TeamRow,
  engagementId: string,
  which: (milestoneId: string) => boolean,
  settled: Pick<StatusUpdateDone, 'by' | 'on' | 'postedIn' | 'engagementClosed'>,
): Promise<QueuedUpdate[]> {
  const entries: OutboxEntry[] = [];
  for (const row of await listSentMessages(trx, engagementId, 'status-update')) {
    const read = readPayload('status-update', row.payload);
    if (!read.ok || read.payload.message.type !== 'status-update' || !row.message_ts) continue;
    const prompt = read.payload.message;
    if (!which(prompt.milestoneId)) continue;
    entries.push({
      teamId: team.id,
      key: outboxKey.statusUpdateDone(row.idempotency_key),
      channelId: row.channel_id,
      engagementId,
      message: { type: 'status-update-done', ts: row.message_ts, prompt, ...settled },
      expiresAt: null,
    });
  }
  await enqueue(trx, toOutboxRows(entries));
  return entries.map(({ teamId, key, message }) => ({
    teamId,
    key,
    ts: message.type === 'status-update-done' ? message.ts : '',
  }));
}

/**
 * Queues the update of every escalation DM that names this engagement, now closed: its items lose
 * their buttons (nothing to chase), along with those of any other engagement it names that closed
 * before. Once per DM and closing.
 */
export async function queueEscalationUpdates(
  trx: Db,
  teamId: string,
  engagementId: string,
): Promise<QueuedUpdate[]> {
  const entries: OutboxEntry[] = [];
  for (const row of await listSentEscalationsNaming(trx, teamId, engagementId)) {
    const read = readPayload('escalation', row.payload);
    if (!read.ok || read.payload.message.type !== 'escalation' || !row.message_ts) continue;
    const escalation = read.payload.message;
    // Read in the closing's transaction: this engagement is closed here already.
    const named = [...new Set(escalation.items.map((i) => i.engagement.id))];
    const closed = await closedAmong(trx, teamId, named);
    entries.push({
      teamId,
      key: outboxKey.escalationUpdate(row.idempotency_key, engagementId),
      channelId: row.channel_id,
      engagementId,
      message: { type: 'escalation-update', ts: row.message_ts, escalation, closed },
      expiresAt: null,
    });
  }
  await enqueue(trx, toOutboxRows(entries));
  return entries.map(({ key, message }) => ({
    teamId,
    key,
    ts: message.type === 'escalation-update' ? message.ts : '',
  }));
}

/**
 * Queues the owner's DM's update with the plan as it now stands (`engagement` after the change), once
 * per change, when the DM reached Slack; its Hand back, notes and buddy stay as they are.
 */
export async function queueOwnerDmPlanUpdate(
  trx: Db,
  engagement: EngagementRow,
  change: string,
): Promise<QueuedMessage[]> {
  const { owner_dm_channel_id: channelId, owner_dm_ts: ts } = engagement;
  if (!channelId || !ts || !engagement.owner_id) return [];
  const plan = (await listMilestones(trx, engagement.id)).map(toPlanLine);
  const entry: OutboxEntry = {
    teamId: engagement.team_id,
    key: outboxKey.ownerDmPlan(engagement.id, ts, change),
    channelId,
    engagementId: engagement.id,
    message: { type: 'owner-dm-plan', ts, engagement: toEngagementRef(engagement), plan },
    expiresAt: null,
  };
  await enqueue(trx, toOutboxRows([entry]));
  return [{ teamId: entry.teamId, key: entry.key }];
}

/**
 * Queues the kickoff's update to show who owns the engagement now (`engagement` as it is after the
 * change; no owner: being chosen). `change` names what changed it, so each change updates it once.
 */
export async function queueKickoffUpdate(
  trx: Db,
  engagement: EngagementRow,
  change: string,
): Promise<QueuedMessage[]> {
  if (!engagement.kickoff_ts) return [];
  const plan = (await listMilestones(trx, engagement.id))
    .filter((m) => m.status === 'open')
    .map((m) => ({ title: m.title, dueOn: m.due_on }));
  const entry: OutboxEntry = {
    teamId: engagement.team_id,
    key: outboxKey.kickoffUpdate(engagement.id, change),
    channelId: engagement.channel_id,
    engagementId: engagement.id,
    message: {
      type: 'kickoff-update',
      ts: engagement.kickoff_ts,
      engagement: {
        ...toEngagementRef(engagement),
        deliveryLeadId: engagement.delivery_lead_id,
        startsOn: engagement.starts_on,
        endsOn: engagement.ends_on,
      },
      plan,
    },
    expiresAt: null,
  };
  await enqueue(trx, toOutboxRows([entry]));
  return [{ teamId: entry.teamId, key: entry.key }];
}

/**
 * The owner's DMs whose Hand back window has closed by `deps.now()` (all teams, or one engagement when a
 * stale click notices it): each is queued once to lose its button, and its window is cleared so no
 * later look finds it again. Runs every minute, whatever the team's working day: a window closes at
 * midnight in the team's time zone.
 */
export async function closeHandBackWindows(
  deps: FlowDeps,
  only?: { teamId: string; engagementId: string },
): Promise<QueuedMessage[]> {
  return deps.db.transaction().execute(async (trx) => {
    const entries: OutboxEntry[] = [];
    for (const engagement of await lockClosedHandBackWindows(trx, deps.now(), only)) {
      await setHandBackClosesAt(trx, engagement.id, null);
      const team = await findTeam(trx, engagement.team_id);
      const { owner_dm_channel_id: channelId, owner_dm_ts: ts, hand_back_closes_at: closesAt } = engagement;
      if (!team || !channelId || !ts || !closesAt || engagement.status !== 'active') continue;
      entries.push({
        teamId: engagement.team_id,
        key: outboxKey.handBackClosed(engagement.id, ts),
        channelId,
        engagementId: engagement.id,
        message: {
          type: 'hand-back-closed',
          ts,
          engagement: toEngagementRef(engagement),
          // The window ends at the start of a local day: its last day is the one before.
          closedOn: calendarOf(team).localDate(new Date(closesAt.getTime() - 1)),
        },
        expiresAt: null,
      });
    }
    await enqueue(trx, toOutboxRows(entries));
    return entries.map(({ teamId, key }) => ({ teamId, key }));
  });
}
