/**
 * Slack's side of the wire, in memory: a local HTTP server that answers the Web API (point a
 * WebClient's `slackApiUrl` at {@link SlackEmulator.apiUrl}) and a client side that does what a
 * person does in Slack — run a slash command, click a button, submit a modal, open the home
 * tab — by sending the bot signed requests exactly as Slack does.
 *
 * Used as the fake Slack of the end-to-end tests and behind the local sandbox page. It depends
 * on nothing else in the app.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  initialValue,
  inputBlocks,
  interactiveElements,
  isEmptyValue,
  resolveEntry,
  validateView,
} from './emulator/blocks.js';
import { answerFileRequest } from './emulator/files.js';
import { postToBot, signSlackRequest } from './emulator/signing.js';
import {
  apiMessage,
  JSON_ARGUMENTS,
  METHODS,
  pushModal,
  readContent,
  updateModal,
  type ApiResult,
} from './emulator/web-api.js';
import { Workspace, type Identity } from './emulator/workspace.js';
import { SocketModeServer } from './emulator/socket-mode.js';
import type {
  ActionSource,
  BotReply,
  EmulatedChannel,
  EmulatedMessage,
  EmulatedUser,
  EmulatedView,
  EmulatorEvent,
  EphemeralMessage,
  InjectedFailure,
  InputEntry,
  RawDelivery,
  RecordedCall,
  ViewStateValues,
} from './emulator/types.js';

export { signSlackRequest, slackSignatureHeaders } from './emulator/signing.js';
export type * from './emulator/types.js';
export type { Identity as EmulatorIdentity } from './emulator/workspace.js';

/** How to set up the emulated workspace. Every id has a default. */
export interface EmulatorOptions {
  /** the app's signing secret: every request to the bot is signed with it */
  signingSecret: string;
  /** default `T0001` */
  teamId?: string;
  /** default `Emulated Workspace` */
  teamName?: string;
  /** default `emulated` (as in emulated.slack.com) */
  teamDomain?: string;
  /** the bot's user id; default `U0BOT` */
  botUserId?: string;
  /** default `B0BOT` */
  botId?: string;
  /** the bot user's handle; default `steward` */
  botName?: string;
  /** `api_app_id` in payloads; default `A0APP` */
  appId?: string;
  /** the only token the Web API accepts; default `xoxb-test` */
  botToken?: string;
  /** the legacy `token` field Slack still puts in payloads; default `verification-token` */
  verificationToken?: string;
  users?: EmulatedUser[];
  channels?: EmulatedChannel[];
  /** where the bot listens, e.g. `http://127.0.0.1:3000/slack/events` */
  botUrl?: string;
  /** per-conversation limit on chat.postMessage (Slack allows ~1/s with short bursts); off by default */
  rateLimit?: { perSecond: number; burst: number };
  /** how long a request to the bot may take before Slack shows the person an error; default 3000 */
  ackTimeoutMs?: number;
  /**
   * Socket Mode: the app connects with this app-level token (`apps.connections.open`) and gets
   * everything as envelopes on its sockets instead of HTTP requests to `botUrl`.
   */
  socketMode?: { appToken: string };
  /** default an ephemeral port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /**
   * The clock, in ms, for message ts, trigger expiry, response_url expiry and rate limits.
   * Request signatures always use the real clock: the bot checks them against its own.
   */
  now?: () => number;
}

/** What the bot answered to a slash command, with the grants Slack sent along. */
export interface CommandResult extends BotReply {
  triggerId: string;
  responseUrl: string;
  /** Slack's objections to the bot's reply body, if it could not be shown */
  problems?: string[];
}

/** What the bot answered to a button click. */
export interface ActionResult extends BotReply {
  triggerId: string;
  /** absent for clicks in views, as in Slack */
  responseUrl?: string;
}

