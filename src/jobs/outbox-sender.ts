// Sends what the planning flows wrote to the outbox, exactly once across replicas (DESIGN §5):
// claim due rows (FOR UPDATE SKIP LOCKED, with an expiring lease), post them, record the outcome.
//
// Hazards this file exists to handle:
// - A process can die after Slack accepted a message and before the outcome was recorded. Every post
//   carries the row's key in its message metadata, and a row whose earlier attempt may have reached
//   Slack (`inDoubt`) is looked for in the channel's history before it is posted again.
// - Slack limits chat.postMessage per channel (about 1/s with short bursts). A 429 defers that
//   channel's rows by its Retry-After and the sweep carries on with the other channels. The client
//   must reject rate-limited calls (`rejectRateLimitedCalls`): the default client sleeps inside the
//   call and pauses its whole request queue, which would hold every channel up behind one.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { webApi } from '@slack/bolt';
import type { Db } from '../db/connect.js';
import {
  claimDue,
  nextClaimableIn,
  renewClaims,
  settle,
  type ClaimedRow,
  type Outcome,
} from '../db/outbox.js';
import { proposalPosted } from '../flows/proposal-messages.js';
import { loadProposalView, type OutboxPayload, type ScheduledMessage } from '../flows/scheduled-messages.js';
import type { Logger } from '../logger.js';
import type { Message } from '../slack/blocks/kit.js';
import { decidedProposalMessage, proposalMessage } from '../slack/blocks/proposal.js';
import {
  escalationMessage,
  proposalNudge,
  reminderMessage,
  statusUpdatePrompt,
} from '../slack/blocks/reminders.js';
import { boltLogger } from '../slack/bolt-logger.js';
import { OUTBOX_METADATA_EVENT } from '../slack/ids.js';

type WebClient = webApi.WebClient;

/**
 * A client for the sender alone: it rejects rate-limited calls instead of sleeping in them, never
 * retries by itself (a retry is a new claim, decided here), and gives up on a call after `timeoutMs`.
 */
export function senderClient(client: WebClient, logger: Logger, timeoutMs = 10_000): WebClient {
  return new webApi.WebClient(client.token, {
    slackApiUrl: client.slackApiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
    logger: boltLogger(logger, 'outbox-sender'),
  });
}

export interface SenderDeps {
  readonly db: Db;
  /** Made by {@link senderClient}. */
  readonly client: WebClient;
  readonly logger: Logger;
}

export interface SweepOptions {
  /** The tick's moment: a message whose day has passed by then is dropped as stale. */
  readonly at: Date;
  /** The longest the sweep waits for a row to come due (a 429's Retry-After); further ones are left. */
  readonly waitMs?: number;
  /** Also wait for rows other sweeps hold, until they are sent or their claims expire (command line). */
  readonly drain?: boolean;
  /** The sweep stops claiming after this long; what is left goes to the next sweep. */
  readonly maxDurationMs?: number;
  readonly batchSize?: number;
  readonly leaseMs?: number;
  /** Channels posted to at once. */
  readonly concurrency?: number;
  /** Aborting stops claiming; calls in flight finish and rows not tried are handed back. */
  readonly signal?: AbortSignal;
}

export interface SweepReport {
  sent: number;
  /** Found already in Slack (an earlier attempt got through before its process died): not posted again. */
  alreadyPosted: number;
  /** Left for later: rate limited, Slack unavailable, or the sweep stopped. */
  deferred: number;
  /** Of the deferred, how many attempts Slack answered with 429. */
  rateLimited: number;
  failed: number;
  /** Dropped unsent: their day had passed. */
  expired: number;
}

const DEFAULTS = {
  waitMs: 30_000,
  maxDurationMs: 50_000,
  batchSize: 200,
  leaseMs: 20_000,
  concurrency: 16,
};

/** Slack's sustained pace for chat.postMessage in one channel (it allows short bursts above it). */
export const CHANNEL_PACE_MS = 1000;

/** Gives up on a message after this many attempts that Slack answered with an error. */
export const MAX_ATTEMPTS = 8;

// Errors about the message or its channel itself: sending it again cannot succeed.
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'restricted_action',
  'user_not_found',
  'cannot_dm_bot',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

