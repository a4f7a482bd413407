// Draft the update (the status-day DM): opens the drafted client status update for the owner, whoever
// stands in for them that day, or a lead. A click after it was posted brings the DM up to date.
import { staleMilestoneUpdates } from '../../flows/milestones.js';
import { statusDraft } from '../../flows/status-update.js';
import { statusDraftModal } from '../blocks/status-update.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.statusDraft, statusDraftClicked(deps));
}

export const statusDraftClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const draft = await statusDraft(deps.flow, click.actor, click.value);
    if (!draft.ok) {
      await click.tell(draft.message);
      if (draft.code === 'already-posted' || draft.code === 'engagement-closed')
        await deps.sendNow(await staleMilestoneUpdates(deps.flow, click.actor, click.value));
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: statusDraftModal(draft.value, click.channelId),
    });
  };