/** What became of a view submission. */
export interface ViewSubmissionResult extends BotReply {
  /** false when Slack's client refused to send it (a required input left empty) */
  delivered: boolean;
  /** the bot's `response_action`; absent when it acked with no body, which closes the view */
  responseAction?: 'errors' | 'update' | 'push' | 'clear';
  /** field errors shown under the inputs, by block_id */
  errors?: Record<string, string>;
  /** the person's top view afterwards, if any is still open */
  view?: EmulatedView;
  /** what Slack would reject in the bot's answer (it then shows a generic error and keeps the view) */
  problems?: string[];
}

/** Values to enter in a view: by block_id, either the entry itself or a map of action_id → entry. */
export type ViewInput = Record<string, InputEntry | Record<string, InputEntry>>;

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const FORM = 'application/x-www-form-urlencoded';

export class SlackEmulator {
  /** Every Web API request and response_url post, in order. Clear it with `calls.length = 0`. */
  readonly calls: RecordedCall[] = [];

  private readonly ws: Workspace;
  private readonly server: http.Server;
  private readonly listeners = new Set<(event: EmulatorEvent) => void>();
  private readonly failures: { method: string; failure: InjectedFailure; left: number }[] = [];
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly signingSecret: string;
  private readonly rateLimit: { perSecond: number; burst: number } | undefined;
  private readonly ackTimeoutMs: number;
  private base = '';
  private target: string | undefined;
  private readonly sockets: SocketModeServer | undefined;
  private lastDelivery: RawDelivery | undefined;

