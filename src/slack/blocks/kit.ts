// Block Kit types, named once: @slack/types reaches us through Bolt, not as a dependency of our own.
import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type Button = types.Button;
export type View = types.View;
export type HomeView = types.HomeView;
export type ModalView = types.ModalView;
export type InputBlock = types.InputBlock;
export type MrkdwnElement = types.MrkdwnElement;

/** Text and blocks of one message: `text` is the notification and screen-reader fallback. */
export interface Message {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

// Slack's limits: longer text is refused with invalid_blocks, so builders clip rather than fail.
export const SECTION_TEXT_MAX = 3000;
export const BUTTON_TEXT_MAX = 75;
export const CONTEXT_TEXT_MAX = 2000;

/** Escapes the three characters Slack's mrkdwn treats as markup in user-supplied text. */
export const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Slack's own markup for people and channels, which flows write into reasons on purpose.
const SLACK_REFERENCE = /<[@#][A-Z0-9]+(?:\|[^<>]*)?>/g;

/**
 * Escapes text that mixes Steward's own mentions with people's words (a hand-back reason after
 * `<@U…> handed it back:`): mentions of people and channels stay live, anything else, such as a
 * pasted `<!channel>`, is shown as typed.
 */
export function escapeKeepingMentions(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SLACK_REFERENCE)) {
    out += escapeText(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeText(text.slice(last));
}

export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

export const mrkdwn = (text: string, max = SECTION_TEXT_MAX): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(text, max),
});

export const section = (text: string, blockId?: string): KnownBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: mrkdwn(text),
});

export const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [mrkdwn(text, CONTEXT_TEXT_MAX)],
});

export const divider = (): KnownBlock => ({ type: 'divider' });

export const button = (
  actionId: string,
  text: string,
  value: string,
  style?: 'primary' | 'danger',
): Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text: clip(text, BUTTON_TEXT_MAX), emoji: true },
  value,
  ...(style ? { style } : {}),
});

export const user = (userId: string): string => `<@${userId}>`;
export const channel = (channelId: string): string => `<#${channelId}>`;

export { formatDay } from '../../domain/calendar.js';

export const bullets = (lines: readonly string[]): string => lines.map((l) => `• ${l}`).join('\n');

/**
 * Lines as as few sections as fit Slack's 3,000 characters each, never cutting a line in two (a
 * single line longer than that is the only thing clipped).
 */
export function sections(lines: readonly string[], max = SECTION_TEXT_MAX): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > max) {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') blocks.push(section(current));
  return blocks;
}
