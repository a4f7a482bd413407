/**
 * What a person does in Slack — run a slash command, click a button, type into and submit a
 * modal, close it, open the Home tab, write a message — sent to the app as Slack sends it: the
 * same payloads, with the trigger ids and response_urls Slack grants along with them.
 */
import { apiMessage } from './api-objects.js';
import { inputBlocks, interactiveElements, isEmptyValue } from './inputs.js';
import { applyResponseAction, enteredState, storeState, topView, visibleView } from './modal-stack.js';
import { showCommandReply } from './replies.js';
import type {
  ActionResult,
  ActionSource,
  BotReply,
  CommandResult,
  EmulatedChannel,
  EmulatedMessage,
  EmulatedUser,
  RawDelivery,
  ViewInput,
  ViewSubmissionResult,
} from './types.js';
import type { Workspace } from './workspace.js';

type JsonObject = Record<string, unknown>;
const FORM = 'application/x-www-form-urlencoded';

/** How a person's actions reach the app, and where its response_urls point. */
export interface BotLink {
  deliverAs(kind: string, body: string, contentType: RawDelivery['contentType']): Promise<BotReply>;
  responseUrl(grantId: string): string;
}

export class PersonActions {
  constructor(
    private readonly ws: Workspace,
    private readonly link: BotLink,
  ) {}

