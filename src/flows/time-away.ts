import { findEngagement, listEngagements, listOpenMilestonesOf } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { enqueue } from '../db/outbox.js';
import { decideProposal } from '../db/proposals.js';
import { endStandInsFor, standInsOfOwnerFrom } from '../db/stand-ins.js';
import { listPendingProposals } from '../db/sweeps.js';
import { deleteTimeAwayFrom, endTimeAwayBefore, findMember, insertTimeAway } from '../db/members.js';
import type { TimeAwayRow } from '../db/schema.js';
import { addDays, isValidLocalDate } from '../domain/calendar.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, mention, requireTeam, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { viewProposal } from './proposing.js';
import { outboxKey, toEngagementRef, toOutboxRows, type OutboxEntry } from './scheduled-messages.js';

type MayActFailure = 'not-on-team' | 'not-a-lead';
export type RecordTimeAwayFailure =
  'bad-date' | 'dates-out-of-order' | 'unknown-team' | 'in-the-past' | MayActFailure;
export type ClearTimeAwayFailure = 'unknown-team' | MayActFailure;

/** The time away recorded, and the engagements the person owns with something due while away. */
export type TimeAwayRecorded = TimeAwayRow & {
  readonly affects: readonly {
    readonly number: number;
    readonly clientName: string;
    /** Open milestones (status updates included) due while away. */
    readonly due: number;
  }[];
};

/**
 * `/engagement away @user FROM TO`: a person declares their own time away; a lead may declare anyone's.
 * Dates are inclusive local dates in the team's time zone. The answer names what it touches: the
 * engagements the person owns with something due on those days (the proposals job then proposes
 * cover for each).
 */
export async function recordTimeAway(
  deps: FlowDeps,
  actor: Actor,
  input: { userId: string; startsOn: string; endsOn: string },
): Promise<Result<TimeAwayRecorded, RecordTimeAwayFailure>> {
  if (!isValidLocalDate(input.startsOn) || !isValidLocalDate(input.endsOn)) {
    return fail('bad-date', 'Dates must be real dates written YYYY-MM-DD, e.g. 2026-12-21.');
  }
  if (input.endsOn < input.startsOn) {
    return fail(
      'dates-out-of-order',
      `The time away ends (${input.endsOn}) before it starts (${input.startsOn}).`,
    );
  }
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const allowed = await mayActFor(trx, actor, input.userId);
    if (!allowed.ok) return allowed;
    const today = calendarOf(team.value).localDate(deps.now());
    if (input.endsOn < today)
      return fail('in-the-past', `That time away (ending ${input.endsOn}) is already over.`);
    const away = await insertTimeAway(trx, { teamId: actor.teamId, createdBy: actor.userId, ...input });
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'away.recorded',
      actorId: actor.userId,
      at: deps.now(),
      data: { userId: input.userId, startsOn: input.startsOn, endsOn: input.endsOn },
    });
    const owned = await listEngagements(trx, actor.teamId, { statuses: ['active'], ownerId: input.userId });
    const open = await listOpenMilestonesOf(
      trx,
      owned.map((e) => e.id),
    );
    const affects = owned
      .map((e) => ({
        number: e.number,
        clientName: e.client_name,
        due: (open.get(e.id) ?? []).filter((m) => m.due_on >= input.startsOn && m.due_on <= input.endsOn)
          .length,
      }))
      .filter((e) => e.due > 0);
    return ok({ ...away, affects });
  });
}

/** What `back` changed: time away still to come, cancelled; time away under way, ended yesterday. */
export interface TimeAwayCleared {
  readonly cancelled: readonly { readonly startsOn: string; readonly endsOn: string }[];
  readonly endedEarly: readonly {
    readonly startsOn: string;
    readonly endsOn: string;
    readonly nowEndsOn: string;
  }[];
  /** Cover for the person's engagements cut short (or called off, not begun yet): they are back. */
  readonly standInsEnded: readonly {
    readonly engagement: { readonly number: number; readonly clientName: string };
    readonly standInId: string;
    readonly calledOff: boolean;
  }[];
  /** The stand-ins' notes, and proposals taken off, through the outbox. */
  readonly toSend: readonly QueuedMessage[];
}

/**
 * `/engagement back @user`: cancels time away from today on (days already away stay on record).
 * Their engagements' cover ends too: a stand-in's last day is yesterday (cover not begun is called
 * off), each stand-in hears it, and a stand-in still being proposed for them is taken off.
 * With nothing to cancel nothing changes, and nothing is recorded.
 */
