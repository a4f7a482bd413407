// "Choose someone else": a lead's pick becomes the owner. The delivery lead is refused under the
// field; the current owner of a handover keeps it; someone the rotation would skip is confirmed in
// a second modal, with a reason, and recorded as an override.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { chooseOwner, type ChosenOwner } from '../../flows/decide-proposal.js';
import { currentProposal } from '../../flows/proposal-messages.js';
import type { Actor } from '../../flows/context.js';
import {
  confirmOverrideModal,
  type ChooseOwnerMetadata,
  type ConfirmOverrideMetadata,
} from '../blocks/modals.js';
import { actorOf, type SlackDeps, type WebClient } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { CHOOSE_OWNER_FIELDS as F, VIEWS } from '../ids.js';
import { announceOwner, showDecision } from '../messaging.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.chooseOwner, ownerChosen(deps));
  app.view(VIEWS.confirmOverride, overrideConfirmed(deps));
}

export const ownerChosen =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<ChooseOwnerMetadata>(view);
    const ownerId = entered(view, F.owner);
    if (!metadata?.proposalId || !ownerId) {
      await ack(await fieldError(deps.people, F.owner.block, 'Pick the person who should own it.'));
      return;
    }
    const reason = entered(view, F.reason);
    const chosen = await chooseOwner(deps.flow, actor, {
      proposalId: metadata.proposalId,
      ownerId,
      ownerName: await nameOf(deps, ownerId),
      reason,
    });
    if (!chosen.ok) {
      await ack(await fieldError(deps.people, F.owner.block, chosen.message));
      return;
    }
    if (chosen.value.kind === 'confirm-override') {
      await ack({
        response_action: 'push',
        view: confirmOverrideModal({
          proposalId: metadata.proposalId,
          message: metadata.message,
          ownerId,
          name: chosen.value.name,
          why: chosen.value.why,
          reason,
        }),
      });
      return;
    }
    await ack();
    await announce(client, deps, actor, chosen.value, metadata.message);
  };

export const overrideConfirmed =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<ConfirmOverrideMetadata>(view);
    if (!metadata?.proposalId || !metadata.ownerId) {
      await ack(await fieldError(deps.people, F.reason.block, 'That proposal no longer exists.'));
      return;
    }
    const chosen = await chooseOwner(deps.flow, actor, {
      proposalId: metadata.proposalId,
      ownerId: metadata.ownerId,
      reason: entered(view, F.reason),
      override: true,
    });
    if (!chosen.ok) {
      await ack(await fieldError(deps.people, F.reason.block, chosen.message));
      return;
    }
    // Both modals close: the choice is made.
    await ack({ response_action: 'clear' });
    await announce(client, deps, actor, chosen.value, metadata.message);
  };

async function nameOf(deps: SlackDeps, userId: string): Promise<string | undefined> {
  return deps.people.profile(userId).then(
    (p) => p.name,
    () => undefined,
  );
}

async function announce(
  client: WebClient,
  deps: SlackDeps,
  actor: Actor,
  chosen: ChosenOwner,
  message: ChooseOwnerMetadata['message'],
): Promise<void> {
  switch (chosen.kind) {
    case 'owner':
      return announceOwner(client, deps, actor, chosen.decision, message);
    case 'kept': {
      const view = await currentProposal(deps.flow, actor, chosen.proposalId);
      if (!view) return;
      return showDecision(
        client,
        view,
        { outcome: 'dismissed', by: actor.userId, ownerId: chosen.ownerId },
        message,
      );
    }
    case 'confirm-override':
      return; // nothing decided yet
  }
}
