import { describe, expect, it } from 'vitest';
import { findEngagement } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { listProposals } from '../../src/db/proposals.js';
import { createEngagement } from '../../src/flows/create-engagement.js';
import { approveProposal, chooseOwner, keepOwner, proposeNext } from '../../src/flows/decide-proposal.js';
import { handBack } from '../../src/flows/hand-back.js';
import { reassignEngagement } from '../../src/flows/reassign.js';
import { recordTimeAway } from '../../src/flows/time-away.js';
import { useTestDatabase } from '../support/db.js';
import {
  as,
  asLead,
  clock,
  expectOk,
  flowDeps,
  ROTATION_CHANNEL,
  seedTeam,
  TEAM,
} from '../support/builders.js';

const database = useTestDatabase();
const time = clock('2026-12-01T10:00:00Z');
const deps = () => flowDeps(database.db, time.now);

async function newEngagement(over: { deliveryLeadId?: string } = {}) {
  return expectOk(
    await createEngagement(deps(), asLead, {
      clientName: 'Acme',
      channelId: 'C0ACME',
      startsOn: '2026-12-07',
      commandChannelId: ROTATION_CHANNEL,
      ...over,
    }),
  );
}

describe('approving an owner', () => {
  it('makes the candidate the owner and records who approved', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    const decision = expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    expect(decision.owner.userId).toBe(people.ana);
    // The owner's DM and the kickoff are queued with the decision, to be sent at once.
    expect(decision.toSend.map((m) => m.key.split(':')[0])).toEqual(
      expect.arrayContaining(['owner-dm', 'kickoff']),
    );
    expect(await findEngagement(database.db, TEAM, created.engagement.id)).toMatchObject({
      owner_id: people.ana,
      status: 'active',
    });
    const approved = (await listEvents(database.db, TEAM, created.engagement.id)).at(-1);
    expect(approved).toMatchObject({ kind: 'approved', actor_id: asLead.userId });
  });

  it('refuses a member who is not a lead and changes nothing', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    const result = await approveProposal(deps(), as(people.ben!), created.proposal.proposal.id);
    expect(result).toMatchObject({ ok: false, code: 'not-a-lead' });
    expect((await findEngagement(database.db, TEAM, created.engagement.id))?.owner_id).toBeNull();
  });

  it('approves once when the button is clicked twice at the same moment', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    const id = created.proposal.proposal.id;
    const results = await Promise.all([
      approveProposal(deps(), asLead, id),
      approveProposal(deps(), asLead, id),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: 'already-decided' });
    const approvals = (await listEvents(database.db, TEAM, created.engagement.id)).filter(
      (e) => e.kind === 'approved',
    );
    expect(approvals).toHaveLength(1);
  });

  it('explains a proposal from another workspace as unknown', async () => {
    await seedTeam(deps(), ['ana']);
    const created = await newEngagement();
    const result = await approveProposal(
      deps(),
      { teamId: 'T0OTHER', userId: 'U0LEAD' },
      created.proposal.proposal.id,
    );
    expect(result.ok).toBe(false);
  });
});

describe('a proposal that waited', () => {
  it('is not approved for a candidate who has since become unavailable', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    expectOk(
      await recordTimeAway(deps(), as(people.ana!), {
        userId: people.ana!,
        startsOn: '2026-12-07',
        endsOn: '2026-12-09',
      }),
    );
    const result = await approveProposal(deps(), asLead, created.proposal.proposal.id);
    expect(result).toMatchObject({ ok: false, code: 'candidate-unavailable' });
    expect((await findEngagement(database.db, TEAM, created.engagement.id))?.owner_id).toBeNull();
  });
});

