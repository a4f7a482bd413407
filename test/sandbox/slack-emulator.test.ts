import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel as BoltLogLevel, type types as slack } from '@slack/bolt';
import {
  ErrorCode,
  LogLevel,
  WebClient,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
} from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SlackEmulator,
  signSlackRequest,
  type EmulatorEvent,
  type EmulatorOptions,
} from '../../src/sandbox/slack-emulator.js';

const SECRET = 'emulator-test-secret';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const GENERAL = 'C0GENERAL';
const HIDDEN = 'G0HIDDEN';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

// The WebClient logs every refused call; here refusals are what the tests ask for.
const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** An emulator on a clock the test moves, with a WebClient pointed at it. */
async function setup(overrides: Partial<EmulatorOptions> = {}) {
  let clock = Date.UTC(2026, 11, 7, 9, 0, 0);
  const emulator = await SlackEmulator.start({
    signingSecret: SECRET,
    users: [
      { id: ALICE, name: 'alice', realName: 'Alice Lead', isAdmin: true, tz: 'Europe/Paris' },
      { id: BOB, name: 'bob', realName: 'Bob Owner', tz: 'America/New_York' },
    ],
    channels: [
      { id: GENERAL, name: 'general' },
      { id: HIDDEN, name: 'hidden', isPrivate: true, members: [ALICE] },
    ],
    now: () => clock,
    ...overrides,
  });
  cleanups.push(() => emulator.close());
  const client = new WebClient('xoxb-test', {
    slackApiUrl: emulator.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quiet,
  });
  return {
    emulator,
    client,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

/** The Slack error code of a failed call. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    return (err as WebAPIPlatformError).data.error;
  }
  throw new Error('the call succeeded');
}

async function rawCall(emulator: SlackEmulator, method: string, init: RequestInit = {}) {
  const res = await fetch(`${emulator.apiUrl}${method}`, { method: 'POST', ...init });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** the parsed `payload` field of an interaction, or the form of a command, or the JSON of an event */
  body: Record<string, unknown>;
}

/** A stand-in for the bot: records what Slack sends and answers what the test says. */
async function fakeBot(answer: (r: Received) => { status?: number; body?: unknown } | void = () => {}) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const form = new URLSearchParams(raw);
      const body = req.headers['content-type']?.startsWith('application/json')
        ? (JSON.parse(raw) as Record<string, unknown>)
        : form.has('payload')
          ? (JSON.parse(form.get('payload') ?? '') as Record<string, unknown>)
          : Object.fromEntries(form);
      const r = { headers: req.headers, raw, body };
      received.push(r);
      const { status = 200, body: reply } = answer(r) ?? {};
      res.writeHead(status, reply === undefined ? {} : { 'content-type': 'application/json' });
      res.end(reply === undefined ? '' : JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/slack/events`, received };
}

/** Checks a request the way Slack tells apps to: fresh timestamp, HMAC over `v0:ts:body`. */
function expectSignedBySlack(r: Received) {
  const timestamp = Number(r.headers['x-slack-request-timestamp']);
  expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(60);
  const expected = 'v0=' + createHmac('sha256', SECRET).update(`v0:${timestamp}:${r.raw}`).digest('hex');
  expect(r.headers['x-slack-signature']).toBe(expected);
}

const modal = (blocks: slack.KnownBlock[], extra: Partial<slack.ModalView> = {}): slack.ModalView => ({
  type: 'modal',
  callback_id: 'new_engagement',
  title: { type: 'plain_text', text: 'New engagement' },
  submit: { type: 'plain_text', text: 'Create' },
  blocks,
  ...extra,
});

const engagementInputs: slack.KnownBlock[] = [
  {
    type: 'input',
    block_id: 'client',
    label: { type: 'plain_text', text: 'Client' },
    element: { type: 'plain_text_input', action_id: 'name' },
  },
  {
    type: 'input',
    block_id: 'start',
    label: { type: 'plain_text', text: 'Start' },
    element: { type: 'datepicker', action_id: 'date', initial_date: '2026-12-14' },
  },
  {
    type: 'input',
    block_id: 'lead',
    label: { type: 'plain_text', text: 'Lead' },
    element: { type: 'users_select', action_id: 'user' },
  },
  {
    type: 'input',
    block_id: 'channel',
    optional: true,
    label: { type: 'plain_text', text: 'Channel' },
    element: { type: 'conversations_select', action_id: 'conversation' },
  },
  {
    type: 'input',
    block_id: 'size',
    label: { type: 'plain_text', text: 'Size' },
    element: {
      type: 'static_select',
      action_id: 'choice',
      options: [
        { text: { type: 'plain_text', text: 'Small' }, value: 's' },
        { text: { type: 'plain_text', text: 'Large' }, value: 'l' },
      ],
    },
  },
];

const buttons: slack.KnownBlock[] = [
  { type: 'section', block_id: 'intro', text: { type: 'mrkdwn', text: 'Take *Acme*?' } },
  {
    type: 'actions',
    block_id: 'answer',
    elements: [
      {
        type: 'button',
        action_id: 'accept',
        text: { type: 'plain_text', text: 'Accept' },
        value: 'eng-1',
        style: 'primary',
      },
      { type: 'button', action_id: 'decline', text: { type: 'plain_text', text: 'Decline' }, value: 'eng-1' },
    ],
  },
];

describe('SlackEmulator Web API', () => {
  it('answers auth.test for the bot token and turns away other tokens and unknown methods', async () => {
    const { emulator, client } = await setup();
    await expect(client.auth.test()).resolves.toMatchObject({
      ok: true,
      team_id: 'T0001',
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
    });
    const wrong = new WebClient('xoxb-wrong', {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
    });
    expect(await slackError(wrong.auth.test())).toBe('invalid_auth');
    expect(await rawCall(emulator, 'auth.test')).toEqual({
      status: 200,
      body: { ok: false, error: 'not_authed' },
    });
    expect(await rawCall(emulator, 'no.such', { headers: { authorization: 'Bearer xoxb-test' } })).toEqual({
      status: 200,
      body: { ok: false, error: 'unknown_method' },
    });
    expect(emulator.callsTo('auth.test').map((c) => c.response.ok)).toEqual([true, false, false]);
  });

  it('describes people in Slack’s user shape, the bot among them', async () => {
    const { client } = await setup();
    const { user } = await client.users.info({ user: ALICE });
    expect(user).toMatchObject({
      id: ALICE,
      team_id: 'T0001',
      name: 'alice',
      real_name: 'Alice Lead',
      tz: 'Europe/Paris',
      tz_offset: 3600, // December: CET
      is_admin: true,
      is_owner: false,
      is_bot: false,
      profile: { real_name: 'Alice Lead', display_name: '' },
    });
    expect((await client.users.info({ user: BOB })).user?.tz_offset).toBe(-5 * 3600);
    const { members } = await client.users.list({});
    expect(members?.map((m) => [m.id, m.is_bot])).toEqual([
      [ALICE, false],
      [BOB, false],
      ['U0BOT', true],
    ]);
    expect(await slackError(client.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });

  it('opens one stable DM per person, and posts to a person’s id land there', async () => {
    const { emulator, client } = await setup();
    const first = await client.conversations.open({ users: ALICE });
    const second = await client.conversations.open({ users: ALICE });
    expect(first.channel?.id).toMatch(/^D/);
    expect(second.channel?.id).toBe(first.channel?.id);
    expect(emulator.dmChannelFor(ALICE)).toBe(first.channel?.id);
    expect(emulator.dmChannelFor(BOB)).not.toBe(first.channel?.id);

    const posted = await client.chat.postMessage({ channel: ALICE, text: 'Hello Alice' });
    expect(posted.channel).toBe(first.channel?.id);
    expect(emulator.messages(first.channel?.id ?? '').map((m) => m.text)).toEqual(['Hello Alice']);
    expect(emulator.messages(ALICE).map((m) => m.text)).toEqual(['Hello Alice']);
    expect((await client.conversations.info({ channel: posted.channel ?? '' })).channel).toMatchObject({
      is_im: true,
      user: ALICE,
    });
  });

  it('reports a channel shared with another organisation as Slack does, and an internal one as not shared', async () => {
    const { client } = await setup({
      channels: [
        { id: GENERAL, name: 'general' },
        { id: 'C0EXT', name: 'ext-acme', isExtShared: true },
        { id: 'C0ORG', name: 'org-wide', isOrgShared: true },
        { id: 'C0PENDING', name: 'ext-initech', isPendingExtShared: true },
      ],
    });
    const flags = async (channel: string) => {
      const info = (await client.conversations.info({ channel })).channel;
      return [info?.is_shared, info?.is_ext_shared, info?.is_org_shared, info?.is_pending_ext_shared];
    };
    expect(await flags(GENERAL)).toEqual([false, false, false, false]);
    expect(await flags('C0EXT')).toEqual([true, true, false, false]);
    expect(await flags('C0ORG')).toEqual([true, false, true, false]);
    expect(await flags('C0PENDING')).toEqual([false, false, false, true]);
  });

  it('posts, updates and reads back messages with their metadata, newest first', async () => {
    const { emulator, client, advance } = await setup();
    const metadata = { event_type: 'engagement_proposed', event_payload: { engagement_id: 'eng-1' } };
    const first = await client.chat.postMessage({
      channel: GENERAL,
      text: 'Proposal',
      blocks: buttons,
      metadata,
    });
    expect(first).toMatchObject({ ok: true, channel: GENERAL, message: { text: 'Proposal', metadata } });
    advance(1000);
    const second = await client.chat.postMessage({ channel: GENERAL, text: 'Second' });
    await client.chat.postMessage({ channel: GENERAL, text: 'In the thread', thread_ts: first.ts ?? '' });
    await client.chat.update({ channel: GENERAL, ts: first.ts ?? '', text: 'Proposal (taken)', blocks: [] });

    const history = await client.conversations.history({ channel: GENERAL, include_all_metadata: true });
    expect(history.messages?.map((m) => m.text)).toEqual(['Second', 'Proposal (taken)']);
    expect(history.messages?.[1]).toMatchObject({ metadata, reply_count: 1, bot_id: 'B0BOT', edited: {} });
    expect(history.messages?.[1]?.blocks).toBeUndefined(); // an empty blocks array removes them

    const plain = await client.conversations.history({ channel: GENERAL });
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    const latestOnly = await client.conversations.history({ channel: GENERAL, limit: 1 });
    expect(latestOnly).toMatchObject({ has_more: true, messages: [{ ts: second.ts }] });
    const newer = await client.conversations.history({ channel: GENERAL, oldest: first.ts ?? '' });
    expect(newer.messages?.map((m) => m.ts)).toEqual([second.ts]);

    const replies = await client.conversations.replies({ channel: GENERAL, ts: first.ts ?? '' });
    expect(replies.messages?.map((m) => m.text)).toEqual(['Proposal (taken)', 'In the thread']);
    const stored = emulator.messages(GENERAL);
    expect(stored.map((m) => [m.text, m.threadTs ?? null])).toEqual([
      ['Proposal (taken)', null],
      ['Second', null],
      ['In the thread', first.ts],
    ]);
    expect(stored[0]).toMatchObject({ user: 'U0BOT', botId: 'B0BOT', metadata, deleted: false });
    expect(stored[0]?.updatedAt).toBeDefined();
  });

  it('issues unique, increasing ts even when the clock stands still', async () => {
    const { client } = await setup();
    const stamps: string[] = [];
    for (let i = 0; i < 5; i++)
      stamps.push((await client.chat.postMessage({ channel: GENERAL, text: `${i}` })).ts ?? '');
    expect(stamps[0]).toMatch(/^\d{10}\.\d{6}$/);
    expect(new Set(stamps).size).toBe(5);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('deletes messages, posts ephemeral ones, and refuses what Slack refuses', async () => {
    const { emulator, client } = await setup();
    const { ts } = await client.chat.postMessage({ channel: GENERAL, text: 'Oops' });
    await client.chat.delete({ channel: GENERAL, ts: ts ?? '' });
    expect((await client.conversations.history({ channel: GENERAL })).messages).toEqual([]);
    expect(emulator.messages(GENERAL)).toMatchObject([{ text: 'Oops', deleted: true }]);
    expect(await slackError(client.chat.update({ channel: GENERAL, ts: ts ?? '', text: 'x' }))).toBe(
      'message_not_found',
    );

    const eph = await client.chat.postEphemeral({ channel: GENERAL, user: BOB, text: 'Only for Bob' });
    expect(emulator.ephemerals(BOB)).toMatchObject([
      { channel: GENERAL, user: BOB, ts: eph.message_ts, text: 'Only for Bob' },
    ]);
    expect(emulator.ephemerals(ALICE)).toEqual([]);
    expect(await slackError(client.chat.postEphemeral({ channel: HIDDEN, user: BOB, text: 'x' }))).toBe(
      'channel_not_found', // the bot is not in the private channel
    );

    expect(await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.chat.postMessage({ channel: GENERAL, text: '' }))).toBe('no_text');
    const tooLongTitle = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    expect(
      await slackError(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: tooLongTitle })),
    ).toBe('invalid_blocks');
    const emptySection = [{ type: 'section', text: { type: 'mrkdwn', text: '' } }];
    expect(emulator.callsTo('chat.postMessage').at(-1)?.response).toMatchObject({
      errors: ['must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    });
    expect(
      await slackError(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: emptySection })),
    ).toBe('invalid_blocks');
  });

  it('accepts JSON bodies as well as forms', async () => {
    const { emulator } = await setup();
    const { body } = await rawCall(emulator, 'chat.postMessage', {
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        channel: GENERAL,
        text: 'via JSON',
        metadata: { event_type: 'x', event_payload: {} },
      }),
    });
    expect(body).toMatchObject({ ok: true, channel: GENERAL });
    expect(emulator.messages(GENERAL)).toMatchObject([{ text: 'via JSON', metadata: { event_type: 'x' } }]);
    expect(emulator.callsTo('chat.postMessage')[0]).toMatchObject({
      token: 'xoxb-test',
      args: { channel: GENERAL, text: 'via JSON' },
      status: 200,
    });
  });

  it('limits chat.postMessage per channel with a token bucket and answers 429 with Retry-After', async () => {
    const { emulator, client, advance } = await setup({ rateLimit: { perSecond: 1, burst: 2 } });
    await client.chat.postMessage({ channel: GENERAL, text: '1' });
    await client.chat.postMessage({ channel: GENERAL, text: '2' });
    const limited = await client.chat.postMessage({ channel: GENERAL, text: '3' }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    // Another channel has its own bucket.
    await client.chat.postMessage({ channel: BOB, text: 'DM' });

    const raw = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: GENERAL, text: '4' }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });

    advance(1000);
    await client.chat.postMessage({ channel: GENERAL, text: '5' });
    expect(emulator.messages(GENERAL).map((m) => m.text)).toEqual(['1', '2', '5']);
    expect(emulator.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 200, 429, 200, 429, 200]);
  });

  it('fails the next calls as told, optionally only for one channel', async () => {
    const { emulator, client } = await setup();
    emulator.failNext('chat.postMessage', { error: 'fatal_error' });
    expect(await slackError(client.chat.postMessage({ channel: GENERAL, text: 'lost' }))).toBe('fatal_error');
    await client.chat.postMessage({ channel: GENERAL, text: 'kept' });

    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 7, channel: GENERAL }, 2);
    await client.chat.postMessage({ channel: ALICE, text: 'other channel passes' });
    for (let i = 0; i < 2; i++) {
      const err = (await client.chat
        .postMessage({ channel: GENERAL, text: 'x' })
        .catch((e: unknown) => e)) as WebAPIRateLimitedError;
      expect(err.retryAfter).toBe(7);
    }
    await client.chat.postMessage({ channel: GENERAL, text: 'after' });
    expect(emulator.messages(GENERAL).map((m) => m.text)).toEqual(['kept', 'after']);
  });

  it('publishes home tabs and keeps their id, with hash checks', async () => {
    const { emulator, client } = await setup();
    const home = {
      type: 'home' as const,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your engagements' } }],
    };
    const first = await client.views.publish({ user_id: ALICE, view: home });
    expect(first.view).toMatchObject({ type: 'home', team_id: 'T0001', app_id: 'A0APP', bot_id: 'B0BOT' });
    expect(emulator.homeView(ALICE)?.blocks[0]).toMatchObject({
      type: 'section',
      block_id: expect.any(String),
    });
    const second = await client.views.publish({ user_id: ALICE, view: home, hash: first.view?.hash ?? '' });
    expect(second.view?.id).toBe(first.view?.id);
    expect(
      await slackError(client.views.publish({ user_id: ALICE, view: home, hash: first.view?.hash ?? '' })),
    ).toBe('hash_conflict');
    expect(emulator.homeView(BOB)).toBeUndefined();
    expect(await slackError(client.views.publish({ user_id: ALICE, view: modal([]) as never }))).toBe(
      'invalid_arguments',
    );
  });

  it('tells listeners what changed', async () => {
    const { emulator, client } = await setup();
    const seen: EmulatorEvent['type'][] = [];
    const stop = emulator.onEvent((e) => seen.push(e.type));
    const { ts } = await client.chat.postMessage({ channel: GENERAL, text: 'a' });
    await client.chat.update({ channel: GENERAL, ts: ts ?? '', text: 'b' });
    stop();
    await client.chat.postMessage({ channel: GENERAL, text: 'c' });
    expect(seen).toEqual(['message_posted', 'api_call', 'message_updated', 'api_call']);
  });
});

describe('SlackEmulator client side', () => {
  it('signs like Slack’s documented example', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
      '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('sends slash commands form-encoded and signed, and shows the ack body to the person', async () => {
    const bot = await fakeBot((r) =>
      r.body.text === 'help' ? { body: { text: 'Usage: /engagement new' } } : {},
    );
    const { emulator } = await setup({ botUrl: bot.url });
    const result = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'help');
    expect(result.status).toBe(200);
    const [request] = bot.received;
    if (!request) throw new Error('nothing arrived');
    expectSignedBySlack(request);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toEqual({
      token: 'verification-token',
      team_id: 'T0001',
      team_domain: 'emulated',
      channel_id: GENERAL,
      channel_name: 'general',
      user_id: ALICE,
      user_name: 'alice',
      command: '/engagement',
      text: 'help',
      api_app_id: 'A0APP',
      is_enterprise_install: 'false',
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
    expect(emulator.ephemerals(ALICE)).toMatchObject([
      { text: 'Usage: /engagement new', via: 'command_response' },
    ]);
  });

  it('carries response_url replies: ephemeral, in channel, replacing or deleting the original', async () => {
    const bot = await fakeBot();
    const { emulator, client } = await setup({ botUrl: bot.url });
    const command = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'list');
    const post = (url: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(command.responseUrl, { text: 'Just for you' })).status).toBe(200);
    await post(command.responseUrl, { text: 'For everyone', response_type: 'in_channel' });
    expect(emulator.ephemerals(ALICE).map((e) => e.text)).toEqual(['Just for you']);
    expect(emulator.messages(GENERAL)).toMatchObject([
      { text: 'For everyone', botId: 'B0BOT', via: 'response_url' },
    ]);

    const { ts } = await client.chat.postMessage({ channel: GENERAL, text: 'Proposal', blocks: buttons });
    const click = await emulator.clickButton(BOB, { channelId: GENERAL, ts: ts ?? '' }, 'accept');
    await post(click.responseUrl ?? '', { replace_original: true, text: 'Accepted by Bob' });
    expect(emulator.message(GENERAL, ts ?? '')).toMatchObject({ text: 'Accepted by Bob' });
    expect(emulator.message(GENERAL, ts ?? '')?.blocks).toBeUndefined();
    await post(click.responseUrl ?? '', { delete_original: true });
    expect(emulator.message(GENERAL, ts ?? '')?.deleted).toBe(true);
    expect(emulator.callsTo('response_url')).toHaveLength(4);

    for (let i = 0; i < 3; i++) await post(command.responseUrl, { text: `more ${i}` });
    expect((await post(command.responseUrl, { text: 'sixth' })).status).toBe(404); // five uses at most
  });

  it('sends block_actions for a button on a message, in Slack’s payload shape', async () => {
    const bot = await fakeBot();
    const { emulator, client } = await setup({ botUrl: bot.url });
    const { ts } = await client.chat.postMessage({ channel: GENERAL, text: 'Proposal', blocks: buttons });
    const result = await emulator.clickButton(BOB, { channelId: GENERAL, ts: ts ?? '' }, 'accept');
    const [request] = bot.received;
    if (!request) throw new Error('nothing arrived');
    expectSignedBySlack(request);
    expect(request.raw.startsWith('payload=')).toBe(true);
    expect(request.body).toMatchObject({
      type: 'block_actions',
      user: { id: BOB, username: 'bob', name: 'bob', team_id: 'T0001' },
      team: { id: 'T0001', domain: 'emulated' },
      api_app_id: 'A0APP',
      container: { type: 'message', message_ts: ts, channel_id: GENERAL, is_ephemeral: false },
      channel: { id: GENERAL, name: 'general' },
      message: {
        ts,
        text: 'Proposal',
        bot_id: 'B0BOT',
        blocks: [{ block_id: 'intro' }, { block_id: 'answer' }],
      },
      trigger_id: result.triggerId,
      response_url: result.responseUrl,
      actions: [
        {
          action_id: 'accept',
          block_id: 'answer',
          value: 'eng-1',
          type: 'button',
          style: 'primary',
          text: { type: 'plain_text', text: 'Accept' },
        },
      ],
    });
    expect(String((request.body.actions as { action_ts: string }[])[0]?.action_ts)).toMatch(/^\d+\.\d{6}$/);
    await expect(emulator.clickButton(BOB, { channelId: GENERAL, ts: ts ?? '' }, 'nope')).rejects.toThrow(
      /no button/,
    );
  });

  it('lets views.open use a trigger once, within 3 s', async () => {
    const bot = await fakeBot();
    const { client, emulator, advance } = await setup({ botUrl: bot.url });
    const view = modal(engagementInputs);
    const fresh = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const opened = await client.views.open({ trigger_id: fresh.triggerId, view });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      state: { values: {} },
      callback_id: 'new_engagement',
    });
    expect(await slackError(client.views.open({ trigger_id: fresh.triggerId, view }))).toBe(
      'exchanged_trigger_id',
    );

    const stale = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    advance(3001);
    expect(await slackError(client.views.open({ trigger_id: stale.triggerId, view }))).toBe(
      'expired_trigger_id',
    );
    expect(await slackError(client.views.open({ trigger_id: '1.2.3', view }))).toBe('invalid_trigger_id');
    expect(emulator.openViews(ALICE).map((v) => v.id)).toEqual([opened.view?.id]);

    const badTitle = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const longTitle = modal([], { title: { type: 'plain_text', text: 'A title that is far too long' } });
    const err = (await client.views
      .open({ trigger_id: badTitle.triggerId, view: longTitle })
      .catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(err.data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
  });

  it('keeps the modal on response_action errors and closes it on a plain 200', async () => {
    const bot = await fakeBot((r) => {
      if (r.body.type !== 'view_submission') return;
      const values = (
        r.body.view as { state: { values: Record<string, Record<string, { value?: string }>> } }
      ).state.values;
      if (values.client?.name?.value === 'Acme')
        return { body: { response_action: 'errors', errors: { client: 'Exists already' } } };
      return {};
    });
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({ trigger_id: triggerId, view: modal(engagementInputs) });
    const viewId = view?.id ?? '';

    const refused = await emulator.submitView(ALICE, viewId, {
      client: 'Acme',
      lead: BOB,
      size: 'l',
      channel: { conversation: { type: 'conversations_select', selected_conversation: GENERAL } },
    });
    expect(refused).toMatchObject({
      status: 200,
      delivered: true,
      responseAction: 'errors',
      errors: { client: 'Exists already' },
    });
    expect(emulator.openViews(ALICE).map((v) => v.id)).toEqual([viewId]);

    const submission = bot.received.at(-1);
    if (!submission) throw new Error('nothing arrived');
    expectSignedBySlack(submission);
    expect(submission.body).toMatchObject({
      type: 'view_submission',
      user: { id: ALICE, username: 'alice' },
      trigger_id: expect.any(String),
      view: { id: viewId, callback_id: 'new_engagement', hash: view?.hash },
    });
    expect((submission.body.view as { state: unknown }).state).toEqual({
      values: {
        client: { name: { type: 'plain_text_input', value: 'Acme' } },
        start: { date: { type: 'datepicker', selected_date: '2026-12-14' } },
        lead: { user: { type: 'users_select', selected_user: BOB } },
        channel: { conversation: { type: 'conversations_select', selected_conversation: GENERAL } },
        size: {
          choice: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'Large' }, value: 'l' },
          },
        },
      },
    });

    // What was typed stays in the modal; only the corrected field changes.
    const accepted = await emulator.submitView(ALICE, viewId, { client: 'Globex' });
    expect(accepted).toMatchObject({ status: 200, delivered: true });
    expect(accepted.responseAction).toBeUndefined();
    expect(emulator.openViews(ALICE)).toEqual([]);
    expect(
      (bot.received.at(-1)?.body.view as { state: { values: { lead: unknown } } }).state.values.lead,
    ).toEqual({
      user: { type: 'users_select', selected_user: BOB },
    });
  });

  it('never sends a submission with a required input left empty', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({ trigger_id: triggerId, view: modal(engagementInputs) });
    const result = await emulator.submitView(ALICE, view?.id ?? '', { client: 'Acme' });
    expect(result).toMatchObject({
      delivered: false,
      errors: { lead: expect.any(String), size: expect.any(String) },
    });
    expect(bot.received.map((r) => r.body.type ?? r.body.command)).toEqual(['/engagement']);
    expect(() => emulator.setViewValues(ALICE, view?.id ?? '', { size: 'xl' })).toThrow(/no option/);
  });

  it('applies response_action update, push and clear to the modal stack', async () => {
    const second = modal([{ type: 'section', text: { type: 'mrkdwn', text: 'Step 2' } }], {
      callback_id: 'step2',
    });
    let next: unknown = { response_action: 'update', view: second };
    const bot = await fakeBot((r) => (r.body.type === 'view_submission' ? { body: next } : {}));
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({
      trigger_id: triggerId,
      view: modal([], { callback_id: 'step1' }),
    });
    const id = view?.id ?? '';

    const updated = await emulator.submitView(ALICE, id);
    expect(updated.responseAction).toBe('update');
    expect(emulator.openViews(ALICE).map((v) => [v.id, v.callback_id])).toEqual([[id, 'step2']]);

    next = { response_action: 'push', view: modal([], { callback_id: 'step3' }) };
    await emulator.submitView(ALICE, id);
    const stack = emulator.openViews(ALICE);
    expect(stack.map((v) => v.callback_id)).toEqual(['step2', 'step3']);
    expect(stack[1]).toMatchObject({ root_view_id: id, previous_view_id: id });

    next = { response_action: 'clear' };
    await emulator.submitView(ALICE, stack[1]?.id ?? '');
    expect(emulator.openViews(ALICE)).toEqual([]);
  });

  it('updates and pushes views through the Web API, with hash checks', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({
      trigger_id: triggerId,
      view: modal(engagementInputs, { external_id: 'new-engagement-U0ALICE' }),
    });
    emulator.setViewValues(ALICE, view?.id ?? '', { client: 'Acme' });
    const updated = await client.views.update({
      external_id: 'new-engagement-U0ALICE',
      hash: view?.hash ?? '',
      view: modal(engagementInputs, { private_metadata: 'v2' }),
    });
    expect(updated.view).toMatchObject({ id: view?.id, private_metadata: 'v2' });
    expect(updated.view?.hash).not.toBe(view?.hash);
    // Slack keeps what was typed in inputs that survive an update.
    expect(emulator.openViews(ALICE)[0]?.state.values.client).toEqual({
      name: { type: 'plain_text_input', value: 'Acme' },
    });
    expect(
      await slackError(
        client.views.update({ view_id: view?.id ?? '', hash: view?.hash ?? '', view: modal([]) }),
      ),
    ).toBe('hash_conflict');

    const click = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'more');
    await client.views.push({ trigger_id: click.triggerId, view: modal([], { callback_id: 'pushed' }) });
    expect(emulator.openViews(ALICE).map((v) => v.callback_id)).toEqual(['new_engagement', 'pushed']);
  });

  it('sends clicks in a modal with the view and its state, and no response_url', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({
      trigger_id: triggerId,
      view: modal([...engagementInputs, ...buttons]),
    });
    emulator.setViewValues(ALICE, view?.id ?? '', { client: 'Acme' });
    const result = await emulator.clickButton(ALICE, { viewId: view?.id ?? '' }, 'decline');
    expect(result.responseUrl).toBeUndefined();
    const payload = bot.received.at(-1)?.body;
    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: view?.id },
      view: {
        id: view?.id,
        state: { values: { client: { name: { type: 'plain_text_input', value: 'Acme' } } } },
      },
      actions: [{ action_id: 'decline', block_id: 'answer', value: 'eng-1' }],
    });
    expect(payload).not.toHaveProperty('response_url');
  });

  it('sends view_closed only when the view asked for it', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const quiet = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const a = await client.views.open({ trigger_id: quiet.triggerId, view: modal([]) });
    expect(await emulator.closeView(ALICE, a.view?.id ?? '')).toBeUndefined();

    const loud = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const b = await client.views.open({
      trigger_id: loud.triggerId,
      view: modal([], { notify_on_close: true }),
    });
    expect((await emulator.closeView(ALICE, b.view?.id ?? ''))?.status).toBe(200);
    expect(bot.received.at(-1)?.body).toMatchObject({
      type: 'view_closed',
      view: { id: b.view?.id },
      is_cleared: false,
    });
    expect(emulator.openViews(ALICE)).toEqual([]);
  });

  it('sends app_home_opened and other events as JSON event_callbacks', async () => {
    const bot = await fakeBot();
    const { emulator } = await setup({ botUrl: bot.url });
    await emulator.openHome(ALICE);
    const [request] = bot.received;
    if (!request) throw new Error('nothing arrived');
    expectSignedBySlack(request);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toMatchObject({
      token: 'verification-token',
      team_id: 'T0001',
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: expect.stringMatching(/^Ev/),
      event_time: expect.any(Number),
      event: { type: 'app_home_opened', user: ALICE, channel: emulator.dmChannelFor(ALICE), tab: 'home' },
    });

    await emulator.postAsUser(BOB, GENERAL, 'hey <@U0BOT>');
    expect(bot.received.slice(1).map((r) => (r.body.event as { type: string }).type)).toEqual([
      'message',
      'app_mention',
    ]);
    expect(emulator.messages(GENERAL)).toMatchObject([{ user: BOB, text: 'hey <@U0BOT>', via: 'user' }]);
  });

  it('forwards forged requests untouched, so the bot’s refusal can be tested', async () => {
    const bot = await fakeBot((r) => {
      const ts = Number(r.headers['x-slack-request-timestamp']);
      const good = 'v0=' + createHmac('sha256', SECRET).update(`v0:${ts}:${r.raw}`).digest('hex');
      const fresh = Math.abs(Date.now() / 1000 - ts) < 300;
      return { status: r.headers['x-slack-signature'] === good && fresh ? 200 : 401 };
    });
    const { emulator } = await setup({ botUrl: bot.url });
    const body = JSON.stringify({ type: 'event_callback' });
    const contentType = 'application/json';
    expect((await emulator.deliver({ body, contentType })).status).toBe(200);
    const old = Math.floor(Date.now() / 1000) - 600;
    expect((await emulator.deliver({ body, contentType, timestamp: old })).status).toBe(401);
    expect(
      (await emulator.deliver({ body, contentType, signature: signSlackRequest('wrong', body, old) })).status,
    ).toBe(401);
  });

  it('reports a bot that does not answer in time, as Slack would', async () => {
    const server = http.createServer(() => {}); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as AddressInfo;
    const { emulator } = await setup({ botUrl: `http://127.0.0.1:${port}/slack/events`, ackTimeoutMs: 200 });
    await expect(emulator.slashCommand(ALICE, GENERAL, '/engagement', '')).resolves.toMatchObject({
      status: 0,
      timedOut: true,
    });
  });

  it('drives a real Bolt app: command → modal → field errors → close', async () => {
    const { emulator } = await setup({ now: Date.now });
    const app = new App({
      token: 'xoxb-test',
      signingSecret: SECRET,
      logLevel: BoltLogLevel.ERROR,
      clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/engagement', async ({ ack, body, client }) => {
      await ack();
      await client.views.open({ trigger_id: body.trigger_id, view: modal(engagementInputs.slice(0, 1)) });
    });
    app.view('new_engagement', async ({ ack, view }) => {
      const name = view.state.values.client?.name?.value ?? '';
      if (name.length < 3) await ack({ response_action: 'errors', errors: { client: 'Too short' } });
      else await ack();
    });
    const port = await freePort();
    await app.start(port);
    cleanups.push(() => app.stop());
    emulator.setBotUrl(`http://127.0.0.1:${port}/slack/events`);

    expect((await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new')).status).toBe(200);
    await until(() => emulator.openViews(ALICE).length === 1);
    const viewId = emulator.openViews(ALICE)[0]?.id ?? '';
    expect(await emulator.submitView(ALICE, viewId, { client: 'Ac' })).toMatchObject({
      responseAction: 'errors',
      errors: { client: 'Too short' },
    });
    expect(await emulator.submitView(ALICE, viewId, { client: 'Acme' })).toMatchObject({
      status: 200,
      delivered: true,
    });
    expect(emulator.openViews(ALICE)).toEqual([]);
    expect(emulator.callsTo('auth.test')).toHaveLength(1);
  });
});

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
