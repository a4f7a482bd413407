// The real Slack app, in process, over real HTTP, against the Slack emulator: a test drives it the
// way people drive Slack (commands, buttons, modals, the home tab) and reads what Slack would show.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/connect.js';
import { createMetrics } from '../../src/metrics.js';
import { createLogger } from '../../src/logger.js';
import {
  SlackEmulator,
  type EmulatedMessage,
  type EmulatedView,
  type ViewInput,
} from '../../src/sandbox/slack-emulator.js';
import { sendNow } from '../../src/jobs/outbox-sender.js';
import { runJob } from '../../src/jobs/schedule.js';
import { slackChannelAsker } from '../../src/slack/channels.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import { ACTIONS, COMMAND, HAND_BACK_FIELDS } from '../../src/slack/ids.js';
import { PROPOSAL_ACTIONS_BLOCK } from '../../src/slack/blocks/proposal.js';
import { useTestDatabase } from './db.js';
import { CHANNELS, PEOPLE, TEAM_ID, mention } from './people.js';

export { CHANNELS, PEOPLE, TEAM_ID, mention } from './people.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const APP_TOKEN = 'xapp-1-A0APP-test';

/** How Slack reaches the app: signed HTTP requests, or envelopes on a socket the app opened. */
export type SlackMode = 'http' | 'socket';

/** For `describe.each`: the specifications that hold in both modes run in both. */
export const SLACK_MODES = [
  { mode: 'http', name: 'HTTP' },
  { mode: 'socket', name: 'Socket Mode' },
] as const satisfies readonly { mode: SlackMode; name: string }[];

export interface HarnessOptions {
  /** HTTP (default) or Socket Mode. */
  readonly mode?: SlackMode;
  /** Socket Mode's wait before reconnecting (default here 1 s). */
  readonly socketReconnectMs?: number;
  /** The business clock (default Tuesday 2026-12-01, 10:00 UTC). */
  readonly now?: string;
  /** Put a proxy between the app and the emulator that delays these Web API methods (ms). */
  readonly delays?: Readonly<Record<string, number>>;
  /** Extra routes, as the sandbox adds its page. */
  readonly routes?: Parameters<typeof createSlackApp>[0]['routes'];
  /** What /readyz asks (default: ready). */
  readonly readiness?: () => Promise<{ ready: boolean; detail?: string }>;
  /** Count requests and serve GET /metrics. */
  readonly metrics?: boolean;
}

export interface Harness {
  readonly emulator: SlackEmulator;
  readonly app: SlackApp;
  readonly db: Db;
  readonly port: number;
  /** The app's HTTP server: /slack/events in HTTP mode, the health checks and /metrics in both. */
  readonly baseUrl: string;
  /** Log lines the app wrote (JSON), for checking what was logged. */
  readonly logs: Record<string, unknown>[];
  setNow(iso: string): void;
  /** Runs `/engagement <text>` and waits for everything it set off. */
  command(userId: string, text: string, channelId?: string): ReturnType<SlackEmulator['slashCommand']>;
  click(
    userId: string,
    where: Parameters<SlackEmulator['clickButton']>[1],
    actionId: string,
    value?: string,
  ): ReturnType<SlackEmulator['clickButton']>;
  submit(userId: string, view: EmulatedView, values?: ViewInput): ReturnType<SlackEmulator['submitView']>;
  openHome(userId: string): Promise<EmulatedView | undefined>;
  /** The person's top modal. */
  modal(userId: string): EmulatedView | undefined;
  /** Ephemeral texts a person got, oldest first. */
  ephemeralTexts(userId: string): string[];
  lastEphemeral(userId: string): string;
  /** Top-level messages the bot posted in a conversation (a person's id: their DM). */
  botMessages(channelId: string): EmulatedMessage[];
  /** Proposal messages (with or without buttons left) in a channel. */
  proposals(channelId?: string): EmulatedMessage[];
  stop(): Promise<void>;
}

const START = '2026-12-01T10:00:00Z';

