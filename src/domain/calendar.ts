import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import { IANAZone } from 'luxon';

/** A calendar date in the team's time zone, as `YYYY-MM-DD`. */
export type LocalDate = string;

export interface CalendarSettings {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** A `date-holidays` country or region code (`DE`, `DE-BE`, `US-NY`), or null for none. */
  readonly holidayRegion: string | null;
  /** The team's own non-working dates, on top of the region's public holidays. */
  readonly extraHolidays: readonly LocalDate[];
}

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
/**
 * Each zone offset costs an Intl formatting call (tens of microseconds); every request reads
 * today's date and a reminder plan converts thousands of times, mostly within a few hours.
 */
const OFFSET_HOURS_KEPT = 4096;

/**
 * Business days (Mon–Fri, minus holidays) in one team's time zone.
 * Zone arithmetic is delegated to Luxon; holidays to date-holidays.
 *
 * Rotation asks for business-day counts thousands of times per proposal, so dates are handled as
 * day numbers (days since 1970-01-01) with closed formulas for weekdays; holidays are subtracted
 * by binary search in a sorted per-year list. Luxon is only needed to convert instants.
 *
 * The constructor throws on an invalid time zone, holiday region or extra holiday: settings are
 * validated where they are entered (see `isValidTimeZone` and friends), so a bad value here is a bug.
 */
export class BusinessCalendar {
  private readonly zone: IANAZone;
  /** The zone's offset (ms) by hour since the epoch, for hours with no clock change. */
  private readonly offsetsByHour = new Map<number, number>();
  private readonly region: string | null;
  /** Weekday extra holidays, by year. */
  private readonly extraByYear = new Map<number, number[]>();
  /** Weekday holidays (region + extra), sorted, by year. */
  private readonly holidaysByYear = new Map<
    number,
    { readonly sorted: number[]; readonly set: Set<number> }
  >();

  constructor(readonly settings: CalendarSettings) {
    if (!isValidTimeZone(settings.timeZone)) throw new Error(`Unknown time zone: ${settings.timeZone}`);
    if (settings.holidayRegion !== null && !isValidHolidayRegion(settings.holidayRegion)) {
      throw new Error(`Unknown holiday region: ${settings.holidayRegion}`);
    }
    this.zone = IANAZone.create(settings.timeZone);
    this.region = settings.holidayRegion === null ? null : settings.holidayRegion.toUpperCase();
    for (const date of settings.extraHolidays) {
      const day = toDay(date);
      if (!isWeekday(day)) continue;
      const year = yearOf(day);
      const list = this.extraByYear.get(year) ?? [];
      list.push(day);
      this.extraByYear.set(year, list);
    }
  }

  isBusinessDay(date: LocalDate): boolean {
    const day = toDay(date);
    return isWeekday(day) && !this.isHolidayDay(day);
  }

  isHoliday(date: LocalDate): boolean {
    const day = toDay(date);
    if (isWeekday(day)) return this.isHolidayDay(day);
    // Weekend holidays are not kept in the per-year index (they never change a count); ask directly.
    return (
      this.settings.extraHolidays.includes(date) ||
      (this.region !== null && regionHolidays(this.region, yearOf(day)).includes(date))
    );
  }

