// Where proposal messages live in Slack, so a decision can update the message in place and a click
// on a stale message can show what actually happened.
import type { Db } from '../db/connect.js';
import { findEngagement } from '../db/engagements.js';
import { findProposal, recordProposalMessage } from '../db/proposals.js';
import { fail, type Result } from '../domain/result.js';
import { viewProposal, type ProposalView } from './proposing.js';
import { requireLead, type Actor, type FlowDeps } from './context.js';

/**
 * Remembers the channel and ts proposals were posted at (the outbox sender calls it in the transaction
 * that settles their rows). Proposals are few: one update each is fine, and a decision can then
 * update the message in place.
 */
export async function proposalsPosted(
  db: Db,
  posted: readonly { proposalId: string; channelId: string; ts: string }[],
): Promise<void> {
  for (const p of posted) await recordProposalMessage(db, p.proposalId, p.channelId, p.ts);
}

/** A proposal as it stands now (decided or not), with its engagement; undefined if not this team's. */
export async function currentProposal(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<ProposalView | undefined> {
  const proposal = await findProposal(deps.db, actor.teamId, proposalId);
  if (!proposal) return undefined;
  const engagement = await findEngagement(deps.db, actor.teamId, proposal.engagement_id);
  return engagement ? viewProposal(deps.db, proposal, engagement) : undefined;
}

export type ProposalToChooseFailure = 'not-a-lead' | 'unknown-proposal' | 'already-decided';

/** The pending proposal a lead is about to choose someone for by hand (the modal shows it). */
export async function proposalToChoose(
  deps: FlowDeps,
  actor: Actor,
  proposalId: string,
): Promise<Result<ProposalView, ProposalToChooseFailure>> {
  const view = await currentProposal(deps, actor, proposalId);
  const lead = await requireLead(
    deps.db,
    actor,
    view?.proposal.kind === 'stand-in' ? 'choose a stand-in' : 'choose an owner',
  );
  if (!lead.ok) return lead;
  if (!view) return fail('unknown-proposal', 'That proposal no longer exists.');
  if (view.proposal.outcome !== 'pending')
    return fail('already-decided', 'This proposal was already decided.');
  return { ok: true, value: view };
}
