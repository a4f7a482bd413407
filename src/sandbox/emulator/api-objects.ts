/**
 * Slack's objects as the Web API puts them on the wire (users, conversations, messages), drawn
 * from the emulator's own records.
 */
import type { EmulatedChannel, EmulatedMessage, EmulatedUser } from './types.js';
import type { Workspace } from './workspace.js';

function tzDetails(tz: string, at: number): { tz_offset: number; tz_label: string } {
  const name = (style: 'longOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name('longOffset'));
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  return { tz_offset: offset, tz_label: name('long') };
}

/** A user object in the shape of users.info. */
export function apiUser(ws: Workspace, user: EmulatedUser): Record<string, unknown> {
  const tz = user.tz ?? 'UTC';
  const realName = user.realName ?? user.name;
  const displayName = user.displayName ?? '';
  return {
    id: user.id,
    team_id: ws.identity.teamId,
    name: user.name,
    deleted: user.deleted ?? false,
    color: '9f69e7',
    real_name: realName,
    tz,
    ...tzDetails(tz, ws.now()),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      ...(user.email ? { email: user.email } : {}),
      team: ws.identity.teamId,
      ...(user.id === ws.identity.botUserId
        ? { bot_id: ws.identity.botId, api_app_id: ws.identity.appId }
        : {}),
    },
    is_admin: user.isAdmin ?? false,
    is_owner: user.isOwner ?? false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    updated: Math.floor(ws.now() / 1000),
  };
}

/** The bot's own user, which Slack lists among the workspace's users. */
export function botUser(ws: Workspace): EmulatedUser {
  return (
    ws.user(ws.identity.botUserId) ?? { id: ws.identity.botUserId, name: ws.identity.botName, isBot: true }
  );
}

/** A conversation object in the shape of conversations.info. */
export function apiChannel(ws: Workspace, channel: EmulatedChannel): Record<string, unknown> {
  if (channel.isIm) {
    return {
      id: channel.id,
      created: 0,
      is_im: true,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      user: channel.user,
      is_user_deleted: false,
    };
  }
  const mpim = channel.id.startsWith('G') && channel.name.startsWith('mpdm-');
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.isPrivate,
    is_group: Boolean(channel.isPrivate) && !mpim,
    is_im: false,
    is_mpim: mpim,
    is_private: channel.isPrivate ?? false,
    is_archived: channel.isArchived ?? false,
    is_general: false,
    // Slack's is_shared covers both kinds of sharing; a pending invitation shares nothing yet.
    is_shared: Boolean(channel.isExtShared || channel.isOrgShared),
    is_ext_shared: channel.isExtShared ?? false,
    is_org_shared: channel.isOrgShared ?? false,
    is_pending_ext_shared: channel.isPendingExtShared ?? false,
    is_member: ws.isMember(channel.id, ws.identity.botUserId),
    created: 0,
    creator: '',
    num_members: ws.members(channel.id).length,
    topic: { value: channel.topic ?? '', creator: '', last_set: 0 },
    purpose: { value: channel.purpose ?? '', creator: '', last_set: 0 },
  };
}

/** A message in the shape of conversations.history. */
export function apiMessage(
  ws: Workspace,
  m: EmulatedMessage,
  withMetadata: boolean,
): Record<string, unknown> {
  const replies = m.threadTs ? [] : ws.messages(m.channel).filter((r) => r.threadTs === m.ts && !r.deleted);
  const last = replies[replies.length - 1];
  return {
    type: 'message',
    ts: m.ts,
    ...(m.user ? { user: m.user } : {}),
    ...(m.botId ? { bot_id: m.botId, app_id: ws.identity.appId } : {}),
    text: m.text,
    team: ws.identity.teamId,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.files ? { files: m.files, upload: true } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs, parent_user_id: ws.message(m.channel, m.threadTs)?.user } : {}),
    ...(last
      ? {
          thread_ts: m.ts,
          reply_count: replies.length,
          reply_users_count: new Set(replies.map((r) => r.user)).size,
          reply_users: [...new Set(replies.map((r) => r.user))],
          latest_reply: last.ts,
        }
      : {}),
    ...(m.updatedAt && !m.deleted ? { edited: { user: m.user, ts: m.updatedAt } } : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  };
}
