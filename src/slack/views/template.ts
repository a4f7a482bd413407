// The template editor's submission: a new version, or a field error under what was wrong.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { saveTemplate } from '../../flows/plan-templates.js';
import type { TemplateField } from '../../domain/template-draft.js';
import { templateSavedText, type TemplateModalMetadata } from '../blocks/templates.js';
import { actorOf, type SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { TEMPLATE_FIELDS as F, VIEWS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.template, templateSubmitted(deps));
}

export const templateSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<TemplateModalMetadata>(view);
    const templateId = metadata?.templateId ?? null;
    const saved = await saveTemplate(deps.flow, actor, {
      editing: templateId,
      draft: {
        name: templateId ? null : (entered(view, F.name) ?? ''),
        milestones: entered(view, F.milestones) ?? '',
        statusEvery: entered(view, F.statusEvery) ?? '',
      },
    });
    if (!saved.ok) {
      // A new template's name field is the top one; an edited template has none.
      const field = (saved.field ?? 'milestones') as TemplateField;
      const block = field === 'name' && templateId ? F.milestones.block : F[field].block;
      await ack({ response_action: 'errors', errors: { [block]: saved.message } });
      return;
    }
    await ack();
    const text = templateSavedText(saved.value);
    if (metadata?.channelId) {
      const told = await client.chat
        .postEphemeral({ channel: metadata.channelId, user: actor.userId, text })
        .then(() => true)
        .catch(() => false);
      if (told) return;
    }
    await sendDm(client, actor.userId, { text });
  };
