import {
  listEngagements,
  listOpenMilestonesOf,
  lockEngagement,
  moveMilestone,
  setEngagementEnd,
  listMilestones,
} from '../db/engagements.js';
import { latestTeamEvents, recordEvent } from '../db/events.js';
import { enqueue, listSentTeamMessages } from '../db/outbox.js';
import { findTeamForUpdate } from '../db/teams.js';
import type { Db } from '../db/connect.js';
import type { TeamRow } from '../db/schema.js';
import { formatDay } from '../domain/calendar.js';
import { redateOffBusinessDays, type PlanShift } from '../domain/plan-shift.js';
import { fail, ok, type Result } from '../domain/result.js';
import {
  calendarOf,
  inTransaction,
  mention,
  requireLead,
  requireTeam,
  type Actor,
  type FlowDeps,
} from './context.js';
import type { QueuedMessage } from './delivery.js';
import { queueClientPlanUpdate } from './client-channel.js';
import { queueKickoffUpdate, queueOwnerDmPlanUpdate, queueReminderUpdates } from './stale-messages.js';
import {
  outboxKey,
  readPayload,
  toEngagementRef,
  toOutboxRows,
  type OutboxEntry,
} from './scheduled-messages.js';
import type { QueuedUpdate } from './stale-messages.js';

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

const offerOf = (planned: readonly { shift: PlanShift }[]): RedateOffer | null => {
  const milestones = planned.reduce((n, p) => n + p.shift.moves.length, 0);
  if (milestones === 0) return null;
  return {
    milestones,
    engagements: planned.length,
    label: `Re-date ${plural(milestones, 'milestone')} in ${plural(planned.length, 'engagement')}`,
  };
};

/**
 * After the team's holidays or time zone changed: how many open milestones now fall on a
 * non-business day. Nothing moves until a lead clicks; null when there is nothing to offer.
 * Every lead's App Home shows it while it stands.
 */
export async function redateOffer(deps: FlowDeps, teamId: string): Promise<RedateOffer | null> {
  const team = await requireTeam(deps.db, teamId);
  if (!team.ok) return null;
  return offerOf(await plannedMoves(deps.db, team.value));
}

/**
 * In the transaction that changed the team's calendar (`team` as it is now, `settingsEventId` the
 * change's audit event): the offer, if open milestones now fall on days off, queued once for the
 * rotation channel, where every lead sees it and any lead may click.
 */
export async function queueRedateOffer(
  trx: Db,
  team: TeamRow,
  changedBy: string,
  settingsEventId: string,
): Promise<{ offer: RedateOffer | null; toSend: QueuedMessage[] }> {
  const offer = offerOf(await plannedMoves(trx, team));
  if (!offer || !team.rotation_channel_id) return { offer, toSend: [] };
  const entry: OutboxEntry = {
    teamId: team.id,
    key: outboxKey.redateOffer(settingsEventId),
    channelId: team.rotation_channel_id,
    engagementId: null,
    message: {
      type: 'redate-offer',
      changedBy,
      milestones: offer.milestones,
      engagements: offer.engagements,
    },
    expiresAt: null,
  };
  await enqueue(trx, toOutboxRows([entry]));
  return { offer, toSend: [{ teamId: entry.teamId, key: entry.key }] };
}

/** Why a click on Re-date moved nothing. */
export type RedateFailure = 'unknown-team' | 'not-a-lead' | 'already-redated' | 'nothing-to-redate';

/** What a click on Re-date did. */
export interface Redated {
  readonly lines: readonly { channelId: string; text: string }[];
  /** The channel lines and the rotation channel's offers brought up to date (their `ts`). */
  readonly toSend: readonly (QueuedMessage | QueuedUpdate)[];
}

