// What waits on a lead (App Home), and what a lead does about an overdue engagement from App Home or
// an escalation DM: look at it, nudge its owner, or propose a handover.
import { findEngagement, listOpenMilestonesOf, lockEngagement } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { findMember, listMembers } from '../db/members.js';
import { enqueue } from '../db/outbox.js';
import { findPendingProposal } from '../db/proposals.js';
import { listOpenRisks } from '../db/risks.js';
import { standInsBetween } from '../db/stand-ins.js';
import type { EngagementRow, MilestoneRow } from '../db/schema.js';
import {
  listActiveEngagements,
  listOpenMilestonesOfActiveEngagements,
  listPendingProposals,
} from '../db/sweeps.js';
import { addDays, type LocalDate } from '../domain/calendar.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, requireLead, requireTeam, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { redateOffer, type RedateOffer } from './plan-redate.js';
import { riskView, type RiskView } from './risks.js';
import { outboxKey, toEngagementRef, toOutboxRows, type EngagementRef } from './scheduled-messages.js';

export interface WaitingProposal {
  readonly proposalId: string;
  /** A stand-in covers an owner's short absence; the owner stays. */
  readonly kind: 'owner' | 'handover' | 'stand-in';
  readonly engagement: EngagementRef;
  /** null: nobody was eligible; a lead chooses by hand. */
  readonly candidateId: string | null;
  readonly candidateName: string | null;
  /** The local day it was proposed. */
  readonly since: LocalDate;
}

export interface OverdueItem {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueOn: LocalDate;
  readonly businessDaysLate: number;
  readonly engagement: EngagementRef;
}

export interface HighRisk {
  readonly risk: RiskView;
  readonly engagement: EngagementRef;
}

/** Everything waiting on the team's leads, oldest first in each list. */
export interface WaitingOnLead {
  readonly today: LocalDate;
  readonly proposals: readonly WaitingProposal[];
  readonly overdue: readonly OverdueItem[];
  readonly risks: readonly HighRisk[];
  /** Open milestones on days off since the team's calendar changed: one click re-dates them. */
  readonly redate: RedateOffer | null;
}

/** A risk a lead should watch: high likelihood or high impact, the worst (high/high) first. */
const isHigh = (r: RiskView) => r.likelihood === 'high' || r.impact === 'high';
const severity = (r: RiskView) => (r.likelihood === 'high' ? 1 : 0) + (r.impact === 'high' ? 1 : 0);

/**
 * App Home's "Waiting on you": pending proposals, overdue milestones and open high risks of the team,
 * and the re-dating a change of the team's calendar calls for.
 * Only leads get it (null for anyone else): these are the leads' decisions.
 */
export async function waitingOnLead(deps: FlowDeps, actor: Actor): Promise<WaitingOnLead | null> {
  const member = await findMember(deps.db, actor.teamId, actor.userId);
  if (!member?.is_lead) return null;
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return null;
  const calendar = calendarOf(team.value);
  const today = calendar.localDate(deps.now());
  const names = new Map((await listMembers(deps.db, actor.teamId)).map((m) => [m.user_id, m.name]));

  const proposals = (await listPendingProposals(deps.db, actor.teamId))
    .filter(({ engagement }) => engagement.status !== 'closed')
    .map(({ proposal, engagement }) => ({
      proposalId: proposal.id,
      kind: proposal.kind,
      engagement: toEngagementRef(engagement),
      candidateId: proposal.candidate_id,
      candidateName: proposal.candidate_id ? (names.get(proposal.candidate_id) ?? null) : null,
      since: calendar.localDate(proposal.created_at),
    }));

  const active = new Map((await listActiveEngagements(deps.db, actor.teamId)).map((e) => [e.id, e]));
  const overdue = (await listOpenMilestonesOfActiveEngagements(deps.db, actor.teamId))
    .filter((m) => m.due_on < today && active.has(m.engagement_id))
    .map((m) => ({
      milestoneId: m.id,
      title: m.title,
      dueOn: m.due_on,
      // Counted as the reminders count it: the business days after the due date, through today.
      businessDaysLate: calendar.businessDaysBetween(addDays(m.due_on, 1), today),
      engagement: toEngagementRef(active.get(m.engagement_id)!),
    }))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.engagement.number - b.engagement.number);

  const risks = (await listOpenRisks(deps.db, actor.teamId, [...active.keys()]))
    .map(riskView)
    .filter(isHigh)
    .sort((a, b) => severity(b) - severity(a))
    .map((risk) => ({ risk, engagement: toEngagementRef(active.get(risk.engagementId)!) }));

  return { today, proposals, overdue, risks, redate: await redateOffer(deps, actor.teamId) };
}

/** An open milestone in the lead's view of an engagement. */
export interface DetailMilestone {
  readonly id: string;
  readonly title: string;
  readonly dueOn: LocalDate;
}

const detailMilestone = (m: MilestoneRow): DetailMilestone => ({ id: m.id, title: m.title, dueOn: m.due_on });