export async function startHarness(db: Db, options: HarnessOptions = {}): Promise<Harness> {
  let now = new Date(options.now ?? START);
  const socketMode = options.mode === 'socket';
  const emulator = await SlackEmulator.start({
    signingSecret: SIGNING_SECRET,
    ...(socketMode ? { socketMode: { appToken: APP_TOKEN } } : {}),
    teamId: TEAM_ID,
    users: [
      { id: PEOPLE.lead, name: 'lee', realName: 'Lee Lead', isAdmin: true },
      { id: PEOPLE.ana, name: 'ana', realName: 'Ana Alves' },
      { id: PEOPLE.ben, name: 'ben', realName: 'Ben Bauer' },
      { id: PEOPLE.cat, name: 'cat', realName: 'Cat Chen' },
      { id: PEOPLE.dan, name: 'dan', realName: 'Dan Diaz' },
      { id: PEOPLE.outsider, name: 'olga', realName: 'Olga Outside' },
      { id: 'U0HELPERBOT', name: 'helper', realName: 'Helper Bot', isBot: true },
    ],
    channels: [
      { id: CHANNELS.rotation, name: 'eng-rotation' },
      { id: CHANNELS.acme, name: 'acme-shared' },
      { id: CHANNELS.beta, name: 'beta' },
      { id: CHANNELS.gamma, name: 'gamma' },
      {
        id: CHANNELS.acmeClient,
        name: 'ext-acme',
        purpose: 'Shared with Acme GmbH (Slack Connect).',
        isExtShared: true,
      },
      {
        id: CHANNELS.initechClient,
        name: 'ext-initech',
        topic: 'Shared with Initech',
        isExtShared: true,
      },
    ],
  });
  const proxy = options.delays ? await delayingProxy(emulator.baseUrl, options.delays) : undefined;
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  });
  const { botToken } = emulator.identity;
  const config: Config = {
    slack: socketMode
      ? { mode: 'socket', botToken, appToken: APP_TOKEN }
      : { mode: 'http', botToken, signingSecret: SIGNING_SECRET },
    slackApiUrl: proxy ? `${proxy.url}/api/` : emulator.apiUrl,
    databaseUrl: undefined,
    dataDir: 'memory://',
    port: 0,
    defaultTimeZone: 'UTC',
    defaultReminderTime: '09:00',
    logLevel: 'info',
  };
  // As main.ts wires it: listeners send what their flows queued through the outbox.
  const sender = {
    db,
    deliver: slackDelivery({ token: emulator.identity.botToken, slackApiUrl: config.slackApiUrl }, logger),
    logger,
  };
  const app = await createSlackApp({
    config,
    db,
    logger,
    now: () => now,
    sendNow: (messages) => sendNow(sender, messages, { at: now }),
    readiness: options.readiness ?? (async () => ({ ready: true })),
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.metrics ? { metrics: createMetrics(db) } : {}),
    socketReconnectMs: options.socketReconnectMs ?? 1000,
  });
  const { port } = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  if (!socketMode) emulator.setBotUrl(`${baseUrl}/slack/events`);

  const settle = async <T>(work: Promise<T>): Promise<T> => {
    const result = await work;
    await app.idle();
    return result;
  };
  const isProposal = (m: EmulatedMessage) =>
    !m.deleted &&
    (/proposal for/i.test(m.text) || (m.blocks ?? []).some((b) => b.block_id === PROPOSAL_ACTIONS_BLOCK));

  return {
    emulator,
    app,
    db,
    port,
    baseUrl,
    logs,
    setNow(iso) {
      now = new Date(iso);
    },
    command: (userId, text, channelId = CHANNELS.rotation) =>
      settle(emulator.slashCommand(userId, channelId, COMMAND, text)),
    click: (userId, where, actionId, value) => settle(emulator.clickButton(userId, where, actionId, value)),
    submit: (userId, view, values = {}) => settle(emulator.submitView(userId, view.id, values)),
    async openHome(userId) {
      await settle(emulator.openHome(userId));
      return emulator.homeView(userId);
    },
    modal: (userId) => emulator.openViews(userId).at(-1),
    ephemeralTexts: (userId) => emulator.ephemerals(userId).map((e) => e.text),
    lastEphemeral(userId) {
      const last = emulator.ephemerals(userId).at(-1);
      if (!last) throw new Error(`${userId} got no ephemeral message`);
      return last.text;
    },
    botMessages: (channelId) =>
      emulator.messages(channelId).filter((m) => m.botId && !m.threadTs && !m.deleted),
    proposals: (channelId = CHANNELS.rotation) => emulator.messages(channelId).filter(isProposal),
    async stop() {
      await app.stop();
      await proxy?.close();
      await emulator.close();
    },
  };
}

/** A harness per test, on this worker's database (emptied before each test). */
export function useHarness(options: HarnessOptions = {}): { readonly current: Harness } {
  const database = useTestDatabase();
  let harness: Harness | undefined;
  beforeEach(async () => {
    harness = await startHarness(database.db, options);
  });
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });
  return {
    get current() {
      if (!harness) throw new Error('the harness runs only inside tests');
      return harness;
    },
  };
}

/** The team most tests start from: the lead (a workspace admin) puts ana, ben and cat on the rotation. */
export async function setUpTeam(
  h: Harness,
  members: readonly string[] = [PEOPLE.ana, PEOPLE.ben, PEOPLE.cat],
) {
  await h.command(PEOPLE.lead, `team add ${members.map(mention).join(' ')}`);
  const answer = h.lastEphemeral(PEOPLE.lead);
  if (!answer.startsWith('Added to the rotation')) throw new Error(`setting up the team failed: ${answer}`);
}

export interface NewEngagement {
  client?: string;
  channel?: string;
  clientChannel?: string;
  start?: string;
  deliveryLead?: string | null;
  notes?: string;
  /** A plan template's id (the form's select offers each template's newest version). */
  template?: string;
}

