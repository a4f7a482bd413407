import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, BusinessCalendar } from '../../src/domain/calendar.js';
import {
  balanceOf,
  defaultReportPeriod,
  exposureReport,
  turnSummaryOf,
  type MemberExposure,
  type ReportInput,
  type ReportMember,
  type Span,
  type TurnSpan,
} from '../../src/domain/report.js';

const calendar = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });

// 2026 has 261 business days (no holidays here): 129 from January to June, 132 from July.
const YEAR = { from: '2026-01-01', to: '2026-12-31', today: '2027-01-04' };

const member = (userId: string, overrides: Partial<ReportMember> = {}): ReportMember => ({
  userId,
  name: userId.charAt(0).toUpperCase() + userId.slice(1),
  joinedOn: '2025-01-01',
  interest: 'normal',
  pausedUntil: null,
  ...overrides,
});

let nextEngagement = 0;
/** A four-week turn (20 business days) starting on a Monday. */
const turn = (userId: string, startsOn: string, endsOn?: string): TurnSpan => ({
  userId,
  engagementId: `e${++nextEngagement}`,
  startsOn,
  endsOn: endsOn ?? calendar.addBusinessDays(startsOn, 19),
});

const away = (userId: string, startsOn: string, endsOn: string): Span => ({ userId, startsOn, endsOn });

const input = (overrides: Partial<ReportInput>): ReportInput => ({
  ...YEAR,
  calendar,
  members: [],
  turns: [],
  timeAway: [],
  buddyTurns: [],
  standIns: [],
  deliveryLeads: [],
  milestones: [],
  ...overrides,
});

const row = (report: { members: readonly MemberExposure[] }, userId: string): MemberExposure => {
  const found = report.members.find((m) => m.userId === userId);
  if (!found) throw new Error(`no row for ${userId}`);
  return found;
};