/** Claims, sends and settles due outbox rows until none are due within `waitMs` (or time runs out). */
export async function sweepOutbox(deps: SenderDeps, options: SweepOptions): Promise<SweepReport> {
  const o = { ...DEFAULTS, ...options };
  const claimant = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const report: SweepReport = {
    sent: 0,
    alreadyPosted: 0,
    deferred: 0,
    rateLimited: 0,
    failed: 0,
    expired: 0,
  };
  const stopAt = Date.now() + o.maxDurationMs;
  const log = deps.logger.child({ component: 'outbox-sender', claimant });
  const one = oneAtATime();
  // A long batch keeps its claims; if this process dies, they lapse and another sweep takes over.
  const heartbeat = setInterval(() => {
    one(() => renewClaims(deps.db, claimant, o.leaseMs)).catch((err: unknown) =>
      log.warn({ err }, 'could not renew claims'),
    );
  }, o.leaseMs / 3);
  heartbeat.unref();
  try {
    while (!o.signal?.aborted && Date.now() < stopAt) {
      const rows = await one(() => claimDue(deps.db, { claimant, limit: o.batchSize, leaseMs: o.leaseMs }));
      if (rows.length === 0) {
        const wait = await one(() =>
          nextClaimableIn(deps.db, {
            horizonMs: Math.min(o.waitMs, stopAt - Date.now()),
            othersClaims: o.drain ?? false,
          }),
        );
        if (wait === null) break;
        // A row another sweep holds is usually settled long before its lease ends: look again soon.
        await sleep(Math.max(20, wait.othersHold ? Math.min(wait.waitMs, 250) : wait.waitMs), o.signal);
        continue;
      }
      await sendBatch(deps, log, one, claimant, rows, o, report);
    }
  } finally {
    clearInterval(heartbeat);
  }
  return report;
}

async function sendBatch(
  deps: SenderDeps,
  log: Logger,
  one: OneAtATime,
  claimant: string,
  rows: readonly ClaimedRow[],
  o: typeof DEFAULTS & SweepOptions,
  report: SweepReport,
): Promise<void> {
  const byChannel = new Map<string, ClaimedRow[]>();
  for (const row of rows) {
    const queue = byChannel.get(row.channel_id);
    if (queue) queue.push(row);
    else byChannel.set(row.channel_id, [row]);
  }
  const outcomes: Settling[] = [];
  const flush = async () => {
    const batch = outcomes.splice(0);
    if (batch.length > 0) await one(() => record(deps, claimant, batch));
  };
  const queues = [...byChannel.values()];
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      // One channel's messages go in order, one at a time: that is what its rate limit counts.
      for (let i = 0; i < queue.length; i++) {
        const row = queue[i]!;
        if (o.signal?.aborted) {
          for (const rest of queue.slice(i)) outcomes.push({ row: rest, outcome: handBack(rest, 0, null) });
          break;
        }
        const delivery = await deliver(deps, log, row, o.at);
        const { outcome } = delivery;
        outcomes.push({ row, outcome, channel: delivery.channel });
        tally(report, delivery);
        if (outcome.kind === 'retry' && !outcome.attempted) {
          // Rate limited: the channel's other rows wait too, spaced at the channel's pace so they do
          // not all run into the limit again; other channels carry on meanwhile.
          queue.slice(i + 1).forEach((rest, n) => {
            outcomes.push({
              row: rest,
              outcome: handBack(rest, outcome.delayMs + (n + 1) * CHANNEL_PACE_MS, null),
            });
            report.deferred++;
          });
          break;
        }
        if (outcomes.length >= 100) await flush();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, queues.length) }, worker));
  await flush();
}

/** A row not tried at all goes back as it was (an earlier doubt included). */
const handBack = (row: ClaimedRow, delayMs: number, error: string | null): Outcome => ({
  id: row.id,
  kind: 'retry',
  delayMs,
  attempted: false,
  inDoubt: row.inDoubt,
  error,
});

