import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/outbox.js';
import { planRemindersTick } from '../../src/jobs/reminders.js';
import { sweepOutbox } from '../../src/jobs/outbox-sender.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import { createLogger } from '../../src/logger.js';
import { OUTBOX_METADATA_EVENT } from '../../src/slack/ids.js';
import { useTestDatabase } from '../support/db.js';
import {
  emptyJobTables,
  engagementVia,
  posted,
  seedJobsTeam,
  silentLogger,
  TEAM,
  useSlack,
  type Slack,
} from './support.js';

const database = useTestDatabase();
emptyJobTables(database);
const slack = useSlack();

const AT = new Date('2026-12-07T09:00:00Z');

/** Acme's reminder for Monday, planned but not sent. */
async function plannedReminder() {
  await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
  const { engagement } = await engagementVia(database.db, slack, {
    clientName: 'Acme',
    channelId: 'C0ACME',
    startsOn: '2026-12-07',
    createdAt: '2026-12-01T10:00:00Z',
  });
  await planRemindersTick({ db: database.db, logger: silentLogger }, AT);
  const [row] = await listOutbox(database.db, TEAM);
  return { engagement, row: row! };
}

/** As a sender that died after posting leaves it: claimed by nobody alive, attempt under way. */
async function leftInDoubt(id: string) {
  await sql`
    update outbox set attempts = 1, claimed_by = 'dead', claimed_until = now() - interval '1 second',
                      sending_since = now() - interval '10 seconds'
    where id = ${id}`.execute(database.db);
}

const sweep = (s: Slack, options: { waitMs?: number } = {}) =>
  sweepOutbox(
    { db: database.db, deliver: slackDelivery(s.client(), silentLogger), logger: silentLogger },
    { at: AT, ...options },
  );

describe('the outbox sender', () => {
  it('finds a message an earlier attempt posted, by its metadata, and does not post it again', async () => {
    const { row } = await plannedReminder();
    const earlier = await slack.client().chat.postMessage({
      channel: 'C0ACME',
      text: 'the reminder, posted just before the process died',
      metadata: {
        event_type: OUTBOX_METADATA_EVENT,
        event_payload: { key: row.idempotency_key, team: TEAM },
      },
    });
    await leftInDoubt(row.id);

    const report = await sweep(slack);

    expect(report).toMatchObject({ sent: 0, alreadyPosted: 1 });
    expect(posted(slack, 'C0ACME')).toHaveLength(1);
    expect((await listOutbox(database.db, TEAM))[0]).toMatchObject({
      status: 'sent',
      message_ts: earlier.ts,
    });
    expect(slack.emulator.callsTo('conversations.history')[0]!.args).toMatchObject({
      channel: 'C0ACME',
      // Form-encoded on the wire, as Slack receives it.
      include_all_metadata: 'true',
    });
  });

  it('posts a doubtful row when the history shows it did not get through', async () => {
    const { row } = await plannedReminder();
    await leftInDoubt(row.id);
    expect(await sweep(slack)).toMatchObject({ sent: 1, alreadyPosted: 0 });
    expect(posted(slack, 'C0ACME')).toHaveLength(1);
  });

  it('looks in a DM under the DM’s own id', async () => {
    await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
    const { engagement } = await engagementVia(database.db, slack, {
      clientName: 'Acme',
      channelId: 'C0ACME',
      startsOn: '2026-12-07',
      createdAt: '2026-12-01T10:00:00Z',
    });
    // Monday 12-14: a status update is due, a DM to the owner.
    await planRemindersTick({ db: database.db, logger: silentLogger }, new Date('2026-12-14T09:00:00Z'));
    const dm = (await listOutbox(database.db, TEAM)).find((r) => r.kind === 'status-update')!;
    expect(dm.channel_id).toBe(engagement.owner_id);
    await slack.client().chat.postMessage({
      channel: engagement.owner_id!,
      text: 'the prompt, posted just before the process died',
      metadata: { event_type: OUTBOX_METADATA_EVENT, event_payload: { key: dm.idempotency_key, team: TEAM } },
    });
    await leftInDoubt(dm.id);
    await sweepOutbox(
      { db: database.db, deliver: slackDelivery(slack.client(), silentLogger), logger: silentLogger },
      { at: new Date('2026-12-14T09:00:00Z') },
    );
    expect(posted(slack, engagement.owner_id!)).toHaveLength(1);
    expect(slack.emulator.callsTo('conversations.history')[0]!.args.channel).toBe(
      slack.emulator.dmChannelFor(engagement.owner_id!),
    );
  });

  it('posts anyway when Slack will not show the history: a rare duplicate beats a lost reminder', async () => {
    const { row } = await plannedReminder();
    await leftInDoubt(row.id);
    slack.emulator.failNext('conversations.history', { error: 'missing_scope' });
    expect(await sweep(slack)).toMatchObject({ sent: 1 });
    expect(posted(slack, 'C0ACME')).toHaveLength(1);
  });

  it('gives up on a message Slack can never take, and keeps one it may take later', async () => {
    const { row } = await plannedReminder();
    slack.emulator.failNext('chat.postMessage', { error: 'internal_error' });
    const first = await sweep(slack, { waitMs: 0 });
    expect(first).toMatchObject({ sent: 0, deferred: 1 });
    const [retry] = await listOutbox(database.db, TEAM);
    expect(retry).toMatchObject({ status: 'pending', attempts: 1, last_error: 'internal_error' });
    // Slack answered, so nothing is in doubt; the retry waits for its backoff.
    expect(retry!.not_before.getTime()).toBeGreaterThan(Date.now() + 5_000);

    await sql`update outbox set not_before = now() where id = ${row.id}`.execute(database.db);
    slack.emulator.failNext('chat.postMessage', { error: 'channel_not_found' });
    const second = await sweep(slack, { waitMs: 0 });
    expect(second).toMatchObject({ sent: 0, failed: 1 });
    expect((await listOutbox(database.db, TEAM))[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_error: 'channel_not_found',
    });
    expect(posted(slack, 'C0ACME')).toHaveLength(0);
  });

  it('settles a row that no longer reads as its kind as failed, and says why in the log', async () => {
    const { row } = await plannedReminder();
    // As an older version might have stored it: a field renamed since.
    const payload = row.payload as { message: Record<string, unknown> };
    const { engagement, ...rest } = payload.message;
    await sql`update outbox set payload = ${JSON.stringify({ ...payload, message: { ...rest, engagementRow: engagement } })}
              where id = ${row.id}`.execute(database.db);
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
            lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      }),
    });

    const report = await sweepOutbox(
      { db: database.db, deliver: slackDelivery(slack.client(), logger), logger },
      { at: AT },
    );

    expect(report).toMatchObject({ sent: 0, failed: 1 });
    expect(posted(slack, 'C0ACME')).toHaveLength(0);
    const [settled] = await listOutbox(database.db, TEAM);
    expect(settled).toMatchObject({ status: 'failed' });
    expect(settled!.last_error).toMatch(/^unreadable reminder payload at message\.engagement/);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'cannot read a queued message: giving up on it',
        key: row.idempotency_key,
        kind: 'reminder',
      }),
    );
  });
});
