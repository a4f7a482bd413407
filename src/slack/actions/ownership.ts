// The owner's Hand back button (in their DM): a modal asks why; the flow decides whether it's
// still allowed (the owner only, within a business day).
import type { App } from '@slack/bolt';
import { engagementById } from '../../flows/overview.js';
import { handBackModal } from '../blocks/modals.js';
import type { SlackDeps } from '../deps.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTIONS.handBack, handBackClicked(deps));
}

export const handBackClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const found = await engagementById(deps.flow, click.actor, click.value);
    if (!found.ok) {
      await click.tell(found.message);
      return;
    }
    if (found.value.owner_id !== click.actor.userId) {
      await click.tell('Only the current owner can hand an engagement back.');
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: handBackModal(found.value, click.message),
    });
  };
