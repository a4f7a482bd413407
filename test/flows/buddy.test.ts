// The buddy flows: who a proposal names, what approval records when a lead chooses the owner by hand,
// and a lead's pick kept through that choice.
import { describe, expect, it } from 'vitest';
import { findEngagement } from '../../src/db/engagements.js';
import { listOutbox } from '../../src/db/outbox.js';
import { changeBuddy } from '../../src/flows/buddy.js';
import { createEngagement } from '../../src/flows/create-engagement.js';
import { approveProposal, chooseOwner } from '../../src/flows/decide-proposal.js';
import { reassignEngagement } from '../../src/flows/reassign.js';
import { recordTimeAway } from '../../src/flows/time-away.js';
import { useTestDatabase } from '../support/db.js';
import { asLead, clock, expectOk, flowDeps, ROTATION_CHANNEL, seedTeam, TEAM } from '../support/builders.js';

const database = useTestDatabase();
const time = clock('2026-12-01T10:00:00Z');
const deps = () => flowDeps(database.db, time.now);

async function newEngagement(client: string, channelId: string) {
  return expectOk(
    await createEngagement(deps(), asLead, {
      clientName: client,
      channelId,
      startsOn: '2026-12-07',
      commandChannelId: ROTATION_CHANNEL,
    }),
  );
}

/** Ana has owned #1; #2 is proposed to Ben, who has not owned one yet. */
async function secondProposedToBen() {
  const people = await seedTeam(deps(), ['ana', 'ben', 'cat']);
  const first = await newEngagement('Acme', 'C0ACME');
  expect(first.proposal.buddy).toEqual({
    userId: null,
    reason: 'nobody on the team has had a turn yet',
  });
  expectOk(await approveProposal(deps(), asLead, first.proposal.proposal.id));
  const second = await newEngagement('Beta', 'C0BETA');
  expect(second.proposal.candidate?.userId).toBe(people.ben);
  return { people, second };
}

describe('the buddy a proposal names', () => {
  it('is someone who has owned one, with the reason', async () => {
    const { people, second } = await secondProposedToBen();
    expect(second.proposal.buddy).toEqual({
      userId: people.ana,
      reason: 'first turn as owner; ana has run 1 engagement and not been a buddy yet',
    });
  });

  it('is nobody when the only one who has owned one is away over the start', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const first = await newEngagement('Acme', 'C0ACME');
    expectOk(await approveProposal(deps(), asLead, first.proposal.proposal.id));
    expectOk(
      await recordTimeAway(deps(), asLead, {
        userId: people.ana!,
        startsOn: '2026-12-07',
        endsOn: '2026-12-08',
      }),
    );
    const second = await newEngagement('Beta', 'C0BETA');
    expect(second.proposal.candidate?.userId).toBe(people.ben);
    expect(second.proposal.buddy).toMatchObject({ userId: null });
  });
});

describe('choosing the owner by hand', () => {
  it('gives a first-time owner chosen by hand a buddy of their own', async () => {
    const { people, second } = await secondProposedToBen();
    const chosen = expectOk(
      await chooseOwner(deps(), asLead, { proposalId: second.proposal.proposal.id, ownerId: people.cat! }),
    );
    expect(chosen.kind).toBe('owner');
    if (chosen.kind !== 'owner') return;
    expect(chosen.decision.buddy).toEqual({ userId: people.ana, name: 'ana' });
    expect((await findEngagement(database.db, TEAM, second.engagement.id))?.buddy_id).toBe(people.ana);
  });

  it("keeps a lead's pick of none", async () => {
    const { people, second } = await secondProposedToBen();
    expectOk(await changeBuddy(deps(), asLead, { number: 2, buddyId: null }));
    const chosen = expectOk(
      await chooseOwner(deps(), asLead, { proposalId: second.proposal.proposal.id, ownerId: people.cat! }),
    );
    expect(chosen.kind === 'owner' && chosen.decision.buddy).toBeNull();
    expect((await findEngagement(database.db, TEAM, second.engagement.id))?.buddy_id).toBeNull();
  });
});

describe('a new owner', () => {
  it("frees the one before's buddy, who hears it through the outbox", async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'cat']);
    const first = await newEngagement('Acme', 'C0ACME');
    expectOk(await approveProposal(deps(), asLead, first.proposal.proposal.id));
    const second = await newEngagement('Beta', 'C0BETA');
    expectOk(await approveProposal(deps(), asLead, second.proposal.proposal.id)); // Ben, buddy Ana
    const third = await newEngagement('Gamma', 'C0GAMMA');
    expect(third.proposal.candidate?.userId).toBe(people.cat);
    expectOk(await approveProposal(deps(), asLead, third.proposal.proposal.id)); // Cat has a turn now
    const handover = expectOk(await reassignEngagement(deps(), asLead, { number: 2 }));
    expectOk(
      await chooseOwner(deps(), asLead, {
        proposalId: handover.proposal.proposal.id,
        ownerId: people.cat!,
        override: true,
        reason: 'knows the client',
      }),
    );
    expect((await findEngagement(database.db, TEAM, second.engagement.id))?.buddy_id).toBeNull();
    expect((await listOutbox(database.db, TEAM)).filter((r) => r.kind === 'buddy-changed')).toEqual([
      expect.objectContaining({ channel_id: people.ana }),
    ]);
  });
});

describe('a closed engagement', () => {
  it('refuses a buddy', async () => {
    await seedTeam(deps(), ['ana']);
    const first = await newEngagement('Acme', 'C0ACME');
    await database.db
      .updateTable('engagements')
      .set({ status: 'closed' })
      .where('id', '=', first.engagement.id)
      .execute();
    expect(await changeBuddy(deps(), asLead, { number: 1, buddyId: null })).toMatchObject({
      ok: false,
      code: 'engagement-closed',
    });
  });
});
