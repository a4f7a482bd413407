// The retrospective modal's submission: saved once, recorded; a field error for what is missing.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { ViewResponseAction } from '@slack/bolt';
import { writeRetrospective, type WriteRetrospectiveFailure } from '../../flows/retrospective.js';
import { retrospectiveNotice, type RetrospectiveMetadata } from '../blocks/closing.js';
import { engagementLabel } from '../blocks/proposal.js';
import { actorOf, type SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { RETROSPECTIVE_FIELDS as F, VIEWS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { fieldError } from './field-errors.js';
import { entered, metadataOf } from './state.js';

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

export function register(app: Listeners, deps: SlackDeps): void {
  app.view(VIEWS.retrospective, retrospectiveSubmitted(deps));
}

/**
 * What the person sees for each refusal: one they can fix goes under its field, with what they typed
 * kept; one the modal can't fix (written meanwhile, not theirs, not closed, gone) takes the modal's
 * place, saying why.
 */
async function refusal(
  deps: SlackDeps,
  failure: { code: WriteRetrospectiveFailure; message: string; field?: string },
): Promise<ViewResponseAction> {
  switch (failure.code) {
    case 'missing-went-well':
      return fieldError(deps.people, F.wentWell.block, failure.message);
    case 'missing-to-change':
      return fieldError(deps.people, F.toChange.block, failure.message);
    case 'too-long':
      return fieldError(
        deps.people,
        failure.field === 'toChange' ? F.toChange.block : F.wentWell.block,
        failure.message,
      );
    case 'already-written':
    case 'not-closed':
    case 'not-owner-or-lead':
    case 'unknown-engagement':
      return { response_action: 'update', view: retrospectiveNotice(failure.message) };
  }
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
      await ack(await refusal(deps, written));
      return;
    }
    await ack();
    await sendDm(client, actor.userId, {
      text: `Thank you: the retrospective of ${engagementLabel(written.value)} is saved. The next owner on the same plan will see it.`,
    });
  };
