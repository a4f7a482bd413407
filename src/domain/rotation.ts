import { addDays, type BusinessCalendar, type LocalDate } from './calendar.js';

export interface RotationMember {
  readonly userId: string;
  readonly name: string;
  /** On the team's rotation (false: e.g. a lead who only approves). */
  readonly inRotation: boolean;
  /** Owned engagements overlapping a window, at most (default 2). */
  readonly capacity: number;
  /** Stable tie-breaker: lower goes first (the order people joined the rotation). */
  readonly rotationOrder: number;
}

export interface TimeAway {
  readonly userId: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
}

/** An engagement someone owns or owned (closed ones count for history, not load). */
export interface Ownership {
  readonly engagementId: string;
  readonly ownerId: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
  readonly closed: boolean;
}

export interface EngagementWindow {
  /** Undefined when ranking for a new engagement not yet saved. */
  readonly engagementId?: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
  readonly deliveryLeadId: string | null;
}

export interface RotationInput {
  readonly engagement: EngagementWindow;
  readonly members: readonly RotationMember[];
  readonly timeAway: readonly TimeAway[];
  readonly ownerships: readonly Ownership[];
  /** People already proposed, passed over or declined for this engagement: never proposed again. */
  readonly excluded: readonly string[];
  readonly calendar: BusinessCalendar;
  /**
   * Each member's past ownerships relative to this window, already summarised (a database can
   * count 100,000 rows faster than it can ship them). When given, `ownerships` need only hold
   * the open ones, for load and capacity. Absent: summarised from `ownerships` by `historyOf`.
   */
  readonly history?: ReadonlyMap<string, OwnershipHistory>;
}

/** What a member's ownerships say about them for a window starting on `startsOn`. */
export interface OwnershipHistory {
  /** Started in the RECENT_DAYS calendar days before the start. */
  readonly recentPast: number;
  /** Starting on or after the start (assigned ahead of time). */
  readonly upcoming: number;
  /** The latest start strictly before the window's start. */
  readonly lastOwnedOn: LocalDate | null;
  /** Every ownership ever. */
  readonly lifetime: number;
}

export type SkipReason =
  'not-in-rotation' | 'delivery-lead' | 'excluded' | 'away-on-start' | 'mostly-away' | 'at-capacity';

export interface Skipped {
  readonly userId: string;
  readonly name: string;
  readonly reason: SkipReason;
  /** A sentence for the proposal message, e.g. "away 2026-12-01 – 2026-12-04 (start date)". */
  readonly text: string;
}

export interface Candidate {
  readonly userId: string;
  readonly name: string;
  readonly rank: number; // 1-based
  /** Overlapping open ownerships, each weighted by its overlap with the window (0..n). */
  readonly load: number;
  /**
   * Ownerships started in the 180 days before the window's start, plus any already assigned that
   * start on or after it (engagements are created ahead of time, in any order: an upcoming one is
   * a turn taken as much as a past one).
   */
  readonly recentOwnerships: number;
  /** Start of their most recent ownership before the window, or null if never. */
  readonly lastOwnedOn: LocalDate | null;
  /** Sentences explaining the position, in ranking order: load, recent, last, in all, order. */
  readonly reasons: readonly string[];
}

export type OwnerProposal =
  | {
      readonly kind: 'proposed';
      readonly owner: Candidate;
      readonly queue: readonly Candidate[];
      readonly skipped: readonly Skipped[];
    }
  | { readonly kind: 'nobody-eligible'; readonly skipped: readonly Skipped[] };

/** Calendar days before a window's start in which past ownerships count as recent. */
export const RECENT_DAYS = 180;

/** The order in which skip reasons are checked: a member gets the first that applies. */
export const SKIP_REASONS: readonly SkipReason[] = [
  'not-in-rotation',
  'delivery-lead',
  'excluded',
  'away-on-start',
  'mostly-away',
  'at-capacity',
];

/** Share of the window's business days a member must be available for, in percent. */
export const MIN_AVAILABLE_PERCENT = 80;

/** What the ownerships say about one member, relative to the window. */
interface History extends OwnershipHistory {
  /** Open ownerships overlapping the window. */
  overlapping: number;
  /** Business days of those overlaps, summed: load × window business days. */
  overlapDays: number;
}

interface Away {
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
}

