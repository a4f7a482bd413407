// What Slack says of a channel (conversations.info), read into the facts Steward decides on.
import type { ChannelFacts } from '../domain/channels.js';
import type { AskChannel } from '../flows/engagement-channels.js';
import type { Logger } from '../logger.js';
import type { WebClient } from './deps.js';
import { senderClient } from './delivery.js';
import { slackError } from './messaging.js';

// Slack's answers when the bot may not see a channel: a private one it was not invited to.
const CANNOT_SEE = new Set(['channel_not_found', 'not_in_channel', 'missing_scope']);

interface ApiChannel {
  id?: string;
  name?: string;
  topic?: { value?: string };
  purpose?: { value?: string };
  is_ext_shared?: boolean;
  is_shared?: boolean;
  is_org_shared?: boolean;
  is_pending_ext_shared?: boolean;
}

/** A channel object from the Web API as facts (flags Slack left out read as false). */
export function toChannelFacts(channel: ApiChannel, id: string): ChannelFacts {
  return {
    id: channel.id ?? id,
    name: channel.name ?? '',
    topic: channel.topic?.value ?? '',
    purpose: channel.purpose?.value ?? '',
    isExtShared: channel.is_ext_shared === true,
    isShared: channel.is_shared === true,
    isOrgShared: channel.is_org_shared === true,
    isPendingExtShared: channel.is_pending_ext_shared === true,
  };
}

/**
 * The channel as Slack has it, or null when Slack will not show it to the bot (a private channel it
 * is not in). Any other failure propagates: a guess about sharing is not safe to act on.
 */
export async function channelFacts(client: WebClient, channelId: string): Promise<ChannelFacts | null> {
  try {
    const info = await client.conversations.info({ channel: channelId });
    return toChannelFacts((info.channel ?? {}) as ApiChannel, channelId);
  } catch (error) {
    if (CANNOT_SEE.has(slackError(error) ?? '')) return null;
    throw error;
  }
}

/** The jobs' way to ask Slack about a channel: a client of its own, like the outbox's delivery. */
export function slackChannelAsker(
  slack: { readonly token?: string | undefined; readonly slackApiUrl?: string | undefined },
  logger: Logger,
): AskChannel {
  const client = senderClient(slack, logger);
  return (channelId) => channelFacts(client, channelId);
}
