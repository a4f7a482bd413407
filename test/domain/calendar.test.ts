import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  commonDaysOffWorked,
  addDays,
  BusinessCalendar,
  daysBetween,
  isValidHolidayRegion,
  isValidLocalDate,
  isValidTimeZone,
} from '../../src/domain/calendar.js';

const calendar = (holidayRegion: string | null, timeZone = 'UTC', extraHolidays: string[] = []) =>
  new BusinessCalendar({ timeZone, holidayRegion, extraHolidays });

const plain = calendar(null);
const berlin = calendar('DE-BE', 'Europe/Berlin');
const us = calendar('US', 'America/New_York');
const newYork = calendar('US-NY', 'America/New_York');
const extra = calendar(null, 'UTC', ['2026-12-08', '2026-12-09']);
const berlinTime = calendar(null, 'Europe/Berlin');
const newYorkTime = calendar(null, 'America/New_York');

/** Table rows name their calendar, so that test titles stay readable. */
const calendars = { plain, berlin, us, newYork, extra, berlinTime, newYorkTime };
type Named = keyof typeof calendars;

describe('business days', () => {
  it.each([
    ['2026-12-07', true], // Monday
    ['2026-12-11', true], // Friday
    ['2026-12-12', false], // Saturday
    ['2026-12-13', false], // Sunday
  ])('without a holiday region, %s is a business day: %s', (date, expected) => {
    expect(plain.isBusinessDay(date)).toBe(expected);
  });

  it.each([
    ['DE-BE', '2026-12-25', true, 'Christmas Day'],
    ['DE-BE', '2026-12-26', true, 'Boxing Day, a Saturday'],
    ['DE-BE', '2026-03-08', true, "International Women's Day, Berlin only"],
    ['DE', '2026-03-08', false, "International Women's Day is not national"],
    ['DE-BE', '2026-12-24', false, 'Christmas Eve is not a public holiday'],
    ['US', '2026-11-26', true, 'Thanksgiving'],
    ['US', '2026-11-27', false, 'the day after Thanksgiving is only an observance'],
    ['US', '2026-02-12', false, "Lincoln's Birthday is a New York holiday"],
    ['US-NY', '2026-02-12', true, "Lincoln's Birthday"],
    ['US', '2026-07-03', true, 'Independence Day observed on the Friday'],
  ])('in %s, %s is a holiday: %s (%s)', (region, date, expected) => {
    expect(calendar(region).isHoliday(date)).toBe(expected);
  });

  it('does not count a public holiday on a weekday as a business day', () => {
    expect(berlin.isBusinessDay('2026-12-25')).toBe(false);
    expect(us.isBusinessDay('2026-11-26')).toBe(false);
    expect(newYork.isBusinessDay('2026-02-12')).toBe(false);
  });

  it("counts the team's extra holidays, on weekdays and weekends", () => {
    const team = calendar('DE-BE', 'Europe/Berlin', ['2026-12-24', '2026-12-27']);
    expect(team.isHoliday('2026-12-24')).toBe(true);
    expect(team.isBusinessDay('2026-12-24')).toBe(false);
    expect(team.isHoliday('2026-12-27')).toBe(true);
    expect(team.isHoliday('2026-12-25')).toBe(true);
    expect(team.isBusinessDay('2026-12-23')).toBe(true);
  });

  it('finds holidays in every year, not only the first one asked about', () => {
    expect(berlin.isHoliday('2026-01-01')).toBe(true);
    expect(berlin.isHoliday('2027-01-01')).toBe(true);
    expect(berlin.isHoliday('2030-12-25')).toBe(true);
  });

  it('refuses settings it cannot honour', () => {
    expect(() => calendar('XX')).toThrow(/holiday region/);
    expect(() => calendar(null, 'Mars/Olympus')).toThrow(/time zone/);
    expect(() => calendar(null, 'UTC', ['2026-02-30'])).toThrow(/date/);
  });
});

