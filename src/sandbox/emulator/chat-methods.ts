/** Messages the bot posts, edits and deletes, and the ones only one person sees. */
import { apiMessage } from './api-objects.js';
import { fail, isFailure, str } from './args.js';
import { fallbackWarning, readContent } from './content.js';
import { botConversation, isChannel } from './conversation-methods.js';
import type { Method } from './web-api.js';

const isPerson = (ws: Parameters<Method>[0], channel: unknown) =>
  typeof channel === 'string' && ws.user(channel) !== undefined;

export const CHAT_METHODS: Record<string, Method> = {
  'chat.postMessage': (ws, args) => {
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    if (channel.isArchived) return fail('is_archived');
    const content = readContent(args, true);
    if (isFailure(content)) return content;
    const message = ws.postMessage({
      channel: channel.id,
      text: content.text ?? '',
      ...content,
      ...(str(args.thread_ts) ? { threadTs: str(args.thread_ts) } : {}),
      user: ws.identity.botUserId,
      botId: ws.identity.botId,
      via: 'chat.postMessage',
    });
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      message: apiMessage(ws, message, true),
      ...fallbackWarning(content),
    };
  },

  'chat.update': (ws, args) => {
    // A message is posted to a person's id (their DM), but Slack edits it only under the DM's own id.
    if (isPerson(ws, args.channel)) return fail('channel_not_found');
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    const ts = str(args.ts);
    const message = ts ? ws.message(channel.id, ts) : undefined;
    if (!message || message.deleted) return fail('message_not_found');
    if (message.botId !== ws.identity.botId) return fail('cant_update_message');
    const content = readContent(args, true);
    if (isFailure(content)) return content;
    ws.updateMessage(message, content);
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: apiMessage(ws, message, true),
      ...fallbackWarning(content),
    };
  },

  'chat.delete': (ws, args) => {
    if (isPerson(ws, args.channel)) return fail('channel_not_found');
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    const ts = str(args.ts);
    const message = ts ? ws.message(channel.id, ts) : undefined;
    if (!message || message.deleted) return fail('message_not_found');
    if (message.botId !== ws.identity.botId) return fail('cant_delete_message');
    ws.deleteMessage(message);
    return { ok: true, channel: channel.id, ts: message.ts };
  },

  'chat.postEphemeral': (ws, args) => {
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    const userId = str(args.user);
    if (!userId || !ws.user(userId)) return fail('user_not_found');
    if (!ws.isMember(channel.id, userId)) return fail('user_not_in_channel');
    const content = readContent(args, true);
    if (isFailure(content)) return content;
    const ephemeral = ws.postEphemeral({
      channel: channel.id,
      user: userId,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(str(args.thread_ts) ? { threadTs: str(args.thread_ts) } : {}),
      via: 'chat.postEphemeral',
    });
    return { ok: true, message_ts: ephemeral.ts, ...fallbackWarning(content) };
  },

  'chat.getPermalink': (ws, args) => {
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    const ts = str(args.message_ts);
    if (!ts || !ws.message(channel.id, ts)) return fail('message_not_found');
    return {
      ok: true,
      channel: channel.id,
      permalink: `https://${ws.identity.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`,
    };
  },
};
