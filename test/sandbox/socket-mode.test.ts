// The emulator's Socket Mode answers as Slack does: only an app-level token opens a connection, each
// URL once; the socket says hello, carries envelopes and reads their acks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';

const APP_TOKEN = 'xapp-1-A0APP-emulator';
let emulator: SlackEmulator;

beforeEach(async () => {
  emulator = await SlackEmulator.start({
    signingSecret: 'secret',
    socketMode: { appToken: APP_TOKEN },
    users: [{ id: 'U0ANA', name: 'ana' }],
    channels: [{ id: 'C0TEAM', name: 'team' }],
    ackTimeoutMs: 500,
  });
});
afterEach(() => emulator.close());

const connectionsOpen = async (token?: string) => {
  const res = await fetch(`${emulator.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return (await res.json()) as { ok: boolean; url?: string; error?: string };
};

/** Connects like the app does and collects what Slack sends. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const received: Record<string, unknown>[] = [];
  socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString('utf8')) as never));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await emulator.socketMode!.waitForConnections(1);
  return { socket, received };
}

describe('apps.connections.open', () => {
  it.each([
    ['the bot token', 'xoxb-test', 'not_allowed_token_type'],
    ['another app token', 'xapp-1-A0OTHER-nope', 'invalid_auth'],
    ['no token', undefined, 'not_authed'],
  ])('refuses %s', async (_what, token, error) => {
    expect(await connectionsOpen(token)).toEqual({ ok: false, error });
  });

  it('hands the app-level token a WebSocket URL that works once', async () => {
    const answer = await connectionsOpen(APP_TOKEN);
    expect(answer).toMatchObject({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/),
    });
    const { socket, received } = await connect(answer.url!);
    await expect
      .poll(() => received[0])
      .toMatchObject({ type: 'hello', connection_info: { app_id: 'A0APP' } });
    const second = new WebSocket(answer.url!);
    const refused = await new Promise<string>((resolve) => second.once('error', (e) => resolve(e.message)));
    expect(refused).toMatch(/401/);
    socket.close();
  });
});

describe('envelopes', () => {
  it('sends a slash command as an envelope and reads the ack with its response payload', async () => {
    const { socket, received } = await connect((await connectionsOpen(APP_TOKEN)).url!);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { envelope_id?: string; type: string };
      if (message.envelope_id)
        socket.send(JSON.stringify({ envelope_id: message.envelope_id, payload: { text: 'hi back' } }));
    });
    const reply = await emulator.slashCommand('U0ANA', 'C0TEAM', '/engagement', 'help');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ text: 'hi back' });
    expect(emulator.ephemerals('U0ANA').map((e) => e.text)).toEqual(['hi back']);
    expect(received[1]).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { command: '/engagement', text: 'help', user_id: 'U0ANA', channel_id: 'C0TEAM' },
    });
    socket.close();
  });

  it('gives up on an envelope that is not acked in time, as Slack does', async () => {
    const { socket } = await connect((await connectionsOpen(APP_TOKEN)).url!);
    const reply = await emulator.sendEvent({ type: 'app_home_opened', user: 'U0ANA', tab: 'home' });
    expect(reply).toMatchObject({ status: 0, timedOut: true });
    socket.close();
  });

  it('fails a delivery while no connection is open', async () => {
    const reply = await emulator.slashCommand('U0ANA', 'C0TEAM', '/engagement', 'help');
    expect(reply).toMatchObject({ status: 0, error: 'no Socket Mode connection is open' });
  });

  it('asks a connection to go with a disconnect message', async () => {
    const { socket, received } = await connect((await connectionsOpen(APP_TOKEN)).url!);
    emulator.socketMode!.disconnect('warning');
    await expect.poll(() => received.at(-1)).toMatchObject({ type: 'disconnect', reason: 'warning' });
    socket.close();
  });
});
