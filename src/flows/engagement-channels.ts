// Engagement channels that turn out to be shared with the client. Engagements created before Steward
// asked Slack are asked about once; one found shared stops getting anything internal (its reminders
// go to the owner's DM) and the rotation channel is told once, until a lead names an internal channel.
import {
  findEngagementByNumber,
  findOpenEngagementInChannel,
  listUncheckedChannels,
  lockEngagement,
  setEngagementChannels,
} from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { enqueue } from '../db/outbox.js';
import type { EngagementRow } from '../db/schema.js';
import { findTeam } from '../db/teams.js';
import { isSharedOutside, type ChannelFacts } from '../domain/channels.js';
import { fail, ok, type Result } from '../domain/result.js';
import { inTransaction, requireLead, type Actor, type FlowDeps } from './context.js';
import { outboxKey, toEngagementRef, toOutboxRows } from './scheduled-messages.js';

/** Asks Slack about a channel: its facts, or null when Slack will not show it to the bot. */
export type AskChannel = (channelId: string) => Promise<ChannelFacts | null>;

// A tick asks about a few at a time: conversations.info is rate limited, and the rest wait a minute.
const CHECKS_PER_TICK = 20;

/**
 * Asks Slack once about each open engagement's channel not yet checked. One found shared is marked
 * so (nothing internal goes there), recorded, and the rotation channel is told once. Returns how many
 * were found shared.
 */
export async function checkEngagementChannels(deps: FlowDeps, ask: AskChannel): Promise<number> {
  let found = 0;
  for (const engagement of await listUncheckedChannels(deps.db, CHECKS_PER_TICK)) {
    const facts = await ask(engagement.channel_id);
    const shared = facts !== null && isSharedOutside(facts);
    await inTransaction(deps.db, async (trx) => {
      const current = await lockEngagement(trx, engagement.team_id, engagement.id);
      // Someone named a channel meanwhile: the answer is about a channel no longer in use.
      if (!current || current.channel_checked || current.channel_id !== engagement.channel_id)
        return ok(null);
      await setEngagementChannels(trx, current.id, {
        channelId: current.channel_id,
        clientChannelId: current.client_channel_id,
        shared,
        // A channel Slack would not show (a private one the bot is not in) is not asked again.
        checked: true,
      });
      if (shared) await markShared(trx, deps.now(), current);
      return ok(null);
    });
    if (shared) found++;
  }
  return found;
}

/** Records that an engagement's channel is shared and tells the rotation channel, once. */
export async function markShared(trx: FlowDeps['db'], at: Date, engagement: EngagementRow) {
  await recordEvent(trx, {
    teamId: engagement.team_id,
    engagementId: engagement.id,
    kind: 'channel.found_shared',
    actorId: null,
    at,
    data: { channelId: engagement.channel_id },
  });
  const team = await findTeam(trx, engagement.team_id);
  const rotationChannelId = team?.rotation_channel_id ?? engagement.rotation_channel_id;
  await enqueue(
    trx,
    toOutboxRows([
      {
        teamId: engagement.team_id,
        key: outboxKey.channelShared(engagement.id, engagement.channel_id),
        channelId: rotationChannelId,
        engagementId: engagement.id,
        message: {
          type: 'channel-shared',
          engagement: toEngagementRef(engagement),
          sharedChannelId: engagement.channel_id,
        },
        expiresAt: null,
      },
    ]),
  );
}

/** An engagement's channels as the lead's answer names them. */
export interface EngagementChannels {
  readonly number: number;
  readonly clientName: string;
  readonly channelId: string;
  /** Where only the kickoff summary and the owner's status updates go; null when it has none. */
  readonly clientChannelId: string | null;
}

const engagementChannels = (e: EngagementRow): EngagementChannels => ({
  number: e.number,
  clientName: e.client_name,
  channelId: e.channel_id,
  clientChannelId: e.client_channel_id,
});

export interface NamedChannel {
  readonly engagement: EngagementChannels;
  /** The channel it had, when it was shared with the client: now its client channel. */
  readonly previousChannelId: string;
}

export type NameChannelFailure =
  | 'channel-shared'
  | 'not-a-lead'
  | 'unknown-engagement'
  | 'closed'
  | 'rotation-channel'
  | 'client-channel'
  | 'channel-in-use';

/**
 * `/engagement channel #n #internal` (leads): the engagement's internal channel. A channel shared
 * outside the organisation, the rotation channel or another open engagement's channel is refused; a
 * shared channel it had becomes its client channel (unless it has one).
 */
export async function nameInternalChannel(
  deps: FlowDeps,
  actor: Actor,
  input: { number: number; channelId: string; facts: ChannelFacts | null },
): Promise<Result<NamedChannel, NameChannelFailure>> {
  const { channelId, facts } = input;
  if (facts && isSharedOutside(facts)) {
    return fail(
      'channel-shared',
      `<#${channelId}> is shared with people outside the organisation (Slack Connect); the internal channel must be the team's own. Nothing was changed.`,
    );
  }
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, "name an engagement's channel");
    if (!lead.ok) return lead;
    const found = await findEngagementByNumber(trx, actor.teamId, input.number);
    if (!found) return fail('unknown-engagement', `There is no engagement #${input.number}.`);
    const engagement = (await lockEngagement(trx, actor.teamId, found.id))!;
    if (engagement.status === 'closed') return fail('closed', `#${engagement.number} is closed.`);
    const team = await findTeam(trx, actor.teamId);
    if (channelId === team?.rotation_channel_id) {
      return fail(
        'rotation-channel',
        "That's the team's rotation channel; pick the engagement's own channel.",
      );
    }
    if (channelId === engagement.client_channel_id) {
      return fail(
        'client-channel',
        `<#${channelId}> is the client channel of #${engagement.number}; pick an internal one.`,
      );
    }
    const clash = await findOpenEngagementInChannel(trx, actor.teamId, channelId);
    if (clash && clash.id !== engagement.id) {
      return fail(
        'channel-in-use',
        `<#${channelId}> already has an open engagement (#${clash.number}, ${clash.client_name}).`,
      );
    }
    const previousChannelId = engagement.channel_id;
    const clientChannelId =
      engagement.client_channel_id ?? (engagement.channel_shared ? previousChannelId : null);
    await setEngagementChannels(trx, engagement.id, {
      channelId,
      clientChannelId,
      shared: false,
      checked: facts !== null,
    });
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'channel.named',
      actorId: actor.userId,
      at: deps.now(),
      data: { channelId, previousChannelId, clientChannelId },
    });
    return ok({
      engagement: engagementChannels({
        ...engagement,
        channel_id: channelId,
        client_channel_id: clientChannelId,
      }),
      previousChannelId,
    });
  });
}