describe('propose next', () => {
  it('moves to the next candidate and never proposes the passed one again', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'cat']);
    const created = await newEngagement();
    const second = expectOk(await proposeNext(deps(), asLead, created.proposal.proposal.id));
    expect(second.next.candidate?.userId).toBe(people.ben);
    const third = expectOk(await proposeNext(deps(), asLead, second.next.proposal.id));
    expect(third.next.candidate?.userId).toBe(people.cat);
    const fourth = expectOk(await proposeNext(deps(), asLead, third.next.proposal.id));
    expect(fourth.next.candidate).toBeNull();
    expect(
      fourth.next.skipped
        .filter((s) => s.reason === 'passed-over')
        .map((s) => s.userId)
        .sort(),
    ).toEqual([people.ana, people.ben, people.cat].sort());
  });
});

describe('choosing someone else', () => {
  it('asks to confirm an override first, then wants a reason, then records it with the warning', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    const pick = { proposalId: created.proposal.proposal.id, ownerId: asLead.userId };
    // The lead is not in the rotation: reason enough for the rotation to skip her.
    expect(expectOk(await chooseOwner(deps(), asLead, { ...pick, reason: 'knows them' }))).toEqual({
      kind: 'confirm-override',
      name: 'Lee Lead',
      why: expect.stringContaining('not in the rotation'),
    });
    expect(await chooseOwner(deps(), asLead, { ...pick, override: true })).toMatchObject({
      ok: false,
      code: 'missing-reason',
      field: 'reason',
    });
    const unchanged = (await listEvents(database.db, TEAM, created.engagement.id)).map((e) => e.kind);
    expect(unchanged).not.toContain('overridden');
    expect((await findEngagement(database.db, TEAM, created.engagement.id))?.owner_id).toBeNull();

    const chosen = expectOk(
      await chooseOwner(deps(), asLead, { ...pick, override: true, reason: 'knows the client' }),
    );
    if (chosen.kind !== 'owner') throw new Error(`expected an owner, got ${chosen.kind}`);
    expect(chosen.decision.warning).toMatch(/would not have been proposed/);
    const events = await listEvents(database.db, TEAM, created.engagement.id);
    expect(events.at(-1)).toMatchObject({ kind: 'overridden' });
  });

  it('records a plain approval when the chosen person is eligible', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    const chosen = expectOk(
      await chooseOwner(deps(), asLead, { proposalId: created.proposal.proposal.id, ownerId: people.ben! }),
    );
    if (chosen.kind !== 'owner') throw new Error(`expected an owner, got ${chosen.kind}`);
    expect(chosen.decision.warning).toBeNull();
    expect(chosen.decision.owner.userId).toBe(people.ben);
  });

  it('refuses the delivery lead even when a lead chooses by hand, by name', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement({ deliveryLeadId: people.ben! });
    const result = await chooseOwner(deps(), asLead, {
      proposalId: created.proposal.proposal.id,
      ownerId: people.ben!,
    });
    expect(result).toMatchObject({ ok: false, code: 'delivery-lead', field: 'owner' });
    expect(!result.ok && result.message).toMatch(/^ben is the delivery lead/);
  });
});