/** Nothing left on a day off: said as "already done" when a lead re-dated since the calendar last changed. */
async function nothingToRedate(trx: Db, team: TeamRow): Promise<Result<never, RedateFailure>> {
  const [redated] = await latestTeamEvents(trx, team.id, ['milestone.redated'], 1);
  const changes = await latestTeamEvents(trx, team.id, ['team.settings_changed'], 50);
  const calendarChange = changes.find((e) =>
    ['timeZone', 'holidayRegion', 'extraHolidays'].some((k) => k in (e.data as object)),
  );
  if (redated && (!calendarChange || BigInt(redated.id) > BigInt(calendarChange.id))) {
    const by = redated.actor_id ? ` by ${mention(redated.actor_id)}` : '';
    return fail(
      'already-redated',
      `Already re-dated${by} on ${formatDay(calendarOf(team).localDate(redated.at))}: nothing falls on a day off any more, and nothing was changed.`,
    );
  }
  return fail('nothing-to-redate', 'Nothing falls on a day off: there is nothing to re-date.');
}

/**
 * A lead's click: each open milestone on a non-business day moves to the next business day; each
 * engagement's end follows; recorded, with one line for each engagement channel (queued in the outbox,
 * returned for the listener to send at once).
 */
export async function redateMilestones(
  deps: FlowDeps,
  actor: Actor,
): Promise<Result<Redated, RedateFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const found = await requireTeam(trx, actor.teamId);
    if (!found.ok) return found;
    const lead = await requireLead(trx, actor, 're-date milestones');
    if (!lead.ok) return lead;
    // Two leads clicking at once: the team row makes the second wait, then find nothing left to move.
    const team = (await findTeamForUpdate(trx, actor.teamId))!;
    const planned = await plannedMoves(trx, team);
    if (planned.length === 0) return nothingToRedate(trx, team);
    const now = deps.now();
    const lines: { channelId: string; text: string }[] = [];
    const entries: OutboxEntry[] = [];
    const updates: QueuedMessage[] = [];
    for (const { engagementId, shift } of planned) {
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
      // Reminders already posted, the kickoff, the owner's DM and the client's summary show the old
      // dates: brought up to date, each once, as after a shift.
      const redated = { ...engagement, ends_on: endsOn };
      const change = `redated:${eventId}`;
      updates.push(
        ...(await queueReminderUpdates(trx, team, redated, { shifted: eventId })),
        ...(await queueKickoffUpdate(trx, redated, change)),
        ...(await queueOwnerDmPlanUpdate(trx, redated, change)),
        ...(await queueClientPlanUpdate(trx, redated, `event:${eventId}`, calendarOf(team).localDate(now))),
      );
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
    const retired = await retireOffers(trx, team, {
      by: actor.userId,
      on: calendarOf(team).localDate(now),
      channelIds: lines.map((l) => l.channelId),
    });
    return ok({
      lines,
      toSend: [...entries.map((e) => ({ teamId: e.teamId, key: e.key })), ...updates, ...retired],
    });
  });
}

/** Every offer in the rotation channel loses its button, once, saying who re-dated. */
async function retireOffers(
  trx: Db,
  team: TeamRow,
  done: { by: string; on: string; channelIds: readonly string[] },
): Promise<QueuedUpdate[]> {
  const entries: OutboxEntry[] = [];
  for (const row of await listSentTeamMessages(trx, team.id, 'redate-offer')) {
    const read = readPayload('redate-offer', row.payload);
    if (!read.ok || read.payload.message.type !== 'redate-offer' || !row.message_ts) continue;
    entries.push({
      teamId: team.id,
      key: outboxKey.redateOfferDone(row.idempotency_key),
      channelId: row.channel_id,
      engagementId: null,
      message: {
        type: 'redate-offer-done',
        ts: row.message_ts,
        offer: read.payload.message,
        by: done.by,
        on: done.on,
        channelIds: [...done.channelIds],
      },
      expiresAt: null,
    });
  }
  // An offer retired before keeps the words of the re-dating that retired it: its key is taken.
  await enqueue(trx, toOutboxRows(entries));
  return entries.map(({ teamId, key, message }) => ({
    teamId,
    key,
    ts: message.type === 'redate-offer-done' ? message.ts : '',
  }));
}

/** "Moved off non-business days: Client acceptance test passed to Mon 28 Dec; …." */
export function redatedLine(moves: readonly { title: string; to: string }[]): string {
  return `Moved off non-business days: ${moves.map((m) => `${m.title} to ${formatDay(m.to)}`).join('; ')}.`;
}
