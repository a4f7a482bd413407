// The leads' buttons on a proposal. Anyone may click; the flows decide who may act, and anyone else
// gets a private refusal while the proposal stays as it is.
import { approveProposal, isProposalGone, keepOwner, proposeNext } from '../../flows/decide-proposal.js';
import { currentProposal, proposalToChoose } from '../../flows/proposal-messages.js';
import { chooseOwnerModal, chooseStandInModal } from '../blocks/modals.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { refreshHomeIfThere } from '../events/app-home.js';
import { ACTIONS } from '../ids.js';
import { announceOwner, refreshStaleProposal, showDecision } from '../messaging.js';
import { acceptClick, type ButtonArgs, type Click } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.approveOwner, approveClicked(deps));
  app.action(ACTIONS.proposeNext, proposeNextClicked(deps));
  app.action(ACTIONS.chooseOwner, chooseClicked(deps));
  app.action(ACTIONS.keepOwner, keepOwnerClicked(deps));
}

export const keepOwnerClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const kept = await keepOwner(deps.flow, click.actor, click.value);
    if (!kept.ok) return refuse(deps, args, click, kept);
    const { proposalId, ownerId } = kept.value;
    const view = await currentProposal(deps.flow, click.actor, proposalId);
    if (!view) return;
    await showDecision(
      args.client,
      view,
      { outcome: 'dismissed', by: click.actor.userId, ownerId },
      click.message,
    );
  };

async function refuse(
  deps: SlackDeps,
  args: ButtonArgs,
  click: Click,
  failure: { code: string; message: string },
) {
  await click.tell(failure.message);
  // The message is out of date: show it as it now stands.
  if (isProposalGone(failure.code))
    await refreshStaleProposal(args.client, deps, click.actor, click.value, click.message);
}

export const approveClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const decided = await approveProposal(deps.flow, click.actor, click.value);
    if (!decided.ok) return refuse(deps, args, click, decided);
    await announceOwner(args.client, deps, click.actor, decided.value, click.message);
    await refreshHomeIfThere(args, deps, click.actor);
  };

export const proposeNextClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const passed = await proposeNext(deps.flow, click.actor, click.value);
    if (!passed.ok) return refuse(deps, args, click, passed);
    await showDecision(
      args.client,
      passed.value.passed,
      { outcome: 'passed', by: click.actor.userId },
      click.message,
    );
    await deps.sendNow(passed.value.toSend);
  };

export const chooseClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const chosen = await proposalToChoose(deps.flow, click.actor, click.value);
    if (!chosen.ok) {
      // A proposal already decided shows what happened; one that is gone has nothing to show.
      if (chosen.code === 'already-decided') return refuse(deps, args, click, chosen);
      await click.tell(chosen.message);
      return;
    }
    // The same button on an owner, handover or stand-in proposal: the modal asks for whom it decides.
    const modal = chosen.value.proposal.kind === 'stand-in' ? chooseStandInModal : chooseOwnerModal;
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: modal(chosen.value, click.message),
    });
  };
