// Shift plan (on reminders and in App Home): opens the shift modal, owner or lead only.
import type { App } from '@slack/bolt';
import { planToShift } from '../../flows/plan-shift.js';
import { shiftPlanModal } from '../blocks/plan.js';
import type { SlackDeps } from '../deps.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTIONS.shiftPlan, shiftPlanClicked(deps));
}

export const shiftPlanClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const plan = await planToShift(deps.flow, click.actor, click.value);
    if (!plan.ok) {
      await click.tell(plan.message);
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: shiftPlanModal(plan.value, click.channelId),
    });
  };