function tally(report: SweepReport, { outcome, foundEarlier }: Delivery): void {
  if (outcome.kind === 'sent') {
    if (foundEarlier) report.alreadyPosted++;
    else report.sent++;
  } else if (outcome.kind === 'failed') {
    if (outcome.error.startsWith('expired')) report.expired++;
    else report.failed++;
  } else {
    report.deferred++;
    if (outcome.error === 'rate limited') report.rateLimited++;
  }
}

interface Delivery {
  readonly outcome: Outcome;
  /** The message was already in Slack, posted by an attempt whose process died. */
  readonly foundEarlier?: boolean;
  /** Where Slack put it (a DM addressed by a person's id lands in the DM's own channel). */
  readonly channel?: string | undefined;
}

interface Settling {
  readonly row: ClaimedRow;
  readonly outcome: Outcome;
  readonly channel?: string | undefined;
}

/** Settles outcomes and remembers where new proposals were posted, in one transaction. */
async function record(deps: SenderDeps, claimant: string, batch: readonly Settling[]) {
  const outcomes = batch.map((b) => b.outcome);
  const posted = batch.filter(
    ({ row, outcome }) =>
      outcome.kind === 'sent' && (row.payload as unknown as OutboxPayload).message.type === 'proposal',
  );
  // Settling is one statement; a transaction only when proposals' messages are recorded with it.
  if (posted.length === 0) return settle(deps.db, claimant, outcomes);
  await deps.db.transaction().execute(async (trx) => {
    for (const { row, outcome, channel } of posted) {
      const payload = row.payload as unknown as OutboxPayload;
      if (outcome.kind !== 'sent' || payload.message.type !== 'proposal') continue;
      // Proposals are few: one update each is fine, and a decision can then update the message in place.
      await proposalPosted({ db: trx, now: () => new Date() }, payload.message.view.proposal.id, {
        channelId: channel ?? row.channel_id,
        ts: outcome.ts,
      });
    }
    await settle(trx, claimant, outcomes);
  });
}

async function deliver(deps: SenderDeps, log: Logger, row: ClaimedRow, at: Date): Promise<Delivery> {
  const payload = row.payload as unknown as OutboxPayload;
  if (payload.expiresAt !== null && at >= new Date(payload.expiresAt)) {
    return {
      outcome: { id: row.id, kind: 'failed', error: `expired: its day ended at ${payload.expiresAt}` },
    };
  }
  let inDoubt = row.inDoubt;
  try {
    const message = render(payload.message);
    if (payload.message.type === 'proposal-retired') {
      // An update is idempotent: doing it twice shows the same message.
      await deps.client.chat.update({
        channel: row.channel_id,
        ts: payload.message.ts,
        text: message.text,
        blocks: message.blocks,
      });
      return { outcome: { id: row.id, kind: 'sent', ts: payload.message.ts } };
    }
    if (inDoubt) {
      const found = await findPosted(deps.client, log, row);
      if (found) {
        log.info(
          { key: row.idempotency_key, ts: found.ts },
          'found an earlier attempt in Slack: not posting again',
        );
        return {
          outcome: { id: row.id, kind: 'sent', ts: found.ts },
          foundEarlier: true,
          channel: found.channel,
        };
      }
      inDoubt = false;
    }
    const posted = await deps.client.chat.postMessage({
      channel: row.channel_id,
      text: message.text,
      blocks: message.blocks,
      metadata: {
        event_type: OUTBOX_METADATA_EVENT,
        event_payload: { key: row.idempotency_key, team: row.team_id },
      },
      unfurl_links: false,
      unfurl_media: false,
    });
    return { outcome: { id: row.id, kind: 'sent', ts: posted.ts! }, channel: posted.channel };
  } catch (error) {
    return { outcome: failure(log, row, error, inDoubt) };
  }
}

