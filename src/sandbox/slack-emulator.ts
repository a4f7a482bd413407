/**
 * Slack's side of the wire, in memory: a local HTTP server that answers the Web API (point a
 * WebClient's `slackApiUrl` at {@link SlackEmulator.apiUrl}) and a client side that does what a
 * person does in Slack — run a slash command, click a button, submit a modal, open the home
 * tab — by sending the bot signed requests exactly as Slack does. It refuses what Slack refuses,
 * with Slack's error names.
 *
 * Used as the fake Slack of the end-to-end tests and behind the local sandbox page. It depends
 * on nothing else in the app. The pieces live in `emulator/`: the workspace's state, the Web API
 * server and its methods, the modal stack, the person's actions, Block Kit's limits.
 */
import { ApiServer } from './emulator/api-server.js';
import { PersonActions } from './emulator/person.js';
import { RateLimits } from './emulator/rate-limits.js';
import { postToBot, signSlackRequest } from './emulator/signing.js';
import { SocketModeServer } from './emulator/socket-mode.js';
import { Workspace, type Identity, type WorkspaceSnapshot } from './emulator/workspace.js';
import type {
  ActionResult,
  ActionSource,
  BotReply,
  CommandResult,
  EmulatedChannel,
  EmulatedMessage,
  EmulatedUser,
  EmulatedView,
  EmulatorEvent,
  EphemeralMessage,
  InjectedFailure,
  RawDelivery,
  RecordedCall,
  ViewInput,
  ViewSubmissionResult,
} from './emulator/types.js';

export { signSlackRequest, slackSignatureHeaders } from './emulator/signing.js';
export type * from './emulator/types.js';
export type { Identity as EmulatorIdentity, WorkspaceSnapshot } from './emulator/workspace.js';

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
  /** a workspace saved with {@link SlackEmulator.snapshot}, taken up before `users` and `channels` */
  restore?: WorkspaceSnapshot;
  users?: EmulatedUser[];
  channels?: EmulatedChannel[];
  /** where the bot listens, e.g. `http://127.0.0.1:3000/slack/events` */
  botUrl?: string;
  /** per-conversation limit on chat.postMessage (Slack allows ~1/s with short bursts); off by default */
  rateLimit?: { perSecond: number; burst: number };
  /** each method's Slack tier limit (calls a minute); off by default */
  methodTiers?: boolean;
  /** how long a request to the bot may take before Slack shows the person an error; default 3000 */
  ackTimeoutMs?: number;
  /**
   * how long a trigger id may be used to open a modal; default Slack's 3000. Tests of real processes
   * on a busy machine lengthen it, as they do the ack timeout: neither is what they test.
   */
  triggerLifetimeMs?: number;
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

