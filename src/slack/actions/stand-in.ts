// The leads' buttons on a stand-in proposal. Anyone may click; the flows decide who may act, and
// anyone else gets a private refusal while the proposal stays as it is.
import {
  approveStandIn,
  declineStandIn,
  passOverStandIn,
  type ApproveStandInFailure,
  type PassOverStandInFailure,
} from '../../flows/stand-ins.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { refreshHomeIfThere } from '../events/app-home.js';
import { ACTIONS } from '../ids.js';
import { refreshStaleProposal, showDecision } from '../messaging.js';
import { acceptClick, type ButtonArgs, type Click } from './button.js';
import { chooseClicked } from './proposal.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.approveStandIn, approveClicked(deps));
  app.action(ACTIONS.passOverStandIn, passOverClicked(deps));
  app.action(ACTIONS.declineStandIn, declineClicked(deps));
  // Choosing by hand opens the modal as on an owner proposal (actions/proposal.ts).
  app.action(ACTIONS.chooseStandIn, chooseClicked(deps));
}

// Declining refuses for fewer reasons than approving, all of them among these.
type StandInRefusal = ApproveStandInFailure | PassOverStandInFailure;

/** Whether a refusal means the proposal's message is out of date: then it shows it as it now stands. */
const OUT_OF_DATE: Record<StandInRefusal, boolean> = {
  'unknown-proposal': true,
  'unknown-engagement': true,
  'already-decided': true,
  'engagement-closed': true,
  'owner-changed': true,
  'not-a-lead': false,
  'unknown-team': false,
  'nobody-proposed': false,
  'unknown-member': false,
  'candidate-unavailable': false,
  'no-owner': false,
  'proposal-pending': false,
};

async function refuse(
  deps: SlackDeps,
  args: ButtonArgs,
  click: Click,
  failure: { code: StandInRefusal; message: string },
) {
  await click.tell(failure.message);
  if (OUT_OF_DATE[failure.code])
    await refreshStaleProposal(args.client, deps, click.actor, click.value, click.message);
}

const approveClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const decided = await approveStandIn(deps.flow, click.actor, click.value);
    if (!decided.ok) return refuse(deps, args, click, decided);
    await showDecision(
      args.client,
      decided.value.decided,
      { outcome: 'approved', by: click.actor.userId },
      click.message,
    );
    await deps.sendNow(decided.value.toSend);
    await refreshHomeIfThere(args, deps, click.actor);
  };

const passOverClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const passed = await passOverStandIn(deps.flow, click.actor, click.value);
    if (!passed.ok) return refuse(deps, args, click, passed);
    await showDecision(
      args.client,
      passed.value.passed,
      { outcome: 'passed', by: click.actor.userId },
      click.message,
    );
    await deps.sendNow(passed.value.toSend);
  };

const declineClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const declined = await declineStandIn(deps.flow, click.actor, click.value);
    if (!declined.ok) return refuse(deps, args, click, declined);
    await showDecision(
      args.client,
      declined.value.decided,
      { outcome: 'dismissed', by: click.actor.userId },
      click.message,
    );
    await refreshHomeIfThere(args, deps, click.actor);
  };
