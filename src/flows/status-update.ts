// The weekly client status update: the owner opens a draft (from the status-day DM), edits it, and
// posts it. Posting sends it, once, through the outbox to the client channel (or the engagement
// channel when there is none) and marks the status milestone done; recorded. Open risks are shown
// to the owner beside the draft, never put in it.
import type { Db } from '../db/connect.js';
import {
  countOpenMilestones,
  findMilestone,
  listMilestones,
  lockEngagement,
  markMilestoneDone,
} from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { listOpenRisks } from '../db/risks.js';
import type { EngagementRow, MilestoneRow, TeamRow } from '../db/schema.js';
import { draftStatusUpdate } from '../domain/status-draft.js';
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
import { close } from './milestones.js';
import { riskView, type RiskView } from './risks.js';
import { queueClientStatus, statusDestination } from './client-channel.js';
import { queueStatusPromptUpdate } from './stale-messages.js';

/** Slack shows at most 3,000 characters in a section; the update is posted as one. */
export const STATUS_TEXT_MAX = 2900;

export interface StatusDraft {
  readonly milestoneId: string;
  readonly engagement: { readonly id: string; readonly number: number; readonly clientName: string };
  /** The draft the owner edits: client-safe. */
  readonly text: string;
  readonly destination: { readonly channelId: string; readonly toClient: boolean };
  /** Internal: shown beside the draft, never in it. */
  readonly risks: readonly RiskView[];
}

export type StatusFailure =
  | 'unknown-team'
  | 'unknown-milestone'
  | 'not-a-status-update'
  | 'unknown-engagement'
  | 'engagement-closed'
  | 'not-owner-or-lead'
  | 'already-posted'
  | 'empty'
  | 'too-long';

async function openStatusMilestone(
  db: Db,
  actor: Actor,
  milestoneId: string,
  now: Date,
): Promise<Result<{ team: TeamRow; engagement: EngagementRow; milestone: MilestoneRow }, StatusFailure>> {
  const team = await requireTeam(db, actor.teamId);
  if (!team.ok) return team;
  const milestone = await findMilestone(db, actor.teamId, milestoneId);
  if (!milestone) return fail('unknown-milestone', 'That status update is no longer in the plan.');
  if (milestone.kind !== 'status_update')
    return fail('not-a-status-update', `"${milestone.title}" is not a status update.`);
  const engagement = await lockEngagement(db, actor.teamId, milestone.engagement_id);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  if (engagement.status === 'closed') {
    return fail('engagement-closed', `Engagement #${engagement.number} ${engagement.client_name} is closed.`);
  }
  // On a day someone stands in for the owner, the status prompt is theirs: so are the draft and the post.
  const today = calendarOf(team.value).localDate(now);
  const allowed = await requireOwnerOrLead(db, actor, engagement, 'post its status update', today);
  if (!allowed.ok) return allowed;
  if (milestone.status === 'done') {
    return fail('already-posted', `This week's status update for #${engagement.number} was already posted.`);
  }
  return ok({ team: team.value, engagement, milestone });
}

/** The draft for a status milestone, with the open risks beside it (owner, stand-in of the day, or lead). */
export async function statusDraft(
  deps: FlowDeps,
  actor: Actor,
  milestoneId: string,
): Promise<Result<StatusDraft, StatusFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const opened = await openStatusMilestone(trx, actor, milestoneId, deps.now());
    if (!opened.ok) return opened;
    const { team, engagement, milestone } = opened.value;
    const calendar = calendarOf(team);
    const milestones = await listMilestones(trx, engagement.id);
    const doneOn = (m: MilestoneRow) => (m.done_at ? calendar.localDate(m.done_at) : null);
    // "Done since" counts from the last update posted, or from the start.
    const since = milestones
      .filter((m) => m.kind === 'status_update' && m.status === 'done')
      .map((m) => doneOn(m) ?? m.due_on)
      .reduce((a, b) => (b > a ? b : a), engagement.starts_on);
    const text = draftStatusUpdate({
      since,
      today: calendar.localDate(deps.now()),
      milestones: milestones.map((m) => ({
        title: m.title,
        kind: m.kind,
        dueOn: m.due_on,
        doneOn: m.status === 'done' ? (doneOn(m) ?? m.due_on) : null,
      })),
    });
    const risks = (await listOpenRisks(trx, actor.teamId, [engagement.id])).map(riskView);
    return ok({
      milestoneId: milestone.id,
      engagement: { id: engagement.id, number: engagement.number, clientName: engagement.client_name },
      text,
      destination: statusDestination(engagement),
      risks,
    });
  });
}

/**
 * **Post**: the update goes to the client channel (or the engagement channel) through the outbox,
 * the status milestone is marked done, the status-day DM loses its buttons, and it is recorded. When it was the last milestone, the
 * engagement closes as with Mark done.
 */
export async function postStatusUpdate(
  deps: FlowDeps,
  actor: Actor,
  input: { readonly milestoneId: string; readonly text: string },
): Promise<
  Result<
    {
      engagement: { number: number; clientName: string };
      destination: { channelId: string; toClient: boolean };
      closed: boolean;
      toSend: QueuedMessage[];
    },
    StatusFailure
  >
> {
  const text = input.text.trim();
  if (text === '') return fail('empty', 'Write the update: it is sent as it stands here.', 'text');
  if (text.length > STATUS_TEXT_MAX) {
    return fail(
      'too-long',
      `Keep it under ${STATUS_TEXT_MAX} characters (it has ${text.length}): Slack shows longer text cut.`,
      'text',
    );
  }
  return inTransaction(deps.db, async (trx) => {
    const opened = await openStatusMilestone(trx, actor, input.milestoneId, deps.now());
    if (!opened.ok) return opened;
    const { engagement, milestone } = opened.value;
    const now = deps.now();
    const destination = statusDestination(engagement);
    await markMilestoneDone(trx, milestone.id, actor.userId, now);
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'status.posted',
      actorId: actor.userId,
      at: now,
      data: { milestoneId: milestone.id, title: milestone.title, ...destination },
    });
    // The client-safe kind, the only one the outbox lets through to a channel the client reads.
    const toSend = await queueClientStatus(trx, engagement, {
      ownerId: actor.userId,
      milestoneId: milestone.id,
      day: calendarOf(opened.value.team).localDate(now),
      text,
    });
    // The status-day DM says it is posted, by whom and where: no button left to press again.
    toSend.push(
      ...(await queueStatusPromptUpdate(trx, opened.value.team, milestone, {
        by: actor.userId,
        at: now,
        postedIn: destination,
      })),
    );
    const closed = (await countOpenMilestones(trx, engagement.id)) === 0;
    if (closed) toSend.push(...(await close(trx, now, engagement, actor.userId, 'all milestones done')));
    return ok({
      engagement: { number: engagement.number, clientName: engagement.client_name },
      destination,
      closed,
      toSend,
    });
  });
}
