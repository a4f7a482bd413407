import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listMembers } from '../../src/db/members.js';
import { listPeriods, ownershipHistory } from '../../src/db/ownership-periods.js';
import { addDays } from '../../src/domain/calendar.js';
import { historyOf, RECENT_DAYS } from '../../src/domain/rotation.js';
import { ensureTeam } from '../../src/flows/set-up-team.js';
import { useTestDatabase } from '../support/db.js';
import { DEFAULTS, TEAM } from '../support/builders.js';

const database = useTestDatabase();
const PEOPLE = ['UA', 'UB', 'UC', 'UD'];

/** Engagements with one or more owners in turn (a takeover after `handoverAfter` days, if set). */
async function seed(ownerships: { owner: number; offset: number; closed: boolean; next?: number | null }[]) {
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
  const engagements = await db.selectFrom('engagements').select(['id', 'number']).orderBy('number').execute();
  await db
    .insertInto('ownership_periods')
    .values(
      ownerships.flatMap((o, i) => {
        const start = addDays('2025-01-06', o.offset);
        const base = { team_id: TEAM, engagement_id: engagements[i]!.id };
        if (o.next === null || o.next === undefined) {
          return [{ ...base, owner_id: PEOPLE[o.owner]!, starts_on: start, ends_on: addDays(start, 28) }];
        }
        // A takeover ten days in: the first owner's turn ends, the next one's starts.
        return [
          { ...base, owner_id: PEOPLE[o.owner]!, starts_on: start, ends_on: addDays(start, 9) },
          { ...base, owner_id: PEOPLE[o.next]!, starts_on: addDays(start, 10), ends_on: addDays(start, 28) },
        ];
      }),
    )
    .execute();
}

describe("the database's ownership periods", () => {
  it('agrees with the domain definition for any periods and window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            owner: fc.nat(PEOPLE.length - 1),
            offset: fc.nat(900),
            closed: fc.boolean(),
            next: fc.option(fc.nat(PEOPLE.length - 1)),
          }),
          { maxLength: 40 },
        ),
        fc.nat(1000),
        fc.boolean(),
        async (ownerships, windowOffset, forOwnEngagement) => {
          await database.db.deleteFrom('teams').execute();
          await seed(ownerships);
          const all = await listPeriods(database.db, TEAM);
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

  it("keeps each member's lifetime turns as periods come and go", async () => {
    await seed([
      { owner: 0, offset: 0, closed: true },
      { owner: 0, offset: 30, closed: false, next: 2 },
      { owner: 1, offset: 60, closed: false },
    ]);
    const counts = async () =>
      Object.fromEntries((await listMembers(database.db, TEAM)).map((m) => [m.user_id, m.turns_count]));
    // A takeover is a turn for both: the one who handed over keeps theirs.
    expect(await counts()).toMatchObject({ UA: 2, UB: 1, UC: 1, UD: 0 });
    await database.db
      .updateTable('ownership_periods')
      .set({ owner_id: 'UD' })
      .where('owner_id', '=', 'UB')
      .execute();
    await database.db.deleteFrom('ownership_periods').where('owner_id', '=', 'UC').execute();
    expect(await counts()).toMatchObject({ UA: 2, UB: 0, UC: 0, UD: 1 });
  });
});
