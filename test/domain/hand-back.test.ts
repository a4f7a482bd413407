import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import { handBackWindow } from '../../src/domain/hand-back.js';

describe('the hand-back window', () => {
  it.each([
    // approved at, team's zone, last day, closes at
    ['2026-12-01T10:00:00Z', 'UTC', '2026-12-02', '2026-12-03T00:00:00.000Z'],
    ['2026-12-04T16:00:00Z', 'UTC', '2026-12-07', '2026-12-08T00:00:00.000Z'], // Friday: Monday counts
    ['2026-12-02T03:00:00Z', 'America/New_York', '2026-12-02', '2026-12-03T05:00:00.000Z'], // Tue evening there
    ['2026-10-23T12:00:00Z', 'Europe/Berlin', '2026-10-26', '2026-10-26T23:00:00.000Z'], // across the DST change
  ])('approved %s in %s: open through %s, closed from %s', (at, timeZone, lastDay, closesAt) => {
    const window = handBackWindow(
      new BusinessCalendar({ timeZone, holidayRegion: null, extraHolidays: [] }),
      new Date(at),
    );
    expect(window.lastDay).toBe(lastDay);
    expect(window.closesAt.toISOString()).toBe(closesAt);
  });
});