export async function clearTimeAway(
  deps: FlowDeps,
  actor: Actor,
  userId: string,
): Promise<Result<TimeAwayCleared, ClearTimeAwayFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const allowed = await mayActFor(trx, actor, userId);
    if (!allowed.ok) return allowed;
    const today = calendarOf(team.value).localDate(deps.now());
    // Ends what is under way first, so that what is left from today on is what had not started.
    const ongoing = await endTimeAwayBefore(trx, actor.teamId, userId, today);
    const upcoming = await deleteTimeAwayFrom(trx, actor.teamId, userId, today);
    const cover = await endCover(deps, trx, actor, userId, today);
    const cleared: TimeAwayCleared = {
      ...cover,
      cancelled: upcoming.map((a) => ({ startsOn: a.starts_on, endsOn: a.ends_on })),
      endedEarly: ongoing.map((a) => ({
        startsOn: a.starts_on,
        endsOn: a.ends_on,
        nowEndsOn: addDays(today, -1),
      })),
    };
    if (upcoming.length + ongoing.length + cover.standInsEnded.length === 0) return ok(cleared);
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'away.cleared',
      actorId: actor.userId,
      at: deps.now(),
      data: { userId, cancelled: cleared.cancelled, endedEarly: cleared.endedEarly },
    });
    return ok(cleared);
  });
}

/** Ends the cover arranged for `ownerId`'s engagements from `backOn` on (see `clearTimeAway`). */
async function endCover(
  deps: FlowDeps,
  trx: FlowDeps['db'],
  actor: Actor,
  ownerId: string,
  backOn: string,
): Promise<Pick<TimeAwayCleared, 'standInsEnded' | 'toSend'>> {
  const now = deps.now();
  const entries: OutboxEntry[] = [];
  const standInsEnded: TimeAwayCleared['standInsEnded'][number][] = [];
  const covers = await standInsOfOwnerFrom(trx, actor.teamId, ownerId, backOn);
  await endStandInsFor(trx, actor.teamId, ownerId, backOn);
  for (const cover of covers) {
    const engagement = await findEngagement(trx, actor.teamId, cover.engagementId);
    if (!engagement) continue;
    const calledOff = cover.startsOn >= backOn;
    standInsEnded.push({
      engagement: { number: engagement.number, clientName: engagement.client_name },
      standInId: cover.standInId,
      calledOff,
    });
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'stand-in.ended',
      actorId: actor.userId,
      at: now,
      data: {
        ownerId,
        standInId: cover.standInId,
        from: cover.startsOn,
        to: cover.endsOn,
        backOn,
        calledOff,
      },
    });
    entries.push({
      teamId: actor.teamId,
      key: outboxKey.standInEnded(engagement.id, cover.standInId, backOn),
      channelId: cover.standInId,
      engagementId: engagement.id,
      message: {
        type: 'stand-in-ended',
        engagement: toEngagementRef(engagement),
        ownerId,
        backOn,
        calledOff,
      },
      expiresAt: null,
    });
  }
  // A stand-in still waiting for a lead would cover days the owner is now here for.
  const note = 'the owner is back';
  for (const { proposal, engagement } of await listPendingProposals(trx, actor.teamId)) {
    if (proposal.kind !== 'stand-in' || proposal.covers_owner_id !== ownerId) continue;
    await decideProposal(trx, proposal.id, { outcome: 'superseded', by: actor.userId, at: now, note });
    if (!proposal.channel_id || !proposal.message_ts) continue;
    const view = await viewProposal(
      trx,
      { ...proposal, outcome: 'superseded', decided_by: actor.userId, decided_at: now, decision_note: note },
      engagement,
    );
    entries.push({
      teamId: actor.teamId,
      key: outboxKey.proposalRetired(proposal.id),
      channelId: proposal.channel_id,
      engagementId: engagement.id,
      message: { type: 'proposal-retired', view, ts: proposal.message_ts, note },
      expiresAt: null,
    });
  }
  await enqueue(trx, toOutboxRows(entries));
  return { standInsEnded, toSend: entries.map((e) => ({ teamId: e.teamId, key: e.key })) };
}

async function mayActFor(
  trx: FlowDeps['db'],
  actor: Actor,
  userId: string,
): Promise<Result<true, MayActFailure>> {
  const subject = await findMember(trx, actor.teamId, userId);
  if (!subject) return fail('not-on-team', `${mention(userId)} is not on the team.`);
  if (userId === actor.userId) return ok(true);
  const self = await findMember(trx, actor.teamId, actor.userId);
  return self?.is_lead ? ok(true) : fail('not-a-lead', "Only a lead can record someone else's time away.");
}
