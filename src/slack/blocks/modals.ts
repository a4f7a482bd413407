// The modals: new engagement, choose someone else, hand back. Pure builders; the
// listeners pass in whatever they need to find their way back (private_metadata).
import type { HandBackEngagement } from '../../flows/hand-back.js';
import type { ProposalView } from '../../flows/proposing.js';
import {
  CHOOSE_OWNER_FIELDS,
  CHOOSE_STAND_IN_FIELDS,
  HAND_BACK_FIELDS,
  NEW_ENGAGEMENT_FIELDS as F,
  VIEWS,
} from '../ids.js';
import { clip, context, escapeText, section, user, type KnownBlock, type ModalView } from './kit.js';
import { engagementLabel } from './proposal.js';
import { coverDays } from './stand-in.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text: clip(text, 75), emoji: true });

// Slack caps modal titles at 24 characters.
const title = (text: string) => ({ type: 'plain_text' as const, text: clip(text, 24) });

export interface NewEngagementModalInput {
  /** The next business day. */
  readonly startsOn: string;
  readonly templates: readonly { readonly id: string; readonly name: string; readonly version: number }[];
  /** Where `/engagement new` was run: the rotation channel unless the team has one. */
  readonly commandChannelId: string;
  /** Said at the top after a submission whose channel looks like another client's. */
  readonly warning?: { readonly text: string; readonly confirms: string };
}

export interface NewEngagementMetadata {
  readonly commandChannelId: string;
  /** The choice (client and channels) the person was warned about: submitting it again goes ahead. */
  readonly confirms?: string;
}

