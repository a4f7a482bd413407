// The Web API as the app meets it: the methods it calls, in Slack's shapes, with Slack's errors.
import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { FILE_METHODS } from '../../../src/sandbox/emulator/files.js';
import { METHODS } from '../../../src/sandbox/emulator/web-api.js';
import type { EmulatorEvent } from '../../../src/sandbox/slack-emulator.js';
import { METHOD_SCOPES } from '../../../src/slack/surface.js';
import { ALICE, BOB, buttons, GENERAL, HIDDEN, modal, quiet, rawCall, setup, slackError } from './support.js';

describe('SlackEmulator Web API', () => {
  it('answers exactly the methods the app declares it calls, and the file upload the page shows', () => {
    const declared = [...Object.keys(METHOD_SCOPES), ...Object.keys(FILE_METHODS)];
    expect(Object.keys(METHODS).sort()).toEqual([...new Set(declared)].sort());
  });

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
    expect((await client.users.info({ user: 'U0BOT' })).user).toMatchObject({
      is_bot: true,
      name: 'steward',
    });
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
    // A DM is posted to a person's id, but edited or deleted only under the DM's own id.
    const dm = await client.chat.postMessage({ channel: BOB, text: 'Hi Bob' });
    expect(await slackError(client.chat.update({ channel: BOB, ts: dm.ts ?? '', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await slackError(client.chat.delete({ channel: BOB, ts: dm.ts ?? '' }))).toBe('channel_not_found');
    await client.chat.update({ channel: dm.channel ?? '', ts: dm.ts ?? '', text: 'Hi again' });
    expect(emulator.messages(dm.channel ?? '')).toMatchObject([{ text: 'Hi again' }]);

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
