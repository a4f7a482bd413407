/**
 * The in-memory workspace behind the emulator: people, conversations, messages, views, and the
 * short-lived grants (trigger ids, response URLs) Slack hands out with each interaction.
 */
import { randomBytes } from 'node:crypto';
import { EmulatedFiles } from './files.js';
import { withGeneratedIds } from './inputs.js';
import type {
  Block,
  EmulatedChannel,
  EmulatedMessage,
  EmulatedUser,
  EmulatorEvent,
  EphemeralMessage,
  EphemeralSource,
  EmulatedView,
  MessageMetadata,
  MessageSource,
  SharedFile,
} from './types.js';

/** Who the app is in this workspace. */
export interface Identity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
  botToken: string;
  verificationToken: string;
}

/** What a response_url may do: reply to the person, and touch the message the action came from. */
export interface ResponseGrant {
  userId: string;
  channelId: string;
  /** the message (or ephemeral message) whose button was clicked */
  original?: { kind: 'message' | 'ephemeral'; ts: string };
  issuedAt: number;
  uses: number;
}

/** Slack lets a response_url be used 5 times within 30 minutes. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
/** Slack's trigger ids expire 3 s after the interaction. */
export const TRIGGER_LIFETIME_MS = 3000;

interface Trigger {
  userId: string;
  issuedAt: number;
  used: boolean;
}

/** A new message's content; `user` and `botId` say who wrote it. */
export interface NewMessage {
  channel: string;
  text: string;
  blocks?: Block[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
  files?: SharedFile[];
  threadTs?: string;
  user?: string;
  botId?: string;
  via: MessageSource;
}

/**
 * What a workspace holds that outlives a restart: people, conversations, messages, views, and the
 * counters that keep ids and timestamps from repeating. Grants (trigger ids, response_urls) expire
 * within minutes and are left out, as are uploaded files' bytes.
 */
export interface WorkspaceSnapshot {
  version: 1;
  serial: number;
  lastMicros: number;
  people: EmulatedUser[];
  conversations: EmulatedChannel[];
  messages: EmulatedMessage[];
  ephemerals: EphemeralMessage[];
  stacks: Record<string, EmulatedView[]>;
  homes: Record<string, EmulatedView>;
}

export class Workspace {
  readonly files = new EmulatedFiles();
  private readonly people = new Map<string, EmulatedUser>();
  private readonly conversations = new Map<string, EmulatedChannel>();
  private readonly dmByUser = new Map<string, string>();
  private readonly history = new Map<string, EmulatedMessage[]>();
  private readonly ephemeralList: EphemeralMessage[] = [];
  private readonly stacks = new Map<string, EmulatedView[]>();
  private readonly homes = new Map<string, EmulatedView>();
  private readonly triggers = new Map<string, Trigger>();
  private readonly grants = new Map<string, ResponseGrant>();
  private serial = 0;
  private lastMicros = 0;
  /** How long a trigger id lasts: Slack's 3 s, unless a test of slow processes asks for longer. */
  triggerLifetimeMs = TRIGGER_LIFETIME_MS;

  constructor(
    readonly identity: Identity,
    readonly now: () => number,
    private readonly emit: (event: EmulatorEvent) => void,
  ) {}

  // ---- snapshot ----------------------------------------------------------------------------

  snapshot(): WorkspaceSnapshot {
    return structuredClone({
      version: 1,
      serial: this.serial,
      lastMicros: this.lastMicros,
      people: [...this.people.values()],
      conversations: [...this.conversations.values()],
      messages: [...this.history.values()].flat(),
      ephemerals: this.ephemeralList,
      stacks: Object.fromEntries(this.stacks),
      homes: Object.fromEntries(this.homes),
    });
  }

  /** Takes up a snapshot's state, quietly: nothing changed for anyone watching. */
  restore(saved: WorkspaceSnapshot): void {
    const copy = structuredClone(saved);
    this.serial = Math.max(this.serial, copy.serial);
    this.lastMicros = Math.max(this.lastMicros, copy.lastMicros);
    for (const user of copy.people) this.people.set(user.id, user);
    for (const channel of copy.conversations) {
      this.conversations.set(channel.id, channel);
      if (channel.isIm && channel.user) this.dmByUser.set(channel.user, channel.id);
    }
    for (const message of copy.messages) {
      const list = this.history.get(message.channel) ?? [];
      list.push(message);
      this.history.set(message.channel, list);
    }
    this.ephemeralList.push(...copy.ephemerals);
    for (const [userId, views] of Object.entries(copy.stacks)) this.stacks.set(userId, views);
    for (const [userId, view] of Object.entries(copy.homes)) this.homes.set(userId, view);
  }

  // ---- ids and time -------------------------------------------------------------------------

  /** Slack-looking ids: a prefix and 10 base-36 characters, unique within this emulator. */
  newId(prefix: string): string {
    this.serial += 1;
    return prefix + this.serial.toString(36).toUpperCase().padStart(10, '0');
  }

