// A lead's side of Steward: App Home's "Waiting on you" (each item with its button), the engagement
// a lead opens from it or from an escalation, and the owner's DM when a lead nudges them.
import type {
  EngagementDetail,
  HighRisk,
  OverdueItem,
  WaitingOnLead,
  WaitingProposal,
} from '../../flows/lead-home.js';
import type { RedateOffer } from '../../flows/plan-redate.js';
import type { OwnerNudge } from '../../flows/scheduled-messages.js';
import { ACTIONS } from '../ids.js';
import {
  button,
  channel,
  context,
  escapeText,
  formatDay,
  mrkdwn,
  section,
  sections,
  user,
  type KnownBlock,
  type Message,
} from './kit.js';
import { riskLine } from './risks.js';

const label = (e: { number: number; clientName: string }) => `#${e.number} ${escapeText(e.clientName)}`;
const days = (n: number) => `${n} business day${n === 1 ? '' : 's'}`;

/** What a pending proposal asks of its candidate, as a lead reads it. */
const PROPOSED_AS: Record<WaitingProposal['kind'], string> = {
  owner: 'as owner',
  handover: 'to take over',
  'stand-in': 'to stand in',
};

/** Items App Home shows at once (one block each); "Show more" pages through the rest. */
export const WAITING_SHOWN = 20;

export const LEAD_HOME_BLOCKS = {
  proposal: (proposalId: string) => `waiting_proposal_${proposalId}`,
  overdue: (milestoneId: string) => `waiting_overdue_${milestoneId}`,
  risk: (riskId: string) => `waiting_risk_${riskId}`,
  redate: 'waiting_redate',
  more: 'waiting_more',
} as const;

type Waiting =
  | { kind: 'redate'; item: RedateOffer }
  | { kind: 'proposal'; item: WaitingProposal }
  | { kind: 'overdue'; item: OverdueItem }
  | { kind: 'risk'; item: HighRisk };

function waitingBlock(w: Waiting): KnownBlock {
  switch (w.kind) {
    case 'redate': {
      const r = w.item;
      return {
        type: 'section',
        block_id: LEAD_HOME_BLOCKS.redate,
        text: mrkdwn(
          `:calendar: *${r.milestones} open milestone${r.milestones === 1 ? '' : 's'}* in ${r.engagements} engagement${r.engagements === 1 ? '' : 's'} fall${r.milestones === 1 ? 's' : ''} on a weekend or holiday since the team's calendar changed: each would move to the next business day, its channel told.`,
        ),
        accessory: button(ACTIONS.redateMilestones, r.label, 'redate', 'primary'),
      };
    }
    case 'proposal': {
      const p = w.item;
      const who =
        p.candidateId === null
          ? 'nobody was eligible: choose someone by hand'
          : `${user(p.candidateId)} proposed ${PROPOSED_AS[p.kind]}`;
      return {
        type: 'section',
        block_id: LEAD_HOME_BLOCKS.proposal(p.proposalId),
        text: mrkdwn(
          `:hourglass_flowing_sand: *${label(p.engagement)}*: ${who}, since ${formatDay(p.since)}`,
        ),
        accessory:
          p.kind === 'stand-in'
            ? p.candidateId === null
              ? button(ACTIONS.declineStandIn, 'No stand-in', p.proposalId)
              : button(
                  ACTIONS.approveStandIn,
                  `Approve ${p.candidateName ?? 'them'}`,
                  p.proposalId,
                  'primary',
                )
            : p.candidateId === null
              ? button(ACTIONS.chooseOwner, 'Choose someone', p.proposalId)
              : button(ACTIONS.approveOwner, `Approve ${p.candidateName ?? 'them'}`, p.proposalId, 'primary'),
      };
    }
    case 'overdue': {
      const o = w.item;
      const owner = o.engagement.ownerId ? `owner ${user(o.engagement.ownerId)}` : 'no owner';
      return {
        type: 'section',
        block_id: LEAD_HOME_BLOCKS.overdue(o.milestoneId),
        text: mrkdwn(
          `:red_circle: *${label(o.engagement)}* · ${owner}\n${escapeText(o.title)}: due ${formatDay(o.dueOn)}, ${days(o.businessDaysLate)} late`,
        ),
        accessory: button(ACTIONS.nudgeOwner, 'Nudge owner', o.engagement.id),
      };
    }
    case 'risk': {
      const r = w.item;
      return {
        type: 'section',
        block_id: LEAD_HOME_BLOCKS.risk(r.risk.id),
        text: mrkdwn(`*${label(r.engagement)}* ${riskLine(r.risk)}`),
        accessory: button(ACTIONS.resolveRisk, 'Resolve', r.risk.id),
      };
    }
  }
}

/**
 * App Home's "Waiting on you" for a lead: a re-dating to decide, pending proposals, overdue milestones, open high risks, one
 * block each with its button, `offset` onwards; a "Show more" button pages through a long list.
 */
