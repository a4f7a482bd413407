// Shift plan (on reminders and in App Home): opens the shift modal, owner or lead only. The re-date
// offer a lead gets after changing the holidays or time zone: one click moves them all.
import type { App } from '@slack/bolt';
import { redateMilestones } from '../../flows/plan-redate.js';
import { planToShift } from '../../flows/plan-shift.js';
import { redatedAnswer, shiftPlanModal } from '../blocks/plan.js';
import type { SlackDeps } from '../deps.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: App, deps: SlackDeps): void {
  app.action(ACTIONS.shiftPlan, shiftPlanClicked(deps));
  app.action(ACTIONS.redateMilestones, redateClicked(deps));
}

export const redateClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const redated = await redateMilestones(deps.flow, click.actor);
    if (!redated.ok) {
      await click.tell(redated.message);
      return;
    }
    await deps.sendNow(redated.value.toSend);
    const answer = redatedAnswer(redated.value.lines, click.actor.userId);
    // The offer is replaced, so its button can't be clicked twice.
    if (args.body.response_url) {
      await args.respond({ replace_original: true, text: answer.text, blocks: answer.blocks });
    } else await click.tell(answer.text);
  };

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
