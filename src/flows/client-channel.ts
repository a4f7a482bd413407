// What an engagement's client channel is sent, and the only place such messages are made: the
// kickoff summary once an owner is approved, and the status updates the owner posts. Each holds only
// what the client may read; the outbox refuses anything else to a channel a client can read.
import { listMilestones } from '../db/engagements.js';
import { enqueue, findOutboxRows, listSentMessages } from '../db/outbox.js';
import type { Db } from '../db/connect.js';
import type { EngagementRow, MilestoneRow } from '../db/schema.js';
import type { LocalDate } from '../domain/calendar.js';
import type { QueuedMessage } from './delivery.js';
import { outboxKey, readPayload, toOutboxRows, type OutboxEntry } from './scheduled-messages.js';

/**
 * Queues the client channel's kickoff summary (owner, plan dates), once per engagement, when it has
 * a client channel and an owner. Returns what to send at once (nothing otherwise).
 */
export async function queueClientKickoff(
  trx: Db,
  engagement: EngagementRow,
  milestones: readonly MilestoneRow[],
): Promise<QueuedMessage[]> {
  if (!engagement.client_channel_id || !engagement.owner_id || engagement.status === 'closed') return [];
  const entry: OutboxEntry = {
    teamId: engagement.team_id,
    key: outboxKey.clientKickoff(engagement.id),
    channelId: engagement.client_channel_id,
    engagementId: engagement.id,
    message: {
      type: 'client-kickoff',
      clientName: engagement.client_name,
      ownerId: engagement.owner_id,
      startsOn: engagement.starts_on,
      endsOn: engagement.ends_on,
      plan: milestones
        .filter((m) => m.kind === 'milestone')
        .map((m) => ({ title: m.title, dueOn: m.due_on })),
      handover: false,
    },
    expiresAt: null,
  };
  await enqueue(trx, toOutboxRows([entry]));
  return [{ teamId: entry.teamId, key: entry.key }];
}

/**
 * After a hand-back or a takeover, the client channel hears who runs the engagement now and what is
 * still ahead, once per change, so that the summary it was given never names someone who has left.
 * Nothing when the client was never told of an owner (the kickoff, sent after the decision, names
 * the new one).
 */
export async function queueClientHandover(
  trx: Db,
  engagement: EngagementRow,
  change: string,
): Promise<QueuedMessage[]> {
  if (!engagement.client_channel_id || !engagement.owner_id || engagement.status === 'closed') return [];
  const kickoff = { teamId: engagement.team_id, key: outboxKey.clientKickoff(engagement.id) };
  if ((await findOutboxRows(trx, [kickoff])).length === 0) return [];
  const ahead = (await listMilestones(trx, engagement.id)).filter(
    (m) => m.kind === 'milestone' && m.status === 'open',
  );
  const entry: OutboxEntry = {
    teamId: engagement.team_id,
    key: outboxKey.clientKickoff(engagement.id, change),
    channelId: engagement.client_channel_id,
    engagementId: engagement.id,
    message: {
      type: 'client-kickoff',
      clientName: engagement.client_name,
      ownerId: engagement.owner_id,
      startsOn: engagement.starts_on,
      endsOn: engagement.ends_on,
      plan: ahead.map((m) => ({ title: m.title, dueOn: m.due_on })),
      handover: true,
    },
    expiresAt: null,
  };
  await enqueue(trx, toOutboxRows([entry]));
  return [{ teamId: entry.teamId, key: entry.key }];
}

/**
 * After the plan's dates changed (a shift, a re-date), the summary the client channel was given is
 * brought up to date in place, once per change (`change`: what changed it), so that the client
 * never reads dates the team no longer keeps. Nothing when no summary reached Slack yet.
 */
export async function queueClientPlanUpdate(
  trx: Db,
  engagement: EngagementRow,
  change: string,
  updatedOn: LocalDate,
): Promise<QueuedMessage[]> {
  if (!engagement.owner_id) return [];
  const summary = (await listSentMessages(trx, engagement.id, 'client-kickoff')).at(-1);
  if (!summary?.message_ts) return [];
  const read = readPayload('client-kickoff', summary.payload);
  const handover = read.ok && read.payload.message.type === 'client-kickoff' && read.payload.message.handover;
  const milestones = (await listMilestones(trx, engagement.id)).filter(
    (m) => m.kind === 'milestone' && (!handover || m.status === 'open'),
  );
  const entry: OutboxEntry = {
    teamId: engagement.team_id,
    key: outboxKey.clientKickoffUpdate(engagement.id, change),
    channelId: summary.channel_id,
    engagementId: engagement.id,
    message: {
      type: 'client-kickoff-update',
      ts: summary.message_ts,
      kickoff: {
        type: 'client-kickoff',
        clientName: engagement.client_name,
        ownerId: engagement.owner_id,
        startsOn: engagement.starts_on,
        endsOn: engagement.ends_on,
        plan: milestones.map((m) => ({ title: m.title, dueOn: m.due_on })),
        handover,
      },
      updatedOn,
    },
    expiresAt: null,
  };
  await enqueue(trx, toOutboxRows([entry]));
  return [{ teamId: entry.teamId, key: entry.key }];
}

/**
 * Where a posted status update goes: the client channel when the engagement has one (the client
 * reads it there), else the engagement channel. The one place this is decided.
 */
export function statusDestination(engagement: Pick<EngagementRow, 'client_channel_id' | 'channel_id'>): {
  channelId: string;
  toClient: boolean;
} {
  return engagement.client_channel_id
    ? { channelId: engagement.client_channel_id, toClient: true }
    : { channelId: engagement.channel_id, toClient: false };
}

/**
 * Queues a status update the owner wrote, for the client channel, or the engagement channel when
 * there is none (and it is internal). Returns what to send at once.
 */
export async function queueClientStatus(
  db: Db,
  engagement: Pick<EngagementRow, 'id' | 'team_id' | 'client_name' | 'client_channel_id' | 'channel_id'>,
  status: { ownerId: string; milestoneId: string; day: LocalDate; text: string },
): Promise<QueuedMessage[]> {
  const { channelId } = statusDestination(engagement);
  const entry: OutboxEntry = {
    teamId: engagement.team_id,
    key: outboxKey.clientStatus(engagement.id, status.milestoneId),
    channelId,
    engagementId: engagement.id,
    message: {
      type: 'client-status',
      clientName: engagement.client_name,
      ownerId: status.ownerId,
      day: status.day,
      text: status.text,
    },
    expiresAt: null,
  };
  await enqueue(db, toOutboxRows([entry]));
  return [{ teamId: entry.teamId, key: entry.key }];
}
