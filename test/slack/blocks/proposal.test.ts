import { describe, expect, it } from 'vitest';
import type { EngagementRow, ProposalRow, SkippedJson } from '../../../src/db/schema.js';
import { toProposalView, type ProposalView } from '../../../src/flows/proposing.js';
import {
  decidedProposalMessage,
  PROPOSAL_ACTIONS_BLOCK,
  proposalMessage,
} from '../../../src/slack/blocks/proposal.js';
import { ACTIONS } from '../../../src/slack/ids.js';
import { validateBlocks } from '../../../src/sandbox/emulator/blocks.js';

const engagement: EngagementRow = {
  id: '7',
  team_id: 'T1',
  number: 3,
  client_name: 'Acme <GmbH> & Co',
  channel_id: 'C0ACME',
  rotation_channel_id: 'C0ROT',
  starts_on: '2026-12-07',
  ends_on: '2027-01-04',
  template_id: '1',
  delivery_lead_id: 'U0BEN',
  client_channel_id: null,
  channel_shared: false,
  channel_checked: true,
  buddy_id: null,
  owner_id: null,
  status: 'awaiting_owner',
  risk: 'none',
  risk_note: null,
  notes: 'internal notes',
  created_by: 'U0LEAD',
  created_at: new Date('2026-12-01T10:00:00Z'),
  closed_at: null,
  kickoff_ts: null,
  owner_dm_channel_id: null,
  owner_dm_ts: null,
  hand_back_closes_at: null,
};

const proposal: ProposalRow = {
  id: '11',
  team_id: 'T1',
  engagement_id: '7',
  kind: 'owner',
  candidate_id: 'U0ANA',
  rank: 1,
  reasons: ['free for the whole engagement', 'no turn in the last 6 months'],
  skipped: [],
  why: null,
  outcome: 'pending',
  decided_by: null,
  decided_at: null,
  decision_note: null,
  channel_id: null,
  message_ts: null,
  buddy_id: null,
  buddy_reason: null,
  buddy_chosen_by: null,
  created_at: new Date('2026-12-01T10:00:00Z'),
  covers_owner_id: null,
  covers_from: null,
  covers_to: null,
};

const skip = (i: number, reason = 'at-capacity'): SkippedJson => ({
  userId: `U${i}`,
  name: `Person ${i}`,
  reason,
  text: 'at capacity: owns 2 overlapping engagements (capacity 2)',
});

// The rows above, as the flows hand them to the builders.
const view = (over: Partial<ProposalView> = {}): ProposalView => ({
  ...toProposalView(proposal, engagement, 'Ana Alves'),
  candidate: { userId: 'U0ANA', name: 'Ana Alves' },
  reasons: proposal.reasons,
  skipped: [
    skip(1),
    { userId: 'U0LEAD', name: 'Lee', reason: 'not-in-rotation', text: 'not in the rotation' },
  ],
  ...over,
});

const buttons = (blocks: unknown[]) =>
  blocks.flatMap((b) =>
    (
      (b as { elements?: { type: string; action_id?: string; value?: string; text?: { text: string } }[] })
        .elements ?? []
    ).filter((e) => e.type === 'button'),
  );

