// "Choose someone else" on a stand-in proposal: the lead's pick acts for the owner on the proposal's
// days. Whoever cannot (the owner, the delivery lead, someone away then, someone not on the team) is
// refused under the field, and nothing changes.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { chooseStandIn } from '../../flows/stand-ins.js';
import type { ChooseOwnerMetadata } from '../blocks/modals.js';
import { actorOf, type SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { CHOOSE_STAND_IN_FIELDS as F, VIEWS } from '../ids.js';
import { showDecision } from '../messaging.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.chooseStandIn, standInChosen(deps));
}

export const standInChosen =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<ChooseOwnerMetadata>(view);
    const standInId = entered(view, F.standIn);
    if (!metadata?.proposalId || !standInId) {
      await ack(await fieldError(deps.people, F.standIn.block, 'Pick the person who should stand in.'));
      return;
    }
    const chosen = await chooseStandIn(deps.flow, actor, {
      proposalId: metadata.proposalId,
      standInId,
      reason: entered(view, F.reason),
    });
    if (!chosen.ok) {
      await ack(await fieldError(deps.people, F.standIn.block, chosen.message));
      return;
    }
    await ack();
    const { decided, toSend } = chosen.value;
    await showDecision(
      client,
      decided,
      {
        outcome: decided.proposal.outcome === 'overridden' ? 'overridden' : 'approved',
        by: actor.userId,
        note: decided.proposal.decisionNote,
      },
      metadata.message,
    );
    await deps.sendNow(toSend);
  };
