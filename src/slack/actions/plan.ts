// Shift plan (on reminders and in App Home): opens the shift modal, owner or lead only. The re-date
// offer after a lead changed the holidays or time zone (their answer, the rotation channel, every
// lead's App Home): the first lead's click moves them all; any later click is told it is done.
import { redateMilestones } from '../../flows/plan-redate.js';
import { planToShift } from '../../flows/plan-shift.js';
import { redatedAnswer, shiftPlanModal } from '../blocks/plan.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { refreshHomeIfThere } from '../events/app-home.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.shiftPlan, shiftPlanClicked(deps));
  app.action(ACTIONS.redateMilestones, redateClicked(deps));
}

export const redateClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const redated = await redateMilestones(deps.flow, click.actor);
    if (!redated.ok) {
      switch (redated.code) {
        case 'already-redated':
        case 'nothing-to-redate':
          // A lead's own offer (ephemeral) loses its button; the rotation channel's lost it with the re-dating.
          if (args.body.response_url && !click.message) {
            await args.respond({ replace_original: true, text: redated.message });
            break;
          }
          await click.tell(redated.message);
          break;
        case 'not-a-lead':
        case 'unknown-team':
          await click.tell(redated.message);
          break;
      }
      await refreshHomeIfThere(args, deps, click.actor);
      return;
    }
    const { toSend, lines } = redated.value;
    await deps.sendNow(toSend);
    const answer = redatedAnswer(lines, click.actor.userId);
    // The rotation channel's offer is updated through the outbox; a lead's own offer is replaced here,
    // so its button can't be clicked twice; App Home shows what is left.
    const offerUpdated = toSend.some((u) => 'ts' in u && u.ts === click.message?.ts);
    if (args.body.response_url && !click.message) {
      await args.respond({ replace_original: true, text: answer.text, blocks: answer.blocks });
    } else if (!offerUpdated) await click.tell(answer.text);
    await refreshHomeIfThere(args, deps, click.actor);
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
