import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { findEngagement, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { createEngagement } from '../../src/flows/create-engagement.js';
import { approveProposal } from '../../src/flows/decide-proposal.js';
import { closeEngagement } from '../../src/flows/engagement-status.js';
import { markDone, snooze } from '../../src/flows/milestones.js';
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
const time = clock('2026-12-07T10:00:00Z'); // a Monday, the start day
const deps = () => flowDeps(database.db, time.now);

async function activeEngagement() {
  const people = await seedTeam(deps(), ['ana', 'ben']);
  const created = expectOk(
    await createEngagement(deps(), asLead, {
      clientName: 'Acme',
      channelId: 'C0ACME',
      startsOn: '2026-12-07',
      commandChannelId: ROTATION_CHANNEL,
    }),
  );
  expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
  const milestones = await listMilestones(database.db, created.engagement.id);
  return { people, engagement: created.engagement, milestones };
}

describe('milestones', () => {
  it('lets the owner mark a milestone done, once', async () => {
    const { people, milestones } = await activeEngagement();
    const first = milestones[0]!;
    const done = expectOk(await markDone(deps(), as(people.ana!), first.id));
    expect(done.milestone).toMatchObject({ status: 'done', doneBy: people.ana });
    expect(await markDone(deps(), as(people.ana!), first.id)).toMatchObject({
      ok: false,
      code: 'already-done',
    });
  });

  it('refuses someone who is neither the owner nor a lead', async () => {
    const { people, milestones } = await activeEngagement();
    expect(await markDone(deps(), as(people.ben!), milestones[0]!.id)).toMatchObject({
      ok: false,
      code: 'not-owner-or-lead',
    });
    expect(await snooze(deps(), as(people.ben!), milestones[0]!.id)).toMatchObject({
      ok: false,
      code: 'not-owner-or-lead',
    });
  });

  it('closes the engagement when the last milestone is done', async () => {
    const { people, engagement, milestones } = await activeEngagement();
    let last;
    for (const m of milestones) last = expectOk(await markDone(deps(), as(people.ana!), m.id));
    expect(last?.closed).toBe(true);
    expect(await findEngagement(database.db, TEAM, engagement.id)).toMatchObject({ status: 'closed' });
    expect((await listEvents(database.db, TEAM, engagement.id)).at(-1)).toMatchObject({
      kind: 'closed',
      reason: 'all milestones done',
    });
  });

  it('closes the engagement when every milestone is done, even if a weekly status update was missed', async () => {
    const { people, engagement, milestones } = await activeEngagement();
    let last;
    for (const m of milestones.filter((m) => m.kind === 'milestone'))
      last = expectOk(await markDone(deps(), as(people.ana!), m.id));
    expect(last?.closed).toBe(true);
    expect(await findEngagement(database.db, TEAM, engagement.id)).toMatchObject({ status: 'closed' });
  });

  it("snoozes a milestone past the next business day's reminder", async () => {
    const { people, milestones } = await activeEngagement();
    time.set('2026-12-11T10:00:00Z'); // Friday
    const snoozed = expectOk(await snooze(deps(), as(people.ana!), milestones[1]!.id));
    expect(snoozed.until).toBe('2026-12-15'); // Monday's reminder leaves it out; Tuesday's has it
  });
});

describe('closing', () => {
  it('lets only a lead close an engagement, and only once', async () => {
    const { people, engagement } = await activeEngagement();
    expect(await closeEngagement(deps(), as(people.ana!), { engagementId: engagement.id })).toMatchObject({
      ok: false,
      code: 'not-a-lead',
    });
    expectOk(await closeEngagement(deps(), asLead, { engagementId: engagement.id, reason: 'client paused' }));
    expect(await closeEngagement(deps(), asLead, { engagementId: engagement.id })).toMatchObject({
      ok: false,
      code: 'already-closed',
    });
    expect(
      await markDone(deps(), asLead, (await listMilestones(database.db, engagement.id))[1]!.id),
    ).toMatchObject({
      ok: false,
      code: 'engagement-closed',
    });
  });
});

describe('the audit trail', () => {
  it('refuses to rewrite history', async () => {
    const { engagement } = await activeEngagement();
    await expect(
      sql`update events set reason = 'rewritten' where engagement_id = ${engagement.id}`.execute(database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from events`.execute(database.db)).rejects.toThrow(/append-only/);
  });
});