export function waitingBlocks(waiting: WaitingOnLead, offset = 0): KnownBlock[] {
  const all: Waiting[] = [
    ...(waiting.redate ? [{ kind: 'redate' as const, item: waiting.redate }] : []),
    ...waiting.proposals.map((item) => ({ kind: 'proposal' as const, item })),
    ...waiting.overdue.map((item) => ({ kind: 'overdue' as const, item })),
    ...waiting.risks.map((item) => ({ kind: 'risk' as const, item })),
  ];
  const counts = [
    ...(waiting.redate
      ? [`${waiting.redate.milestones} milestone${waiting.redate.milestones === 1 ? '' : 's'} to re-date`]
      : []),
    `${waiting.proposals.length} proposal${waiting.proposals.length === 1 ? '' : 's'} to decide`,
    `${waiting.overdue.length} overdue milestone${waiting.overdue.length === 1 ? '' : 's'}`,
    `${waiting.risks.length} open high risk${waiting.risks.length === 1 ? '' : 's'}`,
  ].join(' · ');
  if (all.length === 0)
    return [section('*Waiting on you*\nNothing: no proposal, overdue milestone or high risk.')];
  const start = offset < all.length ? offset : 0;
  const shown = all.slice(start, start + WAITING_SHOWN);
  const blocks: KnownBlock[] = [section(`*Waiting on you*\n${counts}`), ...shown.map(waitingBlock)];
  const next = start + shown.length;
  const range = `${start + 1}–${next} of ${all.length}`;
  if (next < all.length || start > 0) {
    blocks.push({
      type: 'actions',
      block_id: LEAD_HOME_BLOCKS.more,
      elements: [
        next < all.length
          ? button(
              ACTIONS.homeWaitingMore,
              `Show more (${Math.min(WAITING_SHOWN, all.length - next)})`,
              String(next),
            )
          : button(ACTIONS.homeWaitingMore, 'Back to the first', '0'),
      ],
    });
    blocks.push(context(`Showing ${range}.`));
  }
  return blocks;
}

/** The buttons under each escalated milestone, and on an opened engagement. */
export function leadActions(engagementId: string, blockId: string, withOpen: boolean): KnownBlock {
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      ...(withOpen ? [button(ACTIONS.openEngagement, 'Open engagement', engagementId)] : []),
      button(ACTIONS.nudgeOwner, 'Nudge owner', engagementId),
      button(ACTIONS.proposeHandover, 'Propose a handover', engagementId, 'danger'),
    ],
  };
}

/** **Open engagement**: its dates, owner, open milestones and open risks, privately to the lead. */
export function engagementDetailMessage(d: EngagementDetail): Message {
  const e = d.engagement;
  const owner = e.ownerId ? `owner ${user(e.ownerId)}` : '_awaiting an owner_';
  const head = `*${label(e)}* in ${channel(e.channelId)} · ${owner} · ${formatDay(e.startsOn)} → ${formatDay(e.endsOn)}${
    e.status === 'closed' ? ' · *closed*' : ''
  }${d.pendingProposal ? ' · a proposal is waiting in the rotation channel' : ''}`;
  const milestones = d.open.map(
    (m) => `• ${formatDay(m.dueOn)}: ${escapeText(m.title)}${m.dueOn < d.today ? ' _(overdue)_' : ''}`,
  );
  const blocks: KnownBlock[] = sections([
    head,
    ...(e.status === 'closed'
      ? []
      : milestones.length > 0
        ? ['*Open milestones*', ...milestones]
        : ['_All milestones done._']),
    ...(d.risks.length > 0 ? ['*Open risks*', ...d.risks.map(riskLine)] : []),
  ]);
  if (e.status !== 'closed' && e.ownerId) blocks.push(leadActions(e.id, `engagement_${e.id}`, false));
  blocks.push(context('`/engagement history #' + e.number + '` tells its whole story.'));
  return { text: `#${e.number} ${e.clientName}`, blocks };
}

/** The owner's DM when a lead nudges them about overdue milestones. */
export function ownerNudgeMessage(m: OwnerNudge): Message {
  const lines = m.items.map((i) => `• ${escapeText(i.title)}: due ${formatDay(i.dueOn)}`);
  return {
    text: `${m.items.length === 1 ? 'A milestone' : `${m.items.length} milestones`} of #${m.engagement.number} ${m.engagement.clientName} ${m.items.length === 1 ? 'is' : 'are'} overdue`,
    blocks: [
      ...sections([
        `:wave: ${user(m.leadId)} asks you to look at *${label(m.engagement)}*${
          m.standingInFor ? `, which you stand in for ${user(m.standingInFor)} on today` : ''
        }: ${m.items.length === 1 ? 'a milestone is' : `${m.items.length} milestones are`} overdue.`,
        ...lines,
      ]),
      context(
        `Mark them done on the reminder in ${channel(m.engagement.channelId)}, shift the plan if the client is late, or tell your lead what is in the way.`,
      ),
    ],
  };
}
