// A channel shared with people outside the organisation after Steward began posting there (Slack's
// `channel_shared` event): from that moment nothing internal goes there. An engagement channel's
// reminders go to its owner's DM (as for one found shared when first checked); a rotation channel
// stops getting proposals and every lead is told by DM, with what to do.
import { findOpenEngagementInChannel, lockEngagement, setEngagementChannels } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { listLeads } from '../db/members.js';
import { enqueue, withholdPending } from '../db/outbox.js';
import { forgetSharedChannel, rememberSharedChannel } from '../db/shared-channels.js';
import { findTeam } from '../db/teams.js';
import { isSharedOutside, type ChannelFacts } from '../domain/channels.js';
import { ok } from '../domain/result.js';
import { inTransaction, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { markShared } from './engagement-channels.js';
import { outboxKey, toOutboxRows } from './scheduled-messages.js';

export interface ChannelSharedOutcome {
  /** Messages that were waiting to be posted there and are now held. */
  readonly held: number;
  /** What was the team's own in that channel: an open engagement's (its number), the rotation channel. */
  readonly engagementNumber: number | null;
  readonly rotationChannel: boolean;
  /** The notices to send at once (the rotation channel's, the leads' DMs). */
  readonly toSend: readonly QueuedMessage[];
}

/**
 * Slack says the channel is now shared outside. `facts` is what Slack answers about it now (null when
 * it will not say): a share Slack names as the organisation's own (Enterprise Grid) changes nothing;
 * any other counts, since a client must never read internal detail because a flag was missing.
 */
export async function channelShared(
  deps: FlowDeps,
  event: { teamId: string; channelId: string; facts: ChannelFacts | null },
): Promise<ChannelSharedOutcome> {
  const { teamId, channelId, facts } = event;
  if (facts !== null && !isSharedOutside(facts))
    return { held: 0, engagementNumber: null, rotationChannel: false, toSend: [] };
  const at = deps.now();
  const result = await inTransaction(deps.db, async (trx) => {
    // Slack may deliver the event again: the leads hear of one share once.
    const isNew = await rememberSharedChannel(trx, teamId, channelId, at);
    const held = await withholdPending(trx, teamId, channelId);
    const toSend: QueuedMessage[] = [];

    const found = await findOpenEngagementInChannel(trx, teamId, channelId);
    const engagement = found ? await lockEngagement(trx, teamId, found.id) : undefined;
    if (engagement && !engagement.channel_shared) {
      await setEngagementChannels(trx, engagement.id, {
        channelId: engagement.channel_id,
        clientChannelId: engagement.client_channel_id,
        shared: true,
        checked: true,
      });
      await markShared(trx, at, engagement);
      toSend.push({ teamId, key: outboxKey.channelShared(engagement.id, engagement.channel_id) });
    }

    const team = await findTeam(trx, teamId);
    const rotationChannel = team?.rotation_channel_id === channelId;
    if (rotationChannel && isNew) {
      await recordEvent(trx, {
        teamId,
        kind: 'channel.rotation_shared',
        actorId: null,
        at,
        data: { channelId },
      });
      const leads = await listLeads(trx, teamId);
      const key = (leadId: string) => outboxKey.rotationShared(channelId, leadId, at);
      await enqueue(
        trx,
        toOutboxRows(
          leads.map((lead) => ({
            teamId,
            key: key(lead.user_id),
            channelId: lead.user_id,
            engagementId: null,
            message: { type: 'rotation-shared', sharedChannelId: channelId },
            expiresAt: null,
          })),
        ),
      );
      toSend.push(...leads.map((lead) => ({ teamId, key: key(lead.user_id) })));
    }
    return ok({ held, engagementNumber: engagement?.number ?? null, rotationChannel, toSend });
  });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

/**
 * Slack says an outside organisation left the channel. Only when Slack now answers that nobody
 * outside is left is it the team's own again; an engagement whose channel was found shared keeps its
 * reminders in the owner's DM until a lead names the channel again (`/engagement channel`).
 */
export async function channelUnshared(
  deps: FlowDeps,
  event: { teamId: string; channelId: string; facts: ChannelFacts | null },
): Promise<boolean> {
  if (event.facts === null || isSharedOutside(event.facts)) return false;
  return forgetSharedChannel(deps.db, event.teamId, event.channelId);
}
