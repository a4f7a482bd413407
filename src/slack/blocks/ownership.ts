// What people see once an owner is decided: the owner's DM (with Hand back), the kickoff in the
// engagement channel, and the notes around a handover. The engagement channel may be shared with the
// client: its messages carry names, dates and the plan, never reasons, load or time away.
import type {
  HandBackClosed,
  KickoffUpdate,
  OwnerDmPlan,
  OwnerNews,
  OwnerReleased,
} from '../../flows/scheduled-messages.js';
import { ACTIONS } from '../ids.js';
import {
  bullets,
  button,
  channel,
  clip,
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
/** Block id of the DM's plan, which a shift brings up to date. */
export const OWNER_PLAN_BLOCK = 'ownership_plan';

type PlanLine = OwnerNews['milestones'][number];
type PastRetrospective = NonNullable<OwnerNews['lastRetrospective']>;

export function planLines(milestones: readonly PlanLine[]): string {
  return bullets(
    milestones.map(
      (m) =>
        `${formatDay(m.dueOn)}: ${escapeText(m.title)}${m.status === 'done' ? ' :white_check_mark:' : ''}`,
    ),
  );
}

const window = (e: OwnerNews['engagement']) =>
  `${formatDay(e.startsOn, true)} → ${formatDay(e.endsOn, true)}`;

// Each half of a retrospective is quoted up to this many characters; history has the whole of it.
export const RETROSPECTIVE_QUOTED = 500;

/** The owner's DM's quote of the last retrospective on the plan, each half cut with a pointer to the whole. */
function learntSection(r: PastRetrospective): KnownBlock {
  const cut = r.wentWell.length > RETROSPECTIVE_QUOTED || r.toChange.length > RETROSPECTIVE_QUOTED;
  const quote = (text: string) => escapeText(clip(text, RETROSPECTIVE_QUOTED)).replace(/\n+/g, ' ');
  return section(
    `:bulb: *Last time on this plan* (#${r.number} ${escapeText(r.clientName)}, by ${user(r.writtenBy)})\n` +
      `*What went well:* ${quote(r.wentWell)}\n*What to change:* ${quote(r.toChange)}` +
      (cut ? `\n_The whole of it: \`/engagement history #${r.number}\`_` : ''),
  );
}

/** The new owner's DM: what they own, the plan, and the way out within a business day. */
export function ownerDm(news: OwnerNews): Message {
  const e = news.engagement;
  const label = engagementLabel(e);
  const taking = news.previousOwnerId ? ` (taking over from ${user(news.previousOwnerId)})` : '';
  const deliveryLead = e.deliveryLeadId ? ` · delivery lead ${user(e.deliveryLeadId)}` : '';
  const blocks: KnownBlock[] = [
    section(
      `:wave: You own *${label}*${taking}, approved by ${user(news.decidedBy)}.\n` +
        `${window(e)} · channel ${channel(e.channelId)}${deliveryLead}`,
    ),
    ...(news.buddyId
      ? [
          section(
            `:handshake: Your buddy is ${user(news.buddyId)}, who has owned engagements before: ask them anything, and walk them through your plan.`,
          ),
        ]
      : []),
    section(`*The plan*\n${planLines(news.milestones)}`, OWNER_PLAN_BLOCK),
    ...(news.lastRetrospective ? [learntSection(news.lastRetrospective)] : []),
    // The notes from the form are for the owner and leads: this DM, never a client channel.
    ...(e.notes ? [section(`*Notes*\n${escapeText(e.notes)}`)] : []),
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
  return kickoff({
    label,
    ownerId: news.ownerId,
    deliveryLeadId: e.deliveryLeadId,
    startsOn: e.startsOn,
    endsOn: e.endsOn,
    plan: news.milestones.filter((m) => m.status === 'open'),
  });
}

/** The kickoff as it now reads: its owner changed (handed back: being chosen; approved: the new one). */
export const kickoffUpdated = (m: KickoffUpdate): Message =>
  kickoff({
    label: engagementLabel(m.engagement),
    ownerId: m.engagement.ownerId,
    deliveryLeadId: m.engagement.deliveryLeadId,
    startsOn: m.engagement.startsOn,
    endsOn: m.engagement.endsOn,
    plan: m.plan.map((p) => ({ title: p.title, dueOn: p.dueOn, status: 'open' as const })),
  });

function kickoff(k: {
  label: string;
  ownerId: string | null;
  deliveryLeadId: string | null;
  startsOn: string;
  endsOn: string;
  plan: readonly PlanLine[];
}): Message {
  const owner = k.ownerId ? user(k.ownerId) : 'being chosen';
  const deliveryLead = k.deliveryLeadId ? `\nDelivery lead: ${user(k.deliveryLeadId)}` : '';
  return {
    text: `Kickoff: ${k.label}, owner ${owner}`,
    blocks: [
      section(
        `:rocket: *Kickoff: ${k.label}*\nOwner: ${owner}${deliveryLead}\n` +
          `${formatDay(k.startsOn, true)} → ${formatDay(k.endsOn, true)}`,
      ),
      section(`*The plan*\n${planLines(k.plan)}`),
    ],
  };
}

/** Why the owner's DM no longer has Hand back: the window closed, or someone took it over. */
export const handBackClosedNote = (m: Pick<HandBackClosed, 'closedOn' | 'takenOverBy'>): string =>
  m.takenOverBy
    ? `${user(m.takenOverBy)} took it over on ${formatDay(m.closedOn)}: it is no longer yours, and Hand back is gone.`
    : `The hand-back window closed on ${formatDay(m.closedOn)}: Hand back is gone. Can't keep it after all? Ask a lead to reassign it.`;

/**
 * The owner's DM once the hand-back window has closed (or someone took it over): as it was, without
 * the Hand back button, with a line saying why. The same blocks twice give the same message (an
 * update may be retried); a later note replaces an earlier one.
 */
export function withoutHandBack(
  blocks: readonly KnownBlock[],
  m: Pick<HandBackClosed, 'closedOn' | 'takenOverBy'>,
): KnownBlock[] {
  const kept = blocks.filter(
    (b) =>
      b.block_id !== HAND_BACK_ACTIONS_BLOCK &&
      !(b.type === 'context' && JSON.stringify(b.elements).includes('Hand back is gone')),
  );
  return [...kept, context(handBackClosedNote(m))];
}

/** When the DM itself cannot be read back: what it must say at least. */
export const handBackClosedDm = (m: HandBackClosed): Message => ({
  text: `${m.takenOverBy ? 'You owned' : 'You own'} ${engagementLabel(m.engagement)}`,
  blocks: [
    section(`:wave: ${m.takenOverBy ? 'You owned' : 'You own'} *${engagementLabel(m.engagement)}*.`),
    context(handBackClosedNote(m)),
  ],
});

/**
 * The owner's DM with the plan as it now stands: its plan section replaced, the rest (Hand back or
 * the note that it went, the notes, the buddy) as it was. DMs from before the plan had a block id
 * are found by their heading.
 */
export function withPlan(blocks: readonly KnownBlock[], plan: OwnerDmPlan['plan']): KnownBlock[] {
  const planSection = section(`*The plan*\n${planLines(plan)}`, OWNER_PLAN_BLOCK);
  return blocks.map((b) =>
    b.block_id === OWNER_PLAN_BLOCK || (b.type === 'section' && b.text?.text.startsWith('*The plan*'))
      ? planSection
      : b,
  );
}

/** When the DM itself cannot be read back: what it must say at least. */
export const ownerDmPlanFallback = (m: OwnerDmPlan): Message => ({
  text: `You own ${engagementLabel(m.engagement)}`,
  blocks: [
    section(`:wave: You own *${engagementLabel(m.engagement)}*.`),
    section(`*The plan*\n${planLines(m.plan)}`, OWNER_PLAN_BLOCK),
  ],
});

/** The previous owner's DM after a handover was approved. */
export function releasedDm(m: OwnerReleased): Message {
  return {
    text: `${engagementLabel(m.engagement)} has a new owner`,
    blocks: [
      section(
        `${user(m.newOwnerId)} now owns *${engagementLabel(m.engagement)}*; it no longer counts towards your workload. Thank you!`,
      ),
    ],
  };
}

/** What of an owner's news the outbox could not send: the row's key, where to, and Slack's refusal. */
export interface NewsNotSent {
  readonly key: string;
  readonly to: string;
  readonly error?: string | undefined;
}

const NEWS_WORDS: Record<string, (to: string) => string> = {
  'owner-dm': (to) => `the DM telling ${user(to)} they own it`,
  kickoff: (to) => `the kickoff in ${channel(to)}`,
  'kickoff-update': (to) => `the update of the kickoff in ${channel(to)}`,
  'owner-released': (to) => `the DM telling ${user(to)} they are released`,
  'client-kickoff': (to) => `the summary in the client channel ${channel(to)}`,
  buddy: (to) => `the DM to the buddy, ${user(to)}`,
};

function whyNot(error: string | undefined): string {
  if (error === 'not_in_channel' || error === 'channel_not_found')
    return "I'm not in that channel: invite me there (`/invite @Steward`)";
  if (error?.startsWith('withheld')) return 'a client can read that channel, and the message is internal';
  return `Slack answered ${error ?? 'with an error'}`;
}

/** Tells the lead who decided which of the news did not go out, and why, in words they can act on. */
export function newsNotSentNote(label: string, ownerId: string, failed: readonly NewsNotSent[]): string {
  const lines = failed.map((f) => {
    const words = NEWS_WORDS[f.key.split(':')[0] ?? ''];
    return `• ${words ? words(f.to) : 'a message'}: ${whyNot(f.error)}`;
  });
  return `${user(ownerId)} owns *${label}*, but not everyone was told:\n${lines.join('\n')}`;
}
