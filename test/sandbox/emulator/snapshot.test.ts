// A workspace saved and taken up again: messages, DMs and Home tabs are where they were, and new
// ids and timestamps never repeat old ones.
import { describe, expect, it } from 'vitest';
import { SlackEmulator } from '../../../src/sandbox/slack-emulator.js';
import { ALICE, BOB, cleanups, GENERAL, setup } from './support.js';

describe('SlackEmulator snapshot', () => {
  it('starts another emulator where this one was', async () => {
    const { emulator, client } = await setup();
    const posted = await client.chat.postMessage({ channel: GENERAL, text: 'Before the restart' });
    await client.chat.postMessage({ channel: BOB, text: 'A DM to Bob' });
    await client.views.publish({
      user_id: ALICE,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Home' } }] },
    });
    const saved = JSON.parse(JSON.stringify(emulator.snapshot())) as ReturnType<SlackEmulator['snapshot']>;

    const again = await SlackEmulator.start({ signingSecret: 'x', restore: saved, now: () => 0 });
    cleanups.push(() => again.close());
    expect(again.messages(GENERAL).map((m) => m.text)).toEqual(['Before the restart']);
    expect(again.dmChannelFor(BOB)).toBe(emulator.dmChannelFor(BOB));
    expect(again.messages(BOB).map((m) => m.text)).toEqual(['A DM to Bob']);
    expect(again.homeView(ALICE)?.id).toBe(emulator.homeView(ALICE)?.id);

    // Even on a clock that went back, a new message comes after the old ones, with a new id.
    const { WebClient } = await import('@slack/web-api');
    const later = await new WebClient('xoxb-test', { slackApiUrl: again.apiUrl }).chat.postMessage({
      channel: GENERAL,
      text: 'After',
    });
    expect(Number(later.ts)).toBeGreaterThan(Number(posted.ts));
    expect(again.dmChannelFor(ALICE)).not.toBe(again.dmChannelFor(BOB));
  });
});