  /** n business days after (n < 0: before) `date`; `date` itself need not be a business day. */
  addBusinessDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new Error(`Not a whole number of business days: ${n}`);
    return fromDay(this.addBusinessDaysToDay(toDay(date), n));
  }

  /** The first business day on or after `date`. */
  onOrNextBusinessDay(date: LocalDate): LocalDate {
    let day = toDay(date);
    while (!this.isBusinessDayNumber(day)) day++;
    return fromDay(day);
  }

  /** The first business day strictly after `date`. */
  nextBusinessDay(date: LocalDate): LocalDate {
    return fromDay(this.addBusinessDaysToDay(toDay(date), 1));
  }

  /** Business days in [from, to], both inclusive (0 if to < from). */
  businessDaysBetween(from: LocalDate, to: LocalDate): number {
    return this.countBusinessDays(toDay(from), toDay(to));
  }

  /** Business days from `from` to `to`, both inclusive. */
  businessDaysIn(from: LocalDate, to: LocalDate): LocalDate[] {
    const days: LocalDate[] = [];
    for (let day = toDay(from), last = toDay(to); day <= last; day++) {
      if (this.isBusinessDayNumber(day)) days.push(fromDay(day));
    }
    return days;
  }

  /** The team's local date at an instant. */
  localDate(instant: Date): LocalDate {
    const ms = instant.getTime();
    if (Number.isNaN(ms)) throw new Error('Invalid instant');
    return fromDay(Math.floor((ms + this.offsetMs(ms)) / MS_PER_DAY));
  }

  /**
   * The instant at which the local wall clock in the team's zone reads `time` (`HH:mm`) on `date`.
   *
   * DST: a time that does not exist (skipped when clocks spring forward, e.g. 02:30 in Berlin on
   * 2026-03-29) gives the first instant after the gap (03:00 local), so a reminder is late rather
   * than lost; a time that happens twice (clocks fall back) gives its first occurrence, so it is
   * never sent twice.
   */
  instantAt(date: LocalDate, time: string): Date {
    const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
    if (!match) throw new Error(`Not a HH:mm time: ${time}`);
    const wall = toDay(date) * MS_PER_DAY + (Number(match[1]) * 60 + Number(match[2])) * MS_PER_MINUTE;
    // A day either side of the wall time sees both offsets of any DST change near it.
    const offsets = [...new Set([wall - MS_PER_DAY, wall, wall + MS_PER_DAY].map((t) => this.offsetMs(t)))];
    const valid = offsets.map((o) => wall - o).filter((t) => t + this.offsetMs(t) === wall);
    if (valid.length > 0) return new Date(Math.min(...valid));
    // In a gap: find the first instant whose wall clock reads `time` or later (the transition).
    let lo = wall - Math.max(...offsets);
    let hi = wall - Math.min(...offsets);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (mid + this.offsetMs(mid) >= wall) hi = mid;
      else lo = mid + 1;
    }
    return new Date(lo);
  }

  private offsetMs(ms: number): number {
    const hour = Math.floor(ms / MS_PER_HOUR);
    const known = this.offsetsByHour.get(hour);
    if (known !== undefined) return known;
    const offset = this.zone.offset(ms) * MS_PER_MINUTE;
    // Kept for the whole hour only when the hour ends on the offset it starts with: an hour holding
    // a clock change is asked afresh each time. (No zone changes its clocks twice within an hour.)
    const start = hour * MS_PER_HOUR;
    const end = start + MS_PER_HOUR - 1;
    const atStart = ms === start ? offset : this.zone.offset(start) * MS_PER_MINUTE;
    if (atStart === offset && this.zone.offset(end) * MS_PER_MINUTE === offset) {
      if (this.offsetsByHour.size >= OFFSET_HOURS_KEPT) this.offsetsByHour.clear();
      this.offsetsByHour.set(hour, offset);
    }
    return offset;
  }

  private isBusinessDayNumber(day: number): boolean {
    return isWeekday(day) && !this.isHolidayDay(day);
  }

  private isHolidayDay(day: number): boolean {
    return this.holidaysOf(yearOf(day)).set.has(day);
  }

  private holidaysOf(year: number): { readonly sorted: number[]; readonly set: Set<number> } {
    let entry = this.holidaysByYear.get(year);
    if (!entry) {
      const set = new Set<number>(this.extraByYear.get(year));
      if (this.region !== null) {
        for (const date of regionHolidays(this.region, year)) {
          const day = toDay(date);
          if (isWeekday(day)) set.add(day);
        }
      }
      entry = { set, sorted: [...set].sort((a, b) => a - b) };
      this.holidaysByYear.set(year, entry);
    }
    return entry;
  }

  /** Weekday holidays in [from, to]. */
  private countHolidays(from: number, to: number): number {
    let count = 0;
    for (let year = yearOf(from), last = yearOf(to); year <= last; year++) {
      const { sorted } = this.holidaysOf(year);
      if (sorted.length > 0) count += lowerBound(sorted, to + 1) - lowerBound(sorted, from);
    }
    return count;
  }

  private countBusinessDays(from: number, to: number): number {
    if (to < from) return 0;
    return weekdaysBefore(to + 1) - weekdaysBefore(from) - this.countHolidays(from, to);
  }

  private addBusinessDaysToDay(day: number, n: number): number {
    if (n === 0) return day;
    // Jump by weekdays, then keep jumping over as many more weekdays as holidays were crossed.
    if (n > 0) {
      let end = nthWeekday(weekdaysBefore(day + 1) + n - 1);
      let missing = this.countHolidays(day + 1, end);
      while (missing > 0) {
        const next = nthWeekday(weekdaysBefore(end + 1) + missing - 1);
        missing = this.countHolidays(end + 1, next);
        end = next;
      }
      return end;
    }
    let end = nthWeekday(weekdaysBefore(day) + n);
    let missing = this.countHolidays(end, day - 1);
    while (missing > 0) {
      const next = nthWeekday(weekdaysBefore(end) - missing);
      missing = this.countHolidays(next, end - 1);
      end = next;
    }
    return end;
  }
}

/** Calendar days from a to b (b − a); both are plain dates, no zone involved. */
const DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const DAY_WITH_YEAR = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

// Days off almost everywhere: a team that set no holidays probably does not work them either.
const DAYS_OFF_ALMOST_EVERYWHERE = ['12-25', '01-01'];

/**
 * Christmas Day and New Year's Day within [from, to] that `calendar` counts as working days: what a
 * team with no holidays set should hear of, since its plan counts them.
 */
