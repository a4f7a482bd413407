// The Slack side effects more than one listener needs: retiring a proposal's buttons once decided, and
// sending the news of an owner decided. The messages themselves go out through the outbox (deps.sendNow).
import type { OwnerDecision } from '../flows/decide-proposal.js';
import { currentProposal } from '../flows/proposal-messages.js';
import type { ProposalView } from '../flows/proposing.js';
import type { Actor } from '../flows/context.js';
import type { Message } from './blocks/kit.js';
import { newsNotSentNote } from './blocks/ownership.js';
import { decidedProposalMessage, engagementLabel, type ProposalDecision } from './blocks/proposal.js';
import type { SlackDeps, WebClient } from './deps.js';

export interface PostedMessage {
  readonly channelId: string;
  readonly ts: string;
}

/** Where a proposal's message is: as recorded, else the message the click came from. */
function whereIs(proposal: ProposalView['proposal'], fallback?: PostedMessage | null): PostedMessage | null {
  return proposal.message ?? fallback ?? null;
}

/** Replaces a proposal's message with its decided form: no buttons left to click. */
export async function showDecision(
  client: WebClient,
  view: ProposalView,
  decision: ProposalDecision,
  fallback?: PostedMessage | null,
): Promise<void> {
  const where = whereIs(view.proposal, fallback);
  if (!where) return;
  const message = decidedProposalMessage(view, decision);
  await client.chat.update({
    channel: where.channelId,
    ts: where.ts,
    text: message.text,
    blocks: message.blocks,
  });
}

/**
 * A click on a proposal someone already decided (a double click, a second lead, an old message):
 * shows the message as it now stands, so nobody clicks a stale button again.
 */
export async function refreshStaleProposal(
  client: WebClient,
  deps: SlackDeps,
  actor: Actor,
  proposalId: string,
  fallback: PostedMessage | null,
): Promise<void> {
  const view = await currentProposal(deps.flow, actor, proposalId);
  if (!view || view.proposal.outcome === 'pending') return;
  const made = view.proposal.outcome === 'approved' || view.proposal.outcome === 'overridden';
  await showDecision(
    client,
    view,
    {
      outcome: view.proposal.outcome,
      by: view.proposal.decidedBy,
      ownerId: made ? view.engagement.ownerId : null,
      note: view.proposal.decisionNote,
    },
    fallback,
  );
}

/** Opens (or finds) the DM with a person and posts there. */
export async function sendDm(
  client: WebClient,
  userId: string,
  message: Pick<Message, 'text'> & Partial<Pick<Message, 'blocks'>>,
): Promise<PostedMessage> {
  const opened = await client.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error(`conversations.open gave no DM channel for ${userId}`);
  const posted = await client.chat.postMessage({
    channel: channelId,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
  });
  return { channelId, ts: posted.ts! };
}

/**
 * After an owner is decided: the proposal shows the decision at once, and the news (the owner's DM,
 * the kickoff, the released owner's DM, the client channel's summary, a buddy's DM), queued in the
 * decision's transaction, goes out through the outbox, which keeps where the DM and the kickoff land.
 * Both are tried even if one fails (the decision is already saved). What Slack refused for good is
 * told to the lead, with why; an error is rethrown after, so the lead hears that something went wrong;
 * what is only held up (a rate limit, Slack away) the outbox sends later.
 */
export async function announceOwner(
  client: WebClient,
  deps: SlackDeps,
  actor: Actor,
  decision: OwnerDecision,
  fallback: PostedMessage | null,
): Promise<void> {
  const [shown, sent] = await Promise.allSettled([
    showDecision(
      client,
      decision.decided,
      {
        outcome: decision.decided.proposal.outcome === 'overridden' ? 'overridden' : 'approved',
        by: actor.userId,
        ownerId: decision.owner.userId,
        warning: decision.warning,
      },
      fallback,
    ),
    deps.sendNow(decision.toSend),
  ]);
  // What Slack refused for good stays in the outbox as failed: the lead hears what and why.
  const failed = sent.status === 'fulfilled' ? sent.value.filter((r) => r.status === 'failed') : [];
  if (failed.length > 0) {
    deps.logger.warn({ failed }, 'some of the news of an owner was not sent');
    const label = engagementLabel(decision.decided.engagement);
    await sendDm(client, actor.userId, { text: newsNotSentNote(label, decision.owner.userId, failed) });
  }
  const failures = [shown, sent]
    .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
    .map((o) => o.reason as unknown);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, 'announcing the new owner failed in part');
}

/** The `error` of a Web API platform error (`{ ok: false, error }`), if that's what this is. */
export function slackError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
