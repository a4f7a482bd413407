// The outbox's port: what the queue (src/jobs/outbox-sender.ts) hands to whoever delivers messages, and
// what it expects back. The queue decides when to send, retry or give up; a delivery only renders and
// posts one message and says what happened. `main.ts` passes the Slack one in (src/slack/delivery.ts);
// a test can pass its own.
import type { ScheduledMessage } from './scheduled-messages.js';

/** One claimed outbox row, its payload read and checked. */
export interface OutgoingMessage {
  readonly teamId: string;
  /** The row's idempotency key: a delivery that leaves it on the message can find it again. */
  readonly key: string;
  /** A channel id, or a person's id for a DM. */
  readonly channelId: string;
  readonly message: ScheduledMessage;
  /** An earlier attempt may have got through before its process died: look before posting again. */
  readonly inDoubt: boolean;
  /** When that earlier attempt (or the row) began: the earliest moment to look from. */
  readonly since: Date;
}

export type DeliveryOutcome =
  | {
      readonly kind: 'sent';
      readonly ts: string;
      /** Where it landed, when not `channelId` itself (a DM addressed by a person's id). */
      readonly channelId?: string | undefined;
      /** An earlier attempt had posted it already: nothing was posted now. */
      readonly foundEarlier?: boolean;
    }
  /** Refused for now (too many messages in that conversation): nothing was posted. */
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly doubtCleared: boolean }
  /** Answered with an error: nothing was posted. `permanent`: sending it again cannot succeed. */
  | {
      readonly kind: 'refused';
      readonly error: string;
      readonly permanent: boolean;
      /** The delivery looked and found no earlier attempt: what was in doubt no longer is. */
      readonly doubtCleared: boolean;
    }
  /** No answer (network, timeout, a server error): the message may or may not have arrived. */
  | { readonly kind: 'no-answer'; readonly error: string; readonly cause?: unknown };

/** Renders and posts one message (graphile-worker's task, one per kind, behind one function). */
export type Deliver = (message: OutgoingMessage) => Promise<DeliveryOutcome>;

/** A row a flow wrote and wants sent at once, rather than at the next tick. */
export interface QueuedMessage {
  readonly teamId: string;
  readonly key: string;
}

export interface SendNowResult {
  readonly key: string;
  /** `pending`: not sent yet (rate limited, Slack unavailable, another sender holds it); it will be. */
  readonly status: 'sent' | 'failed' | 'pending';
  /** Where it was addressed: a channel id, or a person's id for a DM. */
  readonly to: string;
  /** Where it was posted, when sent. */
  readonly channelId?: string;
  readonly error?: string;
}

/**
 * Sends rows a listener's flow has just written, through the same queue as every scheduled message:
 * the listener answers promptly and the message still gets the outbox's metadata and retries.
 */
export type SendNow = (messages: readonly QueuedMessage[]) => Promise<SendNowResult[]>;