/** Eligible members, best first, and every other member with the reason they were skipped. */
export function rankCandidates(input: RotationInput): { ranked: Candidate[]; skipped: Skipped[] } {
  const { engagement: window, calendar } = input;
  const windowDays = calendar.businessDaysBetween(window.startsOn, window.endsOn);
  const excluded = new Set(input.excluded);
  const histories = summariseOwnerships(input);
  const awayByMember = mergeTimeAway(input);
  const orderPosition = rotationOrderPositions(input.members);

  const eligible: { member: RotationMember; history: History }[] = [];
  const skipped: Skipped[] = [];
  for (const member of sortMembers(input.members)) {
    const history = histories.get(member.userId) ?? emptyHistory();
    const skip = skipReason(
      member,
      history,
      awayByMember.get(member.userId) ?? [],
      excluded,
      input,
      windowDays,
    );
    if (skip) skipped.push({ userId: member.userId, name: member.name, ...skip });
    else eligible.push({ member, history });
  }

  // Load is compared as summed overlap days: every candidate shares the denominator (the window's
  // business days), so integers rank exactly and floating-point noise cannot break a tie.
  eligible.sort(
    (a, b) =>
      a.history.overlapDays - b.history.overlapDays ||
      recentCount(a.history) - recentCount(b.history) ||
      compareLastOwned(a.history.lastOwnedOn, b.history.lastOwnedOn) ||
      // Without this, a member whose turns fell out of the 180 days could be picked again while
      // someone else trails by two: the round robin must hold over any stretch of time.
      a.history.lifetime - b.history.lifetime ||
      compareMembers(a.member, b.member),
  );

  const ranked = eligible.map(({ member, history }, i): Candidate => {
    const load = windowDays > 0 ? history.overlapDays / windowDays : 0;
    return {
      userId: member.userId,
      name: member.name,
      rank: i + 1,
      load,
      recentOwnerships: recentCount(history),
      lastOwnedOn: history.lastOwnedOn,
      reasons: [
        loadReason(load, history.overlapping),
        recentReason(history),
        lastOwnedReason(history),
        `${plural(history.lifetime, 'ownership')} in all`,
        `#${orderPosition.get(member.userId) ?? 0} in rotation order`,
      ],
    };
  });
  return { ranked, skipped };
}

/** DESIGN §3: the top eligible candidate (queue = the rest, in order), or why nobody is. */
export function proposeNextOwner(input: RotationInput): OwnerProposal {
  const { ranked, skipped } = rankCandidates(input);
  const [owner, ...queue] = ranked;
  return owner ? { kind: 'proposed', owner, queue, skipped } : { kind: 'nobody-eligible', skipped };
}

function skipReason(
  member: RotationMember,
  history: History,
  away: readonly Away[],
  excluded: ReadonlySet<string>,
  input: RotationInput,
  windowDays: number,
): { reason: SkipReason; text: string } | null {
  const { engagement: window, calendar } = input;
  if (!member.inRotation) return { reason: 'not-in-rotation', text: 'not in the rotation' };
  if (member.userId === window.deliveryLeadId) {
    return { reason: 'delivery-lead', text: 'delivery lead of this engagement' };
  }
  if (excluded.has(member.userId)) {
    return { reason: 'excluded', text: 'already proposed for this engagement' };
  }
  const overStart = away.find((a) => a.startsOn <= window.startsOn && window.startsOn <= a.endsOn);
  if (overStart) {
    return {
      reason: 'away-on-start',
      text: `away ${overStart.startsOn} – ${overStart.endsOn}, over the start date`,
    };
  }
  let awayDays = 0;
  for (const a of away) {
    if (a.endsOn < window.startsOn || a.startsOn > window.endsOn) continue;
    awayDays += calendar.businessDaysBetween(
      maxDate(a.startsOn, window.startsOn),
      minDate(a.endsOn, window.endsOn),
    );
  }
  if (100 * (windowDays - awayDays) < MIN_AVAILABLE_PERCENT * windowDays) {
    const percent = Math.round((100 * awayDays) / windowDays);
    return { reason: 'mostly-away', text: `away ${awayDays} of ${windowDays} business days (${percent}%)` };
  }
  if (history.overlapping >= member.capacity) {
    return {
      reason: 'at-capacity',
      text: `at capacity: owns ${plural(history.overlapping, 'overlapping engagement')} (capacity ${member.capacity})`,
    };
  }
  return null;
}

/**
 * The reference definition of a member's history for a window (the database computes the same in
 * SQL; a test holds the two together). Ownerships of the window's own engagement don't count.
 */