describe('handing back and reassigning', () => {
  it('lets the owner hand back within a business day, with a reason, and proposes someone else', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    time.set('2026-12-02T16:00:00Z'); // the next business day
    const { next } = expectOk(
      await handBack(deps(), as(people.ana!), {
        engagementId: created.engagement.id,
        reason: 'on another launch',
      }),
    );
    expect(next.candidate?.userId).toBe(people.ben);
    expect(await findEngagement(database.db, TEAM, created.engagement.id)).toMatchObject({
      owner_id: null,
      status: 'awaiting_owner',
    });
    const declined = (await listEvents(database.db, TEAM, created.engagement.id)).find(
      (e) => e.kind === 'declined',
    );
    expect(declined).toMatchObject({ actor_id: people.ana, reason: 'on another launch' });
  });

  it('records the next owner after a hand-back as taking over from the one who handed it back', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    const { next } = expectOk(
      await handBack(deps(), as(people.ana!), { engagementId: created.engagement.id, reason: 'ill' }),
    );
    const decision = expectOk(await approveProposal(deps(), asLead, next.proposal.id));
    expect(decision).toMatchObject({ owner: { userId: people.ben }, previousOwnerId: people.ana });
    expect((await listEvents(database.db, TEAM, created.engagement.id)).at(-1)).toMatchObject({
      kind: 'reassigned',
    });
  });

  it('refuses a hand-back after the first business day, and one without a reason', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    expect(
      await handBack(deps(), as(people.ana!), { engagementId: created.engagement.id, reason: ' ' }),
    ).toMatchObject({
      ok: false,
      field: 'reason',
    });
    time.set('2026-12-03T10:00:00Z');
    expect(
      await handBack(deps(), as(people.ana!), { engagementId: created.engagement.id, reason: 'busy' }),
    ).toMatchObject({
      ok: false,
      code: 'too-late',
    });
  });

  it('reassigns through a handover proposal that a lead approves, recorded as a reassignment', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    const { proposal: handover } = expectOk(
      await reassignEngagement(deps(), asLead, {
        engagementId: created.engagement.id,
        why: 'ana moves team',
      }),
    );
    expect(handover.proposal.kind).toBe('handover');
    expect(handover.candidate?.userId).toBe(people.ben);
    const decision = expectOk(await approveProposal(deps(), asLead, handover.proposal.id));
    expect(decision).toMatchObject({ previousOwnerId: people.ana, owner: { userId: people.ben } });
    const [last, paired] = (await listEvents(database.db, TEAM, created.engagement.id)).slice(-2);
    expect(last).toMatchObject({
      kind: 'reassigned',
      data: expect.objectContaining({ previousOwnerId: people.ana }),
    });
    // Ben's first turn: Ana, who has run it, is his buddy.
    expect(paired).toMatchObject({
      kind: 'buddy.paired',
      data: { buddyId: people.ana, ownerId: people.ben },
    });
    expect(decision.buddy).toEqual({ userId: people.ana, name: expect.any(String) });
    expect((await listProposals(database.db, created.engagement.id)).map((p) => p.outcome)).toEqual([
      'approved',
      'approved',
    ]);
  });

  it('lets a lead turn a handover down: the owner stays and the proposal is closed', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    const { proposal: handover } = expectOk(
      await reassignEngagement(deps(), asLead, { engagementId: created.engagement.id }),
    );
    expect(await keepOwner(deps(), as(people.ben!), handover.proposal.id)).toMatchObject({
      ok: false,
      code: 'not-a-lead',
    });
    expectOk(await keepOwner(deps(), asLead, handover.proposal.id));
    expect(await findEngagement(database.db, TEAM, created.engagement.id)).toMatchObject({
      owner_id: people.ana,
    });
    expect((await listProposals(database.db, created.engagement.id)).map((p) => p.outcome)).toEqual([
      'approved',
      'dismissed',
    ]);
    expect((await listEvents(database.db, TEAM, created.engagement.id)).at(-1)).toMatchObject({
      kind: 'handover.dismissed',
    });
    // And nothing stops a later handover.
    expectOk(await reassignEngagement(deps(), asLead, { engagementId: created.engagement.id }));
  });

  it('refuses to turn down a first-owner proposal', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    expect(await keepOwner(deps(), asLead, created.proposal.proposal.id)).toMatchObject({
      ok: false,
      code: 'not-a-handover',
    });
  });

  it("ranks a handover over the days still to come, not the engagement's first days", async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'cat']);
    const created = await newEngagement();
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    // Ben was away over the start; by the time ana hands over, he is back.
    expectOk(
      await recordTimeAway(deps(), asLead, {
        userId: people.ben!,
        startsOn: '2026-12-07',
        endsOn: '2026-12-08',
      }),
    );
    time.set('2026-12-14T10:00:00Z');
    const { proposal: handover } = expectOk(
      await reassignEngagement(deps(), asLead, { engagementId: created.engagement.id }),
    );
    expect(handover.candidate?.userId).toBe(people.ben);
  });

  it('refuses to reassign an engagement with no owner yet', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement();
    const result = await reassignEngagement(deps(), asLead, { engagementId: created.engagement.id });
    expect(result.ok).toBe(false);
  });
});
