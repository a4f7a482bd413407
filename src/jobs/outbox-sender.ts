// The outbox as a queue: every message that must arrive once (a reminder, an escalation, a proposal) is
// a row a flow wrote; this claims due rows (FOR UPDATE SKIP LOCKED, with an expiring lease), hands each
// to the delivery `main.ts` passed in, and settles it: sent, retried later, or given up on. It never
// renders or talks to Slack itself (src/slack/delivery.ts does).
//
// Hazards this file exists to handle:
// - A process can die after Slack accepted a message and before the outcome was recorded. Such a row
//   stays `inDoubt` when claimed again, and the delivery looks for it before posting again.
// - Slack limits posts per channel (about 1/s with short bursts). A rate-limited row defers its
//   channel's other rows, spaced at the channel's pace, and the sweep carries on with other channels.
// - A row written by an older version may no longer read as its kind says: it is settled as failed
//   with a log line naming the problem, never rendered half-understood.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../flows/context.js';
import {
  claimDue,
  findOutboxRows,
  nextClaimableIn,
  renewClaims,
  settle,
  type ClaimedRow,
  type OutboxKey,
  type Outcome,
} from '../db/outbox.js';
import type { Deliver, DeliveryOutcome, QueuedMessage, SendNowResult } from '../flows/delivery.js';
import { ownerNewsPosted } from '../flows/owner-news.js';
import { proposalsPosted } from '../flows/proposal-messages.js';
import { readPayload, type ScheduledMessage } from '../flows/scheduled-messages.js';
import type { Logger } from '../logger.js';