describe('each member’s exposure', () => {
  it('counts turns started, business days owned and available, and turns per 100 available days', () => {
    const report = exposureReport(
      input({
        members: [member('ann')],
        turns: [turn('ann', '2026-03-02'), turn('ann', '2026-09-07')],
      }),
    );
    expect(row(report, 'ann')).toMatchObject({
      turns: 2,
      daysOwned: 40,
      daysAvailable: 261,
      lastTurn: '2026-09-07',
    });
    expect(row(report, 'ann').turnsPer100Days).toBeCloseTo(200 / 261, 10);
  });

  it.each<[string, TurnSpan, { turns: number; daysOwned: number; lastTurn: string | null }]>([
    [
      'a turn begun before the period: its days in the period, not the turn',
      turn('ann', '2025-12-15', '2026-01-09'),
      { turns: 0, daysOwned: 7, lastTurn: '2025-12-15' },
    ],
    [
      'a turn running past the period: the turn, and its days up to the end',
      turn('ann', '2026-12-28', '2027-01-22'),
      { turns: 1, daysOwned: 4, lastTurn: '2026-12-28' },
    ],
    [
      'a turn after the period: nothing',
      turn('ann', '2027-01-04'),
      { turns: 0, daysOwned: 0, lastTurn: null },
    ],
  ])('%s', (_case, t, expected) => {
    expect(row(exposureReport(input({ members: [member('ann')], turns: [t] })), 'ann')).toMatchObject(
      expected,
    );
  });

  it('counts a day owned once however many engagements, and not the days away', () => {
    const report = exposureReport(
      input({
        members: [member('ann')],
        // Two at once for two weeks; away the last of those weeks (a stand-in covered it).
        turns: [turn('ann', '2026-03-02', '2026-03-13'), turn('ann', '2026-03-09', '2026-03-20')],
        timeAway: [away('ann', '2026-03-09', '2026-03-13')],
      }),
    );
    expect(row(report, 'ann')).toMatchObject({ turns: 2, daysOwned: 15 - 5, daysAvailable: 261 - 5 });
  });

  it('never counts more days owned than available, whatever the turns and time away', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2025-11-01', n));
    const span = fc
      .tuple(day, fc.integer({ min: 0, max: 40 }))
      .map(([startsOn, length]) => ({ startsOn, endsOn: addDays(startsOn, length) }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 8 }), fc.array(span, { maxLength: 6 }), (turns, spansAway) => {
        const report = exposureReport(
          input({
            members: [member('ann')],
            turns: turns.map((t, i) => ({ ...t, userId: 'ann', engagementId: `p${i}` })),
            timeAway: spansAway.map((a) => ({ ...a, userId: 'ann' })),
          }),
        );
        const ann = row(report, 'ann');
        expect(ann.daysOwned).toBeGreaterThanOrEqual(0);
        expect(ann.daysOwned).toBeLessThanOrEqual(ann.daysAvailable);
      }),
    );
  });

  it('takes time away off the available days, counting a day away twice once', () => {
    const report = exposureReport(
      input({
        members: [member('ann')],
        timeAway: [away('ann', '2026-03-02', '2026-03-13'), away('ann', '2026-03-09', '2026-03-27')],
      }),
    );
    expect(row(report, 'ann').daysAvailable).toBe(261 - 20);
  });

  it('counts a mid-period joiner available only from the day they joined', () => {
    const report = exposureReport(input({ members: [member('cat', { joinedOn: '2026-07-01' })] }));
    expect(row(report, 'cat').daysAvailable).toBe(132);
  });

  it('counts buddy turns started, stand-in days and the engagements someone delivered', () => {
    const report = exposureReport(
      input({
        members: [member('ann')],
        buddyTurns: [turn('ann', '2026-02-02'), turn('ann', '2025-11-02')],
        standIns: [away('ann', '2026-04-06', '2026-04-10'), away('ann', '2025-12-29', '2026-01-02')],
        deliveryLeads: [turn('ann', '2025-12-15', '2026-01-09'), turn('ann', '2026-05-04')],
      }),
    );
    expect(row(report, 'ann')).toMatchObject({ buddyTurns: 1, standInDays: 7, deliveryLeadEngagements: 2 });
  });

  it('judges an owner’s milestones on time when done by their due date, and only once due', () => {
    const report = exposureReport(
      input({
        today: '2026-06-10',
        members: [member('ann'), member('bob')],
        milestones: [
          { ownerId: 'ann', dueOn: '2026-06-01', doneOn: '2026-05-29' },
          { ownerId: 'ann', dueOn: '2026-06-02', doneOn: '2026-06-02' },
          { ownerId: 'ann', dueOn: '2026-06-03', doneOn: '2026-06-05' },
          { ownerId: 'ann', dueOn: '2026-06-04', doneOn: null },
          { ownerId: 'ann', dueOn: '2026-06-12', doneOn: null },
          { ownerId: 'ann', dueOn: '2026-06-15', doneOn: '2026-06-09' },
          { ownerId: 'bob', dueOn: '2026-06-01', doneOn: '2026-06-01' },
        ],
      }),
    );
    expect(row(report, 'ann').onTime).toEqual({ done: 3, due: 5 });
    expect(row(report, 'bob').onTime).toEqual({ done: 1, due: 1 });
  });
});