export function historyOf(
  ownerships: readonly Ownership[],
  window: Pick<EngagementWindow, 'engagementId' | 'startsOn'>,
): Map<string, OwnershipHistory> {
  const recentFrom = addDays(window.startsOn, -RECENT_DAYS);
  const histories = new Map<
    string,
    { recentPast: number; upcoming: number; lastOwnedOn: LocalDate | null; lifetime: number }
  >();
  for (const o of ownerships) {
    if (window.engagementId !== undefined && o.engagementId === window.engagementId) continue;
    let history = histories.get(o.ownerId);
    if (!history)
      histories.set(o.ownerId, (history = { recentPast: 0, upcoming: 0, lastOwnedOn: null, lifetime: 0 }));
    history.lifetime++;
    if (o.startsOn >= window.startsOn) {
      history.upcoming++;
    } else {
      if (o.startsOn >= recentFrom) history.recentPast++;
      if (history.lastOwnedOn === null || o.startsOn > history.lastOwnedOn) history.lastOwnedOn = o.startsOn;
    }
  }
  return histories;
}

/** One pass over the ownerships: only open overlaps with the window cost more. */
function summariseOwnerships(input: RotationInput): Map<string, History> {
  const { engagement: window, calendar } = input;
  const past = input.history ?? historyOf(input.ownerships, window);
  const histories = new Map<string, History>();
  for (const member of input.members) {
    histories.set(member.userId, { ...emptyHistory(), ...past.get(member.userId) });
  }
  for (const o of input.ownerships) {
    if (window.engagementId !== undefined && o.engagementId === window.engagementId) continue;
    const history = histories.get(o.ownerId);
    if (!history) continue;
    if (!o.closed && o.startsOn <= window.endsOn && o.endsOn >= window.startsOn) {
      history.overlapping++;
      history.overlapDays += calendar.businessDaysBetween(
        maxDate(o.startsOn, window.startsOn),
        minDate(o.endsOn, window.endsOn),
      );
    }
  }
  return histories;
}

/** Each member's time away as disjoint ranges, adjacent or overlapping ones joined. */
function mergeTimeAway(input: RotationInput): Map<string, Away[]> {
  const byMember = new Map<string, Away[]>();
  for (const member of input.members) byMember.set(member.userId, []);
  for (const away of input.timeAway) byMember.get(away.userId)?.push(away);
  for (const [userId, ranges] of byMember) {
    if (ranges.length === 0) continue;
    ranges.sort((a, b) => compareDates(a.startsOn, b.startsOn) || compareDates(a.endsOn, b.endsOn));
    const merged: Away[] = [];
    for (const range of ranges) {
      const last = merged[merged.length - 1];
      if (last && range.startsOn <= addDays(last.endsOn, 1)) {
        merged[merged.length - 1] = { startsOn: last.startsOn, endsOn: maxDate(last.endsOn, range.endsOn) };
      } else {
        merged.push({ startsOn: range.startsOn, endsOn: range.endsOn });
      }
    }
    byMember.set(userId, merged);
  }
  return byMember;
}

function rotationOrderPositions(members: readonly RotationMember[]): Map<string, number> {
  const positions = new Map<string, number>();
  sortMembers(members.filter((m) => m.inRotation)).forEach((m, i) => positions.set(m.userId, i + 1));
  return positions;
}

function sortMembers(members: readonly RotationMember[]): RotationMember[] {
  return [...members].sort(compareMembers);
}

function compareMembers(a: RotationMember, b: RotationMember): number {
  return a.rotationOrder - b.rotationOrder || compareDates(a.userId, b.userId);
}

/** Never owned ranks first; otherwise the longer ago, the better. */
function compareLastOwned(a: LocalDate | null, b: LocalDate | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareDates(a, b);
}

/** Plain code-unit order: `YYYY-MM-DD` sorts chronologically, and ids sort the same everywhere. */
function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

function emptyHistory(): History {
  return { overlapping: 0, overlapDays: 0, recentPast: 0, upcoming: 0, lastOwnedOn: null, lifetime: 0 };
}

function recentCount(history: History): number {
  return history.recentPast + history.upcoming;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function loadReason(load: number, overlapping: number): string {
  const detail = overlapping > 0 ? ` (${plural(overlapping, 'overlapping engagement')})` : '';
  return `load ${load.toFixed(2)} over the window${detail}`;
}

function recentReason(history: History): string {
  const count = recentCount(history);
  if (count === 0) return `no ownerships in the last ${RECENT_DAYS} days`;
  const upcoming = history.upcoming > 0 ? ' or upcoming' : '';
  return `${plural(count, 'ownership')} in the last ${RECENT_DAYS} days${upcoming}`;
}

function lastOwnedReason(history: History): string {
  if (history.lastOwnedOn !== null) return `last owned ${history.lastOwnedOn}`;
  return history.upcoming > 0 ? 'no ownership before this start' : 'has not owned an engagement yet';
}
