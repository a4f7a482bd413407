// Stand-in messages: the proposal in the rotation channel (who should act for an owner briefly away,
// with the leads' buttons), the stand-in's DM once approved, the owner's note, and the line a stand-in
// gets when the owner is back early.
import type {
  ProposalOutcome,
  ProposalView,
  StandInArranged,
  StandInAsked,
  StandInEnded,
} from '../../flows/scheduled-messages.js';
import { ACTIONS } from '../ids.js';
import {
  bullets,
  button,
  channel,
  context,
  escapeKeepingMentions,
  escapeText,
  formatDay,
  section,
  user,
  type KnownBlock,
  type Message,
} from './kit.js';

// As in the owner proposal: a big team's skip list would drown the message.
const SKIPPED_SHOWN = 15;

const label = (e: { number: number; clientName: string }) => `#${e.number} ${escapeText(e.clientName)}`;
const plainLabel = (e: { number: number; clientName: string }) => `#${e.number} ${e.clientName}`;

/** `Wed 9 Dec – Fri 11 Dec`, or one day. */
export const coverDays = (from: string, to: string): string =>
  from === to ? formatDay(from) : `${formatDay(from)} – ${formatDay(to)}`;

function summary(view: ProposalView): KnownBlock[] {
  const cover = view.cover;
  const owner = cover ? user(cover.ownerId) : 'the owner';
  const days = cover ? coverDays(cover.from, cover.to) : '';
  const blocks: KnownBlock[] = [
    section(`Stand-in for *${label(view.engagement)}* while ${owner} is away (${days}): who should cover?`),
    context(
      `${owner} stays the owner. On these days the reminders, the status prompt and escalations go to the stand-in. ` +
        `Channel ${channel(view.engagement.channelId)}.`,
    ),
  ];
  if (view.proposal.why) blocks.push(context(`Why: ${escapeKeepingMentions(view.proposal.why)}`));
  // Whoever a lead chose by hand stands in, whatever the ranking said of them.
  const chosen = view.proposal.outcome === 'overridden' ? view.candidate?.userId : undefined;
  const skipped = view.skipped
    .filter((s) => s.reason !== 'not-in-rotation' && s.userId !== chosen)
    .map((s) => `${escapeText(s.name)}: ${escapeText(s.text)}`);
  const shown = skipped.slice(0, SKIPPED_SHOWN);
  if (skipped.length > shown.length) shown.push(`and ${skipped.length - shown.length} more`);
  if (view.candidate) {
    const reasons = view.reasons.length > 0 ? `\n${bullets(view.reasons.map(escapeText))}` : '';
    // A lead's pick by hand replaced whoever was proposed (the audit trail keeps who that was).
    const heading = view.proposal.outcome === 'overridden' ? 'Chosen by hand' : 'Proposed stand-in';
    blocks.push(section(`*${heading}: ${user(view.candidate.userId)}*${reasons}`));
    if (shown.length > 0) blocks.push(section(`*Skipped*\n${bullets(shown)}`));
  } else {
    blocks.push(
      section(
        `:warning: *Nobody is free to stand in* (nobody left the rotation would propose). Choose someone by hand, keep things as they are, or propose a handover with \`/engagement reassign #${view.engagement.number}\`.` +
          (shown.length > 0 ? `\n${bullets(shown)}` : ''),
      ),
    );
  }
  return blocks;
}

/** An open stand-in proposal with the leads' buttons (each carries the proposal id). */
export function standInProposalMessage(view: ProposalView, actionsBlockId: string): Message {
  const id = view.proposal.id;
  const keep = button(ACTIONS.declineStandIn, 'No stand-in', id);
  const buttons = view.candidate
    ? [
        button(ACTIONS.approveStandIn, `Approve ${view.candidate.name}`, id, 'primary'),
        button(ACTIONS.passOverStandIn, `Pass over ${view.candidate.name}`, id),
        button(ACTIONS.chooseStandIn, 'Choose someone else', id),
        keep,
      ]
    : [button(ACTIONS.chooseStandIn, 'Choose someone', id, 'primary'), keep];
  const text = view.candidate
    ? `Stand-in proposal for ${plainLabel(view.engagement)}: ${view.candidate.name}`
    : `Stand-in proposal for ${plainLabel(view.engagement)}: nobody is free`;
  return {
    text,
    blocks: [...summary(view), { type: 'actions', block_id: actionsBlockId, elements: buttons }],
  };
}