describe('the team’s balance', () => {
  it.each<[string, number[], number | null]>([
    ['everyone alike', [0.01, 0.01, 0.01], 1],
    ['nobody had a turn', [0, 0], 1],
    ['one had every turn', [0.02, 0], 0],
    ['one had twice the others', [0.02, 0.01, 0.01], 2 / 3],
    ['nobody to compare', [0.01], null],
  ])('%s', (_case, weighted, expected) => {
    const balance = balanceOf(weighted);
    if (expected === null) expect(balance).toBeNull();
    else expect(balance).toBeCloseTo(expected, 10);
  });

  it('weighs turns by availability: away half the year with half the turns is even', () => {
    const report = exposureReport(
      input({
        members: [member('ann'), member('bob')],
        turns: [turn('ann', '2026-02-02'), turn('ann', '2026-09-07'), turn('bob', '2026-09-14')],
        timeAway: [away('bob', '2026-01-01', '2026-06-30')],
      }),
    );
    expect(row(report, 'bob').daysAvailable).toBe(132);
    expect(report.spread).toEqual({ fewest: 1, most: 2 });
    // ann 2 / 261 against bob 1 / 132: within 2 %.
    expect(report.balance).toBeCloseTo(261 / 264, 10);
    expect(row(report, 'ann').fairShare).toBeCloseTo((3 * 261) / (261 + 132), 10);
    expect(row(report, 'bob').fairShare).toBeCloseTo((3 * 132) / (261 + 132), 10);
  });

  it('weighs a mid-period joiner by the days since they joined', () => {
    const report = exposureReport(
      input({
        members: [member('ann'), member('cat', { joinedOn: '2026-07-01' })],
        turns: [turn('ann', '2026-02-02'), turn('ann', '2026-09-07'), turn('cat', '2026-10-05')],
      }),
    );
    expect(report.balance).toBeCloseTo(261 / 264, 10);
  });

  it('is uneven when one member had none of the turns', () => {
    const report = exposureReport(
      input({
        members: [member('ann'), member('bob'), member('cat')],
        turns: [turn('ann', '2026-02-02'), turn('bob', '2026-03-02')],
      }),
    );
    // pairs: ann–bob 1, ann–cat 0, bob–cat 0
    expect(report.balance).toBeCloseTo(1 / 3, 10);
    expect(report.spread).toEqual({ fewest: 0, most: 1 });
    expect(report.totalTurns).toBe(2);
  });

  it('leaves out of the balance someone with no available day', () => {
    const report = exposureReport(
      input({
        members: [member('ann'), member('bob'), member('cat', { joinedOn: '2027-02-01' })],
        turns: [turn('ann', '2026-02-02'), turn('bob', '2026-03-02')],
      }),
    );
    expect(report.balance).toBe(1);
    expect(row(report, 'cat').turnsPer100Days).toBeNull();
  });
});

describe('who is flagged', () => {
  const others = [turn('ann', '2026-11-02')];
  it.each<[string, ReportMember, TurnSpan[], string | null]>([
    ['no turn ever while others had one', member('dan'), [], 'no turn yet'],
    ['no turn in six months', member('dan'), [turn('dan', '2026-02-02')], 'no turn since 2026-02-02'],
    ['a turn within six months', member('dan'), [turn('dan', '2026-07-06')], null],
    ['a mid-period joiner who has not had six months', member('dan', { joinedOn: '2026-08-03' }), [], null],
    ['someone paused past the report’s end', member('dan', { pausedUntil: '2027-03-31' }), [], null],
    ['someone whose pause is over', member('dan', { pausedUntil: '2026-06-30' }), [], 'no turn yet'],
    [
      'someone who asked for fewer turns: fewer is not none',
      member('dan', { interest: 'fewer' }),
      [],
      'no turn yet',
    ],
    ['someone who asked for more', member('dan', { interest: 'more' }), [], 'no turn yet'],
  ])('%s', (_case, dan, turns, flag) => {
    const report = exposureReport(input({ members: [member('ann'), dan], turns: [...others, ...turns] }));
    expect(row(report, 'dan').flag).toBe(flag);
    expect(row(report, 'dan').interest).toBe(dan.interest);
    expect(row(report, 'ann').flag).toBeNull();
  });

  it('flags nobody when nobody had a turn', () => {
    const report = exposureReport(input({ members: [member('ann'), member('bob')] }));
    expect(report.members.map((m) => m.flag)).toEqual([null, null]);
  });
});

describe('turn summaries', () => {
  it('counts turns started in the period and the last turn on or before its end', () => {
    const summaries = turnSummaryOf(
      [
        turn('ann', '2025-06-02'),
        turn('ann', '2026-03-02'),
        turn('ann', '2027-02-01'),
        turn('bob', '2025-12-01'),
      ],
      YEAR,
    );
    expect(Object.fromEntries(summaries)).toEqual({
      ann: { turns: 1, lastTurn: '2026-03-02' },
      bob: { turns: 0, lastTurn: '2025-12-01' },
    });
  });

  it('defaults the period to the twelve months up to today', () => {
    expect(defaultReportPeriod('2026-12-01')).toEqual({ from: '2025-12-02', to: '2026-12-01' });
    expect(defaultReportPeriod('2028-02-29')).toEqual({ from: '2027-03-01', to: '2028-02-29' });
  });
});