  /**
   * Runs a slash command as a person in a conversation (a person's id means their DM with the
   * bot). A reply in the ack body is shown like Slack shows it: ephemeral unless
   * `response_type: 'in_channel'`.
   */
  async slashCommand(
    userId: string,
    channelId: string,
    command: string,
    text: string,
  ): Promise<CommandResult> {
    const user = this.requireUser(userId);
    const channel = this.requireConversation(channelId);
    const triggerId = this.ws.issueTrigger(userId);
    const responseUrl = this.link.responseUrl(this.ws.issueResponseUrl({ userId, channelId: channel.id }));
    const { identity } = this.ws;
    const form = new URLSearchParams({
      token: identity.verificationToken,
      team_id: identity.teamId,
      team_domain: identity.teamDomain,
      channel_id: channel.id,
      channel_name: channel.isIm ? 'directmessage' : channel.name,
      user_id: userId,
      user_name: user.name,
      command,
      text,
      api_app_id: identity.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    const reply = await this.link.deliverAs('slash_command', form.toString(), FORM);
    const problems = reply.status === 200 ? showCommandReply(this.ws, reply.body, userId, channel.id) : [];
    return { ...reply, triggerId, responseUrl, ...(problems.length > 0 ? { problems } : {}) };
  }

  /**
   * Clicks a button on a message (ephemeral ones included) or in a view. `value` picks among
   * buttons sharing an action_id. Throws when there is no such button: a person could not click it.
   */
  async clickButton(
    userId: string,
    where: ActionSource,
    actionId: string,
    value?: string,
  ): Promise<ActionResult> {
    const user = this.requireUser(userId);
    const { identity } = this.ws;
    const triggerId = this.ws.issueTrigger(userId);
    let context: JsonObject;
    let blocks;
    let responseUrl: string | undefined;
    if ('viewId' in where) {
      const view = visibleView(this.ws, userId, where.viewId);
      blocks = view.blocks;
      context = { container: { type: 'view', view_id: view.id }, view, state: view.state };
    } else {
      const channel = this.requireConversation(where.channelId);
      const message = this.ws.message(channel.id, where.ts);
      const ephemeral = message ? undefined : this.ws.ephemeral(channel.id, where.ts);
      if (message && !message.deleted) {
        blocks = message.blocks;
      } else if (ephemeral && ephemeral.user === userId && !ephemeral.deleted) {
        blocks = ephemeral.blocks;
      } else {
        throw new Error(`${userId} sees no message ${where.ts} in ${channel.id}`);
      }
      const threadTs = message?.threadTs ?? ephemeral?.threadTs;
      responseUrl = this.link.responseUrl(
        this.ws.issueResponseUrl({
          userId,
          channelId: channel.id,
          original: { kind: message ? 'message' : 'ephemeral', ts: where.ts },
        }),
      );
      context = {
        container: {
          type: 'message',
          message_ts: where.ts,
          channel_id: channel.id,
          is_ephemeral: !message,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
        channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
        // Slack sends no message body for an ephemeral message.
        ...(message ? { message: apiMessage(this.ws, message, false) } : {}),
        state: { values: {} },
        response_url: responseUrl,
      };
    }
    const hit = interactiveElements(blocks).find(
      ({ element }) =>
        element.type === 'button' &&
        element.action_id === actionId &&
        (value === undefined || element.value === value),
    );
    if (!hit) throw new Error(`no button ${actionId}${value === undefined ? '' : `=${value}`} there`);
    const { block, element } = hit;
    const payload = {
      type: 'block_actions',
      user: this.payloadUser(user),
      api_app_id: identity.appId,
      token: identity.verificationToken,
      trigger_id: triggerId,
      team: { id: identity.teamId, domain: identity.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      ...context,
      actions: [
        {
          action_id: actionId,
          block_id: block.block_id,
          text: element.text,
          ...(element.value !== undefined ? { value: element.value } : {}),
          ...(element.style !== undefined ? { style: element.style } : {}),
          type: 'button',
          action_ts: this.ws.nextTs(),
        },
      ],
    };
    const reply = await this.link.deliverAs('block_actions', interactionBody(payload), FORM);
    return { ...reply, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /**
   * Types into the inputs of an open view without submitting it, so that block_actions from
   * it carry the state, as in Slack.
   */
  setViewValues(userId: string, viewId: string, values: ViewInput): void {
    const view = visibleView(this.ws, userId, viewId);
    storeState(this.ws, userId, viewId, enteredState(view, values));
  }

  /**
   * Submits the person's top modal with what they entered (merged over what the view already
   * holds), then applies the bot's `response_action` to the modal stack as Slack does: `errors`
   * keeps the view, `update` replaces it, `push` stacks a new one, `clear` closes them all, and
   * a plain 200 closes the submitted view. Required inputs left empty never reach the bot.
   */
  async submitView(userId: string, viewId: string, values: ViewInput = {}): Promise<ViewSubmissionResult> {
    const user = this.requireUser(userId);
    const stack = this.ws.stack(userId);
    const view = stack[stack.length - 1];
    if (!view || view.id !== viewId) throw new Error(`${viewId} is not the top modal of ${userId}`);
    if (view.submit === undefined) throw new Error(`${viewId} has no submit button`);
    const state = enteredState(view, values);
    storeState(this.ws, userId, viewId, state);
    const missing = inputBlocks(view.blocks).filter(({ block, element }) => {
      const value = state[block.block_id]?.[String(element.action_id)];
      return block.optional !== true && (!value || isEmptyValue(value));
    });
    if (missing.length > 0) {
      const errors = Object.fromEntries(
        missing.map(({ block }) => [block.block_id, 'Please complete this required field.']),
      );
      return {
        status: 0,
        body: undefined,
        delivered: false,
        responseAction: 'errors',
        errors,
        view: topView(this.ws, userId),
      };
    }
    const { identity } = this.ws;
    const payload = {
      type: 'view_submission',
      team: { id: identity.teamId, domain: identity.teamDomain },
      user: this.payloadUser(user),
      api_app_id: identity.appId,
      token: identity.verificationToken,
      trigger_id: this.ws.issueTrigger(userId),
      view: { ...view, state: { values: state } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const reply = await this.link.deliverAs('view_submission', interactionBody(payload), FORM);
    return { ...reply, delivered: true, ...applyResponseAction(this.ws, userId, viewId, reply) };
  }

  /**
   * Closes the person's top modal with its close button (all of them if it has
   * `clear_on_close`); the bot hears of it only when the view asked with `notify_on_close`.
   */
  async closeView(userId: string, viewId: string): Promise<BotReply | undefined> {
    const user = this.requireUser(userId);
    const stack = this.ws.stack(userId);
    const view = stack[stack.length - 1];
    if (!view || view.id !== viewId) throw new Error(`${viewId} is not the top modal of ${userId}`);
    this.ws.setStack(userId, view.clear_on_close ? [] : stack.slice(0, -1));
    if (!view.notify_on_close) return undefined;
    const { identity } = this.ws;
    const payload = {
      type: 'view_closed',
      team: { id: identity.teamId, domain: identity.teamDomain },
      user: this.payloadUser(user),
      api_app_id: identity.appId,
      token: identity.verificationToken,
      view,
      is_cleared: view.clear_on_close,
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.link.deliverAs('view_closed', interactionBody(payload), FORM);
  }

  /** Opens the app's home tab as a person: an `app_home_opened` event. */
  openHome(userId: string): Promise<BotReply> {
    this.requireUser(userId);
    const home = this.ws.home(userId);
    return this.sendEvent({
      type: 'app_home_opened',
      user: userId,
      channel: this.ws.dmChannelFor(userId),
      tab: 'home',
      ...(home ? { view: home } : {}),
    });
  }

  /**
   * Writes a message as a person, and tells the bot: a `message` event, plus `app_mention`
   * when it mentions the bot outside a DM.
   */
  async postAsUser(
    userId: string,
    channelId: string,
    text: string,
    opts: { threadTs?: string } = {},
  ): Promise<{ message: EmulatedMessage; replies: BotReply[] }> {
    this.requireUser(userId);
    const channel = this.requireConversation(channelId);
    const message = this.ws.postMessage({
      channel: channel.id,
      text,
      user: userId,
      ...(opts.threadTs ? { threadTs: opts.threadTs } : {}),
      via: 'user',
    });
    const common = {
      user: userId,
      text,
      ts: message.ts,
      channel: channel.id,
      event_ts: message.ts,
      team: this.ws.identity.teamId,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    };
    const channelType = channel.isIm
      ? 'im'
      : channel.name.startsWith('mpdm-')
        ? 'mpim'
        : channel.isPrivate
          ? 'group'
          : 'channel';
    const replies = [await this.sendEvent({ type: 'message', ...common, channel_type: channelType })];
    if (!channel.isIm && text.includes(`<@${this.ws.identity.botUserId}>`)) {
      replies.push(await this.sendEvent({ type: 'app_mention', ...common }));
    }
    return { message: structuredClone(message), replies };
  }

  /** Sends any event to the bot, wrapped in an Events API `event_callback` envelope. */
  sendEvent(event: { type: string } & JsonObject): Promise<BotReply> {
    const { identity } = this.ws;
    const envelope = {
      token: identity.verificationToken,
      team_id: identity.teamId,
      api_app_id: identity.appId,
      event: { ...event, event_ts: event.event_ts ?? this.ws.nextTs() },
      type: 'event_callback',
      event_id: this.ws.newId('Ev'),
      event_time: Math.floor(this.ws.now() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: identity.teamId,
          user_id: identity.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel:
        typeof event.channel === 'string' && (this.ws.channel(event.channel)?.isExtShared ?? false),
    };
    return this.link.deliverAs(`event:${event.type}`, JSON.stringify(envelope), 'application/json');
  }

  requireUser(userId: string): EmulatedUser {
    const user = this.ws.user(userId);
    if (!user) throw new Error(`no user ${userId} in the emulated workspace`);
    return user;
  }

  private requireConversation(channelId: string): EmulatedChannel {
    const id = this.ws.resolveConversation(channelId);
    const channel = id ? this.ws.channel(id) : undefined;
    if (!channel) throw new Error(`no conversation ${channelId} in the emulated workspace`);
    return channel;
  }

  private payloadUser(user: EmulatedUser) {
    return { id: user.id, username: user.name, name: user.name, team_id: this.ws.identity.teamId };
  }
}

function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
