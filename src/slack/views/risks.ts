// The risk modals' submissions: a new risk (field errors under the fields), a resolution. After the
// ack, what the flow queued is sent: the owner gets the register in a DM, the rotation channel a line,
// and the leads a DM for a high/high risk (once). The engagement channel, which the client may share,
// hears nothing.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { addRisk, resolveRisk, type RiskField } from '../../flows/risks.js';
import type { Actor } from '../../flows/context.js';
import type { AddRiskMetadata, ResolveRiskMetadata } from '../blocks/risks.js';
import { actorOf, type SlackDeps, type WebClient } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { RESOLVE_RISK_FIELDS, RISK_FIELDS as F, VIEWS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.addRisk, addRiskSubmitted(deps));
  app.view(VIEWS.resolveRisk, resolveRiskSubmitted(deps));
}

const FIELD_BLOCKS: Record<Exclude<RiskField, 'note'>, string> = {
  title: F.title.block,
  likelihood: F.likelihood.block,
  impact: F.impact.block,
  owner: F.owner.block,
  mitigation: F.mitigation.block,
};

export const addRiskSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<AddRiskMetadata>(view);
    const added = await addRisk(deps.flow, actor, {
      engagementId: metadata?.engagementId ?? '',
      title: entered(view, F.title) ?? '',
      likelihood: entered(view, F.likelihood) ?? '',
      impact: entered(view, F.impact) ?? '',
      ownerId: entered(view, F.owner),
      mitigation: entered(view, F.mitigation),
    });
    if (!added.ok) {
      const block = FIELD_BLOCKS[added.field as keyof typeof FIELD_BLOCKS] ?? F.title.block;
      await ack({ response_action: 'errors', errors: { [block]: added.message } });
      return;
    }
    await ack();
    const change = added.value;
    await deps.sendNow(change.toSend);
    await confirm(
      client,
      deps,
      actor,
      metadata?.channelId ?? null,
      change.engagement.ownerId === actor.userId
        ? `Added the risk to #${change.engagement.number} ${change.engagement.clientName}; your register DM lists it.`
        : `Added the risk to #${change.engagement.number} ${change.engagement.clientName}; the owner has the register.`,
    );
  };

export const resolveRiskSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<ResolveRiskMetadata>(view);
    const resolved = await resolveRisk(deps.flow, actor, {
      riskId: metadata?.riskId ?? '',
      note: entered(view, RESOLVE_RISK_FIELDS.note) ?? '',
    });
    if (!resolved.ok) {
      await ack({
        response_action: 'errors',
        errors: { [RESOLVE_RISK_FIELDS.note.block]: resolved.message },
      });
      return;
    }
    await ack();
    const change = resolved.value;
    await deps.sendNow(change.toSend);
    if (change.engagement.ownerId !== actor.userId) {
      await confirm(client, deps, actor, metadata?.channelId ?? null, `Resolved "${change.risk.title}".`);
    }
  };

/** Tells the person privately where they acted; a DM when the channel is gone or a view's. */
async function confirm(
  client: WebClient,
  deps: SlackDeps,
  actor: Actor,
  channelId: string | null,
  text: string,
) {
  if (channelId) {
    const told = await client.chat
      .postEphemeral({ channel: channelId, user: actor.userId, text })
      .then(() => true)
      .catch(() => false);
    if (told) return;
  }
  await sendDm(client, actor.userId, { text }).catch((error: unknown) =>
    deps.logger.warn({ err: error }, 'could not confirm'),
  );
}
