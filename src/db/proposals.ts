import type { Db } from './connect.js';
import type { ProposalKind, ProposalOutcome, ProposalRow, SkippedJson } from './schema.js';

export async function insertProposal(
  db: Db,
  proposal: {
    teamId: string;
    engagementId: string;
    kind: ProposalKind;
    candidateId: string | null;
    rank: number | null;
    reasons: readonly string[];
    skipped: readonly SkippedJson[];
    why: string | null;
    createdAt: Date;
    /** A stand-in's: whose days, which days. */
    covers?: { ownerId: string; from: string; to: string };
    /** A first-time candidate's buddy (`buddyId` null: nobody), and why. */
    buddy?: { buddyId: string | null; reason: string } | null;
  },
): Promise<ProposalRow> {
  return db
    .insertInto('proposals')
    .values({
      team_id: proposal.teamId,
      engagement_id: proposal.engagementId,
      kind: proposal.kind,
      candidate_id: proposal.candidateId,
      rank: proposal.rank,
      reasons: JSON.stringify(proposal.reasons),
      skipped: JSON.stringify(proposal.skipped),
      why: proposal.why,
      buddy_id: proposal.buddy?.buddyId ?? null,
      buddy_reason: proposal.buddy?.reason ?? null,
      created_at: proposal.createdAt,
      covers_owner_id: proposal.covers?.ownerId ?? null,
      covers_from: proposal.covers?.from ?? null,
      covers_to: proposal.covers?.to ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findProposal(
  db: Db,
  teamId: string,
  proposalId: string,
): Promise<ProposalRow | undefined> {
  if (!/^\d+$/.test(proposalId)) return undefined;
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', proposalId)
    .executeTakeFirst();
}

export async function findPendingProposal(db: Db, engagementId: string): Promise<ProposalRow | undefined> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('engagement_id', '=', engagementId)
    .where('outcome', '=', 'pending')
    .executeTakeFirst();
}

export async function listProposals(db: Db, engagementId: string): Promise<ProposalRow[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('engagement_id', '=', engagementId)
    .orderBy('id')
    .execute();
}

/** Decides a pending proposal; false if it was no longer pending (someone decided first). */
export async function decideProposal(
  db: Db,
  proposalId: string,
  decision: {
    outcome: Exclude<ProposalOutcome, 'pending'>;
    by: string | null;
    at: Date;
    note?: string | null;
    /**
     * A lead chose someone else by hand: they become the candidate the message shows, without the
     * ranking's reasons (the `proposed` event keeps who was ranked first).
     */
    chosen?: string;
  },
): Promise<boolean> {
  const updated = await db
    .updateTable('proposals')
    .set({
      outcome: decision.outcome,
      decided_by: decision.by,
      decided_at: decision.at,
      decision_note: decision.note ?? null,
      ...(decision.chosen ? { candidate_id: decision.chosen, rank: null, reasons: JSON.stringify([]) } : {}),
    })
    .where('id', '=', proposalId)
    .where('outcome', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Where the proposal was posted, so a decision can update the message in place. */
export async function recordProposalMessage(
  db: Db,
  proposalId: string,
  channelId: string,
  ts: string,
): Promise<void> {
  await db
    .updateTable('proposals')
    .set({ channel_id: channelId, message_ts: ts })
    .where('id', '=', proposalId)
    .execute();
}
