/**
 * The app's replies to a person outside the Web API: a slash command's ack body, and posts to a
 * response_url (up to five within 30 minutes), which may also replace or delete the message a
 * button was clicked on.
 */
import { fail, isObject, type ApiResult } from './args.js';
import { readContent, type Content } from './content.js';
import type { Workspace } from './workspace.js';

type Json = Record<string, unknown>;

/** Answers a post to a response_url: an HTTP status and Slack's body. */
export function answerResponseUrl(
  ws: Workspace,
  id: string,
  raw: string,
): { status: number; body: ApiResult; args: Json } {
  const grant = ws.useResponseUrl(id);
  if ('error' in grant) return { status: 404, body: fail(grant.error), args: {} };
  let args: Json;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isObject(parsed)) throw new Error('not an object');
    args = parsed;
  } catch {
    return { status: 400, body: fail('invalid_payload'), args: {} };
  }
  const answer = (status: number, body: ApiResult) => ({ status, body, args });
  const content = readContent(args, false);
  if ('ok' in content) return answer(400, content);
  const original = grant.original;
  const replace = args.replace_original === true || args.replace_original === 'true';
  const remove = args.delete_original === true || args.delete_original === 'true';
  const hasContent =
    Boolean(content.text) || (content.blocks?.length ?? 0) > 0 || (content.attachments?.length ?? 0) > 0;
  if (original && remove) {
    if (original.kind === 'message') {
      const message = ws.message(grant.channelId, original.ts);
      if (message && !message.deleted) ws.deleteMessage(message);
    } else {
      const ephemeral = ws.ephemeral(grant.channelId, original.ts);
      if (ephemeral) ws.updateEphemeral(ephemeral, { deleted: true });
    }
  } else if (original && replace) {
    if (!hasContent) return answer(400, fail('no_text'));
    if (original.kind === 'message') {
      const message = ws.message(grant.channelId, original.ts);
      if (!message || message.deleted) return answer(404, fail('message_not_found'));
      ws.updateMessage(message, { text: content.text ?? '', blocks: content.blocks ?? [] });
    } else {
      const ephemeral = ws.ephemeral(grant.channelId, original.ts);
      if (ephemeral)
        ws.updateEphemeral(ephemeral, { text: content.text ?? '', blocks: content.blocks ?? [] });
    }
    return answer(200, { ok: true });
  }
  if (hasContent) postReply(ws, content, args, grant.userId, grant.channelId, 'response_url');
  else if (!remove) return answer(400, fail('no_text'));
  return answer(200, { ok: true });
}

/**
 * Shows a slash command's ack body as Slack does: ephemeral unless `response_type: 'in_channel'`.
 * Returns Slack's objections when it could not be shown.
 */
export function showCommandReply(ws: Workspace, body: unknown, userId: string, channelId: string): string[] {
  if (body === undefined || body === '') return [];
  if (typeof body === 'string') {
    postReply(ws, { text: body }, {}, userId, channelId, 'command_response');
    return [];
  }
  if (!isObject(body)) return ['the reply is neither text nor a message object'];
  const content = readContent(body, false);
  if ('ok' in content) {
    const messages = (content.response_metadata as { messages?: string[] } | undefined)?.messages;
    return messages ?? [String(content.error)];
  }
  if (content.text || content.blocks?.length)
    postReply(ws, content, body, userId, channelId, 'command_response');
  return [];
}

/** A reply through response_url or a command's ack: in the channel, or just to the person. */
function postReply(
  ws: Workspace,
  content: Content,
  args: Json,
  userId: string,
  channelId: string,
  via: 'response_url' | 'command_response',
): void {
  const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
  if (args.response_type === 'in_channel') {
    ws.postMessage({
      channel: channelId,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(threadTs ? { threadTs } : {}),
      user: ws.identity.botUserId,
      botId: ws.identity.botId,
      via,
    });
  } else {
    ws.postEphemeral({
      channel: channelId,
      user: userId,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
      via,
    });
  }
}