describe('proposalMessage', () => {
  it('proposes the candidate with reasons, skips and the three lead buttons carrying the proposal id', () => {
    const message = proposalMessage(view());
    expect(message.text).toBe('Owner proposal for #3 Acme &lt;GmbH&gt; &amp; Co: Ana Alves');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Who should own *#3 Acme &lt;GmbH&gt; &amp; Co*?');
    expect(text).toContain('*Proposed owner: <@U0ANA>*\\n• free for the whole engagement');
    expect(text).toContain('Person 1: at capacity');
    expect(text).not.toContain('not in the rotation');
    expect(text).toContain('*Notes*\\ninternal notes');
    expect(buttons(message.blocks).map((b) => [b.action_id, b.value, b.text?.text])).toEqual([
      [ACTIONS.approveOwner, '11', 'Approve Ana Alves'],
      [ACTIONS.proposeNext, '11', 'Pass over Ana Alves'],
      [ACTIONS.chooseOwner, '11', 'Choose someone else'],
    ]);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions', block_id: PROPOSAL_ACTIONS_BLOCK });
    expect(validateBlocks(message.blocks, '/blocks', 50)).toEqual([]);
  });

  it('offers only Choose someone when nobody is eligible, listing everyone with the reason', () => {
    const message = proposalMessage(
      view({ candidate: null, reasons: [], skipped: [skip(1), skip(2, 'mostly-away')] }),
    );
    expect(message.text).toContain('nobody is eligible');
    expect(JSON.stringify(message.blocks)).toContain('*Nobody is eligible.*');
    expect(buttons(message.blocks).map((b) => b.action_id)).toEqual([ACTIONS.chooseOwner]);
  });

  it('frames a handover with the current owner and why', () => {
    const message = proposalMessage(
      view({
        ...toProposalView(
          { ...proposal, kind: 'handover', why: '<@U0ANA> is away 21–31 Dec <!channel>' },
          { ...engagement, owner_id: 'U0ANA' },
          'Ana Alves',
        ),
      }),
    );
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(
      'Handover of *#3 Acme &lt;GmbH&gt; &amp; Co* from <@U0ANA>: who should take over?',
    );
    expect(text).toContain('Why: <@U0ANA> is away 21–31 Dec &lt;!channel&gt;');
    expect(buttons(message.blocks).map((b) => b.text?.text)).toEqual([
      'Approve Ana Alves',
      'Pass over Ana Alves',
      'Choose someone else',
      'Keep the current owner',
    ]);
  });

  it('lets a lead keep the current owner of a handover nobody can take', () => {
    const message = proposalMessage(
      view({
        ...toProposalView(
          { ...proposal, kind: 'handover', why: 'requested' },
          { ...engagement, owner_id: 'U0ANA' },
          null,
        ),
        candidate: null,
        reasons: [],
        skipped: [skip(1)],
      }),
    );
    expect(JSON.stringify(message.blocks)).toContain('or keep the current owner');
    expect(buttons(message.blocks).map((b) => [b.action_id, b.text?.text])).toEqual([
      [ACTIONS.chooseOwner, 'Choose someone'],
      [ACTIONS.keepOwner, 'Keep the current owner'],
    ]);
  });

  it('stays within Slack limits for a long name and a big team', () => {
    const message = proposalMessage(
      view({
        candidate: { userId: 'U0ANA', name: 'A'.repeat(120) },
        skipped: Array.from({ length: 60 }, (_, i) => skip(i)),
      }),
    );
    expect(validateBlocks(message.blocks, '/blocks', 50)).toEqual([]);
    for (const b of buttons(message.blocks)) expect(b.text?.text.length).toBeLessThanOrEqual(75);
    expect(JSON.stringify(message.blocks)).toContain('and 45 more');
  });
});

describe('decidedProposalMessage', () => {
  it.each([
    [
      { outcome: 'approved', by: 'U0LEAD', ownerId: 'U0ANA' },
      '<@U0ANA> is the owner, approved by <@U0LEAD>.',
    ],
    [
      {
        outcome: 'overridden',
        by: 'U0LEAD',
        ownerId: 'U0BEN',
        warning: 'Ben would not have been proposed: away.',
      },
      'chosen by hand by <@U0LEAD> (override)',
    ],
    [{ outcome: 'passed', by: 'U0LEAD' }, 'Passed over by <@U0LEAD>'],
    [
      { outcome: 'superseded', by: null, note: 'the engagement was closed' },
      'Superseded: the engagement was closed.',
    ],
  ] as const)('%o leaves no buttons and says what happened', (decision, says) => {
    const message = decidedProposalMessage(view(), decision);
    expect(buttons(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain(says);
    expect(validateBlocks(message.blocks, '/blocks', 50)).toEqual([]);
  });

  it('states what it was about instead of asking, once decided', () => {
    const decided = view();
    const message = decidedProposalMessage(
      { ...decided, proposal: { ...decided.proposal, outcome: 'approved' } },
      { outcome: 'approved', by: 'U0LEAD', ownerId: 'U0ANA' },
    );
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Owner of *#3 Acme &lt;GmbH&gt; &amp; Co*');
    expect(text).not.toContain('Who should own');
  });

  it('shows the override warning', () => {
    const message = decidedProposalMessage(view(), {
      outcome: 'overridden',
      by: 'U0LEAD',
      ownerId: 'U0BEN',
      warning: 'Ben would not have been proposed: away.',
    });
    expect(JSON.stringify(message.blocks)).toContain(':warning: Ben would not have been proposed: away.');
  });
});
