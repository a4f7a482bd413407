import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import { redateOffBusinessDays, shiftPlan, type PlannedMilestone } from '../../src/domain/plan-shift.js';

const plain = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });
const withHolidays = new BusinessCalendar({
  timeZone: 'UTC',
  holidayRegion: null,
  extraHolidays: ['2026-12-25', '2027-01-01'],
});

// The standard plan started on Mon 7 Dec 2026 with no holidays set.
const plan: PlannedMilestone[] = [
  { id: 1, title: 'Kickoff', dueOn: '2026-12-07', done: true },
  { id: 2, title: 'Client inputs received', dueOn: '2026-12-10', done: true },
  { id: 3, title: 'Plan shared', dueOn: '2026-12-11', done: false },
  { id: 4, title: 'Implementation complete', dueOn: '2026-12-18', done: false },
  { id: 5, title: 'Acceptance test', dueOn: '2026-12-25', done: false },
  { id: 6, title: 'Go-live', dueOn: '2027-01-01', done: false },
  { id: 7, title: 'Retrospective', dueOn: '2027-01-04', done: false },
];

describe('shiftPlan', () => {
  it.each([
    [5, 3, '2026-12-11', { 5: '2026-12-30', 6: '2027-01-06', 7: '2027-01-07' }, '2027-01-07'],
    [
      3,
      1,
      '2026-12-11',
      { 3: '2026-12-14', 4: '2026-12-21', 5: '2026-12-28', 6: '2027-01-04', 7: '2027-01-05' },
      '2027-01-05',
    ],
    [6, -2, '2026-12-11', { 6: '2026-12-30', 7: '2026-12-31' }, '2026-12-31'],
  ])(
    'from milestone %i by %i business days (today %s) moves the rest and the end',
    (from, days, today, to, endsOn) => {
      const result = shiftPlan(plan, from, days, today, plain);
      expect(result.ok && Object.fromEntries(result.value.moves.map((m) => [m.id, m.to]))).toEqual(to);
      expect(result.ok && result.value.endsOn).toBe(endsOn);
    },
  );

  it('leaves done milestones after the chosen one where they are', () => {
    const mixed = plan.map((m) => (m.id === 6 ? { ...m, done: true } : m));
    const result = shiftPlan(mixed, 5, 1, '2026-12-11', plain);
    expect(result.ok && result.value.moves.map((m) => m.id)).toEqual([5, 7]);
  });

  it.each([
    [5, 1.5, '2026-12-11', 'not-a-number', 'days'],
    [5, Number.NaN, '2026-12-11', 'not-a-number', 'days'],
    [5, 0, '2026-12-11', 'zero', 'days'],
    [5, 61, '2026-12-11', 'too-far', 'days'],
    [2, 1, '2026-12-11', 'done', 'milestone'],
    [99, 1, '2026-12-11', 'unknown', 'milestone'],
    [3, -3, '2026-12-10', 'past', 'days'],
    [5, -6, '2026-12-11', 'before-previous', 'days'],
  ])('refuses from %i by %s (today %s): %s, under the %s field', (from, days, today, code, field) => {
    const result = shiftPlan(plan, from, days, today, plain);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.code, result.field]).toEqual([code, field]);
  });
});

describe('redateOffBusinessDays', () => {
  it('moves the acceptance test off 25 December and go-live off 1 January once holidays are set', () => {
    const { moves, endsOn } = redateOffBusinessDays(plan, withHolidays);
    expect(moves.map((m) => [m.title, m.from, m.to])).toEqual([
      ['Acceptance test', '2026-12-25', '2026-12-28'],
      ['Go-live', '2027-01-01', '2027-01-04'],
    ]);
    expect(endsOn).toBe('2027-01-04');
  });

  it('moves nothing done, and nothing when every date is a business day', () => {
    expect(redateOffBusinessDays(plan, plain).moves).toEqual([]);
    const done = plan.map((m) => ({ ...m, done: true }));
    expect(redateOffBusinessDays(done, withHolidays).moves).toEqual([]);
  });
});
