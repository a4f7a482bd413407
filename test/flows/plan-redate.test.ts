import { describe, expect, it } from 'vitest';
import { listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { updateTeam } from '../../src/db/teams.js';
import { createEngagement } from '../../src/flows/create-engagement.js';
import { redateMilestones, redateOffer } from '../../src/flows/plan-redate.js';
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
const time = clock('2026-12-07T10:00:00Z');
const deps = () => flowDeps(database.db, time.now);

const dueOf = async (engagementId: string, start: string) =>
  (await listMilestones(database.db, engagementId)).find((m) => m.title.startsWith(start))!.due_on;

describe('re-dating after the holidays change', () => {
  it('offers, then on a lead click moves the acceptance test off 25 December and go-live off 1 January', async () => {
    const people = await seedTeam(deps(), ['ana', 'ben']);
    const created = expectOk(
      await createEngagement(deps(), asLead, {
        clientName: 'Acme',
        channelId: 'C0ACME',
        startsOn: '2026-12-07',
        commandChannelId: ROTATION_CHANNEL,
      }),
    );
    const id = created.engagement.id;
    expect(await dueOf(id, 'Client acceptance')).toBe('2026-12-25');
    expect(await dueOf(id, 'Go-live')).toBe('2027-01-01');
    expect(await redateOffer(deps(), TEAM)).toBeNull();

    await updateTeam(database.db, TEAM, { extraHolidays: ['2026-12-25', '2027-01-01'] });
    expect(await redateOffer(deps(), TEAM)).toMatchObject({ label: 'Re-date 2 milestones in 1 engagement' });
    expect(await dueOf(id, 'Client acceptance')).toBe('2026-12-25'); // nothing moves without the click

    expect(await redateMilestones(deps(), as(people.ana!))).toMatchObject({ ok: false, code: 'not-a-lead' });
    const done = expectOk(await redateMilestones(deps(), asLead));
    expect(done.lines).toEqual([
      {
        channelId: 'C0ACME',
        text: 'Moved off non-business days: Client acceptance test passed to Mon 28 Dec; Go-live and handover to the client to Mon 4 Jan.',
      },
    ]);
    expect(done.toSend).toHaveLength(1);
    const queued = await database.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'plan-changed')
      .execute();
    expect(queued.map((r) => r.channel_id)).toEqual(['C0ACME']);
    expect(await dueOf(id, 'Client acceptance')).toBe('2026-12-28');
    expect(await dueOf(id, 'Go-live')).toBe('2027-01-04');
    expect(await redateOffer(deps(), TEAM)).toBeNull();
    expect(
      (await listEvents(database.db, TEAM, id)).filter((e) => e.kind === 'milestone.redated'),
    ).toHaveLength(1);
  });

  it('re-dates once when two clicks arrive together; the other is told it is already done', async () => {
    await seedTeam(deps(), ['ana', 'ben']);
    const created = expectOk(
      await createEngagement(deps(), asLead, {
        clientName: 'Acme',
        channelId: 'C0ACME',
        startsOn: '2026-12-07',
        commandChannelId: ROTATION_CHANNEL,
      }),
    );
    await updateTeam(database.db, TEAM, { extraHolidays: ['2026-12-25', '2027-01-01'] });
    const results = await Promise.all([redateMilestones(deps(), asLead), redateMilestones(deps(), asLead)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: 'already-redated' });
    expect(
      (await listEvents(database.db, TEAM, created.engagement.id)).filter(
        (e) => e.kind === 'milestone.redated',
      ),
    ).toHaveLength(1);
    expect(await dueOf(created.engagement.id, 'Go-live')).toBe('2027-01-04');
  });
});
