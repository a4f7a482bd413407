// What a person does in Slack reaches the app as Slack sends it: signed, in Slack's payloads.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel as BoltLogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../src/sandbox/slack-emulator.js';
import {
  ALICE,
  BOB,
  buttons,
  cleanups,
  engagementInputs,
  expectSignedBySlack,
  fakeBot,
  freePort,
  GENERAL,
  modal,
  SECRET,
  setup,
  until,
} from './support.js';

describe('SlackEmulator person actions', () => {
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
