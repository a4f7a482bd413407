import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownershipHistory } from '../../src/db/engagements.js';
import { listMembers } from '../../src/db/members.js';
import { addDays } from '../../src/domain/calendar.js';
import { historyOf, RECENT_DAYS, type Ownership } from '../../src/domain/rotation.js';
import { ensureTeam } from '../../src/flows/set-up-team.js';
import { useTestDatabase } from '../support/db.js';
import { DEFAULTS, TEAM } from '../support/builders.js';

const database = useTestDatabase();
const PEOPLE = ['UA', 'UB', 'UC', 'UD'];

async function seed(ownerships: { owner: number; offset: number; closed: boolean }[]) {
  const { db } = database;
  const team = await ensureTeam(db, { id: TEAM }, DEFAULTS);
  const template = await db
    .selectFrom('plan_templates')
    .select('id')
    .where('team_id', '=', team.id)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('members')
    .values(
      PEOPLE.map((user_id, i) => ({
        team_id: TEAM,
        user_id,
        name: user_id,
        in_rotation: true,
        rotation_order: i + 1,
      })),
    )
    .execute();
  if (ownerships.length === 0) return;
  await db
    .insertInto('engagements')
    .values(
      ownerships.map((o, i) => ({
        team_id: TEAM,
        number: i + 1,
        client_name: `Client ${i}`,
        channel_id: `C${i}`,
        rotation_channel_id: 'CROT',
        starts_on: addDays('2025-01-06', o.offset),
        ends_on: addDays('2025-01-06', o.offset + 28),
        template_id: template.id,
        owner_id: PEOPLE[o.owner]!,
        status: o.closed ? ('closed' as const) : ('active' as const),
        created_by: 'UA',
        created_at: new Date('2025-01-01T00:00:00Z'),
      })),
    )
    .execute();
}

describe("the database's ownership history", () => {
  it('agrees with the domain definition for any history and window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ owner: fc.nat(PEOPLE.length - 1), offset: fc.nat(900), closed: fc.boolean() }), {
          maxLength: 40,
        }),
        fc.nat(1000),
        fc.boolean(),
        async (ownerships, windowOffset, forOwnEngagement) => {
          await database.db.deleteFrom('teams').execute();
          await seed(ownerships);
          const rows = await database.db
            .selectFrom('engagements')
            .select(['id', 'owner_id', 'starts_on', 'ends_on', 'status'])
            .execute();
          const all: Ownership[] = rows.map((r) => ({
            engagementId: r.id,
            ownerId: r.owner_id!,
            startsOn: r.starts_on,
            endsOn: r.ends_on,
            closed: r.status === 'closed',
          }));
          const startsOn = addDays('2025-01-06', windowOffset);
          const engagementId = forOwnEngagement && all.length > 0 ? all[0]!.engagementId : undefined;
          const members = await listMembers(database.db, TEAM);
          const fromDb = await ownershipHistory(database.db, TEAM, members, {
            startsOn,
            recentFrom: addDays(startsOn, -RECENT_DAYS),
            engagementId,
          });
          const reference = historyOf(all, { startsOn, engagementId });
          for (const person of PEOPLE) {
            expect(fromDb.get(person)).toEqual(
              reference.get(person) ?? { recentPast: 0, upcoming: 0, lastOwnedOn: null, lifetime: 0 },
            );
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it("keeps each member's running total as owners change", async () => {
    await seed([
      { owner: 0, offset: 0, closed: true },
      { owner: 0, offset: 30, closed: false },
      { owner: 1, offset: 60, closed: false },
    ]);
    const counts = async () =>
      Object.fromEntries((await listMembers(database.db, TEAM)).map((m) => [m.user_id, m.ownerships_count]));
    expect(await counts()).toMatchObject({ UA: 2, UB: 1, UC: 0 });
    await database.db.updateTable('engagements').set({ owner_id: 'UC' }).where('number', '=', 2).execute();
    await database.db.updateTable('engagements').set({ owner_id: null }).where('number', '=', 3).execute();
    await database.db
      .updateTable('engagements')
      .set({ client_name: 'renamed', owner_id: 'UA' })
      .where('number', '=', 1)
      .execute();
    expect(await counts()).toMatchObject({ UA: 1, UB: 0, UC: 1 });
  });
});