/** `/engagement new` in the rotation channel, and the modal submitted with these values. */
export async function startEngagement(h: Harness, values: NewEngagement = {}, by: string = PEOPLE.lead) {
  await h.command(by, 'new');
  const modal = h.modal(by);
  if (!modal) throw new Error(`no modal opened; ${by} was told: ${h.ephemeralTexts(by).join(' | ')}`);
  const entries: ViewInput = {
    client: values.client ?? 'Acme GmbH',
    channel: values.channel ?? CHANNELS.acme,
    ...(values.clientChannel ? { client_channel: values.clientChannel } : {}),
    ...(values.start ? { start: values.start } : {}),
    ...(values.deliveryLead ? { delivery_lead: values.deliveryLead } : {}),
    ...(values.notes ? { notes: values.notes } : {}),
    ...(values.template ? { template: values.template } : {}),
  };
  const result = await h.submit(by, modal, entries);
  return { modal, result };
}

/** The proposal message that still has buttons, in the rotation channel. */
export function openProposal(h: Harness): EmulatedMessage {
  const open = h
    .proposals()
    .filter((m) => (m.blocks ?? []).some((b) => b.block_id === PROPOSAL_ACTIONS_BLOCK));
  if (open.length !== 1) throw new Error(`expected one open proposal, found ${open.length}`);
  return open[0]!;
}

/** A lead approves the one open proposal in the rotation channel, as proposed. */
export async function approveOpenProposal(h: Harness, by: string = PEOPLE.lead): Promise<void> {
  const proposal = openProposal(h);
  await h.click(
    by,
    { channelId: CHANNELS.rotation, ts: proposal.ts },
    ACTIONS.approveOwner,
    buttonValue(proposal, ACTIONS.approveOwner),
  );
}

/** The owner hands an engagement back from the DM that made them its owner, with a reason. */
export async function handsBack(h: Harness, ownerId: string, reason: string): Promise<void> {
  const dm = h.botMessages(ownerId).find((m) => /You own/.test(m.text))!;
  await h.click(
    ownerId,
    { channelId: h.emulator.dmChannelFor(ownerId), ts: dm.ts },
    ACTIONS.handBack,
    buttonValue(dm, ACTIONS.handBack),
  );
  await h.submit(ownerId, h.modal(ownerId)!, { [HAND_BACK_FIELDS.reason.block]: reason });
}

/** `/engagement close …` by a lead, confirmed with the Close button it answers with. */
export async function closeConfirmed(h: Harness, text: string, by: string = PEOPLE.lead) {
  await h.command(by, text);
  const question = h.emulator.ephemerals(by).at(-1);
  const value = question ? buttonValue(question, ACTIONS.confirmClose) : undefined;
  if (!question || !value) throw new Error(`no confirmation to close; ${by} was told: ${question?.text}`);
  await h.click(by, { channelId: question.channel, ts: question.ts }, ACTIONS.confirmClose, value);
  return h.lastEphemeral(by);
}

/** The value of a button on a message, by action id. */
export function buttonValue(message: Pick<EmulatedMessage, 'blocks'>, actionId: string): string | undefined {
  for (const block of message.blocks ?? []) {
    const b = block as {
      elements?: { action_id?: string; value?: string }[];
      accessory?: { action_id?: string; value?: string };
    };
    const elements = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])];
    const found = elements.find((e) => e.action_id === actionId);
    if (found) return found.value;
  }
  return undefined;
}

/** All the text of a message's blocks, for reading it like a person would. */
export function textOf(message: { text: string; blocks?: unknown[] } | undefined): string {
  if (!message) return '';
  const texts: string[] = [message.text];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') texts.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v);
    }
  };
  walk(message.blocks ?? []);
  return texts.join('\n');
}

/**
 * A proxy in front of the emulator's Web API that holds some methods back, to show that the app
 * answers Slack before it waits on anything slow.
 */
async function delayingProxy(target: string, delays: Readonly<Record<string, number>>) {
  const server = http.createServer((req, res) => {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const upstream = http.request(
          `${target}${req.url}`,
          { method: req.method, headers: { ...req.headers, host: new URL(target).host }, agent: false },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      }, delays[method] ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The reminders job's tick at `at`, as production runs it: sending through the emulated Slack and
 * asking it about channels not checked yet. The harness's own clock is left as it is.
 */
export async function remindersTick(h: Harness, at: string): Promise<void> {
  const moment = new Date(at);
  const logger = createLogger({ level: 'silent' });
  const slack = { token: h.emulator.identity.botToken, slackApiUrl: h.emulator.apiUrl };
  await runJob('reminders', moment, {
    db: h.db,
    deliver: slackDelivery(slack, logger),
    askChannel: slackChannelAsker(slack, logger),
    logger,
    now: () => moment,
  });
}
