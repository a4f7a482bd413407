// Post on the status-update modal: an empty or too long text is a field error; otherwise the update
// goes out through the outbox (once) and the owner is told where it went.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { postStatusUpdate } from '../../flows/status-update.js';
import { channel } from '../blocks/kit.js';
import type { StatusDraftMetadata } from '../blocks/status-update.js';
import { actorOf, type SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { STATUS_FIELDS as F, VIEWS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.statusUpdate, statusUpdateSubmitted(deps));
}

export const statusUpdateSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    const metadata = metadataOf<StatusDraftMetadata>(view);
    const posted = await postStatusUpdate(deps.flow, actor, {
      milestoneId: metadata?.milestoneId ?? '',
      text: entered(view, F.text) ?? '',
    });
    if (!posted.ok) {
      await ack(await fieldError(deps.people, F.text.block, posted.message));
      return;
    }
    await ack();
    await deps.sendNow(posted.value.toSend);
    const { engagement, destination, closed } = posted.value;
    const where = `${channel(destination.channelId)}${destination.toClient ? ' (the client channel)' : ''}`;
    const text =
      `:white_check_mark: Posted the status update for #${engagement.number} ${engagement.clientName} in ${where}; ` +
      `this week's status update is marked done.${closed ? ' That was the last milestone: the engagement is closed.' : ''}`;
    await sendDm(client, actor.userId, { text }).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'could not confirm a posted status update'),
    );
  };
