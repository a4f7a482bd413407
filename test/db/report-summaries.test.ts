import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodsOverlapping, turnSummaries } from '../../src/db/report.js';
import { addDays, BusinessCalendar } from '../../src/domain/calendar.js';
import { exposureReport, turnSummaryOf, type TurnSpan } from '../../src/domain/report.js';
import { ensureTeam } from '../../src/flows/set-up-team.js';
import { useTestDatabase } from '../support/db.js';
import { DEFAULTS, TEAM } from '../support/builders.js';

const database = useTestDatabase();
const PEOPLE = ['UA', 'UB', 'UC', 'UD'];
const FIRST = '2025-01-06';
const calendar = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });

async function seed(periods: { owner: number; offset: number; length: number }[]): Promise<TurnSpan[]> {
  const { db } = database;
  await ensureTeam(db, { id: TEAM }, DEFAULTS);
  const template = await db
    .selectFrom('plan_templates')
    .select('id')
    .where('team_id', '=', TEAM)
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
  const spans: TurnSpan[] = [];
  for (const [i, p] of periods.entries()) {
    const startsOn = addDays(FIRST, p.offset);
    const endsOn = addDays(startsOn, p.length);
    const engagement = await db
      .insertInto('engagements')
      .values({
        team_id: TEAM,
        number: i + 1,
        client_name: `Client ${i}`,
        channel_id: `C${i}`,
        rotation_channel_id: 'CROT',
        starts_on: startsOn,
        ends_on: endsOn,
        template_id: template.id,
        owner_id: PEOPLE[p.owner]!,
        status: 'closed',
        created_by: 'UA',
        created_at: new Date('2025-01-01T00:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('ownership_periods')
      .values({
        team_id: TEAM,
        engagement_id: engagement.id,
        owner_id: PEOPLE[p.owner]!,
        starts_on: startsOn,
        ends_on: endsOn,
      })
      .execute();
    spans.push({ userId: PEOPLE[p.owner]!, engagementId: engagement.id, startsOn, endsOn });
  }
  return spans;
}

describe("the database's turn summaries for a report", () => {
  it('agree with the domain definition, and give the same report, for any history and period', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            owner: fc.nat(PEOPLE.length - 1),
            offset: fc.nat(900),
            length: fc.integer({ min: 0, max: 40 }),
          }),
          { maxLength: 30 },
        ),
        fc.nat(900),
        fc.nat(400),
        async (periods, fromOffset, days) => {
          await database.db.deleteFrom('teams').execute();
          await database.db.deleteFrom('engagements').execute();
          const all = await seed(periods);
          const period = { from: addDays(FIRST, fromOffset), to: addDays(FIRST, fromOffset + days) };
          const fromDb = await turnSummaries(database.db, TEAM, period);
          const reference = turnSummaryOf(all, period);
          for (const person of PEOPLE) {
            expect(fromDb.get(person) ?? { turns: 0, lastTurn: null }).toEqual(
              reference.get(person) ?? { turns: 0, lastTurn: null },
            );
          }
          // The flow's inputs (overlapping rows plus the SQL summaries) give the report the whole
          // history gives.
          const members = PEOPLE.map((userId) => ({
            userId,
            name: userId,
            joinedOn: FIRST,
            interest: 'normal' as const,
            pausedUntil: null,
          }));
          const base = {
            ...period,
            today: period.to,
            calendar,
            members,
            timeAway: [],
            buddyTurns: [],
            standIns: [],
            deliveryLeads: [],
            milestones: [],
          };
          const fromFlowInputs = exposureReport({
            ...base,
            turns: await periodsOverlapping(database.db, TEAM, period),
            summaries: fromDb,
          });
          expect(fromFlowInputs).toEqual(exposureReport({ ...base, turns: all }));
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