function failure(log: Logger, row: ClaimedRow, error: unknown, inDoubt: boolean): Outcome {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e.code === webApi.ErrorCode.RateLimitedError) {
    log.debug({ channel: row.channel_id, retryAfter: e.retryAfter }, 'rate limited: deferring this channel');
    // Slack refused it: this attempt does not count, and it settles no doubt an earlier one left.
    return {
      id: row.id,
      kind: 'retry',
      delayMs: (e.retryAfter ?? 1) * 1000,
      attempted: false,
      inDoubt,
      error: 'rate limited',
    };
  }
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    if (PERMANENT.has(code) || row.attempts >= MAX_ATTEMPTS) {
      log.warn(
        { key: row.idempotency_key, channel: row.channel_id, error: code },
        'Slack refused a message: giving up on it',
      );
      return { id: row.id, kind: 'failed', error: code };
    }
    // Slack answered, so it did not post; only an earlier doubt remains.
    return {
      id: row.id,
      kind: 'retry',
      delayMs: backoff(row.attempts),
      attempted: true,
      inDoubt,
      error: code,
    };
  }
  // No answer (network, timeout, 5xx): Slack may or may not have it; the next attempt looks first.
  const message = e.message ?? String(error);
  if (row.attempts >= MAX_ATTEMPTS) {
    log.warn(
      { key: row.idempotency_key, err: error },
      'no answer from Slack after repeated attempts: giving up',
    );
    return { id: row.id, kind: 'failed', error: message };
  }
  log.warn(
    { key: row.idempotency_key, err: error },
    'no answer from Slack: will look for the message and retry',
  );
  return {
    id: row.id,
    kind: 'retry',
    delayMs: backoff(row.attempts),
    attempted: true,
    inDoubt: true,
    error: message,
  };
}

/** 15 s, 30 s, 1 min … at most 30 min. */
const backoff = (attempts: number) => Math.min(30 * 60_000, 15_000 * 2 ** Math.max(0, attempts - 1));

// How far before the doubtful attempt to look: the database's clock and Slack's may disagree a little.
const CLOCK_MARGIN_MS = 5 * 60_000;
const HISTORY_PAGES = 20;

/**
 * The message an earlier attempt posted for this row, if Slack has it. When Slack answers but will not
 * let us look (no history scope, not in the channel), the row is posted anyway: a rare duplicate is
 * better than a reminder never sent. Rate limits and silence propagate: the row is retried later.
 */
async function findPosted(
  client: WebClient,
  log: Logger,
  row: ClaimedRow,
): Promise<{ ts: string; channel: string } | null> {
  try {
    // A DM is addressed by the person's id, but its history lives under the DM's own id.
    let channel = row.channel_id;
    if (/^[UW]/.test(channel)) {
      const opened = await client.conversations.open({ users: channel });
      channel = opened.channel?.id ?? channel;
    }
    const since = (row.doubtSince ?? row.created_at).getTime() - CLOCK_MARGIN_MS;
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const history = await client.conversations.history({
        channel,
        oldest: (since / 1000).toFixed(6),
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
      for (const message of history.messages ?? []) {
        const metadata = message.metadata as
          { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
        if (
          message.ts &&
          metadata?.event_type === OUTBOX_METADATA_EVENT &&
          metadata.event_payload?.key === row.idempotency_key &&
          (metadata.event_payload.team ?? row.team_id) === row.team_id
        ) {
          return { ts: message.ts, channel };
        }
      }
      cursor = history.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  } catch (error) {
    if ((error as { code?: string }).code !== webApi.ErrorCode.PlatformError) throw error;
    log.warn(
      {
        key: row.idempotency_key,
        channel: row.channel_id,
        error: (error as { data?: { error?: string } }).data?.error,
      },
      'cannot look for an earlier attempt in the channel history: posting anyway',
    );
    return null;
  }
}

/** The Block Kit for a message, with the builders of the version that sends it. */
export function render(message: ScheduledMessage): Message {
  switch (message.type) {
    case 'reminder':
      return reminderMessage(message);
    case 'status-update':
      return statusUpdatePrompt(message);
    case 'escalation':
      return escalationMessage(message);
    case 'nudge':
      return proposalNudge(message);
    case 'proposal':
      return proposalMessage(loadProposalView(message.view));
    case 'proposal-retired':
      return decidedProposalMessage(loadProposalView(message.view), {
        outcome: 'superseded',
        by: null,
        note: message.note,
      });
  }
}

type OneAtATime = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Runs a sweep's database calls one after another, while its Slack calls run side by side. A
 * sweep's calls are few and batched, so queuing them costs nothing worth measuring, holds one
 * connection rather than the pool, and keeps the order of its writes obvious.
 */
function oneAtATime(): OneAtATime {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
