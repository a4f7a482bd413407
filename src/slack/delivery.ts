// Slack's side of the outbox: renders one queued message with this version's builders and posts it,
// and says what Slack answered. When to retry or give up is the queue's (src/jobs/outbox-sender.ts).
//
// Hazards this file exists to handle:
// - A process can die after Slack accepted a message and before the outcome was recorded. Every post
//   carries the row's key in its message metadata, and a message in doubt is looked for in the
//   channel's history before it is posted again.
// - The client must reject rate-limited calls (`rejectRateLimitedCalls`): the default client sleeps
//   inside the call and pauses its whole request queue, which would hold every channel up behind one.
import { webApi } from '@slack/bolt';
import type { Deliver, DeliveryOutcome, OutgoingMessage } from '../flows/delivery.js';
import { isUpdate, type ScheduledMessage, type UpdateMessage } from '../flows/scheduled-messages.js';
import type { Logger } from '../logger.js';
import type { KnownBlock, Message } from './blocks/kit.js';
import { buddyChangedDm, buddyDm } from './blocks/buddy.js';
import {
  handBackClosedDm,
  kickoffMessage,
  kickoffUpdated,
  ownerDm,
  ownerDmPlanFallback,
  releasedDm,
  withoutHandBack,
  withPlan,
} from './blocks/ownership.js';
import { decidedProposalMessage, proposalMessage } from './blocks/proposal.js';
import {
  escalationMessage,
  proposalNudge,
  reminderMessage,
  statusUpdateDone,
  statusUpdatePrompt,
  updatedReminder,
} from './blocks/reminders.js';
import { planChangedMessage, redateOfferDoneMessage, redateOfferPost } from './blocks/plan.js';
import { ownerNudgeMessage } from './blocks/lead-home.js';
import { standInArrangedDm, standInAskedDm, standInEndedDm } from './blocks/stand-in.js';
import { engagementClosedMessage } from './blocks/closing.js';
import { boltLogger } from './bolt-logger.js';
import { clientKickoffMessage, clientKickoffUpdated, clientStatusMessage } from './blocks/client.js';
import { riskNoticeMessage } from './blocks/risks.js';
import { channelSharedMessage, rotationSharedMessage } from './blocks/shared-channel.js';
import { OUTBOX_METADATA_EVENT } from './ids.js';

type WebClient = webApi.WebClient;

/**
 * A client for delivery alone: it rejects rate-limited calls instead of sleeping in them, never
 * retries by itself (a retry is a new claim, decided by the queue), and gives up after `timeoutMs`.
 */