  private constructor(opts: EmulatorOptions) {
    const identity: Identity = {
      teamId: opts.teamId ?? 'T0001',
      teamName: opts.teamName ?? 'Emulated Workspace',
      teamDomain: opts.teamDomain ?? 'emulated',
      botUserId: opts.botUserId ?? 'U0BOT',
      botId: opts.botId ?? 'B0BOT',
      botName: opts.botName ?? 'steward',
      appId: opts.appId ?? 'A0APP',
      botToken: opts.botToken ?? 'xoxb-test',
      verificationToken: opts.verificationToken ?? 'verification-token',
    };
    this.ws = new Workspace(identity, opts.now ?? Date.now, (event) => this.emit(event));
    this.signingSecret = opts.signingSecret;
    this.rateLimit = opts.rateLimit;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 3000;
    this.target = opts.botUrl;
    for (const user of opts.users ?? []) this.addUser(user);
    for (const channel of opts.channels ?? []) this.addChannel(channel);
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(err) });
      });
    });
    if (opts.socketMode) {
      this.sockets = new SocketModeServer({
        appToken: opts.socketMode.appToken,
        appId: identity.appId,
        ackTimeoutMs: this.ackTimeoutMs,
        baseUrl: () => this.base,
      });
      this.sockets.attach(this.server);
    }
  }

  /** Starts the emulator's server and resolves once it listens. */
  static async start(opts: EmulatorOptions): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(opts);
    const host = opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = emulator.server.address() as AddressInfo;
    emulator.base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    emulator.ws.files.baseUrl = emulator.base;
    return emulator;
  }

  /** The server's root, e.g. `http://127.0.0.1:54321`. */
  get baseUrl(): string {
    return this.base;
  }

  /** The Web API root for `slackApiUrl`; ends with `/api/`. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** Who the app is: team, bot and token, for configuring the bot under test. */
  get identity(): Readonly<Identity> {
    return this.ws.identity;
  }

  /** Where requests to the bot go, if set. */
  get botUrl(): string | undefined {
    return this.target;
  }

  setBotUrl(url: string): void {
    this.target = url;
  }

  /** Slack's side of Socket Mode, when the emulator was started with `socketMode`. */
  get socketMode(): SocketModeServer | undefined {
    return this.sockets;
  }

  /** Stops the server, dropping open connections. */
  async close(): Promise<void> {
    this.sockets?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  // ---- the workspace, for assertions and for the sandbox page -------------------------------

  /** The Web API calls (and `response_url` posts) to one method. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * A conversation's messages, oldest first, thread replies and deleted messages included.
   * A person's id stands for their DM with the bot.
   */
  messages(channelId: string): EmulatedMessage[] {
    const id = this.ws.channel(channelId) ? channelId : this.existingDm(channelId);
    return id ? structuredClone(this.ws.messages(id)) : [];
  }

  /** One message by conversation and ts. */
  message(channelId: string, ts: string): EmulatedMessage | undefined {
    const id = this.ws.channel(channelId) ? channelId : this.existingDm(channelId);
    const found = id ? this.ws.message(id, ts) : undefined;
    return found ? structuredClone(found) : undefined;
  }

  /** An uploaded file's bytes (for the sandbox page), or undefined. */
  fileContent(id: string): { name: string; mimetype: string; bytes: Buffer } | undefined {
    return this.ws.files.content(id);
  }

  /** Ephemeral messages (chat.postEphemeral, response_url, command replies), oldest first. */
  ephemerals(userId?: string): EphemeralMessage[] {
    return structuredClone(this.ws.ephemerals().filter((e) => userId === undefined || e.user === userId));
  }

  /** A person's modal stack, bottom first; empty when no modal is open. */
  openViews(userId: string): EmulatedView[] {
    return structuredClone(this.ws.stack(userId));
  }

  /** The home tab last published for a person. */
  homeView(userId: string): EmulatedView | undefined {
    const view = this.ws.home(userId);
    return view ? structuredClone(view) : undefined;
  }

  /** The bot's DM with a person; the same id conversations.open returns, stable per person. */
  dmChannelFor(userId: string): string {
    this.requireUser(userId);
    return this.ws.dmChannelFor(userId);
  }

  users(): EmulatedUser[] {
    return structuredClone(this.ws.users());
  }

  channels(): EmulatedChannel[] {
    return structuredClone(this.ws.channels());
  }

  /** Adds (or replaces) a person. */
  addUser(user: EmulatedUser): void {
    if (user.tz) new Intl.DateTimeFormat('en-US', { timeZone: user.tz }); // throws on an unknown zone
    this.ws.addUser(user);
  }

  /** Adds (or replaces) a conversation. */
  addChannel(channel: EmulatedChannel): void {
    this.ws.addChannel(channel);
  }

  /**
   * Makes the next `times` calls to a Web API method fail, optionally only those about one
   * conversation: with HTTP 429 and `Retry-After`, or with `{ ok: false, error }`.
   */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    this.failures.push({ method, failure, left: times });
  }

  /** Subscribes to change notifications; returns the unsubscribe function. */
  onEvent(listener: (event: EmulatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- the client side: what a person does in Slack -----------------------------------------

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
    const responseUrl = this.responseUrl(this.ws.issueResponseUrl({ userId, channelId: channel.id }));
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
    const reply = await this.deliverAs('slash_command', form.toString(), FORM);
    const problems = reply.status === 200 ? this.showCommandReply(reply.body, userId, channel.id) : [];
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
      const view = this.visibleView(userId, where.viewId);
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
      responseUrl = this.responseUrl(
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
    const reply = await this.deliverAs('block_actions', interactionBody(payload), FORM);
    return { ...reply, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /**
   * Types into the inputs of an open view without submitting it, so that block_actions from
   * it carry the state, as in Slack.
   */
  setViewValues(userId: string, viewId: string, values: ViewInput): void {
    const view = this.visibleView(userId, viewId);
    this.storeState(userId, viewId, this.enteredState(view, values));
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
    const state = this.enteredState(view, values);
    this.storeState(userId, viewId, state);
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
        view: this.topView(userId),
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
    const reply = await this.deliverAs('view_submission', interactionBody(payload), FORM);
    return { ...reply, delivered: true, ...this.applyResponseAction(userId, viewId, reply) };
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
    return this.deliverAs('view_closed', interactionBody(payload), FORM);
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
    return this.deliverAs(`event:${event.type}`, JSON.stringify(envelope), 'application/json');
  }

  /**
   * Sends the last request to the bot again, as Slack retries one it thinks was not received
   * (`X-Slack-Retry-Num`, or `retry_attempt` in Socket Mode). Its effects are not shown again.
   */
  redeliver(reason = 'timeout'): Promise<BotReply> {
    const last = this.lastDelivery;
    if (!last) throw new Error('nothing was delivered to the bot yet');
    this.lastDelivery = { ...last, retryAttempt: (last.retryAttempt ?? 0) + 1, retryReason: reason };
    return this.deliver(this.lastDelivery);
  }

  /**
   * Sends the bot a raw request, signed correctly unless told otherwise: for checking that it
   * turns away stale, replayed or forged requests.
   */
  deliver(request: RawDelivery): Promise<BotReply> {
    if (this.sockets) return this.sockets.deliver(request);
    const url = this.target;
    if (!url) throw new Error('no bot URL: pass botUrl or call setBotUrl');
    const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': request.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': request.signature ?? signSlackRequest(this.signingSecret, request.body, timestamp),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...(request.retryAttempt
        ? {
            'x-slack-retry-num': String(request.retryAttempt),
            'x-slack-retry-reason': request.retryReason ?? 'timeout',
          }
        : {}),
    };
    return postToBot(url, request.body, headers, this.ackTimeoutMs);
  }

  // ---- Web API server -----------------------------------------------------------------------

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base || 'http://localhost');
    // File uploads carry raw bytes: answered before the body is read as text.
    if (url.pathname.startsWith('/files/') && (await answerFileRequest(this.ws, req, res, url.pathname)))
      return;
    // Socket Mode behind a firewall or in an outage: the request never gets an answer.
    if (url.pathname === '/api/apps.connections.open' && this.sockets?.isReachable === false) {
      req.socket.destroy();
      return;
    }
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/')) {
      this.answerApi(decodeURIComponent(url.pathname.slice('/api/'.length)), req, url, raw, res);
      return;
    }
    const grant = /^\/response\/([0-9a-f]+)$/.exec(url.pathname)?.[1];
    if (grant && req.method === 'POST') {
      this.answerResponseUrl(grant, req, raw, res);
      return;
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  private answerApi(
    method: string,
    req: http.IncomingMessage,
    url: URL,
    raw: string,
    res: http.ServerResponse,
  ): void {
    const parsed = parseArgs(req, url, raw);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const { token: bodyToken, ...args } = parsed.args;
    const token = bearer ?? (typeof bodyToken === 'string' ? bodyToken : undefined);
    let status = 200;
    let retryAfter: number | undefined;
    let body: ApiResult;
    const handler = METHODS[method];
    if (parsed.error) body = { ok: false, error: parsed.error };
    else if (method === 'apps.connections.open' && this.sockets) body = this.sockets.openConnection(token);
    else if (!handler) body = { ok: false, error: 'unknown_method' };
    else if (!token) body = { ok: false, error: 'not_authed' };
    else if (token !== this.ws.identity.botToken) body = { ok: false, error: 'invalid_auth' };
    else {
      const injected = this.takeFailure(method, args);
      retryAfter =
        injected && 'status' in injected
          ? injected.retryAfter
          : !injected && method === 'chat.postMessage'
            ? this.takeToken(args.channel)
            : undefined;
      if (retryAfter !== undefined) {
        status = 429;
        body = { ok: false, error: 'ratelimited' };
      } else if (injected && 'error' in injected) {
        body = { ok: false, error: injected.error };
      } else {
        try {
          body = handler(this.ws, args);
        } catch (err) {
          body = { ok: false, error: 'fatal_error', response_metadata: { messages: [String(err)] } };
        }
      }
    }
    this.record(method, args, token, status, body);
    sendJson(res, status, body, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {});
  }

  private answerResponseUrl(
    id: string,
    req: http.IncomingMessage,
    raw: string,
    res: http.ServerResponse,
  ): void {
    const respond = (status: number, body: ApiResult, args: JsonObject = {}) => {
      this.record('response_url', args, undefined, status, body);
      sendJson(res, status, body);
    };
    const grant = this.ws.useResponseUrl(id);
    if ('error' in grant) return respond(404, { ok: false, error: grant.error });
    let args: JsonObject;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isObject(parsed)) throw new Error('not an object');
      args = parsed;
    } catch {
      return respond(400, { ok: false, error: 'invalid_payload' });
    }
    const content = readContent(args, false);
    if ('ok' in content) return respond(400, content, args);
    const original = grant.original;
    const replace = args.replace_original === true || args.replace_original === 'true';
    const remove = args.delete_original === true || args.delete_original === 'true';
    const hasContent =
      Boolean(content.text) || (content.blocks?.length ?? 0) > 0 || (content.attachments?.length ?? 0) > 0;
    if (original && remove) {
      if (original.kind === 'message') {
        const message = this.ws.message(grant.channelId, original.ts);
        if (message && !message.deleted) this.ws.deleteMessage(message);
      } else {
        const ephemeral = this.ws.ephemeral(grant.channelId, original.ts);
        if (ephemeral) this.ws.updateEphemeral(ephemeral, { deleted: true });
      }
    } else if (original && replace) {
      if (!hasContent) return respond(400, { ok: false, error: 'no_text' }, args);
      if (original.kind === 'message') {
        const message = this.ws.message(grant.channelId, original.ts);
        if (!message || message.deleted) return respond(404, { ok: false, error: 'message_not_found' }, args);
        this.ws.updateMessage(message, { text: content.text ?? '', blocks: content.blocks ?? [] });
      } else {
        const ephemeral = this.ws.ephemeral(grant.channelId, original.ts);
        if (ephemeral)
          this.ws.updateEphemeral(ephemeral, { text: content.text ?? '', blocks: content.blocks ?? [] });
      }
      return respond(200, { ok: true }, args);
    }
    if (hasContent) this.postReply(content, args, grant.userId, grant.channelId, 'response_url');
    else if (!remove) return respond(400, { ok: false, error: 'no_text' }, args);
    return respond(200, { ok: true }, args);
  }

  /** A reply through response_url or a command's ack: in the channel, or just to the person. */
  private postReply(
    content: { text?: string; blocks?: EmulatedMessage['blocks']; attachments?: unknown[] },
    args: JsonObject,
    userId: string,
    channelId: string,
    via: 'response_url' | 'command_response',
  ): void {
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (args.response_type === 'in_channel') {
      this.ws.postMessage({
        channel: channelId,
        text: content.text ?? '',
        ...(content.blocks ? { blocks: content.blocks } : {}),
        ...(content.attachments ? { attachments: content.attachments } : {}),
        ...(threadTs ? { threadTs } : {}),
        user: this.ws.identity.botUserId,
        botId: this.ws.identity.botId,
        via,
      });
    } else {
      this.ws.postEphemeral({
        channel: channelId,
        user: userId,
        text: content.text ?? '',
        ...(content.blocks ? { blocks: content.blocks } : {}),
        ...(threadTs ? { threadTs } : {}),
        via,
      });
    }
  }

  private showCommandReply(body: unknown, userId: string, channelId: string): string[] {
    if (body === undefined || body === '') return [];
    if (typeof body === 'string') {
      this.postReply({ text: body }, {}, userId, channelId, 'command_response');
      return [];
    }
    if (!isObject(body)) return ['the reply is neither text nor a message object'];
    const content = readContent(body, false);
    if ('ok' in content) {
      const messages = (content.response_metadata as { messages?: string[] } | undefined)?.messages;
      return messages ?? [String(content.error)];
    }
    if (content.text || content.blocks?.length)
      this.postReply(content, body, userId, channelId, 'command_response');
    return [];
  }

  private record(
    method: string,
    args: JsonObject,
    token: string | undefined,
    status: number,
    response: ApiResult,
  ) {
    const call: RecordedCall = {
      seq: this.calls.length + 1,
      method,
      args,
      ...(token ? { token } : {}),
      at: this.ws.now(),
      status,
      // A snapshot: the live views and blocks change after the call.
      response: structuredClone(response),
    };
    this.calls.push(call);
    this.emit({ type: 'api_call', call });
  }

  private takeFailure(method: string, args: JsonObject): InjectedFailure | undefined {
    const channel = typeof args.channel === 'string' ? args.channel : undefined;
    const index = this.failures.findIndex(
      (f) =>
        f.method === method &&
        (f.failure.channel === undefined ||
          (channel !== undefined &&
            [channel, this.existingConversation(channel)].includes(f.failure.channel))),
    );
    const entry = this.failures[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.failures.splice(index, 1);
    return entry.failure;
  }

  /** A token bucket per conversation; returns the seconds to wait when it is empty. */
  private takeToken(target: unknown): number | undefined {
    if (!this.rateLimit || typeof target !== 'string') return undefined;
    const { perSecond, burst } = this.rateLimit;
    // A post addressed to a person lands in their DM: it shares the DM's allowance, existing or not.
    const key =
      this.existingConversation(target) ?? (/^[UW]/.test(target) ? this.ws.dmChannelFor(target) : target);
    const now = this.ws.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private emit(event: EmulatorEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken page listener must not break the Web API answer the bot is waiting for.
        process.emitWarning(`SlackEmulator listener failed: ${String(err)}`);
      }
    }
  }

  private async deliverAs(
    kind: string,
    body: string,
    contentType: RawDelivery['contentType'],
  ): Promise<BotReply> {
    this.lastDelivery = { body, contentType };
    const reply = await this.deliver(this.lastDelivery);
    this.emit({ type: 'delivered', kind, reply });
    return reply;
  }

  private responseUrl(id: string): string {
    return `${this.base}/response/${id}`;
  }

  private requireUser(userId: string): EmulatedUser {
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

  /** A conversation id without creating a DM as a side effect. */
  private existingConversation(idOrUser: string): string | undefined {
    return this.ws.channel(idOrUser) ? idOrUser : this.existingDm(idOrUser);
  }

  private existingDm(userId: string): string | undefined {
    return this.ws.channels().find((c) => c.isIm && c.user === userId)?.id;
  }

  private payloadUser(user: EmulatedUser) {
    return { id: user.id, username: user.name, name: user.name, team_id: this.ws.identity.teamId };
  }

  /** A view the person has in front of them: their top modal or their home tab. */
  private visibleView(userId: string, viewId: string): EmulatedView {
    const stack = this.ws.stack(userId);
    const top = stack[stack.length - 1];
    if (top?.id === viewId) return top;
    const home = this.ws.home(userId);
    if (home?.id === viewId) return home;
    throw new Error(`${userId} does not see view ${viewId}`);
  }

  private topView(userId: string): EmulatedView | undefined {
    const stack = this.ws.stack(userId);
    const top = stack[stack.length - 1];
    return top ? structuredClone(top) : undefined;
  }

  /** The view's state with the person's entries applied; every input block is present, as in Slack. */
  private enteredState(view: EmulatedView, values: ViewInput): ViewStateValues {
    const inputs = inputBlocks(view.blocks);
    const state: ViewStateValues = {};
    for (const { block, element } of inputs) {
      const actionId = String(element.action_id);
      state[block.block_id] = {
        [actionId]: view.state.values[block.block_id]?.[actionId] ?? initialValue(element),
      };
    }
    for (const [blockId, given] of Object.entries(values)) {
      const input = inputs.find(({ block }) => block.block_id === blockId);
      if (!input) throw new Error(`view ${view.id} has no input block ${blockId}`);
      const actionId = String(input.element.action_id);
      const byAction: Record<string, InputEntry> =
        isObject(given) && actionId in given
          ? (given as Record<string, InputEntry>)
          : { [actionId]: given as InputEntry };
      for (const [action, entry] of Object.entries(byAction)) {
        if (action !== actionId) throw new Error(`input block ${blockId} has no element ${action}`);
        state[blockId] = { [actionId]: resolveEntry(input.element, entry, `${blockId}.${actionId}`) };
      }
    }
    return state;
  }

  private storeState(userId: string, viewId: string, values: ViewStateValues): void {
    const stack = this.ws.stack(userId);
    const index = stack.findIndex((v) => v.id === viewId);
    const view = stack[index];
    if (view) {
      const views = [...stack];
      views[index] = { ...view, state: { values } };
      this.ws.setStack(userId, views);
      return;
    }
    const home = this.ws.home(userId);
    if (home?.id === viewId) this.ws.setHome(userId, { ...home, state: { values } });
  }

  private applyResponseAction(
    userId: string,
    viewId: string,
    reply: BotReply,
  ): Omit<ViewSubmissionResult, keyof BotReply | 'delivered'> {
    const after = () => {
      const view = this.topView(userId);
      return view ? { view } : {};
    };
    if (reply.status !== 200) {
      return {
        ...after(),
        problems: [reply.timedOut ? 'the app did not answer in time' : `the app answered ${reply.status}`],
      };
    }
    const stack = this.ws.stack(userId);
    const index = stack.findIndex((v) => v.id === viewId);
    const body = reply.body;
    const action = isObject(body) ? body.response_action : undefined;
    if (action === undefined) {
      if (index >= 0) this.ws.setStack(userId, stack.slice(0, index));
      return after();
    }
    const current = stack[index];
    if (!isObject(body) || !current) return { ...after(), problems: [`view ${viewId} is no longer open`] };
    switch (action) {
      case 'errors': {
        const errors = isObject(body.errors) ? (body.errors as Record<string, string>) : {};
        const inputIds = new Set(inputBlocks(current.blocks).map(({ block }) => block.block_id));
        const unknown = Object.keys(errors).filter((id) => !inputIds.has(id));
        return {
          responseAction: 'errors',
          errors,
          ...after(),
          ...(unknown.length > 0
            ? { problems: unknown.map((id) => `errors name ${id}, which is not an input block`) }
            : {}),
        };
      }
      case 'update':
      case 'push': {
        const responseAction = action as 'update' | 'push';
        const problems = validateView(body.view, 'modal');
        if (problems.length > 0) return { responseAction, ...after(), problems };
        const view = body.view as JsonObject;
        if (responseAction === 'update') updateModal(this.ws, userId, index, view);
        else {
          const pushed = pushModal(this.ws, userId, view);
          if (!pushed.ok) return { responseAction, ...after(), problems: [String(pushed.error)] };
        }
        return { responseAction, ...after() };
      }
      case 'clear':
        this.ws.setStack(userId, []);
        return { responseAction: 'clear' };
      default:
        return { ...after(), problems: [`unknown response_action ${String(action)}`] };
    }
  }
}

// ---- wire helpers -----------------------------------------------------------------------------

function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Arguments from the query string and a JSON or form body; JSON-valued form fields decoded. */
function parseArgs(req: http.IncomingMessage, url: URL, raw: string): { args: JsonObject; error?: string } {
  const args: JsonObject = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (raw !== '') {
    if (type === 'application/json') {
      try {
        const body: unknown = JSON.parse(raw);
        if (!isObject(body)) return { args, error: 'invalid_json' };
        Object.assign(args, body);
      } catch {
        return { args, error: 'invalid_json' };
      }
    } else if (type === FORM || type === '' || type === 'text/plain') {
      Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
    } else {
      return { args, error: 'invalid_post_type' };
    }
  }
  for (const key of JSON_ARGUMENTS) {
    const value = args[key];
    if (typeof value !== 'string' || value === '') continue;
    try {
      args[key] = JSON.parse(value) as unknown;
    } catch {
      // Left as a string: the method answers with its own "invalid format" error.
    }
  }
  return { args };
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
