import { describe, expect, it } from 'vitest';
import { slackDelivery } from '../../src/slack/delivery.js';
import { runJob } from '../../src/jobs/schedule.js';
import { createMetrics } from '../../src/metrics.js';
import { useTestDatabase } from '../support/db.js';
import { emptyJobTables, engagementVia, seedJobsTeam, silentLogger, useSlack } from './support.js';

const database = useTestDatabase();

describe('job metrics', () => {
  emptyJobTables(database);
  const slack = useSlack();

  it('count messages sent and rate-limited by job', async () => {
    await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
    for (const name of ['A', 'B']) {
      await engagementVia(database.db, slack, {
        clientName: `Client ${name}`,
        channelId: `C0${name}`,
        startsOn: '2026-12-07',
        createdAt: '2026-12-01T10:00:00Z',
      });
    }
    slack.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 1, channel: 'C0B' });
    const metrics = createMetrics(database.db);
    const at = new Date('2026-12-07T09:00:00Z');
    await runJob('reminders', at, {
      db: database.db,
      deliver: slackDelivery(slack.client(), silentLogger),
      logger: silentLogger,
      now: () => at,
      metrics,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('steward_job_messages_total{job="reminders",outcome="sent"} 2');
    expect(text).toContain('steward_job_messages_total{job="reminders",outcome="rate_limited"} 1');
    expect(text).toContain('steward_engagements{status="active"} 2');
  });
});
