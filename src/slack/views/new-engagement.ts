// The new-engagement modal's submission: create the engagement (field errors go back under the
// fields), then, after the ack, post the owner proposal in the rotation channel.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { createEngagement, type EngagementField } from '../../flows/create-engagement.js';
import { actorOf, type SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { COMMAND, NEW_ENGAGEMENT_FIELDS as F, VIEWS } from '../ids.js';
import { channel, formatDay } from '../blocks/kit.js';
import type { NewEngagementMetadata } from '../blocks/modals.js';
import { engagementLabel } from '../blocks/proposal.js';
import { sendDm } from '../messaging.js';
import { asPlainText, fieldError } from './field-errors.js';
import { channelFacts } from '../channels.js';
import { newEngagementForm } from '../../flows/overview.js';
import { newEngagementModal } from '../blocks/modals.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** Slack's answers when Steward may not post in a (private) channel it was not invited to. */
const NOT_THERE = new Set(['channel_not_found', 'not_in_channel']);

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.newEngagement, newEngagementSubmitted(deps));
}

/** The block a flow's failure belongs under; failures about no field show at the top (client). */
export function blockFor(field: string | undefined): string {
  return (F as Record<string, { block: string }>)[field as EngagementField]?.block ?? F.client.block;
}

export const newEngagementSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<NewEngagementMetadata>(view);
    const clientName = entered(view, F.client) ?? '';
    const channelId = entered(view, F.channel) ?? '';
    const clientChannelId = entered(view, F.clientChannel);
    // Slack says whether each channel is shared with the client; one quick call each, before the ack.
    const [engagementFacts, clientFacts] = await Promise.all([
      channelId ? channelFacts(client, channelId) : null,
      clientChannelId ? channelFacts(client, clientChannelId) : null,
    ]);
    const choice = confirmsKey(clientName, channelId, clientChannelId);
    const created = await createEngagement(deps.flow, actor, {
      clientName,
      channelId,
      clientChannelId,
      channels: { engagement: engagementFacts, client: clientFacts },
      acceptMismatch: metadata?.confirms === choice,
      startsOn: entered(view, F.start) ?? '',
      templateId: entered(view, F.template),
      deliveryLeadId: entered(view, F.deliveryLead),
      notes: entered(view, F.notes),
      commandChannelId: metadata?.commandChannelId ?? '',
    });
    if (!created.ok && created.code === 'channel-mismatch') {
      // A warning, not a refusal: the form says it at the top, and the same choice submitted again
      // goes ahead. What was typed stays (Slack keeps inputs whose block and action ids survive).
      const form = await newEngagementForm(deps.flow, actor);
      const text = await asPlainText(deps.people, created.message);
      if (!form.ok) {
        await ack(await fieldError(deps.people, F.client.block, form.message));
        return;
      }
      await ack({
        response_action: 'update',
        view: newEngagementModal({
          ...form.value,
          commandChannelId: metadata?.commandChannelId ?? form.value.rotationChannelId ?? '',
          warning: { text, confirms: choice },
        }),
      });
      return;
    }
    if (!created.ok) {
      await ack(await fieldError(deps.people, blockFor(created.field), created.message));
      return;
    }
    await ack();
    const { engagement, plan, daysOffWorked, toSend } = created.value;
    const label = engagementLabel(engagement);
    const [sent] = await deps.sendNow(toSend);
    let where = `The owner proposal is in ${channel(engagement.rotationChannelId)}.`;
    if (sent?.status === 'failed' && NOT_THERE.has(sent.error ?? '')) {
      // The engagement stands (it's in the database); only the message is missing.
      deps.logger.warn({ error: sent.error, engagement: engagement.id }, 'could not post the proposal');
      where = `I couldn't post the owner proposal in ${channel(engagement.rotationChannelId)}, a private channel I'm not in: invite me there (\`/invite @Steward\`) so the leads can decide.`;
    }
    // Counted as closing counts them: the weekly status updates are prompts, not steps.
    const steps = plan.milestones.filter((m) => m.kind === 'milestone').length;
    const updates = plan.milestones.length - steps;
    const counted = `${steps} milestone${steps === 1 ? '' : 's'}${updates > 0 ? `, ${updates} status update${updates === 1 ? '' : 's'}` : ''}`;
    const daysOff =
      daysOffWorked.length === 0
        ? ''
        : `\nThe plan counts ${daysOffWorked.map((d) => formatDay(d)).join(' and ')} as ${daysOffWorked.length === 1 ? 'a working day' : 'working days'}: no holidays are set for the team. A lead sets them with \`${COMMAND} settings holidays REGION\` (e.g. \`DE\`, \`GB\`, \`US-NY\`), and is then offered to move what falls on them.`;
    const text = `Created *${label}* (${formatDay(plan.startsOn, true)} → ${formatDay(plan.endsOn, true)}, ${counted}). ${where}${daysOff}`;
    await tellCreator(
      client,
      actor.userId,
      metadata?.commandChannelId ?? engagement.rotationChannelId,
      text,
    ).catch((error: unknown) => deps.logger.warn({ err: error }, 'could not confirm the new engagement'));
  };

/** The client and channels a warning was about: the same ones submitted again go ahead. */
const confirmsKey = (clientName: string, channelId: string, clientChannelId: string | null) =>
  JSON.stringify([clientName.trim(), channelId, clientChannelId ?? '']);

async function tellCreator(client: ViewArgs['client'], userId: string, channelId: string, text: string) {
  try {
    await client.chat.postEphemeral({ channel: channelId, user: userId, text });
  } catch {
    await sendDm(client, userId, { text });
  }
}
