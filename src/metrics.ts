import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from './db/connect.js';

/** What Steward counts, for `GET /metrics` (Prometheus text format). One instance per process. */
export interface Metrics {
  readonly registry: Registry;
  /** A Slack request (command, action, view, event) handled by `listener`, with its ack latency. */
  observeRequest(listener: string, outcome: 'ok' | 'error', ackSeconds: number): void;
  /** Messages a job sent, failed to send, or had refused with a 429 (and deferred). */
  countMessages(job: string, outcome: 'sent' | 'failed' | 'rate_limited', count: number): void;
}

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'steward_' });
  const requests = new Counter({
    name: 'steward_slack_requests_total',
    help: 'Slack requests handled, by listener and outcome',
    labelNames: ['listener', 'outcome'] as const,
    registers: [registry],
  });
  const ackLatency = new Histogram({
    name: 'steward_slack_ack_seconds',
    help: 'Time from receiving a Slack request to acknowledging it, by listener',
    labelNames: ['listener'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3],
    registers: [registry],
  });
  const messages = new Counter({
    name: 'steward_job_messages_total',
    help: 'Messages scheduled jobs sent, failed to send, or were rate-limited on, by job',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  // Read from the database on each scrape: every replica reports the same shared figures.
  new Gauge({
    name: 'steward_outbox_pending',
    help: 'Messages waiting in the outbox',
    registers: [registry],
    async collect() {
      const row = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'steward_outbox_oldest_pending_seconds',
    help: 'Age of the oldest message waiting in the outbox (0 when none)',
    registers: [registry],
    async collect() {
      const row = await sql<{ age: number | null }>`
        select extract(epoch from now() - min(created_at))::float8 as age from outbox where status = 'pending'`.execute(
        db,
      );
      this.set(Math.max(0, Number(row.rows[0]?.age ?? 0)));
    },
  });
  new Gauge({
    name: 'steward_engagements',
    help: 'Engagements by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('engagements')
        .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('status')
        .execute();
      this.reset();
      for (const status of ['awaiting_owner', 'active', 'closed']) {
        this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
      }
    },
  });
  return {
    registry,
    observeRequest(listener, outcome, ackSeconds) {
      requests.inc({ listener, outcome });
      ackLatency.observe({ listener }, ackSeconds);
    },
    countMessages(job, outcome, count) {
      if (count > 0) messages.inc({ job, outcome }, count);
    },
  };
}