  /** Message timestamps are ids in Slack: they must never repeat, even within one millisecond. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  newHash(): string {
    this.serial += 1;
    return `${Math.floor(this.now() / 1000)}.${this.serial.toString(36)}${randomBytes(3).toString('hex')}`;
  }

  nextBlockId = (): string => {
    this.serial += 1;
    return this.serial.toString(36);
  };

  // ---- people and conversations -------------------------------------------------------------

  addUser(user: EmulatedUser): void {
    this.people.set(user.id, { ...user });
    this.emit({ type: 'user_added', user: { ...user } });
  }

  user(id: string): EmulatedUser | undefined {
    return this.people.get(id);
  }

  users(): EmulatedUser[] {
    return [...this.people.values()];
  }

  addChannel(channel: EmulatedChannel): void {
    const stored = { ...channel, members: channel.members ? [...channel.members] : undefined };
    this.conversations.set(channel.id, stored);
    if (channel.isIm && channel.user) this.dmByUser.set(channel.user, channel.id);
    this.emit({ type: 'channel_added', channel: { ...stored } });
  }

  channel(id: string): EmulatedChannel | undefined {
    return this.conversations.get(id);
  }

  channels(): EmulatedChannel[] {
    return [...this.conversations.values()];
  }

  /** The bot's direct message with a person: created on first use, then always the same. */
  dmChannelFor(userId: string): string {
    const existing = this.dmByUser.get(userId);
    if (existing) return existing;
    const id = this.newId('D');
    this.addChannel({
      id,
      name: userId,
      isIm: true,
      isPrivate: true,
      user: userId,
      members: [userId, this.identity.botUserId],
    });
    return id;
  }

  /** A conversation id for a channel id, or a person's id (which Slack reads as their DM with the bot). */
  resolveConversation(idOrUser: string): string | undefined {
    if (this.conversations.has(idOrUser)) return idOrUser;
    if (this.people.has(idOrUser)) return this.dmChannelFor(idOrUser);
    return undefined;
  }

  members(channelId: string): string[] {
    const channel = this.conversations.get(channelId);
    if (!channel) return [];
    if (channel.members) return [...channel.members];
    return [
      ...this.people.keys(),
      ...(this.people.has(this.identity.botUserId) ? [] : [this.identity.botUserId]),
    ];
  }

  isMember(channelId: string, userId: string): boolean {
    return this.members(channelId).includes(userId);
  }

  // ---- messages -----------------------------------------------------------------------------

  postMessage(input: NewMessage): EmulatedMessage {
    const message: EmulatedMessage = {
      channel: input.channel,
      ts: this.nextTs(),
      ...(input.threadTs ? { threadTs: this.threadRoot(input.channel, input.threadTs) } : {}),
      ...(input.user ? { user: input.user } : {}),
      ...(input.botId ? { botId: input.botId } : {}),
      text: input.text,
      ...(input.blocks ? { blocks: withGeneratedIds(input.blocks, this.nextBlockId) } : {}),
      ...(input.attachments ? { attachments: input.attachments } : {}),
      ...(input.metadata ? { metadata: input.metadata } : {}),
      ...(input.files ? { files: input.files } : {}),
      deleted: false,
      via: input.via,
    };
    const list = this.history.get(input.channel) ?? [];
    list.push(message);
    this.history.set(input.channel, list);
    this.emit({ type: 'message_posted', message: structuredClone(message) });
    return message;
  }

  /** A reply to a reply lands in the thread of the original parent, as in Slack. */
  private threadRoot(channel: string, ts: string): string {
    return this.message(channel, ts)?.threadTs ?? ts;
  }

  message(channel: string, ts: string): EmulatedMessage | undefined {
    return this.history.get(channel)?.find((m) => m.ts === ts);
  }

  messages(channel: string): EmulatedMessage[] {
    return this.history.get(channel) ?? [];
  }

  updateMessage(
    message: EmulatedMessage,
    patch: { text?: string; blocks?: Block[]; attachments?: unknown[]; metadata?: MessageMetadata },
  ): EmulatedMessage {
    if (patch.text !== undefined) message.text = patch.text;
    if (patch.blocks !== undefined) setBlocks(message, patch.blocks, this.nextBlockId);
    if (patch.attachments !== undefined) message.attachments = patch.attachments;
    if (patch.metadata !== undefined) message.metadata = patch.metadata;
    message.updatedAt = this.nextTs();
    this.emit({ type: 'message_updated', message: structuredClone(message) });
    return message;
  }

  deleteMessage(message: EmulatedMessage): void {
    message.deleted = true;
    message.updatedAt = this.nextTs();
    this.emit({ type: 'message_deleted', message: structuredClone(message) });
  }

