// The retrospective modal's submission: saved once, recorded; a field error for what is missing.
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs } from '@slack/bolt';
import { writeRetrospective } from '../../flows/retrospective.js';
import type { RetrospectiveMetadata } from '../blocks/closing.js';
import { engagementLabel } from '../blocks/proposal.js';
import { actorOf, type SlackDeps } from '../deps.js';
import { RETROSPECTIVE_FIELDS as F, VIEWS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEWS.retrospective, retrospectiveSubmitted(deps));
}

export const retrospectiveSubmitted =
  (deps: SlackDeps) =>
  async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const actor = actorOf(body);
    await deps.people.recognise(actor.teamId, actor.userId);
    const metadata = metadataOf<RetrospectiveMetadata>(view);
    const written = await writeRetrospective(deps.flow, actor, {
      engagementId: metadata?.engagementId ?? '',
      wentWell: entered(view, F.wentWell) ?? '',
      toChange: entered(view, F.toChange) ?? '',
    });
    if (!written.ok) {
      const block = written.field === 'toChange' ? F.toChange.block : F.wentWell.block;
      await ack(await fieldError(deps.people, block, written.message));
      return;
    }
    await ack();
    await sendDm(client, actor.userId, {
      text: `Thank you: the retrospective of ${engagementLabel(written.value)} is saved. The next owner on the same plan will see it.`,
    });
  };
