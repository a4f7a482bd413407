// Telling people who owns what, once an owner is decided: the owner's DM, the engagement channel's
// kickoff (or its note of a new owner), the released owner's DM and the client channel's summary.
// They are written to the outbox in the decision's transaction, so a process that dies after the
// commit loses none of them, and a decision that arrives twice tells nobody twice.
import { dropPending, enqueue } from '../db/outbox.js';
import type { Db } from '../db/connect.js';
import { findEngagement, listMilestones, recordKickoff, recordOwnerDm } from '../db/engagements.js';
import type { EngagementRow, MilestoneRow, TeamRow } from '../db/schema.js';
import type { LocalDate } from '../domain/calendar.js';
import type { QueuedMessage } from './delivery.js';
import { queueClientHandover, queueClientKickoff } from './client-channel.js';
import { queueKickoffUpdate, queueReminderUpdates } from './stale-messages.js';
import {
  outboxKey,
  toEngagementRef,
  toOutboxRows,
  toPlanLine,
  type OutboxEntry,
  type OwnerNews,
  type ScheduledMessage,
} from './scheduled-messages.js';

export interface DecidedOwner {
  /** The engagement as it is once decided: its owner is the new one. */
  readonly engagement: EngagementRow;
  readonly decidedBy: string;
  /** Who owned it before (a takeover, or the owner who handed it back), if anyone. */
  readonly previousOwnerId: string | null;
  readonly milestones: readonly MilestoneRow[];
  readonly buddyId: string | null;
  readonly lastRetrospective: OwnerNews['lastRetrospective'];
  /** What decided it (`proposal:<id>`): each decision tells each person once. */
  readonly change: string;
  /** A takeover: the previous owner's DM (its Hand back goes), and the local day of the decision. */
  readonly takenOver: {
    readonly dm: { readonly channelId: string; readonly ts: string } | null;
    readonly on: LocalDate;
  } | null;
}

/** Queues the news of an owner decided; returns what to send at once. */
export async function queueOwnerNews(trx: Db, decided: DecidedOwner): Promise<QueuedMessage[]> {
  const { engagement: e, previousOwnerId, change } = decided;
  const ownerId = e.owner_id!;
  const news: OwnerNews = {
    engagement: {
      id: e.id,
      number: e.number,
      clientName: e.client_name,
      channelId: e.channel_id,
      channelShared: e.channel_shared,
      deliveryLeadId: e.delivery_lead_id,
      startsOn: e.starts_on,
      endsOn: e.ends_on,
      notes: e.notes,
    },
    ownerId,
    decidedBy: decided.decidedBy,
    previousOwnerId,
    milestones: decided.milestones.map(toPlanLine),
    buddyId: decided.buddyId,
    lastRetrospective: decided.lastRetrospective,
  };
  const entry = (key: string, channelId: string, message: ScheduledMessage): OutboxEntry => ({
    teamId: e.team_id,
    key,
    channelId,
    engagementId: e.id,
    message,
    expiresAt: null,
  });
  const entries: OutboxEntry[] = [
    entry(outboxKey.ownerDm(e.id, change), ownerId, { type: 'owner-dm', news }),
  ];
  // An engagement channel found shared with the client gets nothing more until a lead names an
  // internal one: the owner's DM has the plan. The kickoff carries no notes and no retrospective.
  if (!e.channel_shared) {
    entries.push(
      entry(outboxKey.kickoff(e.id, change), e.channel_id, {
        type: 'kickoff',
        news: { ...news, engagement: { ...news.engagement, notes: null }, lastRetrospective: null },
      }),
    );
  }
  if (previousOwnerId && previousOwnerId !== ownerId) {
    entries.push(
      entry(outboxKey.ownerReleased(e.id, change), previousOwnerId, {
        type: 'owner-released',
        engagement: { id: e.id, number: e.number, clientName: e.client_name },
        newOwnerId: ownerId,
      }),
    );
  }
  // The previous owner's DM still offers Hand back: it says who took it over instead.
  const taken = decided.takenOver;
  if (taken?.dm && previousOwnerId && previousOwnerId !== ownerId) {
    entries.push(
      entry(outboxKey.handBackClosed(e.id, taken.dm.ts, change), taken.dm.channelId, {
        type: 'hand-back-closed',
        ts: taken.dm.ts,
        engagement: toEngagementRef(e),
        closedOn: taken.on,
        takenOverBy: ownerId,
      }),
    );
  }
  await enqueue(trx, toOutboxRows(entries));
  // The client channel, if any, hears only the client-safe summary: once, then once per new owner
  // (the handover first: it is only for a client already told of an owner).
  const handover = previousOwnerId ? await queueClientHandover(trx, e, change) : [];
  const kickoff = await queueClientKickoff(trx, e, decided.milestones);
  return [...entries.map(({ teamId, key }) => ({ teamId, key })), ...handover, ...kickoff];
}

/**
 * The owner changed (a hand-back, or a new owner over a previous one; `engagement` as it is after):
 * what still names the old owner follows. The kickoff and the reminders with something left to do
 * are brought up to date, once per change; a previous owner's DM still waiting to go, which would
 * tell them they own it after the fact, is dropped. Call before queueing the new owner's news.
 */
export async function ownerChanged(
  trx: Db,
  team: TeamRow,
  engagement: EngagementRow,
  change: string,
): Promise<QueuedMessage[]> {
  await dropPending(trx, engagement.id, ['owner-dm'], 'superseded: the engagement has changed owner since');
  return [
    ...(await queueKickoffUpdate(trx, engagement, change)),
    ...(await queueReminderUpdates(trx, team, engagement, { owner: change })),
  ];
}

/**
 * Where the outbox posted an owner's messages that are changed later: a first kickoff (a note of a
 * new owner is never updated; the kickoff stays the first one) and the owner's DM, while they still
 * own it (a hand-back may have come first). A kickoff that went out late, after the owner or the plan
 * changed, is brought up to date at once: no change could update it while it had no `ts`.
 */
export async function ownerNewsPosted(
  trx: Db,
  posted: { teamId: string; message: ScheduledMessage; channelId: string; ts: string },
): Promise<QueuedMessage[]> {
  const { message, ts } = posted;
  if (message.type === 'owner-dm') {
    await recordOwnerDm(trx, message.news.engagement.id, message.news.ownerId, {
      channelId: posted.channelId,
      ts,
    });
  }
  if (message.type !== 'kickoff' || message.news.previousOwnerId) return [];
  const { news } = message;
  await recordKickoff(trx, news.engagement.id, ts);
  const now = await findEngagement(trx, posted.teamId, news.engagement.id);
  if (!now) return [];
  const plan = (lines: readonly { title: string; dueOn: string }[]) =>
    JSON.stringify(lines.map((m) => [m.title, m.dueOn]));
  const open = (await listMilestones(trx, now.id))
    .filter((m) => m.status === 'open')
    .map((m) => ({ title: m.title, dueOn: m.due_on }));
  const shown = news.milestones.filter((m) => m.status === 'open');
  if (now.owner_id === news.ownerId && plan(open) === plan(shown)) return [];
  return queueKickoffUpdate(trx, { ...now, kickoff_ts: ts }, `posted:${ts}`);
}
