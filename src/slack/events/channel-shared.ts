// Slack's word that a channel was shared with people outside the organisation, or that they left.
// Steward asks Slack about the channel itself before acting: the event does not say whether the
// other side is a client or the organisation's own workspace (Enterprise Grid).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { channelShared, channelUnshared } from '../../flows/channel-shared.js';
import { channelFacts } from '../channels.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.event('channel_shared', shared(deps));
  app.event('channel_unshared', unshared(deps));
}

const shared =
  (deps: SlackDeps) =>
  async ({ event, body, client }: SlackEventMiddlewareArgs<'channel_shared'> & AllMiddlewareArgs) => {
    const facts = await channelFacts(client, event.channel);
    const outcome = await channelShared(deps.flow, { teamId: body.team_id, channelId: event.channel, facts });
    deps.logger.info(
      {
        channel: event.channel,
        held: outcome.held,
        engagement: outcome.engagementNumber,
        rotationChannel: outcome.rotationChannel,
      },
      'a channel was shared outside the organisation: nothing internal goes there any more',
    );
    if (outcome.toSend.length > 0) await deps.sendNow(outcome.toSend);
  };

const unshared =
  (deps: SlackDeps) =>
  async ({ event, body, client }: SlackEventMiddlewareArgs<'channel_unshared'> & AllMiddlewareArgs) => {
    // Another organisation may still be in it: Slack's answer now decides.
    const facts = event.is_ext_shared ? null : await channelFacts(client, event.channel);
    const forgotten = await channelUnshared(deps.flow, {
      teamId: body.team_id,
      channelId: event.channel,
      facts,
    });
    if (forgotten) deps.logger.info({ channel: event.channel }, 'a channel is no longer shared outside');
  };
