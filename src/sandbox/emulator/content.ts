/**
 * A message's content (text, blocks, attachments, metadata) as chat.* methods, response_url
 * posts and command replies carry it, checked the way Slack checks it before showing anything.
 */
import { fail, isObject, type ApiResult, type Args } from './args.js';
import { validateBlocks } from './blocks.js';
import type { Block, MessageMetadata } from './types.js';

/** Slack refuses a message's `text` above 40,000 characters (`msg_too_long`). */
export const MAX_MESSAGE_TEXT = 40_000;
/** Blocks per message; a modal or Home tab takes 100. */
export const MAX_MESSAGE_BLOCKS = 50;
/**
 * The text of all a message's blocks together: above about 12,000 characters Slack answers
 * `msg_blocks_too_long`, though every block is within its own limit (undocumented; bolt-js #2509).
 */
export const MAX_BLOCKS_TEXT = 12_000;

export interface Content {
  text?: string;
  blocks?: Block[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
}

/** The content arguments of chat.* or a response_url body, or Slack's error for them. */
export function readContent(args: Args, requireSome: boolean): Content | ApiResult {
  const content: Content = {};
  if (args.blocks !== undefined && args.blocks !== '') {
    if (!Array.isArray(args.blocks)) return fail('invalid_blocks_format');
    const problems = validateBlocks(args.blocks, '/blocks', MAX_MESSAGE_BLOCKS);
    if (problems.length > 0) {
      return fail('invalid_blocks', {
        errors: problems,
        response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
      });
    }
    if (blocksText(args.blocks) > MAX_BLOCKS_TEXT) return fail('msg_blocks_too_long');
    content.blocks = args.blocks as Block[];
  }
  if (args.attachments !== undefined && args.attachments !== '') {
    if (!Array.isArray(args.attachments)) return fail('invalid_attachments');
    content.attachments = args.attachments;
  }
  if (args.metadata !== undefined && args.metadata !== '') {
    if (!isObject(args.metadata)) return fail('invalid_metadata_format');
    const { event_type, event_payload } = args.metadata;
    if (typeof event_type !== 'string' || event_type === '' || !isObject(event_payload)) {
      return fail('invalid_metadata_schema');
    }
    content.metadata = { event_type, event_payload };
  }
  if (typeof args.text === 'string') {
    if (args.text.length > MAX_MESSAGE_TEXT) return fail('msg_too_long');
    content.text = args.text;
  }
  const hasSome =
    Boolean(content.text) || (content.blocks?.length ?? 0) > 0 || (content.attachments?.length ?? 0) > 0;
  if (requireSome && !hasSome) return fail('no_text');
  return content;
}

/** Slack warns, without failing, when blocks come without a text fallback for notifications. */
export const fallbackWarning = (content: Content) =>
  content.blocks?.length && !content.text ? { response_metadata: { warnings: ['missing_text'] } } : {};

/** The characters of every text object in the blocks, however deep. */
export function blocksText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + blocksText(item), 0);
  if (!isObject(value)) return 0;
  if ((value.type === 'plain_text' || value.type === 'mrkdwn') && typeof value.text === 'string')
    return value.text.length;
  return Object.values(value).reduce((sum: number, item) => sum + blocksText(item), 0);
}