export function senderClient(
  slack: { readonly token?: string | undefined; readonly slackApiUrl?: string | undefined },
  logger: Logger,
  timeoutMs = 10_000,
): WebClient {
  return new webApi.WebClient(slack.token, {
    ...(slack.slackApiUrl ? { slackApiUrl: slack.slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
    logger: boltLogger(logger, 'outbox-sender'),
  });
}

/**
 * The delivery `main.ts` gives the outbox: posts through a client of its own made from the bot's
 * token and Web API address (any WebClient has both).
 */
export function slackDelivery(
  slack: { readonly token?: string | undefined; readonly slackApiUrl?: string | undefined },
  logger: Logger,
): Deliver {
  const client = senderClient(slack, logger);
  const log = logger.child({ component: 'outbox-sender' });
  return (message) => deliver(client, log, message);
}

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

async function deliver(client: WebClient, log: Logger, out: OutgoingMessage): Promise<DeliveryOutcome> {
  let doubtCleared = false;
  try {
    if (isUpdate(out.message)) return await update(client, out.channelId, out.message);
    const message = render(out.message);
    if (out.inDoubt) {
      const found = await findPosted(client, log, out);
      if (found) {
        log.info({ key: out.key, ts: found.ts }, 'found an earlier attempt in Slack: not posting again');
        return { kind: 'sent', ts: found.ts, foundEarlier: true, channelId: found.channel };
      }
      doubtCleared = true;
    }
    const posted = await client.chat.postMessage({
      channel: out.channelId,
      text: message.text,
      blocks: message.blocks,
      metadata: {
        event_type: OUTBOX_METADATA_EVENT,
        event_payload: { key: out.key, team: out.teamId },
      },
      unfurl_links: false,
      unfurl_media: false,
    });
    return { kind: 'sent', ts: posted.ts!, channelId: posted.channel };
  } catch (error) {
    const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
    if (e.code === webApi.ErrorCode.RateLimitedError) {
      return { kind: 'rate-limited', retryAfterMs: (e.retryAfter ?? 1) * 1000, doubtCleared };
    }
    if (e.code === webApi.ErrorCode.PlatformError) {
      const code = e.data?.error ?? 'unknown_error';
      return { kind: 'refused', error: code, permanent: PERMANENT.has(code), doubtCleared };
    }
    return { kind: 'no-answer', error: e.message ?? String(error), cause: error };
  }
}

/**
 * Updates a message already in Slack. An update is idempotent (doing it twice shows the same message),
 * so a doubtful earlier attempt needs no looking for.
 */
async function update(client: WebClient, to: string, m: UpdateMessage): Promise<DeliveryOutcome> {
  let message = render(m);
  // A DM was posted to the person's id; Slack updates it only under the DM's own id.
  const channelId = /^[UW]/.test(to)
    ? ((await client.conversations.open({ users: to })).channel?.id ?? to)
    : to;
  if (m.type === 'hand-back-closed' || m.type === 'owner-dm-plan') {
    // The DM is the owner's as it was sent (plan, notes…): only one part changes, so read it back.
    const history = await client.conversations.history({
      channel: channelId,
      latest: m.ts,
      inclusive: true,
      limit: 1,
    });
    const current = history.messages?.find((found) => found.ts === m.ts);
    if (!current)
      return { kind: 'refused', error: 'message_not_found', permanent: true, doubtCleared: false };
    if (Array.isArray(current.blocks)) {
      const blocks = current.blocks as KnownBlock[];
      message = {
        text: current.text ?? message.text,
        blocks: m.type === 'hand-back-closed' ? withoutHandBack(blocks, m) : withPlan(blocks, m.plan),
      };
    }
  }
  await client.chat.update({ channel: channelId, ts: m.ts, text: message.text, blocks: message.blocks });
  return { kind: 'sent', ts: m.ts };
}

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
  out: OutgoingMessage,
): Promise<{ ts: string; channel: string } | null> {
  try {
    // A DM is addressed by the person's id, but its history lives under the DM's own id.
    let channel = out.channelId;
    if (/^[UW]/.test(channel)) {
      const opened = await client.conversations.open({ users: channel });
      channel = opened.channel?.id ?? channel;
    }
    const since = out.since.getTime() - CLOCK_MARGIN_MS;
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
          metadata.event_payload?.key === out.key &&
          (metadata.event_payload.team ?? out.teamId) === out.teamId
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
        key: out.key,
        channel: out.channelId,
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
    case 'status-update-done':
      return statusUpdateDone(message);
    case 'escalation':
      return escalationMessage(message);
    case 'escalation-update':
      return escalationMessage({ ...message.escalation, closed: message.closed });
    case 'nudge':
      return proposalNudge(message);
    case 'owner-nudge':
      return ownerNudgeMessage(message);
    case 'engagement-closed':
      return engagementClosedMessage(message);
    case 'proposal':
      return proposalMessage(message.view);
    case 'proposal-retired':
      return decidedProposalMessage(message.view, {
        outcome: 'superseded',
        by: null,
        note: message.note,
      });
    case 'proposal-update':
      return proposalMessage(message.view);
    case 'buddy':
      return buddyDm(message);
    case 'buddy-changed':
      return buddyChangedDm(message);
    case 'reminder-update':
      return updatedReminder(message);
    case 'kickoff-update':
      return kickoffUpdated(message);
    case 'hand-back-closed':
      return handBackClosedDm(message);
    case 'plan-changed':
      return planChangedMessage(message);
    case 'redate-offer':
      return redateOfferPost(message);
    case 'redate-offer-done':
      return redateOfferDoneMessage(message);
    case 'stand-in-asked':
      return standInAskedDm(message);
    case 'stand-in-arranged':
      return standInArrangedDm(message);
    case 'stand-in-ended':
      return standInEndedDm(message);
    case 'client-kickoff':
      return clientKickoffMessage(message);
    case 'client-kickoff-update':
      return clientKickoffUpdated(message);
    case 'client-status':
      return clientStatusMessage(message);
    case 'channel-shared':
      return channelSharedMessage(message);
    case 'rotation-shared':
      return rotationSharedMessage(message);
    case 'risk-notice':
      return riskNoticeMessage(message);
    case 'owner-dm':
      return ownerDm(message.news);
    case 'kickoff':
      return kickoffMessage(message.news);
    case 'owner-released':
      return releasedDm(message);
    case 'owner-dm-plan':
      return ownerDmPlanFallback(message);
  }
}
