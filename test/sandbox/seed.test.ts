// The sandbox's workspace, as Steward sees it through the Web API: enough clients to plan several
// engagements at once, each with an internal channel and one shared with the client.
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CHANNELS, SANDBOX_CLIENTS, SANDBOX_PEOPLE } from '../../src/sandbox/seed.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';

describe('the sandbox workspace', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  beforeAll(async () => {
    emulator = await SlackEmulator.start({
      signingSecret: 'seed-test-secret',
      users: SANDBOX_PEOPLE,
      channels: SANDBOX_CHANNELS,
    });
    client = new WebClient('xoxb-test', { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
  });
  afterAll(() => emulator.close());

  it('has eight clients, each with an internal engagement channel and a channel shared with the client', async () => {
    expect(SANDBOX_CLIENTS).toHaveLength(8);
    for (const { name, internal, shared } of SANDBOX_CLIENTS) {
      const inside = (await client.conversations.info({ channel: internal.id })).channel;
      expect(inside).toMatchObject({ name: internal.name, is_shared: false, is_ext_shared: false });
      const outside = (await client.conversations.info({ channel: shared.id })).channel;
      expect(outside).toMatchObject({ name: shared.name, is_shared: true, is_ext_shared: true });
      expect(outside?.purpose?.value).toBe(`Shared with ${name} (Slack Connect).`);
    }
  });

  it('keeps the rotation channel internal', async () => {
    const rotation = (await client.conversations.info({ channel: 'C0ROTATION' })).channel;
    expect(rotation).toMatchObject({ name: 'team-rotation', is_ext_shared: false });
  });
});