/** One engagement as a lead opens it from an escalation or App Home. */
export interface EngagementDetail {
  readonly today: LocalDate;
  readonly engagement: EngagementRef & {
    readonly status: EngagementRow['status'];
    readonly startsOn: LocalDate;
    readonly endsOn: LocalDate;
  };
  readonly ownerName: string | null;
  readonly open: readonly DetailMilestone[];
  readonly risks: readonly RiskView[];
  readonly pendingProposal: boolean;
}

export type EngagementDetailFailure = 'unknown-team' | 'not-on-team' | 'unknown-engagement';

/** **Open engagement**: its plan, open risks and whether a proposal is open; the team's members and leads only. */
export async function engagementDetail(
  deps: FlowDeps,
  actor: Actor,
  engagementId: string,
): Promise<Result<EngagementDetail, EngagementDetailFailure>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return team;
  const member = await findMember(deps.db, actor.teamId, actor.userId);
  if (!member || !(member.in_rotation || member.is_lead))
    return fail('not-on-team', "An engagement's plan and risks are for the team's members and leads.");
  const engagement = await findEngagement(deps.db, actor.teamId, engagementId);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  const open = (await listOpenMilestonesOf(deps.db, [engagement.id])).get(engagement.id) ?? [];
  const risks = (await listOpenRisks(deps.db, actor.teamId, [engagement.id])).map(riskView);
  const owner = engagement.owner_id
    ? await findMember(deps.db, actor.teamId, engagement.owner_id)
    : undefined;
  return ok({
    today: calendarOf(team.value).localDate(deps.now()),
    engagement: {
      ...toEngagementRef(engagement),
      status: engagement.status,
      startsOn: engagement.starts_on,
      endsOn: engagement.ends_on,
    },
    ownerName: owner?.name ?? null,
    open: engagement.status === 'closed' ? [] : open.map(detailMilestone),
    risks: engagement.status === 'closed' ? [] : risks,
    pendingProposal: (await findPendingProposal(deps.db, engagement.id)) !== undefined,
  });
}

export type NudgeFailure =
  'not-a-lead' | 'unknown-team' | 'unknown-engagement' | 'engagement-closed' | 'no-owner' | 'nothing-overdue';

export interface Nudged {
  readonly ownerId: string;
  /** Who was asked: the owner, or the stand-in covering for them today. */
  readonly nudgedId: string;
  readonly engagement: EngagementRef;
  /** The owner was already nudged about this engagement today: nothing new was sent. */
  readonly alreadyToday: boolean;
  readonly toSend: readonly QueuedMessage[];
}

/**
 * **Nudge owner**: a lead asks the owner, by DM, to deal with the overdue milestones; on a day a
 * stand-in covers for the owner, the stand-in is asked (the owner is away). Once per engagement and
 * day, whichever lead clicks (and however often): the one asked hears it once.
 */
export async function nudgeOwner(
  deps: FlowDeps,
  actor: Actor,
  engagementId: string,
): Promise<Result<Nudged, NudgeFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, "nudge an engagement's owner");
    if (!lead.ok) return lead;
    const team = await requireTeam(trx, actor.teamId);
    if (!team.ok) return team;
    const engagement = await lockEngagement(trx, actor.teamId, engagementId);
    if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
    if (engagement.status === 'closed')
      return fail('engagement-closed', `Engagement #${engagement.number} is closed: nothing to chase.`);
    if (!engagement.owner_id)
      return fail('no-owner', `Engagement #${engagement.number} has no owner yet to nudge.`);
    const today = calendarOf(team.value).localDate(deps.now());
    const overdue = ((await listOpenMilestonesOf(trx, [engagement.id])).get(engagement.id) ?? []).filter(
      (m) => m.due_on < today,
    );
    if (overdue.length === 0)
      return fail('nothing-overdue', `Nothing of #${engagement.number} is overdue any more.`);
    const cover = (await standInsBetween(trx, actor.teamId, today, today)).find(
      (s) => s.engagementId === engagement.id,
    );
    const nudgedId = cover?.standInId ?? engagement.owner_id;
    const key = outboxKey.ownerNudge(engagement.id, today);
    const ref = toEngagementRef(engagement);
    const written = await enqueue(
      trx,
      toOutboxRows([
        {
          teamId: actor.teamId,
          key,
          channelId: nudgedId,
          engagementId: engagement.id,
          message: {
            type: 'owner-nudge',
            day: today,
            leadId: actor.userId,
            standingInFor: cover ? engagement.owner_id : null,
            engagement: ref,
            items: overdue.map((m) => ({ milestoneId: m.id, title: m.title, dueOn: m.due_on })),
          },
          expiresAt: null,
        },
      ]),
    );
    if (written > 0) {
      await recordEvent(trx, {
        teamId: actor.teamId,
        engagementId: engagement.id,
        kind: 'owner.nudged',
        actorId: actor.userId,
        at: deps.now(),
        data: {
          ownerId: engagement.owner_id,
          ...(cover ? { standInId: cover.standInId } : {}),
          overdue: overdue.length,
        },
      });
    }
    return ok({
      ownerId: engagement.owner_id,
      nudgedId,
      engagement: ref,
      alreadyToday: written === 0,
      toSend: [{ teamId: actor.teamId, key }],
    });
  });
}