export function newEngagementModal(input: NewEngagementModalInput): ModalView {
  const options = input.templates.map((t) => ({
    text: plain(`${t.name} (v${t.version})`),
    value: t.id,
  }));
  const metadata: NewEngagementMetadata = {
    commandChannelId: input.commandChannelId,
    ...(input.warning ? { confirms: input.warning.confirms } : {}),
  };
  const blocks: KnownBlock[] = [
    ...(input.warning ? [section(`:warning: ${escapeText(input.warning.text)}`)] : []),
    {
      type: 'input',
      block_id: F.client.block,
      label: plain('Client'),
      // No max_length: a too-long name gets a sentence under the field, not a silent truncation.
      element: {
        type: 'plain_text_input',
        action_id: F.client.action,
        placeholder: plain('e.g. Acme GmbH'),
      },
    },
    {
      type: 'input',
      block_id: F.channel.block,
      label: plain('Engagement channel (internal)'),
      hint: {
        type: 'plain_text',
        text: "The team's own channel for this engagement: reminders, overdue lists and their buttons go there. Not a channel shared with the client.",
      },
      element: {
        type: 'conversations_select',
        action_id: F.channel.action,
        placeholder: plain('Pick a channel'),
        filter: { include: ['public', 'private'], exclude_bot_users: true },
      },
    },
    {
      type: 'input',
      block_id: F.clientChannel.block,
      optional: true,
      label: plain('Client channel'),
      hint: {
        type: 'plain_text',
        text: 'A channel shared with the client (Slack Connect), if there is one. It gets only the kickoff summary (owner and plan dates) and the status updates the owner posts.',
      },
      element: {
        type: 'conversations_select',
        action_id: F.clientChannel.action,
        placeholder: plain('Pick a channel'),
        filter: { include: ['public', 'private'], exclude_bot_users: true },
      },
    },
    {
      type: 'input',
      block_id: F.start.block,
      label: plain('Start date'),
      element: { type: 'datepicker', action_id: F.start.action, initial_date: input.startsOn },
    },
  ];
  if (options.length > 0) {
    blocks.push({
      type: 'input',
      block_id: F.template.block,
      label: plain('Plan template'),
      element: {
        type: 'static_select',
        action_id: F.template.action,
        options,
        initial_option: options[0],
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: F.deliveryLead.block,
      optional: true,
      label: plain('Delivery lead'),
      hint: plain('Who delivers it. Steward never proposes them as its owner.'),
      element: {
        type: 'users_select',
        action_id: F.deliveryLead.action,
        placeholder: plain('Pick a person'),
      },
    },
    {
      type: 'input',
      block_id: F.notes.block,
      optional: true,
      label: plain('Notes'),
      element: { type: 'plain_text_input', action_id: F.notes.action, multiline: true },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEWS.newEngagement,
    title: title('New engagement'),
    submit: plain('Create'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** Where the button that opened a modal was, so the submission can update that message. */
export interface MessageRef {
  readonly channelId: string;
  readonly ts: string;
}

export interface ChooseOwnerMetadata {
  readonly proposalId: string;
  readonly message: MessageRef | null;
}

/** The rules of choosing by hand, said before the lead picks (the handover's own owner: keep). */
function chooseOwnerRules(view: ProposalView): string {
  const keeping =
    view.proposal.kind === 'handover' && view.engagement.ownerId
      ? ` Choosing ${user(view.engagement.ownerId)}, the current owner, keeps things as they are.`
      : '';
  return (
    'The delivery lead cannot own the engagement.' +
    keeping +
    " Choosing someone the rotation would skip (away, at capacity, paused…) asks you to confirm it, with a reason; it's recorded as an override."
  );
}

export function chooseOwnerModal(view: ProposalView, message: MessageRef | null): ModalView {
  const metadata: ChooseOwnerMetadata = { proposalId: view.proposal.id, message };
  return {
    type: 'modal',
    callback_id: VIEWS.chooseOwner,
    title: title('Choose the owner'),
    submit: plain('Make owner'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(`Who should own *${engagementLabel(view.engagement)}*?`),
      {
        type: 'input',
        block_id: CHOOSE_OWNER_FIELDS.owner.block,
        label: plain('Owner'),
        element: {
          type: 'users_select',
          action_id: CHOOSE_OWNER_FIELDS.owner.action,
          placeholder: plain('Pick a person on the team'),
        },
      },
      {
        type: 'input',
        block_id: CHOOSE_OWNER_FIELDS.reason.block,
        optional: true,
        label: plain('Why (recorded with the decision)'),
        element: { type: 'plain_text_input', action_id: CHOOSE_OWNER_FIELDS.reason.action },
      },
      context(chooseOwnerRules(view)),
    ],
  };
}

/** "Choose someone else" on a stand-in proposal: who acts for the owner on the same days. */
export function chooseStandInModal(view: ProposalView, message: MessageRef | null): ModalView {
  const metadata: ChooseOwnerMetadata = { proposalId: view.proposal.id, message };
  const owner = view.cover ? user(view.cover.ownerId) : 'the owner';
  return {
    type: 'modal',
    callback_id: VIEWS.chooseStandIn,
    title: title('Choose the stand-in'),
    submit: plain('Make stand-in'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(
        `Who should stand in for ${owner} on *${engagementLabel(view.engagement)}*${view.cover ? `, ${coverDays(view.cover.from, view.cover.to)}` : ''}?`,
      ),
      {
        type: 'input',
        block_id: CHOOSE_STAND_IN_FIELDS.standIn.block,
        label: plain('Stand-in'),
        element: {
          type: 'users_select',
          action_id: CHOOSE_STAND_IN_FIELDS.standIn.action,
          placeholder: plain('Pick a person on the team'),
        },
      },
      {
        type: 'input',
        block_id: CHOOSE_STAND_IN_FIELDS.reason.block,
        optional: true,
        label: plain('Why (recorded with the decision)'),
        element: { type: 'plain_text_input', action_id: CHOOSE_STAND_IN_FIELDS.reason.action },
      },
      context(
        `The stand-in gets the reminders, status prompts and escalations on those days; ${owner} stays the owner. Anyone on the team may stand in, leads too, except the owner, the delivery lead and anyone away then.`,
      ),
    ],
  };
}

export interface ConfirmOverrideMetadata extends ChooseOwnerMetadata {
  readonly ownerId: string;
}

/**
 * Pushed over "Choose the owner" when the rotation would skip the person picked: says why, and asks
 * for a reason before anything is decided.
 */
export function confirmOverrideModal(input: {
  readonly proposalId: string;
  readonly message: MessageRef | null;
  readonly ownerId: string;
  readonly name: string;
  readonly why: string;
  readonly reason: string | null;
}): ModalView {
  const metadata: ConfirmOverrideMetadata = {
    proposalId: input.proposalId,
    message: input.message,
    ownerId: input.ownerId,
  };
  return {
    type: 'modal',
    callback_id: VIEWS.confirmOverride,
    title: title('Override the rotation?'),
    submit: plain('Override'),
    close: plain('Back'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(
        `:warning: The rotation would not propose ${escapeText(input.name)}: ${escapeText(input.why)}.\n` +
          `Make ${escapeText(input.name)} the owner anyway? It's recorded as an override, with your reason, and the proposal shows it.`,
      ),
      {
        type: 'input',
        block_id: CHOOSE_OWNER_FIELDS.reason.block,
        label: plain('Why override the rotation?'),
        element: {
          type: 'plain_text_input',
          action_id: CHOOSE_OWNER_FIELDS.reason.action,
          ...(input.reason ? { initial_value: input.reason } : {}),
        },
      },
    ],
  };
}

export interface HandBackMetadata {
  readonly engagementId: string;
  /** The DM with the Hand back button. */
  readonly message: MessageRef | null;
}

export function handBackModal(engagement: HandBackEngagement, message: MessageRef | null): ModalView {
  const metadata: HandBackMetadata = { engagementId: engagement.id, message };
  return {
    type: 'modal',
    callback_id: VIEWS.handBack,
    title: title('Hand back'),
    submit: plain('Hand back'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(
        `Hand back *${engagementLabel(engagement)}*? The leads see your reason and the next candidate is proposed; you won't be proposed for it again.`,
      ),
      {
        type: 'input',
        block_id: HAND_BACK_FIELDS.reason.block,
        label: plain('Why'),
        element: { type: 'plain_text_input', action_id: HAND_BACK_FIELDS.reason.action, multiline: true },
      },
    ],
  };
}