describe('addBusinessDays', () => {
  it.each([
    ['plain', '2026-12-07', 0, '2026-12-07', 'n = 0 is the date itself'],
    ['plain', '2026-12-12', 0, '2026-12-12', 'even on a weekend'],
    ['plain', '2026-12-07', 1, '2026-12-08', 'the next day'],
    ['plain', '2026-12-11', 1, '2026-12-14', 'Friday to Monday'],
    ['plain', '2026-12-12', 1, '2026-12-14', 'from a Saturday'],
    ['plain', '2026-12-13', -1, '2026-12-11', 'back from a Sunday'],
    ['plain', '2026-12-14', -1, '2026-12-11', 'Monday back to Friday'],
    ['plain', '2026-12-07', 5, '2026-12-14', 'a week'],
    ['plain', '2026-12-07', -5, '2026-11-30', 'a week back'],
    ['plain', '2026-12-07', 20, '2027-01-04', 'across the year end'],
    ['plain', '2027-01-04', -20, '2026-12-07', 'back across the year end'],
    ['plain', '2026-01-30', 1, '2026-02-02', 'across a month end'],
    ['plain', '2026-12-07', 260, '2027-12-06', '52 weeks'],
    ['berlin', '2026-12-24', 1, '2026-12-28', 'over Christmas in Berlin'],
    ['berlin', '2026-12-28', -1, '2026-12-24', 'back over Christmas'],
    ['berlin', '2026-12-07', 20, '2027-01-06', 'through Christmas and New Year'],
    ['berlin', '2027-01-06', -20, '2026-12-07', 'back through Christmas and New Year'],
    ['us', '2026-11-25', 1, '2026-11-27', 'over Thanksgiving'],
    ['us', '2026-11-26', 0, '2026-11-26', 'n = 0 on a holiday'],
    ['us', '2026-11-26', 1, '2026-11-27', 'from a holiday'],
    ['us', '2026-11-26', -1, '2026-11-25', 'back from a holiday'],
    ['extra', '2026-12-07', 1, '2026-12-10', 'over extra holidays'],
  ])('%s: from %s, %i business days is %s (%s)', (name, date, n, expected) => {
    expect(calendars[name as Named].addBusinessDays(date, n)).toBe(expected);
  });

  it('agrees with stepping one day at a time, both ways, over three years', () => {
    const team = calendar('DE-BE', 'Europe/Berlin', ['2027-03-01']);
    const step = (date: string, n: number): string => {
      let d = date;
      for (let left = Math.abs(n); left > 0;) {
        d = addDays(d, Math.sign(n));
        if (team.isBusinessDay(d)) left--;
      }
      return d;
    };
    for (let i = 0; i < 1100; i += 3) {
      const date = addDays('2025-12-01', i);
      for (const n of [-23, -6, -1, 1, 4, 5, 21]) expect(team.addBusinessDays(date, n)).toBe(step(date, n));
    }
  });
});

describe('businessDaysBetween and businessDaysIn', () => {
  it.each([
    ['plain', '2026-12-07', '2026-12-07', 1],
    ['plain', '2026-12-12', '2026-12-13', 0],
    ['plain', '2026-12-07', '2026-12-11', 5],
    ['plain', '2026-12-07', '2026-12-14', 6],
    ['plain', '2026-12-08', '2026-12-07', 0],
    ['plain', '2026-12-07', '2027-01-04', 21],
    ['berlin', '2026-12-07', '2027-01-06', 21],
    ['berlin', '2026-12-21', '2027-01-01', 8],
    ['us', '2026-11-23', '2026-11-27', 4],
  ])('%s: [%s, %s] holds %i business days', (name, from, to, expected) => {
    const cal = calendars[name as Named];
    expect(cal.businessDaysBetween(from, to)).toBe(expected);
    expect(cal.businessDaysIn(from, to)).toHaveLength(expected);
  });

  it('lists the business days themselves, skipping weekends and holidays', () => {
    expect(berlin.businessDaysIn('2026-12-23', '2026-12-30')).toEqual([
      '2026-12-23',
      '2026-12-24',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
    ]);
  });

  it.each([
    ['2026-12-12', '2026-12-14'],
    ['2026-12-14', '2026-12-14'],
    ['2026-12-24', '2026-12-24'],
    ['2026-12-25', '2026-12-28'],
  ])('the first business day on or after %s is %s (Berlin)', (date, expected) => {
    expect(berlin.onOrNextBusinessDay(date)).toBe(expected);
  });

  it.each([
    ['2026-12-11', '2026-12-14'],
    ['2026-12-14', '2026-12-15'],
    ['2026-12-24', '2026-12-28'],
    ['2026-12-31', '2027-01-04'],
  ])('the next business day after %s is %s (Berlin)', (date, expected) => {
    expect(berlin.nextBusinessDay(date)).toBe(expected);
  });
});

