// Slack's rate limits, and failures a test asks for: 429 with Retry-After, or Slack's error.
import { ErrorCode, type WebAPIRateLimitedError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { METHOD_TIERS } from '../../../src/sandbox/emulator/rate-limits.js';
import { ALICE, BOB, GENERAL, setup, slackError } from './support.js';

describe('SlackEmulator rate limits', () => {
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

  it('holds each method to its tier when asked, per minute, and answers 429 ratelimited', async () => {
    const { emulator, client, advance } = await setup({ methodTiers: true });
    const perMinute = METHOD_TIERS['users.info'] ?? 0;
    expect(perMinute).toBe(100); // Tier 4
    for (let i = 0; i < perMinute; i++) await client.users.info({ user: ALICE });
    const limited = await client.users.info({ user: ALICE }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(emulator.callsTo('users.info').at(-1)).toMatchObject({
      status: 429,
      response: { ok: false, error: 'ratelimited' },
    });
    // Another method has its own allowance; a second later, one more call passes.
    await client.conversations.info({ channel: GENERAL });
    advance(1000);
    await expect(client.users.info({ user: BOB })).resolves.toMatchObject({ ok: true });
    expect(
      emulator
        .callsTo('users.info')
        .map((c) => c.status)
        .slice(-2),
    ).toEqual([429, 200]);
  });
});
