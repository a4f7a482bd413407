/** Conversations as the bot sees them: opening DMs, a channel's details, its history. */
import { apiChannel, apiMessage } from './api-objects.js';
import { fail, flag, int, str, type ApiResult } from './args.js';
import type { EmulatedChannel, EmulatedMessage } from './types.js';
import type { Method } from './web-api.js';
import type { Workspace } from './workspace.js';

const tsNumber = (ts: string) => Number(ts);

/** A conversation the bot can write to or read, or Slack's error for it. */
export function botConversation(ws: Workspace, target: unknown): EmulatedChannel | ApiResult {
  const id = str(target);
  const channelId = id ? ws.resolveConversation(id) : undefined;
  const channel = channelId ? ws.channel(channelId) : undefined;
  if (!channel) return fail('channel_not_found');
  // Private conversations are invisible to a bot that is not in them.
  if (channel.isPrivate && !ws.isMember(channel.id, ws.identity.botUserId)) return fail('channel_not_found');
  return channel;
}

export const isChannel = (v: EmulatedChannel | ApiResult): v is EmulatedChannel => !('ok' in v);

export const CONVERSATION_METHODS: Record<string, Method> = {
  'conversations.open': (ws, args) => {
    const existing = str(args.channel);
    if (existing) {
      const channel = ws.channel(existing);
      return channel
        ? { ok: true, channel: flag(args.return_im) ? apiChannel(ws, channel) : { id: channel.id } }
        : fail('channel_not_found');
    }
    const ids = (str(args.users) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s !== ws.identity.botUserId);
    if (ids.length === 0) return fail('users_list_not_supplied');
    if (ids.some((id) => !ws.user(id))) return fail('user_not_found');
    let channelId: string;
    let alreadyOpen: boolean;
    const [only] = ids;
    if (ids.length === 1 && only) {
      alreadyOpen = ws.channels().some((c) => c.isIm && c.user === only);
      channelId = ws.dmChannelFor(only);
    } else {
      const members = [...new Set([...ids, ws.identity.botUserId])].sort();
      const found = ws
        .channels()
        .find((c) => c.id.startsWith('G') && [...(c.members ?? [])].sort().join() === members.join());
      alreadyOpen = found !== undefined;
      channelId = found?.id ?? ws.newId('G');
      if (!found) {
        const names = members.map((id) => ws.user(id)?.name ?? id);
        ws.addChannel({ id: channelId, name: `mpdm-${names.join('--')}-1`, isPrivate: true, members });
      }
    }
    const channel = ws.channel(channelId) as EmulatedChannel;
    return {
      ok: true,
      ...(alreadyOpen ? { no_op: true, already_open: true } : {}),
      channel: flag(args.return_im) ? apiChannel(ws, channel) : { id: channelId },
    };
  },

  'conversations.info': (ws, args) => {
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    return { ok: true, channel: apiChannel(ws, channel) };
  },

  'conversations.history': (ws, args) => {
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    const inclusive = flag(args.inclusive);
    const oldest = str(args.oldest);
    const latest = str(args.latest);
    const cursor = str(args.cursor);
    const before = cursor
      ? Buffer.from(cursor, 'base64')
          .toString('utf8')
          .replace(/^before:/, '')
      : undefined;
    const inRange = (m: EmulatedMessage) => {
      const t = tsNumber(m.ts);
      if (oldest && (inclusive ? t < tsNumber(oldest) : t <= tsNumber(oldest))) return false;
      if (latest && (inclusive ? t > tsNumber(latest) : t >= tsNumber(latest))) return false;
      if (before && t >= tsNumber(before)) return false;
      return true;
    };
    const limit = Math.min(Math.max(int(args.limit) || 100, 1), 999);
    const matching = ws
      .messages(channel.id)
      .filter((m) => !m.deleted && !m.threadTs && inRange(m))
      .sort((a, b) => tsNumber(b.ts) - tsNumber(a.ts));
    const shown = matching.slice(0, limit);
    const hasMore = matching.length > limit;
    const lastShown = shown[shown.length - 1];
    return {
      ok: true,
      messages: shown.map((m) => apiMessage(ws, m, flag(args.include_all_metadata))),
      has_more: hasMore,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: {
        next_cursor: hasMore && lastShown ? Buffer.from(`before:${lastShown.ts}`).toString('base64') : '',
      },
    };
  },
};