function decisionLine(
  view: ProposalView,
  outcome: Exclude<ProposalOutcome, 'pending'>,
  by: string | null,
  note: string | null,
): string {
  const who = by ? ` by ${user(by)}` : '';
  const owner = view.cover ? user(view.cover.ownerId) : 'the owner';
  switch (outcome) {
    case 'approved':
      return `:white_check_mark: ${view.candidate ? user(view.candidate.userId) : 'The stand-in'} stands in, approved${who}; ${owner} stays the owner.`;
    case 'overridden':
      return `:white_check_mark: ${view.candidate ? user(view.candidate.userId) : 'The stand-in'} stands in, chosen by hand${who}${note ? ` (${escapeText(note)})` : ''}; ${owner} stays the owner.`;
    case 'passed':
      return `:fast_forward: Passed over${who}; the next stand-in is proposed below.`;
    case 'dismissed':
      return `:no_entry_sign: No stand-in, decided${who}; ${owner} keeps getting everything.`;
    case 'declined':
      return `:leftwards_arrow_with_hook: Declined${who}.`;
    case 'superseded':
      return `:information_source: Superseded${note ? `: ${escapeText(note)}` : ''}.`;
  }
}

const OUTCOME_WORDS: Record<Exclude<ProposalOutcome, 'pending'>, string> = {
  approved: 'approved',
  overridden: 'chosen by hand',
  passed: 'passed over',
  dismissed: 'no stand-in',
  declined: 'declined',
  superseded: 'superseded',
};

/** The same proposal after a decision: no buttons left, and what was decided. */
export function decidedStandInMessage(
  view: ProposalView,
  decision: { outcome: Exclude<ProposalOutcome, 'pending'>; by: string | null; note?: string | null },
): Message {
  return {
    text: `Stand-in proposal for ${plainLabel(view.engagement)}: ${OUTCOME_WORDS[decision.outcome]}`,
    blocks: [
      ...summary(view),
      section(decisionLine(view, decision.outcome, decision.by, decision.note ?? null)),
    ],
  };
}

/** The stand-in's DM: whose engagement, which days, what falls due, and that the owner stays. */
export function standInAskedDm(m: StandInAsked): Message {
  const days = coverDays(m.from, m.to);
  const by = m.approvedBy ? ` (approved by ${user(m.approvedBy)})` : '';
  const blocks: KnownBlock[] = [
    section(
      `:handshake: You stand in for ${user(m.ownerId)} on *${label(m.engagement)}* ${days}${by}. ` +
        `On those days the reminders in ${channel(m.engagement.channelId)}, the status prompt and escalations are yours; ` +
        `${user(m.ownerId)} stays the owner and takes it back after.`,
    ),
  ];
  blocks.push(
    section(
      m.due.length > 0
        ? `*Due while they are away*\n${bullets(m.due.map((d) => `${escapeText(d.title)}: ${formatDay(d.dueOn)}`))}`
        : 'Nothing is due on those days as the plan stands.',
    ),
  );
  if (m.notes) blocks.push(context(`Notes: ${escapeText(m.notes)}`));
  return { text: `You stand in for the owner of ${plainLabel(m.engagement)}, ${days}`, blocks };
}

/** The owner's note: who acts for them, which days. */
export function standInArrangedDm(m: StandInArranged): Message {
  const days = coverDays(m.from, m.to);
  const by = m.approvedBy ? `, approved by ${user(m.approvedBy)}` : '';
  return {
    text: `A stand-in covers ${plainLabel(m.engagement)} ${days}`,
    blocks: [
      section(
        `:handshake: ${user(m.standInId)} stands in for you on *${label(m.engagement)}* ${days}${by}. ` +
          'They get the reminders, the status prompt and escalations on those days; you stay the owner. ' +
          'Back early? `/engagement back` ends the cover.',
      ),
    ],
  };
}

/** A stand-in whose cover the owner's early return cut short or called off. */
export function standInEndedDm(m: StandInEnded): Message {
  const what = m.calledOff ? 'is called off' : `ends: it is theirs again from ${formatDay(m.backOn)}`;
  return {
    text: `Your stand-in for ${plainLabel(m.engagement)} ${m.calledOff ? 'is called off' : 'ends'}`,
    blocks: [
      section(
        `:wave: ${user(m.ownerId)} is back: your cover of *${label(m.engagement)}* ${what}. Thank you!`,
      ),
    ],
  };
}
