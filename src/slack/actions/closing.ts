// Closing an engagement: the lead's Close / Cancel under `close #n`, and the owner's Write
// retrospective once it is closed.
import { closeEngagement } from '../../flows/engagement-status.js';
import { retrospectiveTarget } from '../../flows/retrospective.js';
import { parseCloseValue, retrospectiveModal } from '../blocks/closing.js';
import { engagementLabel } from '../blocks/proposal.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.confirmClose, confirmCloseClicked(deps));
  app.action(ACTIONS.cancelClose, cancelCloseClicked(deps));
  app.action(ACTIONS.writeRetrospective, writeRetrospectiveClicked(deps));
}

/** The confirmation is the lead's alone (ephemeral): its answer takes its place. */
async function replaceQuestion(args: ButtonArgs, text: string): Promise<void> {
  await args.respond({ response_type: 'ephemeral', replace_original: true, text });
}

export const confirmCloseClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const asked = parseCloseValue(click.value);
    if (!asked) {
      await click.tell('That button is from an older Steward; run `/engagement close #n` again.');
      return;
    }
    const closed = await closeEngagement(deps.flow, click.actor, asked);
    if (!closed.ok) {
      await replaceQuestion(args, closed.message);
      return;
    }
    await deps.sendNow(closed.value.toSend);
    await replaceQuestion(
      args,
      `Closed ${engagementLabel(closed.value.engagement)}. Its owner, the leads and its channel have been told.`,
    );
  };

export const cancelCloseClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    await acceptClick(deps, args);
    await replaceQuestion(args, 'Nothing was closed.');
  };

export const writeRetrospectiveClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const target = await retrospectiveTarget(deps.flow, click.actor, click.value);
    if (!target.ok) {
      switch (target.code) {
        // Each is said to the clicker alone; the DM keeps its button for whoever it belongs to.
        case 'already-written':
        case 'not-closed':
        case 'not-owner-or-lead':
        case 'unknown-engagement':
          await click.tell(target.message);
          return;
      }
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: retrospectiveModal(target.value),
    });
  };
