import { describe, expect, it } from 'vitest';
import { createEngagement, type NewEngagementInput } from '../../src/flows/create-engagement.js';
import { approveProposal } from '../../src/flows/decide-proposal.js';
import {
  engagementByNumber,
  listOpenEngagements,
  myEngagements,
  newEngagementForm,
  teamOverview,
} from '../../src/flows/overview.js';
import { recordTimeAway } from '../../src/flows/time-away.js';
import { useTestDatabase } from '../support/db.js';
import { as, asLead, clock, expectOk, flowDeps, ROTATION_CHANNEL, seedTeam } from '../support/builders.js';

const database = useTestDatabase();
const time = clock('2026-12-01T10:00:00Z'); // a Tuesday
const deps = () => flowDeps(database.db, time.now);

const input = (over: Partial<NewEngagementInput> = {}): NewEngagementInput => ({
  clientName: 'Acme GmbH',
  channelId: 'C0ACME',
  startsOn: '2026-12-07',
  commandChannelId: ROTATION_CHANNEL,
  ...over,
});

async function owned(over: Partial<NewEngagementInput> = {}) {
  const created = expectOk(await createEngagement(deps(), asLead, input(over)));
  return expectOk(await approveProposal(deps(), asLead, created.proposal.proposal.id));
}

describe('the overview', () => {
  it('says the team is not set up yet', async () => {
    const listed = await listOpenEngagements(deps(), asLead);
    expect(listed).toMatchObject({ ok: false, code: 'unknown-team' });
  });

  it('lists open engagements with owner and next milestone, soonest first', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    await owned({ clientName: 'Later', channelId: 'C0LATER', startsOn: '2026-12-14' });
    expectOk(await createEngagement(deps(), asLead, input()));
    time.set('2026-12-09T10:00:00Z');
    const { engagements, today } = expectOk(await listOpenEngagements(deps(), asLead));
    expect(today).toBe('2026-12-09');
    expect(
      engagements.map((s) => [s.engagement.clientName, s.ownerName, s.nextMilestone?.dueOn, s.overdue]),
    ).toEqual([
      ['Acme GmbH', null, '2026-12-07', 1],
      ['Later', 'ana', '2026-12-14', 0],
    ]);
    expect(people.ana).toBeDefined();
  });

  it("shows each member's owned engagements against capacity, and time away ahead", async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'cat']);
    await owned();
    expectOk(
      await recordTimeAway(deps(), as(people.cat!), {
        userId: people.cat!,
        startsOn: '2026-12-01',
        endsOn: '2026-12-03',
      }),
    );
    const { workload } = expectOk(await teamOverview(deps(), asLead));
    expect(workload.map((m) => [m.name, m.owned.map((e) => e.number), m.capacity, m.away])).toEqual([
      ['ana', [1], 2, []],
      ['ben', [], 2, []],
      ['cat', [], 2, [{ startsOn: '2026-12-01', endsOn: '2026-12-03' }]],
    ]);
  });

  it('ranks the rotation queue for an engagement starting the next business day, with reasons', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben', 'cat']);
    await owned(); // ana owns one
    expectOk(
      await recordTimeAway(deps(), as(people.cat!), {
        userId: people.cat!,
        startsOn: '2026-12-01',
        endsOn: '2026-12-03',
      }),
    );
    const { queue } = expectOk(await teamOverview(deps(), asLead));
    expect([queue.startsOn, queue.endsOn]).toEqual(['2026-12-02', '2026-12-30']);
    expect(queue.ranked.map((c) => c.name)).toEqual(['ben', 'ana']);
    expect(queue.ranked[0]!.reasons.length).toBeGreaterThan(0);
    expect(queue.skipped.map((s) => [s.name, s.reason])).toEqual([
      ['Lee Lead', 'not-in-rotation'],
      ['cat', 'away-on-start'],
    ]);
  });

  it('lists my engagements with every open milestone', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    await owned();
    const mine = expectOk(await myEngagements(deps(), as(people.ana!)));
    expect(mine.owned).toHaveLength(1);
    expect(mine.owned[0]!.next.map((m) => m.dueOn)).toEqual([
      '2026-12-07',
      '2026-12-10',
      '2026-12-11',
      '2026-12-14',
      '2026-12-18',
      '2026-12-21',
      '2026-12-25',
      '2026-12-28',
      '2027-01-01',
      '2027-01-04',
    ]);
    expect(expectOk(await myEngagements(deps(), as(people.ben!))).owned).toEqual([]);
  });

  it('finds engagements by number, and what the modal starts from', async () => {
    await seedTeam(deps(), ['ana']);
    expectOk(await createEngagement(deps(), asLead, input()));
    expect(expectOk(await engagementByNumber(deps(), asLead, 1)).clientName).toBe('Acme GmbH');
    expect(await engagementByNumber(deps(), asLead, 2)).toMatchObject({
      ok: false,
      message: 'There is no engagement #2.',
    });
    const defaults = expectOk(await newEngagementForm(deps(), asLead));
    expect([defaults.startsOn, defaults.rotationChannelId, defaults.templates.map((t) => t.name)]).toEqual([
      '2026-12-02',
      ROTATION_CHANNEL,
      ['Standard 4-week plan'],
    ]);
    // Ids are bigints, kept as text as everywhere else: a select option's value must be a string.
    expect(defaults.templates[0]!.id).toMatch(/^\d+$/);
  });

  it('lets members and leads start engagements, and nobody else', async () => {
    const people = await seedTeam(deps(), ['ana']);
    expect(await newEngagementForm(deps(), as(people.ana!))).toMatchObject({ ok: true });
    expect(await newEngagementForm(deps(), asLead)).toMatchObject({ ok: true });
    expect(await newEngagementForm(deps(), as('U0STRANGER'))).toMatchObject({
      ok: false,
      code: 'not-on-team',
    });
  });
});
