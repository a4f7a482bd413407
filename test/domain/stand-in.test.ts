import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import { absenceResponse, actingPerson } from '../../src/domain/stand-in.js';

const calendar = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });

describe('what an owner’s absence over a due date calls for', () => {
  // Tuesday 1 December 2026; a four-week engagement ends Tuesday 29 December (21 business days left).
  const engagement = { end: '2026-12-29', dueDates: ['2026-12-09', '2026-12-22'] };
  it.each([
    // away from, to, expected kind, covered business days
    ['2026-12-08', '2026-12-10', 'stand-in', 3], // three days over a due date
    ['2026-12-07', '2026-12-11', 'stand-in', 5], // a full week: still short
    ['2026-12-07', '2026-12-14', 'handover', 6], // six business days: too long
    ['2026-12-02', '2026-12-04', 'none', 0], // no due date in it
    ['2026-11-20', '2026-11-27', 'none', 0], // already over
    ['2026-12-21', '2026-12-23', 'stand-in', 3], // 3 of 21 remaining
  ])('away %s to %s: %s', (from, to, kind, days) => {
    const response = absenceResponse(calendar, { from, to }, engagement, '2026-12-01');
    expect(response.kind).toBe(kind);
    if (response.kind === 'stand-in') expect(response.coveredDays).toHaveLength(days);
  });

  it('a short absence near the end is a handover once it exceeds a quarter of what remains', () => {
    // From Monday 21 December, 7 business days remain: 2 days away is more than a quarter.
    const response = absenceResponse(
      calendar,
      { from: '2026-12-21', to: '2026-12-22' },
      engagement,
      '2026-12-21',
    );
    expect(response.kind).toBe('handover');
    const one = absenceResponse(calendar, { from: '2026-12-22', to: '2026-12-22' }, engagement, '2026-12-21');
    expect(one).toEqual({ kind: 'stand-in', coveredDays: ['2026-12-22'] });
  });
});

describe('who acts for the engagement on a day', () => {
  const standIns = [{ standInId: 'U_CHLOE', from: '2026-12-08', to: '2026-12-10' }];
  it.each([
    ['2026-12-07', 'U_OWNER'],
    ['2026-12-08', 'U_CHLOE'],
    ['2026-12-10', 'U_CHLOE'],
    ['2026-12-11', 'U_OWNER'],
  ])('on %s: %s', (day, who) => {
    expect(actingPerson('U_OWNER', standIns, day)).toBe(who);
  });
});
