// The flag-risk modal's submission. The note is internal: it goes to the rotation channel, and the
// engagement channel (maybe shared with the client) hears nothing.
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs } from '@slack/bolt';
import { flagRisk } from '../../flows/engagement-status.js';
import { escapeText, user } from '../blocks/kit.js';
import type { FlagRiskMetadata } from '../blocks/modals.js';
import { engagementLabel } from '../blocks/proposal.js';
import { actorOf, type SlackDeps } from '../deps.js';
import { FLAG_RISK_FIELDS as F, VIEWS } from '../ids.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEWS.flagRisk, flagRiskSubmitted(deps));
}

export const flagRiskSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<FlagRiskMetadata>(view);
    const flagged = metadata?.engagementId
      ? await flagRisk(deps.flow, actor, { engagementId: metadata.engagementId, note: entered(view, F.note) })
      : ({ ok: false, message: 'That engagement no longer exists.' } as const);
    if (!flagged.ok) {
      await ack(await fieldError(deps.people, F.note.block, flagged.message));
      return;
    }
    await ack();
    const engagement = flagged.value;
    const label = engagementLabel(engagement);
    const note = engagement.risk_note ? `: _${escapeText(engagement.risk_note)}_` : '.';
    await client.chat.postMessage({
      channel: engagement.rotation_channel_id,
      text: `:warning: ${label} flagged at risk by ${user(actor.userId)}${note}`,
    });
    if (metadata?.channelId) {
      await client.chat
        .postEphemeral({
          channel: metadata.channelId,
          user: actor.userId,
          text: `Flagged ${label} at risk; the leads see it in <#${engagement.rotation_channel_id}>.`,
        })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not confirm the risk flag'));
    }
  };