describe('time zones', () => {
  it.each([
    ['berlinTime', '2026-03-27', '09:00', '2026-03-27T08:00:00.000Z', 'Berlin, winter time'],
    [
      'berlinTime',
      '2026-03-30',
      '09:00',
      '2026-03-30T07:00:00.000Z',
      'Berlin, the Monday after spring forward',
    ],
    ['berlinTime', '2026-03-29', '09:00', '2026-03-29T07:00:00.000Z', 'Berlin, the day of the change'],
    ['berlinTime', '2026-10-23', '09:00', '2026-10-23T07:00:00.000Z', 'Berlin, summer time'],
    ['berlinTime', '2026-10-26', '09:00', '2026-10-26T08:00:00.000Z', 'Berlin, the Monday after fall back'],
    ['berlinTime', '2026-10-25', '09:00', '2026-10-25T08:00:00.000Z', 'Berlin, the day of the change'],
    ['newYorkTime', '2026-03-06', '09:00', '2026-03-06T14:00:00.000Z', 'New York, standard time'],
    ['newYorkTime', '2026-03-09', '09:00', '2026-03-09T13:00:00.000Z', 'New York, after spring forward'],
    ['newYorkTime', '2026-10-30', '09:00', '2026-10-30T13:00:00.000Z', 'New York, daylight time'],
    ['newYorkTime', '2026-11-02', '09:00', '2026-11-02T14:00:00.000Z', 'New York, after fall back'],
    ['newYorkTime', '2026-12-07', '00:00', '2026-12-07T05:00:00.000Z', 'New York, midnight'],
    [
      'newYorkTime',
      '2026-12-07',
      '23:59',
      '2026-12-08T04:59:00.000Z',
      'New York, the last minute of the day',
    ],
  ])('%s: %s at %s local is %s (%s)', (name, date, time, expected) => {
    expect(calendars[name as Named].instantAt(date, time).toISOString()).toBe(expected);
  });

  it.each([
    ['berlinTime', '2026-03-29', '02:30', '2026-03-29T01:00:00.000Z', '03:00 CEST'],
    ['newYorkTime', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z', '03:00 EDT'],
  ])(
    '%s: moves %s %s, skipped by spring forward, to the end of the gap (%s = %s)',
    (name, date, time, expected) => {
      expect(calendars[name as Named].instantAt(date, time).toISOString()).toBe(expected);
    },
  );

  it.each([
    ['berlinTime', '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z'],
    ['newYorkTime', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'],
  ])('%s: takes the first occurrence of %s %s, repeated by fall back', (name, date, time, expected) => {
    expect(calendars[name as Named].instantAt(date, time).toISOString()).toBe(expected);
  });

  it.each([
    ['berlinTime', '2026-12-31T22:59:59Z', '2026-12-31'],
    ['berlinTime', '2026-12-31T23:00:00Z', '2027-01-01'],
    ['berlinTime', '2026-06-30T21:59:59Z', '2026-06-30'],
    ['berlinTime', '2026-06-30T22:00:00Z', '2026-07-01'],
    ['newYorkTime', '2026-12-08T04:59:59Z', '2026-12-07'],
    ['newYorkTime', '2026-12-08T05:00:00Z', '2026-12-08'],
    ['newYorkTime', '2026-07-08T03:59:59Z', '2026-07-07'],
    ['newYorkTime', '2026-07-08T04:00:00Z', '2026-07-08'],
    ['plain', '2026-12-07T23:59:59Z', '2026-12-07'],
  ])('%s: at %s the local date is %s', (name, instant, expected) => {
    expect(calendars[name as Named].localDate(new Date(instant))).toBe(expected);
  });

  it('round-trips the reminder time through every day of a DST year', () => {
    for (const cal of [berlinTime, newYorkTime]) {
      for (let i = 0; i < 366; i++) {
        const date = addDays('2026-01-01', i);
        expect(cal.localDate(cal.instantAt(date, '09:00'))).toBe(date);
      }
    }
  });

  it('reads the date right on both sides of a clock change at midnight, asked again and again', () => {
    // Santiago changes its clocks at local midnight, so the offset decides the date; so did Tehran,
    // half past a UTC hour. The calendar remembers offsets by the hour.
    for (const [zone, days] of [
      ['America/Santiago', ['2026-04-04', '2026-09-05']],
      ['Asia/Tehran', ['2021-03-21', '2021-09-21']],
    ] as const) {
      const cal = calendar(null, zone);
      for (const day of days) {
        const from = Date.parse(`${day}T00:00:00Z`);
        for (let round = 0; round < 2; round++) {
          for (let ms = from; ms < from + 2 * 86_400_000; ms += 5 * 60_000) {
            const expected = DateTime.fromMillis(ms, { zone }).toISODate();
            expect(cal.localDate(new Date(ms))).toBe(expected);
          }
        }
      }
    }
  });

  it('rejects a malformed time', () => {
    expect(() => plain.instantAt('2026-12-07', '9:00')).toThrow();
    expect(() => plain.instantAt('2026-12-07', '24:00')).toThrow();
  });
});

describe('plain dates', () => {
  it.each([
    ['2026-12-07', '2026-12-07', 0],
    ['2026-12-07', '2026-12-14', 7],
    ['2026-12-14', '2026-12-07', -7],
    ['2026-12-31', '2027-01-01', 1],
    ['2028-02-28', '2028-03-01', 2],
    ['2026-03-28', '2026-03-30', 2],
  ])('from %s to %s is %i days', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });

  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-12-07', -180, '2026-06-10'],
  ])('%s plus %i days is %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it.each([
    ['2026-12-07', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-12-7', false],
    ['2026-12-07T00:00', false],
    [' 2026-12-07', false],
    ['07.12.2026', false],
    ['', false],
  ])('%j is a valid date: %s', (value, expected) => {
    expect(isValidLocalDate(value)).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['', false],
  ])('%j is a valid time zone: %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });

  it.each([
    ['DE', true],
    ['DE-BE', true],
    ['US', true],
    ['US-NY', true],
    ['us-ny', true],
    ['XX', false],
    ['US-XX', false],
    ['DE-BE-NOPE', false],
    ['', false],
  ])('%j is a valid holiday region: %s', (region, expected) => {
    expect(isValidHolidayRegion(region)).toBe(expected);
  });
});

describe('days off almost everywhere, counted as working days', () => {
  it("names Christmas Day and New Year's Day within the dates when the team set no holidays", () => {
    expect(commonDaysOffWorked(plain, '2026-12-14', '2027-01-08')).toEqual(['2026-12-25', '2027-01-01']);
    expect(commonDaysOffWorked(plain, '2026-12-26', '2026-12-31')).toEqual([]);
  });

  it('names none that fall on a weekend or are holidays already', () => {
    // 2027-12-25 is a Saturday and 2028-01-01 too.
    expect(commonDaysOffWorked(plain, '2027-12-20', '2028-01-07')).toEqual([]);
    expect(commonDaysOffWorked(berlin, '2026-12-14', '2027-01-08')).toEqual([]);
  });
});
