// What the emulator's tests share: a workspace on a clock the test moves, a WebClient pointed at
// it, a stand-in bot that records what Slack sends, and a few views and messages to send.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { types as slack } from '@slack/bolt';
import { LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, expect } from 'vitest';
import { SlackEmulator, type EmulatorOptions } from '../../../src/sandbox/slack-emulator.js';

export const SECRET = 'emulator-test-secret';
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const GENERAL = 'C0GENERAL';
export const HIDDEN = 'G0HIDDEN';

/** Servers and apps a test started, stopped after it (this hook runs for every file importing this one). */
export const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

// The WebClient logs every refused call; here refusals are what the tests ask for.
export const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** An emulator on a clock the test moves, with a WebClient pointed at it. */
export async function setup(overrides: Partial<EmulatorOptions> = {}) {
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
export async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    return (err as WebAPIPlatformError).data.error;
  }
  throw new Error('the call succeeded');
}

export async function rawCall(emulator: SlackEmulator, method: string, init: RequestInit = {}) {
  const res = await fetch(`${emulator.apiUrl}${method}`, { method: 'POST', ...init });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** the parsed `payload` field of an interaction, or the form of a command, or the JSON of an event */
  body: Record<string, unknown>;
}

/** A stand-in for the bot: records what Slack sends and answers what the test says. */
export async function fakeBot(
  answer: (r: Received) => { status?: number; body?: unknown } | void = () => {},
) {
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
export function expectSignedBySlack(r: Received) {
  const timestamp = Number(r.headers['x-slack-request-timestamp']);
  expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(60);
  const expected = 'v0=' + createHmac('sha256', SECRET).update(`v0:${timestamp}:${r.raw}`).digest('hex');
  expect(r.headers['x-slack-signature']).toBe(expected);
}

export const modal = (blocks: slack.KnownBlock[], extra: Partial<slack.ModalView> = {}): slack.ModalView => ({
  type: 'modal',
  callback_id: 'new_engagement',
  title: { type: 'plain_text', text: 'New engagement' },
  submit: { type: 'plain_text', text: 'Create' },
  blocks,
  ...extra,
});

export const engagementInputs: slack.KnownBlock[] = [
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

export const buttons: slack.KnownBlock[] = [
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

export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
