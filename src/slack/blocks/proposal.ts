// The proposal message in the rotation channel: who Steward proposes as owner, why, who was skipped,
// and the leads' buttons. Also used by the scheduled jobs for re-proposals and handover proposals.
import type { ProposalOutcome, ProposalView } from '../../flows/scheduled-messages.js';
import { ACTIONS, COMMAND } from '../ids.js';
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
import { decidedStandInMessage, standInProposalMessage } from './stand-in.js';

/** Block id of the proposal's buttons: tests and listeners find them by it. */
export const PROPOSAL_ACTIONS_BLOCK = 'proposal_actions';

// A big team's skip list would drown the proposal; the rest are summarised in one line.
const SKIPPED_SHOWN = 15;

export const engagementLabel = (engagement: { number: number; clientName: string }): string =>
  `#${engagement.number} ${escapeText(engagement.clientName)}`;

/** An open proposal asks; a decided one states what it was about (its decision line answers). */
function headline(view: ProposalView): string {
  const label = `*${engagementLabel(view.engagement)}*`;
  const open = view.proposal.outcome === 'pending';
  if (view.proposal.kind === 'handover') {
    const from = view.engagement.ownerId ? ` from ${user(view.engagement.ownerId)}` : '';
    return `Handover of ${label}${from}${open ? ': who should take over?' : ''}`;
  }
  return open ? `Who should own ${label}?` : `Owner of ${label}`;
}

function facts(view: ProposalView): string {
  const e = view.engagement;
  const parts = [
    `${formatDay(e.startsOn, true)} → ${formatDay(e.endsOn, true)}`,
    `channel ${channel(e.channelId)}`,
    e.deliveryLeadId ? `delivery lead ${user(e.deliveryLeadId)}` : 'no delivery lead named',
  ];
  return parts.join(' · ');
}

function skippedLines(view: ProposalView): string[] {
  // People outside the rotation (leads who only approve, people taken off it) were never candidates.
  const skipped = view.skipped.filter((s) => s.reason !== 'not-in-rotation');
  const shown = skipped.slice(0, SKIPPED_SHOWN).map((s) => `${escapeText(s.name)}: ${escapeText(s.text)}`);
  const more = skipped.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more`] : shown;
}

/** The summary both the open and the decided proposal show. */
function summary(view: ProposalView): KnownBlock[] {
  const blocks: KnownBlock[] = [section(headline(view)), context(facts(view))];
  if (view.proposal.why) blocks.push(context(`Why: ${escapeKeepingMentions(view.proposal.why)}`));
  if (view.candidate) {
    const reasons = view.reasons.length > 0 ? `\n${bullets(view.reasons.map(escapeText))}` : '';
    blocks.push(section(`*Proposed owner: ${user(view.candidate.userId)}*${reasons}`));
    if (view.buddy) blocks.push(context(buddyLine(view)));
    const skipped = skippedLines(view);
    if (skipped.length > 0) blocks.push(section(`*Skipped*\n${bullets(skipped)}`));
  } else {
    const skipped = skippedLines(view);
    blocks.push(
      section(
        `:warning: *Nobody is eligible.* A lead can still choose someone by hand (recorded as an override)${
          view.proposal.kind === 'handover' && view.engagement.ownerId ? ', or keep the current owner' : ''
        }.` + (skipped.length > 0 ? `\n${bullets(skipped)}` : '\nNobody is on the rotation yet.'),
      ),
    );
  }
  // Internal notes from the form: the proposal goes to the rotation channel, never a client's.
  if (view.notes) blocks.push(section(`*Notes*\n${escapeText(view.notes)}`));
  return blocks;
}

function buddyLine(view: ProposalView): string {
  const { userId, reason } = view.buddy!;
  const who = userId ? `Buddy: ${user(userId)} (${escapeText(reason)})` : `No buddy: ${escapeText(reason)}`;
  const change =
    view.proposal.outcome === 'pending'
      ? ` · a lead can pick another: \`${COMMAND} buddy #${view.engagement.number} @someone|none\``
      : '';
  return `:handshake: ${who}${change}`;
}

/** An open proposal with the leads' buttons (each carries the proposal id). */
export function proposalMessage(view: ProposalView): Message {
  if (view.proposal.kind === 'stand-in') return standInProposalMessage(view, PROPOSAL_ACTIONS_BLOCK);
  const id = view.proposal.id;
  // A handover can always be turned down, even when nobody could take over: the current owner stays.
  const keep =
    view.proposal.kind === 'handover' && view.engagement.ownerId
      ? [button(ACTIONS.keepOwner, 'Keep the current owner', id)]
      : [];
  const buttons = view.candidate
    ? [
        button(ACTIONS.approveOwner, `Approve ${view.candidate.name}`, id, 'primary'),
        button(ACTIONS.proposeNext, `Pass over ${view.candidate.name}`, id),
        button(ACTIONS.chooseOwner, 'Choose someone else', id),
        ...keep,
      ]
    : [button(ACTIONS.chooseOwner, 'Choose someone', id, 'primary'), ...keep];
  const label = engagementLabel(view.engagement);
  const text = view.candidate
    ? `${view.proposal.kind === 'handover' ? 'Handover' : 'Owner'} proposal for ${label}: ${view.candidate.name}`
    : `Owner proposal for ${label}: nobody is eligible`;
  return {
    text,
    blocks: [...summary(view), { type: 'actions', block_id: PROPOSAL_ACTIONS_BLOCK, elements: buttons }],
  };
}

export interface ProposalDecision {
  readonly outcome: Exclude<ProposalOutcome, 'pending'>;
  /** The lead who decided; null when Steward itself did (e.g. a re-proposal superseded it). */
  readonly by: string | null;
  /** Who owns the engagement now, when the decision made someone owner. */
  readonly ownerId?: string | null;
  /** Set when a lead chose someone the rotation would have skipped. */
  readonly warning?: string | null;
  readonly note?: string | null;
}

function decisionLine(d: ProposalDecision): string {
  const by = d.by ? ` by ${user(d.by)}` : '';
  const owner = d.ownerId ? user(d.ownerId) : null;
  switch (d.outcome) {
    case 'approved':
      return `:white_check_mark: ${owner ?? 'The candidate'} is the owner, approved${by}.`;
    case 'overridden':
      return `:white_check_mark: ${owner ?? 'Someone'} is the owner, chosen by hand${by} (override).`;
    case 'passed':
      return `:fast_forward: Passed over${by}; the next candidate is proposed below.`;
    case 'declined':
      return `:leftwards_arrow_with_hook: Declined${by}.`;
    case 'dismissed':
      return `:no_entry_sign: Handover turned down${by}; ${owner ?? 'the current owner'} stays the owner.`;
    case 'superseded':
      return owner
        ? `:white_check_mark: ${owner} is the owner, chosen${by}.`
        : `:information_source: Superseded${d.note ? `: ${escapeText(d.note)}` : ''}.`;
  }
}

/** The same proposal after a decision: no buttons left to click, and who decided what. */
export function decidedProposalMessage(view: ProposalView, decision: ProposalDecision): Message {
  if (view.proposal.kind === 'stand-in') return decidedStandInMessage(view, decision);
  const blocks = [...summary(view), section(decisionLine(decision))];
  if (decision.warning) blocks.push(context(`:warning: ${escapeText(decision.warning)}`));
  return { text: `Proposal for ${engagementLabel(view.engagement)}: ${decision.outcome}`, blocks };
}