export class SlackEmulator {
  private readonly ws: Workspace;
  private readonly server: ApiServer;
  private readonly person: PersonActions;
  private readonly listeners = new Set<(event: EmulatorEvent) => void>();
  private readonly signingSecret: string;
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
    if (opts.triggerLifetimeMs !== undefined) this.ws.triggerLifetimeMs = opts.triggerLifetimeMs;
    this.signingSecret = opts.signingSecret;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 3000;
    this.target = opts.botUrl;
    const limits = new RateLimits(this.ws, {
      perConversation: opts.rateLimit,
      methodTiers: opts.methodTiers,
    });
    this.server = new ApiServer(this.ws, limits, (event) => this.emit(event));
    this.person = new PersonActions(this.ws, {
      deliverAs: (kind, body, contentType) => this.deliverAs(kind, body, contentType),
      responseUrl: (id) => this.server.responseUrl(id),
    });
    if (opts.socketMode) {
      this.sockets = new SocketModeServer({
        appToken: opts.socketMode.appToken,
        appId: identity.appId,
        ackTimeoutMs: this.ackTimeoutMs,
        baseUrl: () => this.base,
      });
      this.server.useSocketMode(this.sockets);
    }
    if (opts.restore) this.ws.restore(opts.restore);
    for (const user of opts.users ?? []) this.addUser(user);
    for (const channel of opts.channels ?? []) this.addChannel(channel);
  }

  /** Starts the emulator's server and resolves once it listens. */
  static async start(opts: EmulatorOptions): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(opts);
    emulator.base = await emulator.server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
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

  /** Every Web API request and response_url post, in order. Clear it with `calls.length = 0`. */
  get calls(): RecordedCall[] {
    return this.server.calls;
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
  close(): Promise<void> {
    this.sockets?.close();
    return this.server.close();
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
    this.person.requireUser(userId);
    return this.ws.dmChannelFor(userId);
  }

  users(): EmulatedUser[] {
    return structuredClone(this.ws.users());
  }

  channels(): EmulatedChannel[] {
    return structuredClone(this.ws.channels());
  }

  /** The workspace's lasting state, to start another emulator where this one is. */
  snapshot(): WorkspaceSnapshot {
    return this.ws.snapshot();
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
   * Shares a channel with another organisation (Slack Connect), as its members would by accepting an
   * invitation: `conversations.info` answers it shared, and the bot hears `channel_shared`.
   */
  shareChannel(channelId: string, connectedTeamId = 'T0OUTSIDE'): Promise<BotReply> {
    this.setExtShared(channelId, true);
    return this.person.sendEvent({
      type: 'channel_shared',
      channel: channelId,
      connected_team_id: connectedTeamId,
    });
  }

  /** The other organisation leaves the channel: no longer shared, and the bot hears `channel_unshared`. */
  unshareChannel(channelId: string, previousTeamId = 'T0OUTSIDE'): Promise<BotReply> {
    this.setExtShared(channelId, false);
    return this.person.sendEvent({
      type: 'channel_unshared',
      channel: channelId,
      previously_connected_team_id: previousTeamId,
      is_ext_shared: false,
    });
  }

  private setExtShared(channelId: string, shared: boolean): void {
    const channel = this.ws.channel(channelId);
    if (!channel || channel.isIm)
      throw new Error(`no channel ${channelId} to share in the emulated workspace`);
    this.ws.addChannel({ ...channel, isExtShared: shared, isPendingExtShared: false });
  }

  /**
   * Makes the next `times` calls to a Web API method fail, optionally only those about one
   * conversation: with HTTP 429 and `Retry-After`, or with `{ ok: false, error }`.
   */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    this.server.failNext(method, failure, times);
  }

  /** Subscribes to change notifications; returns the unsubscribe function. */
  onEvent(listener: (event: EmulatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- the client side: what a person does in Slack (see emulator/person.ts) -------------------

  /**
   * Runs a slash command as a person in a conversation (a person's id means their DM with the
   * bot). A reply in the ack body is shown like Slack shows it: ephemeral unless
   * `response_type: 'in_channel'`.
   */
  slashCommand(userId: string, channelId: string, command: string, text: string): Promise<CommandResult> {
    return this.person.slashCommand(userId, channelId, command, text);
  }

  /**
   * Clicks a button on a message (ephemeral ones included) or in a view. `value` picks among
   * buttons sharing an action_id. Throws when there is no such button: a person could not click it.
   */
  clickButton(userId: string, where: ActionSource, actionId: string, value?: string): Promise<ActionResult> {
    return this.person.clickButton(userId, where, actionId, value);
  }

  /** Types into the inputs of an open view without submitting it. */
  setViewValues(userId: string, viewId: string, values: ViewInput): void {
    this.person.setViewValues(userId, viewId, values);
  }

  /**
   * Submits the person's top modal with what they entered, then applies the bot's
   * `response_action` to the modal stack as Slack does. Required inputs left empty never reach
   * the bot.
   */
  submitView(userId: string, viewId: string, values: ViewInput = {}): Promise<ViewSubmissionResult> {
    return this.person.submitView(userId, viewId, values);
  }

  /** Closes the person's top modal; the bot hears of it only when the view asked. */
  closeView(userId: string, viewId: string): Promise<BotReply | undefined> {
    return this.person.closeView(userId, viewId);
  }

  /** Opens the app's home tab as a person: an `app_home_opened` event. */
  openHome(userId: string): Promise<BotReply> {
    return this.person.openHome(userId);
  }

  /** Writes a message as a person, and tells the bot. */
  postAsUser(
    userId: string,
    channelId: string,
    text: string,
    opts: { threadTs?: string } = {},
  ): Promise<{ message: EmulatedMessage; replies: BotReply[] }> {
    return this.person.postAsUser(userId, channelId, text, opts);
  }

  /** Sends any event to the bot, wrapped in an Events API `event_callback` envelope. */
  sendEvent(event: { type: string } & Record<string, unknown>): Promise<BotReply> {
    return this.person.sendEvent(event);
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

  private existingDm(userId: string): string | undefined {
    return this.ws.channels().find((c) => c.isIm && c.user === userId)?.id;
  }
}
