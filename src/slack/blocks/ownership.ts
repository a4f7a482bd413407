// What people see once an owner is decided: the owner's DM (with Hand back), the kickoff in the
// engagement channel, and the notes around a handover. The engagement channel may be shared with the
// client (DESIGN §1): its messages carry names, dates and the plan, never reasons, load or time away.
import type { EngagementRow, MilestoneRow } from '../../db/schema.js';
import { ACTIONS } from '../ids.js';
import {
  bullets,
  button,
  channel,
  context,
  escapeText,
  formatDay,
  section,
  user,
  type KnownBlock,
  type Message,
} from './kit.js';
import { engagementLabel } from './proposal.js';

/** Block id of the DM's Hand back button. */
export const HAND_BACK_ACTIONS_BLOCK = 'ownership_actions';

export function planLines(milestones: readonly Pick<MilestoneRow, 'due_on' | 'title' | 'status'>[]): string {
  return bullets(
    milestones.map(
      (m) =>
        `${formatDay(m.due_on)}: ${escapeText(m.title)}${m.status === 'done' ? ' :white_check_mark:' : ''}`,
    ),
  );
}

const window = (e: EngagementRow) => `${formatDay(e.starts_on, true)} → ${formatDay(e.ends_on, true)}`;

export interface OwnerNews {
  readonly engagement: EngagementRow;
  readonly ownerId: string;
  readonly decidedBy: string;
  readonly previousOwnerId: string | null;
  readonly milestones: readonly MilestoneRow[];
}

/** The new owner's DM: what they own, the plan, and the way out within a business day. */
export function ownerDm(news: OwnerNews): Message {
  const e = news.engagement;
  const label = engagementLabel(e);
  const taking = news.previousOwnerId ? ` (taking over from ${user(news.previousOwnerId)})` : '';
  const deliveryLead = e.delivery_lead_id ? ` · delivery lead ${user(e.delivery_lead_id)}` : '';
  const blocks: KnownBlock[] = [
    section(
      `:wave: You own *${label}*${taking}, approved by ${user(news.decidedBy)}.\n` +
        `${window(e)} · channel ${channel(e.channel_id)}${deliveryLead}`,
    ),
    section(`*The plan*\n${planLines(news.milestones)}`),
    context(
      "I'll remind you in the engagement channel as milestones come due. Can't take it? Hand it back within a business day, with a reason.",
    ),
    {
      type: 'actions',
      block_id: HAND_BACK_ACTIONS_BLOCK,
      elements: [button(ACTIONS.handBack, 'Hand back', e.id, 'danger')],
    },
  ];
  return { text: `You own ${label}`, blocks };
}

/** The DM after the owner handed it back: the button is gone and the reason is on record. */
export function handedBackDm(engagement: Parameters<typeof engagementLabel>[0], reason: string): Message {
  const label = engagementLabel(engagement);
  return {
    text: `You handed back ${label}`,
    blocks: [
      section(`You handed back *${label}*: _${escapeText(reason)}_\nThe leads are choosing a new owner.`),
    ],
  };
}

/** The engagement channel's kickoff: owner, delivery lead and the dated plan; nothing internal. */
export function kickoffMessage(news: OwnerNews): Message {
  const e = news.engagement;
  const label = engagementLabel(e);
  if (news.previousOwnerId) {
    return {
      text: `${label}: new owner ${user(news.ownerId)}`,
      blocks: [
        section(
          `:handshake: ${user(news.ownerId)} now owns *${label}*, taking over from ${user(news.previousOwnerId)}.`,
        ),
      ],
    };
  }
  const deliveryLead = e.delivery_lead_id ? `\nDelivery lead: ${user(e.delivery_lead_id)}` : '';
  return {
    text: `Kickoff: ${label}, owner ${user(news.ownerId)}`,
    blocks: [
      section(`:rocket: *Kickoff: ${label}*\nOwner: ${user(news.ownerId)}${deliveryLead}\n${window(e)}`),
      section(`*The plan*\n${planLines(news.milestones.filter((m) => m.status === 'open'))}`),
    ],
  };
}

/** The previous owner's DM after a handover was approved. */
export function releasedDm(engagement: EngagementRow, newOwnerId: string): Message {
  return {
    text: `${engagementLabel(engagement)} has a new owner`,
    blocks: [
      section(
        `${user(newOwnerId)} now owns *${engagementLabel(engagement)}*; it no longer counts towards your workload. Thank you!`,
      ),
    ],
  };
}
