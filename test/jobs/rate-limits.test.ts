import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/outbox.js';
import { useTestDatabase } from '../support/db.js';
import {
  bulkActiveEngagements,
  emptyJobTables,
  engagementVia,
  job,
  posted,
  seedJobsTeam,
  TEAM,
  useSlack,
  userIdOf,
} from './support.js';

const database = useTestDatabase();

describe('Slack rate limits', () => {
  emptyJobTables(database);
  const slack = useSlack();

  it('a 429 on one channel holds up only that channel, which is sent after Retry-After', async () => {
    await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
    for (const name of ['A', 'B', 'C']) {
      await engagementVia(database.db, slack, {
        clientName: `Client ${name}`,
        channelId: `C0${name}`,
        startsOn: '2026-12-07',
        createdAt: '2026-12-01T10:00:00Z',
      });
    }
    slack.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 1, channel: 'C0B' });

    const report = await job(database.db, slack, 'reminders', '2026-12-07T09:00:00Z');

    expect(report.sending).toMatchObject({ sent: 3, failed: 0, deferred: 1, rateLimited: 1 });
    const calls = slack.emulator
      .callsTo('chat.postMessage')
      .map((c) => ({ channel: c.args.channel, status: c.status, at: c.at }));
    const limited = calls.find((c) => c.status === 429)!;
    expect(limited.channel).toBe('C0B');
    const ok = (channel: string) => calls.find((c) => c.channel === channel && c.status === 200)!;
    // The others went out without waiting for the limited channel's second.
    expect(ok('C0A').at - limited.at).toBeLessThan(900);
    expect(ok('C0C').at - limited.at).toBeLessThan(900);
    // The limited one waited its Retry-After, then went out once.
    expect(ok('C0B').at - limited.at).toBeGreaterThanOrEqual(1000);
    for (const channel of ['C0A', 'C0B', 'C0C']) expect(posted(slack, channel)).toHaveLength(1);
    expect((await listOutbox(database.db, TEAM)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });
});

describe('Slack’s per-channel limit (1 message/s, bursts of 3)', () => {
  emptyJobTables(database);
  const slack = useSlack({ rateLimit: { perSecond: 1, burst: 3 } });

  it('a busy DM goes at its own pace while every engagement channel gets its reminder at once', async () => {
    await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
    // Six engagements owned by ana, all with a status update due on Monday 2026-12-14: six DMs to her.
    await bulkActiveEngagements(database.db, {
      count: 6,
      startsOn: '2026-12-07',
      owners: [userIdOf('ana')],
      emulator: slack.emulator,
    });
    const started = Date.now();
    const report = await job(database.db, slack, 'reminders', '2026-12-14T09:00:00Z');
    const elapsed = Date.now() - started;

    const dms = posted(slack, userIdOf('ana'));
    expect(dms).toHaveLength(6);
    expect(new Set(dms.map((m) => m.metadata?.event_payload.key)).size).toBe(6);
    for (let n = 1; n <= 6; n++) expect(posted(slack, `CBULK${n}`)).toHaveLength(1);
    expect(report.sending.failed).toBe(0);
    const calls = slack.emulator.callsTo('chat.postMessage');
    const firstCall = calls[0]!.at;
    // Every engagement channel within the first moments, while ana's DMs are still being paced.
    const channelCalls = calls.filter((c) => String(c.args.channel).startsWith('CBULK') && c.status === 200);
    // (ana's six DMs, paced at one a second after a burst of three, take about three seconds.)
    expect(Math.max(...channelCalls.map((c) => c.at)) - firstCall).toBeLessThan(2000);
    // Only ana's DM was ever refused, and it was paced: a burst, then about one a second.
    const refused = calls.filter((c) => c.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((c) => c.args.channel))).toEqual(new Set([userIdOf('ana')]));
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(15_000);
  }, 30_000);
});
