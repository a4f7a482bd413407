// The shift modal's submission: bad input is a field error and changes nothing; a shift closes the
// modal, sends the engagement channel its line (through the outbox, once) and tells the person.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { shiftPlan } from '../../flows/plan-shift.js';
import { shiftedConfirmation, type ShiftPlanMetadata } from '../blocks/plan.js';
import { actorOf, type SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { publishHome } from '../events/app-home.js';
import { SHIFT_FIELDS as F, VIEWS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.shiftPlan, shiftPlanSubmitted(deps));
}

/** What was typed as a number of days: "3", "+3", "-2"; anything else reads as not a whole number. */
export function daysEntered(text: string | null): number {
  const t = (text ?? '').trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : Number.NaN;
}

export const shiftPlanSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    const metadata = metadataOf<ShiftPlanMetadata>(view);
    const shifted = await shiftPlan(deps.flow, actor, {
      engagementId: metadata?.engagementId ?? '',
      fromMilestoneId: entered(view, F.milestone) ?? '',
      days: daysEntered(entered(view, F.days)),
    });
    if (!shifted.ok) {
      const block = shifted.field === 'days' ? F.days.block : F.milestone.block;
      await ack(await fieldError(deps.people, block, shifted.message));
      return;
    }
    await ack();
    await deps.sendNow(shifted.value.toSend);
    const { engagement, shift } = shifted.value;
    const text = shiftedConfirmation(engagement, shift);
    const channelId = metadata?.channelId ?? null;
    if (channelId) {
      const told = await client.chat
        .postEphemeral({ channel: channelId, user: actor.userId, text })
        .then(() => true)
        .catch(() => false);
      if (told) return;
    } else {
      // From App Home: the page shows the new dates at once.
      await publishHome(client, deps, actor);
    }
    await sendDm(client, actor.userId, { text }).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'could not confirm a plan shift'),
    );
  };