  postEphemeral(input: {
    channel: string;
    user: string;
    text: string;
    blocks?: Block[];
    threadTs?: string;
    via: EphemeralSource;
  }): EphemeralMessage {
    const ephemeral: EphemeralMessage = {
      channel: input.channel,
      user: input.user,
      ts: this.nextTs(),
      ...(input.threadTs ? { threadTs: input.threadTs } : {}),
      text: input.text,
      ...(input.blocks ? { blocks: withGeneratedIds(input.blocks, this.nextBlockId) } : {}),
      via: input.via,
      deleted: false,
    };
    this.ephemeralList.push(ephemeral);
    this.emit({ type: 'ephemeral_posted', ephemeral: structuredClone(ephemeral) });
    return ephemeral;
  }

  ephemerals(): EphemeralMessage[] {
    return this.ephemeralList;
  }

  ephemeral(channel: string, ts: string): EphemeralMessage | undefined {
    return this.ephemeralList.find((e) => e.channel === channel && e.ts === ts);
  }

  updateEphemeral(
    ephemeral: EphemeralMessage,
    patch: { text?: string; blocks?: Block[]; deleted?: boolean },
  ): void {
    if (patch.text !== undefined) ephemeral.text = patch.text;
    if (patch.blocks !== undefined) setBlocks(ephemeral, patch.blocks, this.nextBlockId);
    if (patch.deleted) ephemeral.deleted = true;
    ephemeral.updatedAt = this.nextTs();
    this.emit({ type: 'ephemeral_updated', ephemeral: structuredClone(ephemeral) });
  }

  // ---- views --------------------------------------------------------------------------------

  stack(userId: string): EmulatedView[] {
    return this.stacks.get(userId) ?? [];
  }

  setStack(userId: string, views: EmulatedView[]): void {
    if (views.length === 0) this.stacks.delete(userId);
    else this.stacks.set(userId, views);
    this.emit({ type: 'views_changed', userId, views: structuredClone(views) });
  }

  home(userId: string): EmulatedView | undefined {
    return this.homes.get(userId);
  }

  setHome(userId: string, view: EmulatedView): void {
    this.homes.set(userId, view);
    this.emit({ type: 'home_published', userId, view: structuredClone(view) });
  }

  /** A view anywhere: in someone's modal stack or on someone's home tab. */
  findView(
    match: (view: EmulatedView) => boolean,
  ): { view: EmulatedView; userId: string; place: 'stack' | 'home'; index: number } | undefined {
    for (const [userId, views] of this.stacks) {
      const index = views.findIndex(match);
      const view = views[index];
      if (view) return { view, userId, place: 'stack', index };
    }
    for (const [userId, view] of this.homes)
      if (match(view)) return { view, userId, place: 'home', index: 0 };
    return undefined;
  }

  /** Replaces a view in place after views.update, wherever it lives. */
  replaceView(userId: string, place: 'stack' | 'home', index: number, view: EmulatedView): void {
    if (place === 'home') {
      this.setHome(userId, view);
      return;
    }
    const views = [...this.stack(userId)];
    views[index] = view;
    this.setStack(userId, views);
  }

  // ---- grants -------------------------------------------------------------------------------

  issueTrigger(userId: string): string {
    this.serial += 1;
    const id = `${Math.floor(this.now() / 1000)}.${this.serial}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { userId, issuedAt: this.now(), used: false });
    return id;
  }

  /** Spends a trigger id: the person it was issued to, or Slack's error for it. */
  exchangeTrigger(id: unknown): { userId: string } | { error: string } {
    const trigger = typeof id === 'string' ? this.triggers.get(id) : undefined;
    if (!trigger) return { error: 'invalid_trigger_id' };
    if (trigger.used) return { error: 'exchanged_trigger_id' };
    if (this.now() - trigger.issuedAt > this.triggerLifetimeMs) return { error: 'expired_trigger_id' };
    trigger.used = true;
    return { userId: trigger.userId };
  }

  issueResponseUrl(grant: Omit<ResponseGrant, 'issuedAt' | 'uses'>): string {
    const id = randomBytes(12).toString('hex');
    this.grants.set(id, { ...grant, issuedAt: this.now(), uses: 0 });
    return id;
  }

  /** Spends one use of a response_url: its grant, or Slack's error for it. */
  useResponseUrl(id: string): ResponseGrant | { error: string } {
    const grant = this.grants.get(id);
    if (!grant) return { error: 'no_service' };
    if (this.now() - grant.issuedAt > RESPONSE_URL_LIFETIME_MS) return { error: 'expired_url' };
    if (grant.uses >= RESPONSE_URL_USES) return { error: 'used_url' };
    grant.uses += 1;
    return grant;
  }
}

/** An empty block list removes the blocks, as chat.update documents. */
function setBlocks(target: { blocks?: Block[] }, blocks: Block[], nextId: () => string): void {
  if (blocks.length === 0) delete target.blocks;
  else target.blocks = withGeneratedIds(blocks, nextId);
}
