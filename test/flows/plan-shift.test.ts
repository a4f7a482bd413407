import { describe, expect, it } from 'vitest';
import { findEngagement, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { createEngagement } from '../../src/flows/create-engagement.js';
import { approveProposal } from '../../src/flows/decide-proposal.js';
import { markDone } from '../../src/flows/milestones.js';
import { shiftPlan } from '../../src/flows/plan-shift.js';
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
  const owner = (await findEngagement(database.db, TEAM, created.engagement.id))!.owner_id!;
  const other = Object.values(people).find((p) => p !== owner)!;
  return { owner, other, engagement: created.engagement, milestones };
}

const titled = <M extends { title: string }>(milestones: M[], start: string): M =>
  milestones.find((m) => m.title.startsWith(start))!;

describe('shifting a plan', () => {
  it('moves the remaining milestones from the chosen one, and the end with them; recorded', async () => {
    const { owner, engagement, milestones } = await activeEngagement();
    expectOk(await markDone(deps(), as(owner), milestones[0]!.id));
    const acceptance = titled(milestones, 'Client acceptance');
    const shifted = expectOk(
      await shiftPlan(deps(), as(owner), {
        engagementId: engagement.id,
        fromMilestoneId: acceptance.id,
        days: 3,
      }),
    );
    expect(shifted.line).toBe(
      'Plan shifted 3 business days later from Client acceptance test passed: the engagement now ends Thu 7 Jan.',
    );
    const after = await listMilestones(database.db, engagement.id);
    expect(titled(after, 'Client acceptance').due_on).toBe('2026-12-30');
    expect(titled(after, 'Go-live').due_on).toBe('2027-01-06');
    expect(titled(after, 'Client inputs').due_on).toBe('2026-12-10');
    expect((await findEngagement(database.db, TEAM, engagement.id))!.ends_on).toBe('2027-01-07');
    const events = await listEvents(database.db, TEAM, engagement.id);
    expect(events.filter((e) => e.kind === 'milestone.shifted')).toHaveLength(1);
    // The engagement channel's line waits in the outbox, once.
    const queued = await database.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'plan-changed')
      .execute();
    expect(queued.map((r) => [r.idempotency_key, r.channel_id])).toEqual([
      [shifted.toSend[0]!.key, 'C0ACME'],
    ]);
  });

  it('refuses anyone but the owner or a lead, and bad numbers, changing nothing', async () => {
    const { other, owner, engagement, milestones } = await activeEngagement();
    const acceptance = titled(milestones, 'Client acceptance');
    const input = { engagementId: engagement.id, fromMilestoneId: acceptance.id };
    expect(await shiftPlan(deps(), as(other), { ...input, days: 3 })).toMatchObject({
      ok: false,
      code: 'not-owner-or-lead',
    });
    expect(await shiftPlan(deps(), as(owner), { ...input, days: 0 })).toMatchObject({
      ok: false,
      field: 'days',
    });
    expect(await shiftPlan(deps(), asLead, { ...input, days: -20 })).toMatchObject({
      ok: false,
      field: 'days',
    });
    expect(await listMilestones(database.db, engagement.id)).toEqual(milestones);
  });
});
