/**
 * The Web API methods the emulator answers, each a function of the workspace and the parsed
 * arguments that returns Slack's JSON body. Error codes are Slack's own, so that a bot's
 * error handling meets what it will meet in production.
 */
import { carriedState, validateBlocks, validateView, withGeneratedIds } from './blocks.js';
import { FILE_METHODS } from './files.js';
import type {
  Block,
  EmulatedChannel,
  EmulatedMessage,
  EmulatedUser,
  EmulatedView,
  MessageMetadata,
} from './types.js';
import type { Workspace } from './workspace.js';

export type ApiResult = { ok: boolean } & Record<string, unknown>;
type Args = Record<string, unknown>;
type Method = (ws: Workspace, args: Args) => ApiResult;

/** Arguments that Slack reads as JSON when they arrive form-encoded (as @slack/web-api sends them). */
export const JSON_ARGUMENTS = new Set(['blocks', 'attachments', 'view', 'metadata']);

const fail = (error: string, extra: Record<string, unknown> = {}): ApiResult => ({
  ok: false,
  error,
  ...extra,
});
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const flag = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
};
const tsNumber = (ts: string) => Number(ts);

// ---- Slack's object shapes ------------------------------------------------------------------

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

function page<T>(items: T[], args: Args): { items: T[]; next: string } {
  const limit = Math.min(Math.max(int(args.limit) || 100, 1), 1000);
  const cursor = str(args.cursor);
  const start = cursor
    ? Number(
        Buffer.from(cursor, 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      ) || 0
    : 0;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
  return { items: slice, next };
}

// ---- arguments shared by the chat methods ---------------------------------------------------

interface Content {
  text?: string;
  blocks?: Block[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
}

/** The content arguments of chat.* or a response_url body, checked like Slack checks them. */
export function readContent(args: Args, requireSome: boolean): Content | ApiResult {
  const content: Content = {};
  if (args.blocks !== undefined && args.blocks !== '') {
    if (!Array.isArray(args.blocks)) return fail('invalid_blocks_format');
    const problems = validateBlocks(args.blocks, '/blocks', 50);
    if (problems.length > 0) {
      return fail('invalid_blocks', {
        errors: problems,
        response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
      });
    }
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
    if (args.text.length > 40000) return fail('msg_too_long');
    content.text = args.text;
  }
  const hasSome =
    Boolean(content.text) || (content.blocks?.length ?? 0) > 0 || (content.attachments?.length ?? 0) > 0;
  if (requireSome && !hasSome) return fail('no_text');
  return content;
}

const isFailure = (v: Content | ApiResult): v is ApiResult => 'ok' in v;

/** Slack warns, without failing, when blocks come without a text fallback for notifications. */
const fallbackWarning = (content: Content) =>
  content.blocks?.length && !content.text ? { response_metadata: { warnings: ['missing_text'] } } : {};

/** A conversation the bot can write to or read, or Slack's error for it. */
function botConversation(ws: Workspace, target: unknown): EmulatedChannel | ApiResult {
  const id = str(target);
  const channelId = id ? ws.resolveConversation(id) : undefined;
  const channel = channelId ? ws.channel(channelId) : undefined;
  if (!channel) return fail('channel_not_found');
  // Private conversations are invisible to a bot that is not in them.
  if (channel.isPrivate && !ws.isMember(channel.id, ws.identity.botUserId)) return fail('channel_not_found');
  return channel;
}

const isChannel = (v: EmulatedChannel | ApiResult): v is EmulatedChannel => !('ok' in v);

// ---- views ----------------------------------------------------------------------------------

function viewArgument(args: Args, expected: 'modal' | 'home'): Record<string, unknown> | ApiResult {
  const view = args.view;
  if (!isObject(view))
    return fail('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing or invalid `view`'] },
    });
  if (JSON.stringify(view).length > 250_000) return fail('view_too_large');
  const problems = validateView(view, expected);
  if (problems.length > 0) {
    return fail('invalid_arguments', {
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  return view;
}

function buildView(
  ws: Workspace,
  input: Record<string, unknown>,
  placement: {
    id: string;
    root: string | null;
    previous: string | null;
    previous_state?: EmulatedView['state'];
  },
): EmulatedView {
  const blocks = withGeneratedIds((input.blocks ?? []) as Block[], ws.nextBlockId);
  return {
    id: placement.id,
    team_id: ws.identity.teamId,
    type: input.type as 'modal' | 'home',
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.submit !== undefined ? { submit: input.submit } : {}),
    ...(input.close !== undefined ? { close: input.close } : {}),
    blocks,
    private_metadata: str(input.private_metadata) ?? '',
    callback_id: str(input.callback_id) ?? '',
    external_id: str(input.external_id) ?? '',
    state: { values: placement.previous_state ? carriedState(placement.previous_state.values, blocks) : {} },
    hash: ws.newHash(),
    clear_on_close: flag(input.clear_on_close),
    notify_on_close: flag(input.notify_on_close),
    root_view_id: placement.root,
    previous_view_id: placement.previous,
    app_id: ws.identity.appId,
    app_installed_team_id: ws.identity.teamId,
    bot_id: ws.identity.botId,
  };
}

function externalIdTaken(ws: Workspace, input: Record<string, unknown>, exceptViewId?: string): boolean {
  const externalId = str(input.external_id);
  if (!externalId) return false;
  return ws.findView((v) => v.external_id === externalId && v.id !== exceptViewId) !== undefined;
}

/** Builds a modal on top of a stack, checked like views.push; used by response_action `push` too. */
export function pushModal(ws: Workspace, userId: string, input: Record<string, unknown>): ApiResult {
  const stack = ws.stack(userId);
  const top = stack[stack.length - 1];
  if (!top) return fail('not_found');
  if (stack.length >= 3) return fail('push_limit_reached');
  if (externalIdTaken(ws, input)) return fail('duplicate_external_id');
  const view = buildView(ws, input, { id: ws.newId('V'), root: stack[0]?.id ?? null, previous: top.id });
  ws.setStack(userId, [...stack, view]);
  return { ok: true, view };
}

/** Replaces a modal in place (same id, new hash), keeping what was typed in surviving inputs. */
export function updateModal(
  ws: Workspace,
  userId: string,
  index: number,
  input: Record<string, unknown>,
): EmulatedView {
  const old = ws.stack(userId)[index];
  if (!old) throw new Error(`no view at ${index} for ${userId}`);
  const view = buildView(ws, input, {
    id: old.id,
    root: old.root_view_id,
    previous: old.previous_view_id,
    previous_state: old.state,
  });
  ws.replaceView(userId, 'stack', index, view);
  return view;
}

// ---- the methods ----------------------------------------------------------------------------

export const METHODS: Record<string, Method> = {
  'api.test': (_ws, args) => ({ ok: true, args }),

  'auth.test': (ws) => ({
    ok: true,
    url: `https://${ws.identity.teamDomain}.slack.com/`,
    team: ws.identity.teamName,
    user: ws.identity.botName,
    team_id: ws.identity.teamId,
    user_id: ws.identity.botUserId,
    bot_id: ws.identity.botId,
    is_enterprise_install: false,
  }),

  'team.info': (ws) => ({
    ok: true,
    team: {
      id: ws.identity.teamId,
      name: ws.identity.teamName,
      domain: ws.identity.teamDomain,
      email_domain: '',
      icon: {},
    },
  }),

  'bots.info': (ws, args) =>
    str(args.bot) && str(args.bot) !== ws.identity.botId
      ? fail('bot_not_found')
      : {
          ok: true,
          bot: {
            id: ws.identity.botId,
            deleted: false,
            name: ws.identity.botName,
            updated: 0,
            app_id: ws.identity.appId,
            user_id: ws.identity.botUserId,
            icons: {},
          },
        },

  'users.info': (ws, args) => {
    const id = str(args.user);
    const user = id === ws.identity.botUserId ? botUser(ws) : id ? ws.user(id) : undefined;
    if (!user) return fail('user_not_found');
    return {
      ok: true,
      user: { ...apiUser(ws, user), ...(flag(args.include_locale) ? { locale: 'en-US' } : {}) },
    };
  },

  'users.list': (ws, args) => {
    const everyone = ws.user(ws.identity.botUserId) ? ws.users() : [...ws.users(), botUser(ws)];
    const { items, next } = page(everyone, args);
    return {
      ok: true,
      members: items.map((u) => apiUser(ws, u)),
      cache_ts: Math.floor(ws.now() / 1000),
      response_metadata: { next_cursor: next },
    };
  },

  'users.lookupByEmail': (ws, args) => {
    const email = str(args.email)?.toLowerCase();
    const user = ws.users().find((u) => u.email?.toLowerCase() === email);
    return user ? { ok: true, user: apiUser(ws, user) } : fail('users_not_found');
  },

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

  'conversations.list': (ws, args) => {
    const types = new Set((str(args.types) ?? 'public_channel').split(',').map((t) => t.trim()));
    const visible = ws.channels().filter((c) => {
      if (flag(args.exclude_archived) && c.isArchived) return false;
      if (c.isIm) return types.has('im');
      const mpim = c.id.startsWith('G') && c.name.startsWith('mpdm-');
      if (mpim) return types.has('mpim') && ws.isMember(c.id, ws.identity.botUserId);
      if (c.isPrivate) return types.has('private_channel') && ws.isMember(c.id, ws.identity.botUserId);
      return types.has('public_channel');
    });
    const { items, next } = page(visible, args);
    return {
      ok: true,
      channels: items.map((c) => apiChannel(ws, c)),
      response_metadata: { next_cursor: next },
    };
  },

  'conversations.members': (ws, args) => {
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    const { items, next } = page(ws.members(channel.id), args);
    return { ok: true, members: items, response_metadata: { next_cursor: next } };
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

  'conversations.replies': (ws, args) => {
    const channel = botConversation(ws, args.channel);
    if (!isChannel(channel)) return channel;
    const ts = str(args.ts);
    const parent = ts ? ws.message(channel.id, ts) : undefined;
    if (!parent || parent.deleted) return fail('thread_not_found');
    const rootTs = parent.threadTs ?? parent.ts;
    const root = ws.message(channel.id, rootTs);
    const thread = [
      ...(root && !root.deleted ? [root] : []),
      ...ws.messages(channel.id).filter((m) => m.threadTs === rootTs && !m.deleted),
    ];
    const { items, next } = page(thread, args);
    return {
      ok: true,
      messages: items.map((m) => apiMessage(ws, m, flag(args.include_all_metadata))),
      has_more: next !== '',
      response_metadata: { next_cursor: next },
    };
  },

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

  'views.open': (ws, args) => {
    const input = viewArgument(args, 'modal');
    if (isFailure(input)) return input;
    const trigger = ws.exchangeTrigger(args.trigger_id ?? args.interactivity_pointer);
    if ('error' in trigger) return fail(trigger.error);
    if (externalIdTaken(ws, input)) return fail('duplicate_external_id');
    const id = ws.newId('V');
    const view = buildView(ws, input, { id, root: id, previous: null });
    // A new modal from outside the current one starts a new stack, as in Slack's client.
    ws.setStack(trigger.userId, [view]);
    return { ok: true, view };
  },

  'views.push': (ws, args) => {
    const input = viewArgument(args, 'modal');
    if (isFailure(input)) return input;
    const trigger = ws.exchangeTrigger(args.trigger_id ?? args.interactivity_pointer);
    if ('error' in trigger) return fail(trigger.error);
    return pushModal(ws, trigger.userId, input);
  },

  'views.update': (ws, args) => {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if (!viewId && !externalId) {
      return fail('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] view_id or external_id required'] },
      });
    }
    const found = ws.findView((v) => (viewId ? v.id === viewId : v.external_id === externalId));
    if (!found) return fail('not_found');
    const hash = str(args.hash);
    if (hash && hash !== found.view.hash) return fail('hash_conflict');
    const input = viewArgument(args, found.view.type);
    if (isFailure(input)) return input;
    if (externalIdTaken(ws, input, found.view.id)) return fail('duplicate_external_id');
    if (found.place === 'stack') return { ok: true, view: updateModal(ws, found.userId, found.index, input) };
    const view = buildView(ws, input, {
      id: found.view.id,
      root: found.view.root_view_id,
      previous: null,
      previous_state: found.view.state,
    });
    ws.setHome(found.userId, view);
    return { ok: true, view };
  },

  'views.publish': (ws, args) => {
    const userId = str(args.user_id);
    if (!userId || !ws.user(userId)) return fail('user_not_found');
    const input = viewArgument(args, 'home');
    if (isFailure(input)) return input;
    const current = ws.home(userId);
    const hash = str(args.hash);
    if (hash && current && hash !== current.hash) return fail('hash_conflict');
    const id = current?.id ?? ws.newId('V');
    const view = buildView(ws, input, {
      id,
      root: id,
      previous: null,
      ...(current ? { previous_state: current.state } : {}),
    });
    ws.setHome(userId, view);
    return { ok: true, view };
  },

  ...FILE_METHODS,
};
