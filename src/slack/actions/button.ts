// What every button listener needs from a click: who, the button's value, where the message is,
// and a way to answer only the clicker.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Actor } from '../../flows/context.js';
import { actorOf, type SlackDeps } from '../deps.js';
import { sendDm, type PostedMessage } from '../messaging.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export interface Click {
  readonly actor: Actor;
  readonly value: string;
  /** The message the button is on, when it's on a message (not a view). */
  readonly message: PostedMessage | null;
  readonly channelId: string | null;
  /** Answers the clicker alone; the message with the button stays as it is. */
  tell(text: string): Promise<unknown>;
}

/** Acks at once (Slack retries and shows an error after 3 s), then recognises the clicker. */
export async function acceptClick(
  deps: SlackDeps,
  { ack, body, action, respond, client }: ButtonArgs,
): Promise<Click> {
  await ack();
  const actor = actorOf(body);
  await deps.people.recognise(actor.teamId, actor.userId);
  const container = body.container as { channel_id?: string; message_ts?: string; is_ephemeral?: boolean };
  const channelId = body.channel?.id ?? container.channel_id ?? null;
  const ts = body.message?.ts ?? container.message_ts;
  const message = channelId && ts && !container.is_ephemeral ? { channelId, ts } : null;
  return {
    actor,
    value: action.value ?? '',
    message,
    channelId,
    async tell(text) {
      if (body.response_url) {
        return respond({ response_type: 'ephemeral', replace_original: false, text });
      }
      // A button in a view (App Home) has no response_url: a DM is the private channel left.
      return sendDm(client, actor.userId, { text });
    },
  };
}