export function commonDaysOffWorked(calendar: BusinessCalendar, from: LocalDate, to: LocalDate): LocalDate[] {
  const worked: LocalDate[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const day of DAYS_OFF_ALMOST_EVERYWHERE) {
      const date = `${year}-${day}`;
      if (date >= from && date <= to && calendar.isBusinessDay(date)) worked.push(date);
    }
  }
  return worked.sort();
}

/** `2026-12-07` → `Mon 7 Dec` (a local date: no time zone shifts it). Flows' answers and messages share it. */
export function formatDay(localDate: LocalDate, withYear = false): string {
  const date = new Date(`${localDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return localDate;
  return (withYear ? DAY_WITH_YEAR : DAY).format(date).replace(',', '');
}

export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toDay(b) - toDay(a);
}

/** The date n calendar days after `date`. */
export function addDays(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new Error(`Not a whole number of days: ${n}`);
  return fromDay(toDay(date) + n);
}

/** Strictly `YYYY-MM-DD`, and a date that exists (no 2026-02-30). */
export function isValidLocalDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** A 24-hour wall-clock time `HH:MM`, as a team's reminder time is written. */
export function isValidTimeOfDay(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** `CC`, `CC-STATE` or `CC-STATE-REGION`, as date-holidays knows them (case-insensitive). */
export function isValidHolidayRegion(region: string): boolean {
  if (knownRegions.has(region)) return true;
  const valid = lookUpRegion(region);
  if (valid) knownRegions.add(region);
  return valid;
}

// Looking a region up in date-holidays' catalogue costs about half a millisecond, and every
// calendar checks its region: remember the valid ones (a finite set, unlike what users may type).
const knownRegions = new Set<string>();

// date-holidays carries every country's rules and takes a few hundred milliseconds of CPU to
// load: loaded when a region is first looked up, so a start (and every team without a region)
// never pays for it.
let holidaysClass: typeof Holidays | undefined;
const newHolidays = (): Holidays =>
  new (holidaysClass ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays)();

function lookUpRegion(region: string): boolean {
  const [country, state, area, ...rest] = region.toUpperCase().split('-');
  if (!country || rest.length > 0) return false;
  const catalogue = newHolidays();
  if (!hasKey(catalogue.getCountries(), country)) return false;
  if (state === undefined) return true;
  if (!hasKey(catalogue.getStates(country), state)) return false;
  if (area === undefined) return true;
  return hasKey(catalogue.getRegions(country, state), area);
}

function hasKey(record: Record<string, string> | undefined, key: string): boolean {
  return record !== undefined && Object.keys(record).some((k) => k.toUpperCase() === key);
}

// Holidays depend only on (region, year), and building a date-holidays instance is the slow
// part, so they are memoised across calendars: flows build a calendar per request.
const regionCache = new Map<
  string,
  { readonly source: Holidays; readonly years: Map<number, LocalDate[]> }
>();

/** Public holidays (type 'public' only: no bank, school or observance days) of a region in a year. */
function regionHolidays(region: string, year: number): LocalDate[] {
  let entry = regionCache.get(region);
  if (!entry) {
    const [country, state, area] = region.split('-');
    const source = newHolidays();
    source.init(country ?? '', state ?? '', area ?? '');
    entry = { source, years: new Map() };
    regionCache.set(region, entry);
  }
  let dates = entry.years.get(year);
  if (!dates) {
    dates = entry.source
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => h.date.slice(0, 10));
    entry.years.set(year, dates);
  }
  return dates;
}

// --- Plain date arithmetic on day numbers (days since 1970-01-01, a Thursday). ---

/** 1970-01-05, the first Monday of the epoch: weekdays are counted in weeks from it. */
const EPOCH_MONDAY = 4;

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

function isWeekday(day: number): boolean {
  return mod(day - EPOCH_MONDAY, 7) < 5;
}

/** Weekdays in [EPOCH_MONDAY, day) (negative before it): a difference of two counts a range. */
function weekdaysBefore(day: number): number {
  const k = day - EPOCH_MONDAY;
  return Math.floor(k / 7) * 5 + Math.min(mod(k, 7), 5);
}

/** The weekday with index k in the numbering `weekdaysBefore` counts (inverse of it on weekdays). */
function nthWeekday(k: number): number {
  return EPOCH_MONDAY + Math.floor(k / 5) * 7 + mod(k, 5);
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function toDay(date: LocalDate): number {
  if (!isValidLocalDate(date)) throw new Error(`Not a YYYY-MM-DD date: ${date}`);
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

function fromDay(day: number): LocalDate {
  const [y, m, d] = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function yearOf(day: number): number {
  return civilFromDays(day)[0];
}

// Howard Hinnant's proleptic-Gregorian conversions: exact for any year, no Date object involved.
function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(day: number): [number, number, number] {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}