export interface SenderDeps {
  readonly db: Db;
  /** Renders and posts one message; made in `main.ts` (src/slack/delivery.ts). */
  readonly deliver: Deliver;
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
  /** Only these rows (a listener's "send it now"). */
  readonly only?: readonly OutboxKey[];
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
      const rows = await one(() =>
        claimDue(deps.db, { claimant, limit: o.batchSize, leaseMs: o.leaseMs, only: o.only }),
      );
      if (rows.length === 0) {
        const wait = await one(() =>
          nextClaimableIn(deps.db, {
            horizonMs: Math.min(o.waitMs, stopAt - Date.now()),
            othersClaims: o.drain ?? false,
            only: o.only,
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

/**
 * Sends rows a flow has just written, at once, through the same claims, retries and settlements as a
 * sweep; waits out a short rate limit. What it cannot send now stays pending for the next tick.
 */
export async function sendNow(
  deps: SenderDeps,
  messages: readonly QueuedMessage[],
  options: { waitMs?: number; at?: Date } = {},
): Promise<SendNowResult[]> {
  if (messages.length === 0) return [];
  const only = messages.map(({ teamId, key }) => ({ teamId, key }));
  await sweepOutbox(deps, {
    at: options.at ?? new Date(),
    only,
    waitMs: options.waitMs ?? 10_000,
    maxDurationMs: 30_000,
  });
  const rows = await findOutboxRows(deps.db, only);
  return rows.map((row) => ({
    key: row.idempotency_key,
    status: row.status,
    to: row.channel_id,
    ...(row.status === 'sent' ? { channelId: row.channel_id } : {}),
    ...(row.last_error ? { error: row.last_error } : {}),
  }));
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
        const attempt = await attemptOne(deps, log, row, o.at);
        const { outcome } = attempt;
        outcomes.push({ row, outcome, message: attempt.message, channel: attempt.channel });
        tally(report, attempt);
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

function tally(report: SweepReport, { outcome, foundEarlier }: Attempt): void {
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

interface Attempt {
  readonly outcome: Outcome;
  /** The message was already in Slack, posted by an attempt whose process died. */
  readonly foundEarlier?: boolean | undefined;
  /** What the row said, when it could be read. */
  readonly message?: ScheduledMessage | undefined;
  /** Where Slack put it (a DM addressed by a person's id lands in the DM's own channel). */
  readonly channel?: string | undefined;
}

interface Settling {
  readonly row: ClaimedRow;
  readonly outcome: Outcome;
  readonly message?: ScheduledMessage | undefined;
  readonly channel?: string | undefined;
}

/**
 * Settles outcomes and remembers, in the same transaction, where the messages that are changed later
 * were posted: new proposals, a first kickoff, an owner's DM.
 */
async function record(deps: SenderDeps, claimant: string, batch: readonly Settling[]) {
  const outcomes = batch.map((b) => b.outcome);
  const posted = batch.flatMap(({ row, outcome, message, channel }) =>
    outcome.kind === 'sent' && message && REMEMBERED.has(message.type)
      ? [{ teamId: row.team_id, message, channelId: channel ?? row.channel_id, ts: outcome.ts }]
      : [],
  );
  // Settling is one statement; a transaction only when where messages landed is recorded with it.
  if (posted.length === 0) return settle(deps.db, claimant, outcomes);
  await deps.db.transaction().execute(async (trx) => {
    const proposals = posted.flatMap(({ message, channelId, ts }) =>
      message.type === 'proposal' ? [{ proposalId: message.view.proposal.id, channelId, ts }] : [],
    );
    if (proposals.length > 0) await proposalsPosted(trx, proposals);
    // A kickoff that went out after its owner or plan changed queues its own update, sent next.
    for (const one of posted) await ownerNewsPosted(trx, one);
    await settle(trx, claimant, outcomes);
  });
}

const REMEMBERED: ReadonlySet<ScheduledMessage['type']> = new Set(['proposal', 'kickoff', 'owner-dm']);

/** Reads one row, drops it if stale, else delivers it and decides what its outcome means. */
async function attemptOne(deps: SenderDeps, log: Logger, row: ClaimedRow, at: Date): Promise<Attempt> {
  const read = readPayload(row.kind, row.payload);
  if (!read.ok) {
    log.error(
      { key: row.idempotency_key, kind: row.kind, problem: read.problem },
      'cannot read a queued message: giving up on it',
    );
    return { outcome: { id: row.id, kind: 'failed', error: read.problem } };
  }
  const { message, expiresAt } = read.payload;
  if (expiresAt !== null && at >= new Date(expiresAt)) {
    return { outcome: { id: row.id, kind: 'failed', error: `expired: its day ended at ${expiresAt}` } };
  }
  let delivered: DeliveryOutcome;
  try {
    delivered = await deps.deliver({
      teamId: row.team_id,
      key: row.idempotency_key,
      channelId: row.channel_id,
      message,
      inDoubt: row.inDoubt,
      since: row.doubtSince ?? row.created_at,
    });
  } catch (error) {
    // A delivery that throws says nothing of what reached Slack: treat it as no answer.
    delivered = { kind: 'no-answer', error: (error as Error).message ?? String(error), cause: error };
  }
  return { ...decide(log, row, delivered), message };
}

function decide(log: Logger, row: ClaimedRow, delivered: DeliveryOutcome): Attempt {
  switch (delivered.kind) {
    case 'sent':
      return {
        outcome: { id: row.id, kind: 'sent', ts: delivered.ts },
        foundEarlier: delivered.foundEarlier,
        channel: delivered.channelId,
      };
    case 'rate-limited':
      log.debug(
        { channel: row.channel_id, retryAfterMs: delivered.retryAfterMs },
        'rate limited: deferring this channel',
      );
      // Refused: this attempt does not count, and it settles no doubt an earlier one left.
      return {
        outcome: {
          id: row.id,
          kind: 'retry',
          delayMs: delivered.retryAfterMs,
          attempted: false,
          inDoubt: row.inDoubt && !delivered.doubtCleared,
          error: 'rate limited',
        },
      };
    case 'refused':
      if (delivered.permanent || row.attempts >= MAX_ATTEMPTS) {
        log.warn(
          { key: row.idempotency_key, channel: row.channel_id, error: delivered.error },
          'Slack refused a message: giving up on it',
        );
        return { outcome: { id: row.id, kind: 'failed', error: delivered.error } };
      }
      // Slack answered, so it did not post; only an earlier doubt remains.
      return {
        outcome: {
          id: row.id,
          kind: 'retry',
          delayMs: backoff(row.attempts),
          attempted: true,
          inDoubt: row.inDoubt && !delivered.doubtCleared,
          error: delivered.error,
        },
      };
    case 'no-answer': {
      const err = delivered.cause ?? delivered.error;
      if (row.attempts >= MAX_ATTEMPTS) {
        log.warn(
          { key: row.idempotency_key, err },
          'no answer from Slack after repeated attempts: giving up',
        );
        return { outcome: { id: row.id, kind: 'failed', error: delivered.error } };
      }
      log.warn(
        { key: row.idempotency_key, err },
        'no answer from Slack: will look for the message and retry',
      );
      // Slack may or may not have it: the next attempt looks first.
      return {
        outcome: {
          id: row.id,
          kind: 'retry',
          delayMs: backoff(row.attempts),
          attempted: true,
          inDoubt: true,
          error: delivered.error,
        },
      };
    }
  }
}

/** 15 s, 30 s, 1 min … at most 30 min. */
const backoff = (attempts: number) => Math.min(30 * 60_000, 15_000 * 2 ** Math.max(0, attempts - 1));

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
