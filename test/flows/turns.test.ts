import { describe, expect, it } from 'vitest';
import { findMember } from '../../src/db/members.js';
import { findEngagement } from '../../src/db/engagements.js';
import { listPeriods } from '../../src/db/ownership-periods.js';
import { createEngagement } from '../../src/flows/create-engagement.js';
import { approveProposal, proposeNext } from '../../src/flows/decide-proposal.js';
import { close } from '../../src/flows/milestones.js';
import { handBack } from '../../src/flows/hand-back.js';
import { reassignEngagement } from '../../src/flows/reassign.js';
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

async function newEngagement(client: string, startsOn = '2026-12-07') {
  return expectOk(
    await createEngagement(deps(), asLead, {
      clientName: client,
      channelId: `C0${client.toUpperCase()}`,
      startsOn,
      commandChannelId: ROTATION_CHANNEL,
    }),
  );
}

const inRotationSkipped = (skipped: readonly { reason: string }[]) =>
  skipped.filter((s) => s.reason !== 'not-in-rotation');

const periods = async () =>
  (await listPeriods(database.db, TEAM)).map((p) => [p.ownerId, p.startsOn, p.endsOn]);

describe('batch planning: pending proposals are tentative turns', () => {
  it('proposes four different people for four engagements created back to back, and approving all four makes four owners', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'chloe', 'dev', 'elif']);
    const created = [];
    for (const client of ['Acme', 'Globex', 'Initech', 'Umbrella']) created.push(await newEngagement(client));
    const proposed = created.map((c) => c.proposal.candidate?.userId);
    expect(new Set(proposed).size).toBe(4);
    expect(proposed).toEqual([people.ana, people.ben, people.chloe, people.dev]);
    // The second proposal says why Ben and not Ana: Ana is already proposed for #1.
    expect(inRotationSkipped(created[1]!.proposal.skipped)).toEqual([]);
    expect(created[1]!.proposal.reasons.join(' ')).not.toContain('load 0');

    for (const c of created) expectOk(await approveProposal(deps(), asLead, c.proposal.proposal.id));
    expect((await periods()).map(([owner]) => owner).sort()).toEqual(
      [people.ana, people.ben, people.chloe, people.dev].sort(),
    );
  });

  it("says in the candidate's reasons that another proposal for them awaits a lead", async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    await newEngagement('Acme');
    await newEngagement('Globex');
    const third = await newEngagement('Initech');
    // Both are proposed once already; Ana's pending #1 shows as load on the same days.
    expect(third.proposal.candidate?.userId).toBe(people.ana);
    expect(third.proposal.reasons.join(' | ')).toContain('proposed for #1 Acme, awaiting a lead');
  });

  it('lets the weight go when the proposal is passed over', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'chloe']);
    const first = await newEngagement('Acme');
    const passed = expectOk(await proposeNext(deps(), asLead, first.proposal.proposal.id));
    expect(passed.next.candidate?.userId).toBe(people.ben);
    const second = await newEngagement('Globex');
    expect(second.proposal.candidate?.userId).toBe(people.ana);
    expect(inRotationSkipped(second.proposal.skipped)).toEqual([]);
  });
});

describe('turns are ownership periods', () => {
  it('starts a turn on approval, from the engagement start', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement('Acme');
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    expect(await periods()).toEqual([[people.ana, '2026-12-07', created.plan.endsOn]]);
    expect((await findMember(database.db, TEAM, people.ana!))?.turns_count).toBe(1);
  });

  it('leaves no turn after a hand-back within the first business day', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement('Acme');
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    const { next } = expectOk(
      await handBack(deps(), as(people.ana!), { engagementId: created.engagement.id, reason: 'too busy' }),
    );
    expect(await periods()).toEqual([]);
    expect((await findMember(database.db, TEAM, people.ana!))?.turns_count).toBe(0);
    expect(next.skipped).toContainEqual(
      expect.objectContaining({ userId: people.ana, reason: 'handed-back', text: 'handed it back' }),
    );
  });

  it("ends the old owner's turn and starts the new owner's on the day of a takeover", async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = await newEngagement('Acme');
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    time.set('2026-12-15T10:00:00Z');
    const { proposal: handover } = expectOk(
      await reassignEngagement(deps(), asLead, { engagementId: created.engagement.id, why: 'moved team' }),
    );
    expect(handover.skipped).toContainEqual(
      expect.objectContaining({ userId: people.ana, reason: 'current-owner', text: 'owns it now' }),
    );
    expectOk(await approveProposal(deps(), asLead, handover.proposal.id));
    expect(await periods()).toEqual([
      [people.ana, '2026-12-07', '2026-12-14'],
      [people.ben, '2026-12-15', created.plan.endsOn],
    ]);
  });

  it('makes a member who just took over the last in the queue, not the first', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'chloe']);
    const first = await newEngagement('Acme');
    expectOk(await approveProposal(deps(), asLead, first.proposal.proposal.id)); // Ana
    const second = await newEngagement('Globex', '2026-12-21');
    expectOk(await approveProposal(deps(), asLead, second.proposal.proposal.id)); // Ben
    time.set('2026-12-16T10:00:00Z');
    const { proposal: handover } = expectOk(
      await reassignEngagement(deps(), asLead, { engagementId: first.engagement.id }),
    );
    expect(handover.candidate?.userId).toBe(people.chloe);
    expectOk(await approveProposal(deps(), asLead, handover.proposal.id));
    // Chloé's turn started today: Ana (whose turn ended) is ahead of her for the next one.
    const third = await newEngagement('Initech', '2027-03-01');
    expect(third.proposal.candidate?.userId).toBe(people.ana);
  });

  it('ends the turn when the engagement is closed early', async () => {
    const people = await seedTeam(deps(), ['ana']);
    const created = await newEngagement('Acme');
    expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
    time.set('2026-12-10T10:00:00Z');
    await close(
      database.db,
      time.now(),
      { ...(await findEngagement(database.db, TEAM, created.engagement.id))!, owner_id: people.ana! },
      asLead.userId,
      'done',
    );
    expect(await periods()).toEqual([[people.ana, '2026-12-07', '2026-12-10']]);
  });
});
