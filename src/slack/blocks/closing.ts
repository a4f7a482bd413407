// Closing an engagement as people see it: the lead's confirmation before `close #n`, the news of the
// closing (engagement channel, rotation channel, owner, leads), and the owner's retrospective modal.
import type { EngagementClosed } from '../../flows/scheduled-messages.js';
import type { ClosePreview } from '../../flows/engagement-status.js';
import { ACTIONS, RETROSPECTIVE_FIELDS as F, VIEWS } from '../ids.js';
import {
  button,
  clip,
  context,
  escapeKeepingMentions,
  escapeText,
  formatDay,
  section,
  user,
  type KnownBlock,
  type Message,
  type ModalView,
} from './kit.js';

const label = (e: { number: number; clientName: string }) => `#${e.number} ${escapeText(e.clientName)}`;
const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
  emoji: true,
});

export const CLOSING_BLOCKS = { confirm: 'close_confirm', retrospective: 'retrospective_actions' } as const;

/** The Close button's value: the engagement and the lead's reason (clipped to fit a button's value). */
export const closeValue = (engagementId: string, reason: string | null) =>
  `${engagementId}|${clip(reason ?? '', 1900)}`;

export function parseCloseValue(value: string): { engagementId: string; reason: string | null } | null {
  const match = /^(\d+)\|([\s\S]*)$/.exec(value);
  return match ? { engagementId: match[1]!, reason: match[2]!.trim() || null } : null;
}

/** The question before a lead closes an engagement: what closing does, Close or Cancel. */
export function confirmCloseMessage(p: ClosePreview, reason: string | null): Message {
  const left =
    p.openMilestones === 0
      ? 'Every milestone is done.'
      : `${p.openMilestones} milestone${p.openMilestones === 1 ? ' is' : 's are'} still open and will stay undone.`;
  const owner = p.engagement.ownerId
    ? ` ${user(p.engagement.ownerId)}'s turn ends today and their load drops;`
    : '';
  const proposal = p.pendingProposal ? ' its open proposal lapses;' : '';
  return {
    text: `Close ${label(p.engagement)}?`,
    blocks: [
      section(
        `*Close ${label(p.engagement)}?* ${left}${owner}${proposal} reminders lose their buttons; the owner, the leads and ${`<#${p.engagement.channelId}>`} hear of it, and the owner is asked for a retrospective.${
          reason ? `\nReason: _${escapeText(reason)}_` : ''
        }`,
      ),
      {
        type: 'actions',
        block_id: CLOSING_BLOCKS.confirm,
        elements: [
          button(
            ACTIONS.confirmClose,
            `Close #${p.engagement.number}`,
            closeValue(p.engagement.id, reason),
            'danger',
          ),
          button(ACTIONS.cancelClose, 'Cancel', p.engagement.id),
        ],
      },
    ],
  };
}

/** The news of a closing, worded for where it goes. Only the channel line leaves the reason out. */
export function engagementClosedMessage(m: EngagementClosed): Message {
  const what =
    m.how === 'completed'
      ? `is complete: every milestone is done${m.by ? ` (the last marked by ${user(m.by)})` : ''}`
      : `was closed${m.by ? ` by ${user(m.by)}` : ''}`;
  const reason = m.reason && m.audience !== 'channel' ? `: ${escapeKeepingMentions(m.reason)}` : '';
  const head = `:lock: *${label(m.engagement)}* ${what}${reason}. Closed on ${formatDay(m.closedOn)}.`;
  const blocks: KnownBlock[] = [section(head)];
  if (m.audience === 'owner') {
    blocks.push(
      section(
        'Thank you for running it. Take two minutes for a short retrospective: what went well, and what you would change. The next owner of an engagement on the same plan will read it.',
      ),
      {
        type: 'actions',
        block_id: CLOSING_BLOCKS.retrospective,
        elements: [button(ACTIONS.writeRetrospective, 'Write retrospective', m.engagement.id, 'primary')],
      },
    );
  } else if (m.audience === 'channel') {
    blocks.push(context('Thank you, everyone. Reminders for it have stopped.'));
  }
  return {
    text: `#${m.engagement.number} ${m.engagement.clientName} ${m.how === 'completed' ? 'is complete' : 'was closed'}`,
    blocks,
  };
}

export interface RetrospectiveMetadata {
  readonly engagementId: string;
}

export function retrospectiveModal(e: { id: string; number: number; clientName: string }): ModalView {
  const metadata: RetrospectiveMetadata = { engagementId: e.id };
  return {
    type: 'modal',
    callback_id: VIEWS.retrospective,
    title: plain('Retrospective', 24),
    submit: plain('Save', 24),
    close: plain('Later', 24),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      section(`A short look back at *${label(e)}*. The team and the next owner on the same plan read it.`),
      {
        type: 'input',
        block_id: F.wentWell.block,
        label: plain('What went well?'),
        element: {
          type: 'plain_text_input',
          action_id: F.wentWell.action,
          multiline: true,
          max_length: 2000,
        },
      },
      {
        type: 'input',
        block_id: F.toChange.block,
        label: plain('What would you change next time?'),
        element: {
          type: 'plain_text_input',
          action_id: F.toChange.action,
          multiline: true,
          max_length: 2000,
        },
      },
    ],
  };
}

/** In place of the retrospective modal when it can't be saved: why, and nothing to submit. */
export function retrospectiveNotice(message: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.retrospective,
    title: plain('Retrospective', 24),
    close: plain('Close', 24),
    blocks: [section(`:information_source: ${message} Nothing was saved.`)],
  };
}

/** A retrospective as history and App Home quote it. */
export function retrospectiveText(r: { wentWell: string; toChange: string }): string {
  return `went well: _${escapeText(r.wentWell)}_ · to change: _${escapeText(r.toChange)}_`;
}
