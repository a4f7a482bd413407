// App Home's buttons: start an engagement (proposals go to the team's rotation channel) and refresh.
import { newEngagementForm } from '../../flows/overview.js';
import { newEngagementModal } from '../blocks/modals.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { publishHome } from '../events/app-home.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.homeNewEngagement, newEngagementClicked(deps));
  app.action(ACTIONS.homeRefresh, refreshClicked(deps));
}

export const newEngagementClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const form = await newEngagementForm(deps.flow, click.actor);
    if (!form.ok) {
      await click.tell(form.message);
      return;
    }
    const defaults = form.value;
    if (!defaults.rotationChannelId) {
      await click.tell(
        "Run `/engagement new` in your team's rotation channel first: that's where proposals go.",
      );
      return;
    }
    const view = newEngagementModal({ ...defaults, commandChannelId: defaults.rotationChannelId });
    await args.client.views.open({ trigger_id: args.body.trigger_id, view });
  };

export const refreshClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    await publishHome(args.client, deps, click.actor);
  };
