// The Slack side effects more than one listener needs: posting a proposal where the leads decide,
// retiring its buttons once decided, and telling people who owns what.
import type { ProposalRow } from '../db/schema.js';
import type { OwnerDecision } from '../flows/decide-proposal.js';
import { currentProposal, proposalPosted } from '../flows/proposal-messages.js';
import type { ProposalView } from '../flows/proposing.js';
import type { Actor } from '../flows/context.js';
import type { Message } from './blocks/kit.js';
import { kickoffMessage, ownerDm, releasedDm } from './blocks/ownership.js';
import { decidedProposalMessage, proposalMessage, type ProposalDecision } from './blocks/proposal.js';
import type { SlackDeps, WebClient } from './deps.js';

export interface PostedMessage {
  readonly channelId: string;
  readonly ts: string;
}

/**
 * Posts a proposal in the engagement's rotation channel, never the engagement's own channel (it may
 * be shared with the client), and remembers where, so the decision can update it in place.
 */
export async function postProposal(
  client: WebClient,
  deps: SlackDeps,
  view: ProposalView,
): Promise<PostedMessage> {
  const message = proposalMessage(view);
  const posted = await client.chat.postMessage({
    channel: view.engagement.rotation_channel_id,
    text: message.text,
    blocks: message.blocks,
  });
  const ref = { channelId: posted.channel ?? view.engagement.rotation_channel_id, ts: posted.ts! };
  await proposalPosted(deps.flow, view.proposal.id, ref);
  return ref;
}

/** Where a proposal's message is: as recorded, else the message the click came from. */
function whereIs(proposal: ProposalRow, fallback?: PostedMessage | null): PostedMessage | null {
  if (proposal.channel_id && proposal.message_ts)
    return { channelId: proposal.channel_id, ts: proposal.message_ts };
  return fallback ?? null;
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
      by: view.proposal.decided_by,
      ownerId: made ? view.engagement.owner_id : null,
      note: view.proposal.decision_note,
    },
    fallback,
  );
}

/** The decided proposal as its message should now read (the engagement as it was when proposed). */
export function decidedView(decision: OwnerDecision): ProposalView {
  return {
    proposal: decision.proposal,
    engagement: { ...decision.engagement, owner_id: decision.previousOwnerId },
    candidate: decision.proposal.candidate_id ? { userId: decision.proposal.candidate_id, name: '' } : null,
    reasons: decision.proposal.reasons,
    skipped: decision.proposal.skipped,
  };
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
 * After an owner is decided: the proposal shows the decision, the owner hears it in a DM with the
 * plan, the engagement channel gets the kickoff (or the handover), the previous owner is released.
 * Each is tried even if another fails (the decision is already saved); any failure is rethrown after,
 * so the lead hears that something didn't go out.
 */
export async function announceOwner(
  client: WebClient,
  actor: Actor,
  decision: OwnerDecision,
  fallback: PostedMessage | null,
): Promise<void> {
  const news = {
    engagement: decision.engagement,
    ownerId: decision.owner.userId,
    decidedBy: actor.userId,
    previousOwnerId: decision.previousOwnerId,
    milestones: decision.milestones,
  };
  const kickoff = kickoffMessage(news);
  const outcomes = await Promise.allSettled([
    showDecision(
      client,
      decidedView(decision),
      {
        outcome: decision.proposal.outcome === 'overridden' ? 'overridden' : 'approved',
        by: actor.userId,
        ownerId: decision.owner.userId,
        warning: decision.warning,
      },
      fallback,
    ),
    sendDm(client, decision.owner.userId, ownerDm(news)),
    client.chat.postMessage({
      channel: decision.engagement.channel_id,
      text: kickoff.text,
      blocks: kickoff.blocks,
    }),
    decision.previousOwnerId && decision.previousOwnerId !== decision.owner.userId
      ? sendDm(client, decision.previousOwnerId, releasedDm(decision.engagement, decision.owner.userId))
      : Promise.resolve(),
  ]);
  const failures = outcomes
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
