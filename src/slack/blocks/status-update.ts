// The weekly client status update: the draft modal (the owner edits what the client will read; open
// risks shown beside it as an internal preview, never in the text) and the update as posted.
import type { StatusDraft } from '../../flows/status-update.js';
import { STATUS_TEXT_MAX } from '../../flows/status-update.js';
import { STATUS_FIELDS as F, VIEWS } from '../ids.js';
import {
  channel,
  clip,
  context,
  divider,
  escapeText,
  section,
  type KnownBlock,
  type ModalView,
} from './kit.js';

const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
  emoji: true,
});

// The modal holds 100 blocks; the risks are listed one per line in a few sections anyway.
const RISKS_SHOWN = 20;

export interface StatusDraftMetadata {
  readonly milestoneId: string;
  /** Where the button was, for the confirmation. */
  readonly channelId: string | null;
}

const riskLine = (r: StatusDraft['risks'][number]) =>
  `• ${escapeText(r.title)} (likelihood ${r.likelihood}, impact ${r.impact})${r.mitigation ? `: ${escapeText(r.mitigation)}` : ''}`;

export function statusDraftModal(draft: StatusDraft, channelId: string | null): ModalView {
  const metadata: StatusDraftMetadata = { milestoneId: draft.milestoneId, channelId };
  const where = draft.destination.toClient
    ? `the client channel ${channel(draft.destination.channelId)}`
    : `the engagement channel ${channel(draft.destination.channelId)} (it has no client channel)`;
  const internal: KnownBlock[] =
    draft.risks.length === 0
      ? [context(':lock: Internal, not sent: no open risks.')]
      : [
          section(
            `:lock: *Internal preview, not sent:* open risks, to weigh what you tell the client\n${draft.risks
              .slice(0, RISKS_SHOWN)
              .map(riskLine)
              .join(
                '\n',
              )}${draft.risks.length > RISKS_SHOWN ? `\n…and ${draft.risks.length - RISKS_SHOWN} more` : ''}`,
          ),
        ];
  return {
    type: 'modal',
    callback_id: VIEWS.statusUpdate,
    title: plain('Client status update', 24),
    submit: plain('Post', 24),
    close: plain('Not now', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(
        `This week's status for *#${draft.engagement.number} ${escapeText(draft.engagement.clientName)}*. ` +
          `Edit it as you like: *Post* sends it as it stands to ${where} and marks the status update done.`,
      ),
      {
        type: 'input',
        block_id: F.text.block,
        label: plain('What the client reads'),
        element: {
          type: 'plain_text_input',
          action_id: F.text.action,
          multiline: true,
          max_length: STATUS_TEXT_MAX,
          initial_value: draft.text,
        },
      },
      divider(),
      ...internal,
    ],
  };
}
