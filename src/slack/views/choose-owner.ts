// "Choose someone else": a lead's pick becomes the owner; picking someone the rotation would skip
// is allowed and recorded as an override, with the warning on the proposal.
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs } from '@slack/bolt';
import { chooseOwner } from '../../flows/decide-proposal.js';
import type { ChooseOwnerMetadata } from '../blocks/modals.js';
import { actorOf, type SlackDeps } from '../deps.js';
import { CHOOSE_OWNER_FIELDS as F, VIEWS } from '../ids.js';
import { announceOwner } from '../messaging.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEWS.chooseOwner, ownerChosen(deps));
}

export const ownerChosen =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<ChooseOwnerMetadata>(view);
    const ownerId = entered(view, F.owner);
    if (!metadata?.proposalId || !ownerId) {
      await ack({
        response_action: 'errors',
        errors: { [F.owner.block]: 'Pick the person who should own it.' },
      });
      return;
    }
    const chosen = await chooseOwner(deps.flow, actor, {
      proposalId: metadata.proposalId,
      ownerId,
      reason: entered(view, F.reason),
    });
    if (!chosen.ok) {
      await ack({ response_action: 'errors', errors: { [F.owner.block]: chosen.message } });
      return;
    }
    await ack();
    await announceOwner(client, actor, chosen.value, metadata.message);
  };
