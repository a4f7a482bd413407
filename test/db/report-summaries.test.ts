import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onTimeByOwner, periodsOverlapping, roleCounts, turnSummaries } from '../../src/db/report.js';
import { addDays, BusinessCalendar } from '../../src/domain/calendar.js';
import {
  exposureReport,
  onTimeOf,
  roleCountsOf,
  turnSummaryOf,
  type OwnedMilestone,
  type TurnSpan,
} from '../../src/domain/report.js';
import { ensureTeam } from '../../src/flows/set-up-team.js';
import { useTestDatabase } from '../support/db.js';
import { DEFAULTS, TEAM } from '../support/builders.js';

const database = useTestDatabase();
const PEOPLE = ['UA', 'UB', 'UC', 'UD'];
const FIRST = '2025-01-06';
const calendar = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });

/** The team, its standard plan template (returned) and its people, all in the rotation. */
async function seedTeam(): Promise<{ id: string }> {
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
  return template;
}

async function seed(periods: { owner: number; offset: number; length: number }[]): Promise<TurnSpan[]> {
  const { db } = database;
  const template = await seedTeam();
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

/** One engagement of a generated history: its dates, people, a handover, and its milestones. */
interface GeneratedEngagement {
  readonly offset: number;
  readonly length: number;
  readonly owner: number;
  /** The next owner and the day of the engagement they took over on, and whether the first owner held that day too. */
  readonly handover: { readonly owner: number; readonly day: number; readonly shared: boolean } | null;
  /** The delivery lead, counted on from the owner (never the owner). */
  readonly lead: number | null;
  readonly buddy: number | null;
  /** Days after the start; done this many days from due (negative: early), at this UTC hour, or open. */
  readonly milestones: readonly {
    readonly day: number;
    readonly done: { days: number; hour: number } | null;
  }[];
}

const generatedEngagement = fc.record({
  offset: fc.nat(900),
  length: fc.integer({ min: 0, max: 60 }),
  owner: fc.nat(PEOPLE.length - 1),
  handover: fc.option(fc.record({ owner: fc.nat(PEOPLE.length - 1), day: fc.nat(60), shared: fc.boolean() })),
  // Counted from the owner: a delivery lead is never the engagement's owner.
  lead: fc.option(fc.integer({ min: 1, max: PEOPLE.length - 1 })),
  buddy: fc.option(fc.nat(PEOPLE.length - 1)),
  milestones: fc.array(
    fc.record({
      day: fc.nat(60),
      done: fc.option(fc.record({ days: fc.integer({ min: -3, max: 3 }), hour: fc.nat(23) })),
    }),
    { maxLength: 4 },
  ),
});

/** The generated history in the database, and as the domain's spans and owned milestones. */
async function seedEngagements(
  engagements: readonly GeneratedEngagement[],
  timeZone: string,
): Promise<{ buddies: TurnSpan[]; deliveryLeads: TurnSpan[]; milestones: OwnedMilestone[] }> {
  const { db } = database;
  const template = await seedTeam();
  const local = new BusinessCalendar({ timeZone, holidayRegion: null, extraHolidays: [] });
  const buddies: TurnSpan[] = [];
  const deliveryLeads: TurnSpan[] = [];
  const milestones: OwnedMilestone[] = [];
  for (const [i, g] of engagements.entries()) {
    const startsOn = addDays(FIRST, g.offset);
    const endsOn = addDays(startsOn, g.length);
    const lead = g.lead === null ? null : PEOPLE[(g.owner + g.lead) % PEOPLE.length]!;
    const { id } = await db
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
        owner_id: PEOPLE[g.owner]!,
        delivery_lead_id: lead,
        buddy_id: g.buddy === null ? null : PEOPLE[g.buddy]!,
        status: 'closed',
        created_by: 'UA',
        created_at: new Date('2025-01-01T00:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const periods: TurnSpan[] = [];
    const handoverOn = g.handover && g.handover.day <= g.length ? addDays(startsOn, g.handover.day) : null;
    if (g.handover && handoverOn) {
      const firstEnds = g.handover.shared ? handoverOn : addDays(handoverOn, -1);
      if (firstEnds >= startsOn) {
        periods.push({ userId: PEOPLE[g.owner]!, engagementId: id, startsOn, endsOn: firstEnds });
      }
      periods.push({ userId: PEOPLE[g.handover.owner]!, engagementId: id, startsOn: handoverOn, endsOn });
    } else {
      periods.push({ userId: PEOPLE[g.owner]!, engagementId: id, startsOn, endsOn });
    }
    await db
      .insertInto('ownership_periods')
      .values(
        periods.map((p) => ({
          team_id: TEAM,
          engagement_id: id,
          owner_id: p.userId,
          starts_on: p.startsOn,
          ends_on: p.endsOn,
        })),
      )
      .execute();
    for (const [position, m] of g.milestones.entries()) {
      const dueOn = addDays(startsOn, m.day);
      const doneAt = m.done
        ? new Date(`${addDays(dueOn, m.done.days)}T${String(m.done.hour).padStart(2, '0')}:30:00Z`)
        : null;
      await db
        .insertInto('milestones')
        .values({
          team_id: TEAM,
          engagement_id: id,
          position,
          kind: 'milestone',
          title: `Step ${position}`,
          offset_days: m.day,
          due_on: dueOn,
          status: doneAt ? 'done' : 'open',
          done_at: doneAt,
        })
        .execute();
      // Whoever owned the engagement on the due date (both owners on a shared handover day).
      for (const p of periods.filter((p) => p.startsOn <= dueOn && p.endsOn >= dueOn)) {
        milestones.push({ ownerId: p.userId, dueOn, doneOn: doneAt ? local.localDate(doneAt) : null });
      }
    }
    const span = (userId: string): TurnSpan => ({ userId, engagementId: id, startsOn, endsOn });
    if (lead !== null) deliveryLeads.push(span(lead));
    if (g.buddy !== null) buddies.push(span(PEOPLE[g.buddy]!));
  }
  return { buddies, deliveryLeads, milestones };
}

describe("the database's role and on-time counts for a report", () => {
  it('agree with the domain definitions, and give the same report, for any history and period', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(generatedEngagement, { maxLength: 20 }),
        fc.nat(900),
        fc.nat(400),
        fc.nat(500),
        fc.constantFrom('UTC', 'Europe/Berlin', 'Pacific/Auckland', 'America/Los_Angeles'),
        async (engagements, fromOffset, days, todayOffset, timeZone) => {
          await database.db.deleteFrom('teams').execute();
          await database.db.deleteFrom('engagements').execute();
          const history = await seedEngagements(engagements, timeZone);
          const period = { from: addDays(FIRST, fromOffset), to: addDays(FIRST, fromOffset + days) };
          const today = addDays(period.from, todayOffset);

          const roles = await roleCounts(database.db, TEAM, period);
          const rolesReference = roleCountsOf(history.buddies, history.deliveryLeads, period);
          const onTime = await onTimeByOwner(database.db, TEAM, { ...period, today }, timeZone);
          const onTimeReference = onTimeOf(history.milestones, { ...period, today });
          for (const person of PEOPLE) {
            expect(roles.get(person) ?? { buddyTurns: 0, deliveryLeadEngagements: 0 }).toEqual(
              rolesReference.get(person) ?? { buddyTurns: 0, deliveryLeadEngagements: 0 },
            );
            expect(onTime.get(person) ?? { done: 0, due: 0 }).toEqual(
              onTimeReference.get(person) ?? { done: 0, due: 0 },
            );
          }

          // The counts from the database give the report the rows give.
          const base = {
            ...period,
            today,
            calendar,
            members: PEOPLE.map((userId) => ({
              userId,
              name: userId,
              joinedOn: FIRST,
              interest: 'normal' as const,
              pausedUntil: null,
            })),
            turns: [],
            timeAway: [],
            standIns: [],
          };
          expect(
            exposureReport({ ...base, buddyTurns: [], deliveryLeads: [], milestones: [], roles, onTime }),
          ).toEqual(
            exposureReport({
              ...base,
              buddyTurns: history.buddies,
              deliveryLeads: history.deliveryLeads,
              milestones: history.milestones,
            }),
          );
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
