// The hand-back modal's submission: the owner is released, their DM says so, and the next candidate
// is proposed in the rotation channel with the reason.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { handBack } from '../../flows/hand-back.js';
import type { HandBackMetadata } from '../blocks/modals.js';
import { handedBackDm } from '../blocks/ownership.js';
import { actorOf, type SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { HAND_BACK_FIELDS as F, VIEWS } from '../ids.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.handBack, handBackSubmitted(deps));
}

export const handBackSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<HandBackMetadata>(view);
    const reason = entered(view, F.reason) ?? '';
    const handed = metadata?.engagementId
      ? await handBack(deps.flow, actor, { engagementId: metadata.engagementId, reason })
      : ({ ok: false, message: 'That engagement no longer exists.' } as const);
    if (!handed.ok) {
      await ack(await fieldError(deps.people, F.reason.block, handed.message));
      return;
    }
    await ack();
    const { next, toSend } = handed.value;
    if (metadata?.message) {
      const dm = handedBackDm(next.engagement, reason.trim());
      await client.chat.update({
        channel: metadata.message.channelId,
        ts: metadata.message.ts,
        text: dm.text,
        blocks: dm.blocks,
      });
    }
    await deps.sendNow(toSend);
  };
