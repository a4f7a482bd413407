import { addDays, formatDay, type BusinessCalendar, type LocalDate } from './calendar.js';

/** Whether someone asked for more or fewer turns than the round robin would give them. */
export type Interest = 'more' | 'fewer' | 'normal';

export interface RotationMember {
  readonly userId: string;
  readonly name: string;
  /** On the team's rotation (false: e.g. a lead who only approves). */
  readonly inRotation: boolean;
  /** Owned engagements overlapping a window, at most (default 2; 0: never proposed). */
  readonly capacity: number;
  /** Stable tie-breaker: lower goes first (the order people joined the rotation). */
  readonly rotationOrder: number;
  /** Shifts the recent turn count by one: *more* counts one fewer, *fewer* one more (default normal). */
  readonly interest?: Interest;
  /** Paused through this day (inclusive): skipped for an engagement starting by then. */
  readonly pausedUntil?: LocalDate | null;
}

export interface TimeAway {
  readonly userId: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
}

/**
 * A turn: who owned which engagement from which day to which day (inclusive). Approval starts
 * one; a takeover ends the old owner's and starts the new owner's; a hand-back within the first
 * business day leaves none.
 */
export interface OwnershipPeriod {
  readonly engagementId: string;
  readonly ownerId: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
}

/**
 * An engagement weighing on someone's load and capacity: one they own, or one they are proposed
 * for and a lead has not decided yet (tentative: it also counts as a turn until decided).
 */
export interface Ownership {
  readonly engagementId: string;
  readonly ownerId: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
  /** Closed ones weigh nothing (kept for callers that pass a whole history). */
  readonly closed: boolean;
  /** A pending proposal, not an approved owner. */
  readonly tentative?: boolean;
  /** How people name it, e.g. "#12 Globex". */
  readonly label?: string;
}

export interface EngagementWindow {
  /** Undefined when ranking for a new engagement not yet saved. */
  readonly engagementId?: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
  readonly deliveryLeadId: string | null;
  /**
   * Ranking a stand-in for these days rather than an owner for the engagement: the reasons speak of
   * the days of cover.
   */
  readonly cover?: boolean;
}

/** Why someone is not proposed for this engagement again, whatever their rank. */
export type ExclusionReason = 'current-owner' | 'handed-back' | 'passed-over' | 'proposed';

export interface Exclusion {
  readonly userId: string;
  readonly reason: ExclusionReason;
}

export interface RotationInput {
  readonly engagement: EngagementWindow;
  readonly members: readonly RotationMember[];
  readonly timeAway: readonly TimeAway[];
  /** Open engagements owned, and pending proposals (tentative): load, capacity, tentative turns. */
  readonly ownerships: readonly Ownership[];
  /** People not to propose for this engagement (a bare id: already proposed). */
  readonly excluded: readonly (string | Exclusion)[];
  readonly calendar: BusinessCalendar;
  /** Every turn (ownership period). Absent: each non-tentative ownership counts as one turn. */
  readonly periods?: readonly OwnershipPeriod[];
  /**
   * Each member's turns relative to this window, already summarised (a database can count 100,000
   * periods faster than it can ship them). When given, `periods` are not needed. Tentative turns
   * are added on top, from `ownerships`.
   */
  readonly history?: ReadonlyMap<string, OwnershipHistory>;
}

/** What a member's turns say about them for a window starting on `startsOn`. */
export interface OwnershipHistory {
  /** Turns started in the RECENT_DAYS calendar days before the start. */
  readonly recentPast: number;
  /** Turns starting on or after the start (assigned ahead of time). */
  readonly upcoming: number;
  /** The latest turn's start strictly before the window's start. */
  readonly lastOwnedOn: LocalDate | null;
  /** Every turn ever. */
  readonly lifetime: number;
}

export type SkipReason =
  | 'not-in-rotation'
  | 'delivery-lead'
  | 'current-owner'
  | 'handed-back'
  | 'passed-over'
  | 'excluded'
  | 'paused'
  | 'away-on-start'
  | 'mostly-away'
  | 'at-capacity';

export interface Skipped {
  readonly userId: string;
  readonly name: string;
  readonly reason: SkipReason;
  /** A sentence for the proposal message, e.g. "away Tue 1 Dec – Fri 4 Dec, over the start date". */
  readonly text: string;
}

export interface Candidate {
  readonly userId: string;
  readonly name: string;
  readonly rank: number; // 1-based
  /** Overlapping open ownerships (and pending proposals), each weighted by its overlap (0..n). */
  readonly load: number;
  /**
   * Turns started in the 180 days before the window's start, plus any that start on or after it
   * (engagements are created ahead of time, in any order: an upcoming turn is a turn taken as much
   * as a past one), tentative ones included; before the interest shift.
   */
  readonly recentOwnerships: number;
  /** Start of their most recent turn before the window, or null if never. */
  readonly lastOwnedOn: LocalDate | null;
  /** Every turn ever, tentative ones included. */
  readonly lifetime: number;
  /**
   * In the team's words: first what put them ahead of the next candidate, then the facts about
   * their load and turns that sentence did not already say.
   */
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

/** Calendar days before a window's start in which past turns count as recent (about 6 months). */
export const RECENT_DAYS = 180;

/** How the recent window is said to people. */
const RECENT_WORDS = 'the last 6 months';

/** Share of the window's business days a member must be available for, in percent. */
export const MIN_AVAILABLE_PERCENT = 80;

/** What the ownerships say about one member, relative to the window. */
interface History extends OwnershipHistory {
  /** Open ownerships and pending proposals overlapping the window. */
  overlapping: Ownership[];
  /** Business days of those overlaps, summed: load × window business days. */
  overlapDays: number;
  /** Pending proposals counted as turns here. */
  tentative: Ownership[];
}

interface Away {
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
}

interface Ranked {
  readonly member: RotationMember;
  readonly history: History;
}

/** Eligible members, best first, and every other member with the reason they were skipped. */
export function rankCandidates(input: RotationInput): { ranked: Candidate[]; skipped: Skipped[] } {
  const { engagement: window, calendar } = input;
  const windowDays = calendar.businessDaysBetween(window.startsOn, window.endsOn);
  const excluded = exclusionsOf(input.excluded);
  const histories = summariseOwnerships(input);
  const awayByMember = mergeTimeAway(input);

  const eligible: Ranked[] = [];
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
  eligible.sort((a, b) => compareRanked(a, b).order);

  const span: Span = {
    days: windowDays,
    cover: input.engagement.cover === true,
    startsOn: input.engagement.startsOn,
  };
  const ranked = eligible.map((entry, i): Candidate => {
    const { member, history } = entry;
    return {
      userId: member.userId,
      name: member.name,
      rank: i + 1,
      load: windowDays > 0 ? history.overlapDays / windowDays : 0,
      recentOwnerships: recentCount(history),
      lastOwnedOn: history.lastOwnedOn,
      lifetime: history.lifetime,
      reasons: reasonsFor(entry, eligible[i + 1], i === 0 && eligible.length === 1, span),
    };
  });
  return { ranked, skipped };
}

/** The top eligible candidate (queue = the rest, in order), or why nobody is. */
export function proposeNextOwner(input: RotationInput): OwnerProposal {
  const { ranked, skipped } = rankCandidates(input);
  const [owner, ...queue] = ranked;
  return owner ? { kind: 'proposed', owner, queue, skipped } : { kind: 'nobody-eligible', skipped };
}

type RankKey = 'load' | 'recent' | 'last' | 'lifetime' | 'order';

/** The ranking, in order, and which level decided it. */
function compareRanked(a: Ranked, b: Ranked): { order: number; key: RankKey } {
  const levels: [RankKey, number][] = [
    ['load', a.history.overlapDays - b.history.overlapDays],
    ['recent', shiftedRecent(a) - shiftedRecent(b)],
    ['last', compareLastOwned(a.history.lastOwnedOn, b.history.lastOwnedOn)],
    // Without this, a member whose turns fell out of the 180 days could be picked again while
    // someone else trails by two: the round robin must hold over any stretch of time.
    ['lifetime', a.history.lifetime - b.history.lifetime],
    ['order', compareMembers(a.member, b.member)],
  ];
  for (const [key, order] of levels) if (order !== 0) return { order, key };
  return { order: 0, key: 'order' };
}

/** Recent turns as ranked: *more* interest counts one fewer, *fewer* one more. */
function shiftedRecent(entry: Ranked): number {
  const shift = entry.member.interest === 'more' ? -1 : entry.member.interest === 'fewer' ? 1 : 0;
  return recentCount(entry.history) + shift;
}

/**
 * Why a member cannot be proposed, or null if they can. The first reason that applies is the one
 * shown, in this order: not in the rotation, delivery lead, current owner / handed back / passed
 * over / excluded, paused, away on the start date, mostly away, at capacity. The order matters:
 * a lead reads the most lasting reason, not a passing one.
 */
function skipReason(
  member: RotationMember,
  history: History,
  away: readonly Away[],
  excluded: ReadonlyMap<string, ExclusionReason>,
  input: RotationInput,
  windowDays: number,
): { reason: SkipReason; text: string } | null {
  const { engagement: window, calendar } = input;
  if (!member.inRotation) return { reason: 'not-in-rotation', text: 'not in the rotation' };
  if (member.userId === window.deliveryLeadId) {
    return { reason: 'delivery-lead', text: 'delivery lead of this engagement' };
  }
  const exclusion = excluded.get(member.userId);
  if (exclusion) return EXCLUSION_SKIPS[exclusion];
  if (member.pausedUntil && member.pausedUntil >= window.startsOn) {
    return { reason: 'paused', text: `paused until ${dayOf(member.pausedUntil, window.startsOn)}` };
  }
  const overStart = away.find((a) => a.startsOn <= window.startsOn && window.startsOn <= a.endsOn);
  if (overStart) {
    return {
      reason: 'away-on-start',
      text: `away ${daysOf(overStart.startsOn, overStart.endsOn, window.startsOn)}, over the ${window.cover ? 'first day of cover' : 'start date'}`,
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
  if (member.capacity <= 0) {
    return { reason: 'at-capacity', text: 'capacity 0: a lead set them never to be proposed' };
  }
  if (history.overlapping.length >= member.capacity) {
    return {
      reason: 'at-capacity',
      text: `at capacity: ${describeEngagements(history.overlapping)} (capacity ${member.capacity})`,
    };
  }
  return null;
}

const EXCLUSION_SKIPS: Record<ExclusionReason, { reason: SkipReason; text: string }> = {
  'current-owner': { reason: 'current-owner', text: 'owns it now' },
  'handed-back': { reason: 'handed-back', text: 'handed it back' },
  'passed-over': { reason: 'passed-over', text: 'passed over for this engagement' },
  proposed: { reason: 'excluded', text: 'already proposed for this engagement' },
};

/** The strongest reason wins when someone is excluded twice (e.g. passed over, then owner). */
function exclusionsOf(excluded: RotationInput['excluded']): Map<string, ExclusionReason> {
  const strength: ExclusionReason[] = ['current-owner', 'handed-back', 'passed-over', 'proposed'];
  const byMember = new Map<string, ExclusionReason>();
  for (const e of excluded) {
    const { userId, reason } = typeof e === 'string' ? { userId: e, reason: 'proposed' as const } : e;
    const known = byMember.get(userId);
    if (!known || strength.indexOf(reason) < strength.indexOf(known)) byMember.set(userId, reason);
  }
  return byMember;
}

/**
 * The reference definition of a member's turns for a window (the database computes the same in
 * SQL from ownership periods; a test holds the two together). Turns on the window's own
 * engagement don't count.
 */
export function historyOf(
  periods: readonly OwnershipPeriod[],
  window: Pick<EngagementWindow, 'engagementId' | 'startsOn'>,
): Map<string, OwnershipHistory> {
  const histories = new Map<string, MutableHistory>();
  for (const p of periods) {
    if (window.engagementId !== undefined && p.engagementId === window.engagementId) continue;
    let history = histories.get(p.ownerId);
    if (!history)
      histories.set(p.ownerId, (history = { recentPast: 0, upcoming: 0, lastOwnedOn: null, lifetime: 0 }));
    countTurn(history, p.startsOn, window.startsOn);
  }
  return histories;
}

type MutableHistory = { -readonly [K in keyof OwnershipHistory]: OwnershipHistory[K] };

function countTurn(history: MutableHistory, startsOn: LocalDate, windowStart: LocalDate): void {
  history.lifetime++;
  if (startsOn >= windowStart) {
    history.upcoming++;
  } else {
    if (startsOn >= addDays(windowStart, -RECENT_DAYS)) history.recentPast++;
    if (history.lastOwnedOn === null || startsOn > history.lastOwnedOn) history.lastOwnedOn = startsOn;
  }
}

/** One pass over the ownerships: only open overlaps with the window cost more. */
function summariseOwnerships(input: RotationInput): Map<string, History> {
  const { engagement: window, calendar } = input;
  const past =
    input.history ?? historyOf(input.periods ?? input.ownerships.filter((o) => !o.tentative), window);
  const histories = new Map<string, History>();
  for (const member of input.members) {
    histories.set(member.userId, { ...emptyHistory(), ...past.get(member.userId) });
  }
  for (const o of input.ownerships) {
    if (window.engagementId !== undefined && o.engagementId === window.engagementId) continue;
    const history = histories.get(o.ownerId);
    if (!history) continue;
    // A pending proposal is a turn for its candidate until a lead decides it.
    if (o.tentative) {
      countTurn(history, o.startsOn, window.startsOn);
      history.tentative.push(o);
    }
    if (!o.closed && o.startsOn <= window.endsOn && o.endsOn >= window.startsOn) {
      history.overlapping.push(o);
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

function sortMembers(members: readonly RotationMember[]): RotationMember[] {
  return [...members].sort(compareMembers);
}

function compareMembers(a: RotationMember, b: RotationMember): number {
  return a.rotationOrder - b.rotationOrder || compareDates(a.userId, b.userId);
}

/** Never had a turn ranks first; otherwise the longer ago, the better. */
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
  return {
    overlapping: [],
    overlapDays: 0,
    tentative: [],
    recentPast: 0,
    upcoming: 0,
    lastOwnedOn: null,
    lifetime: 0,
  };
}

function recentCount(history: OwnershipHistory): number {
  return history.recentPast + history.upcoming;
}

function plural(n: number, noun: string): string {
  return `${n === 0 ? 'no' : n} ${noun}${n === 1 || n === 0 ? '' : 's'}`;
}

// Reasons, in the team's words. A lead reads them to see why this person and not the next one,
// so the first sentence is the comparison that decided it; the rest are the facts it left out.

/** The days ranked for, as the reasons count them: an engagement's, or a stand-in's days of cover. */
interface Span {
  readonly days: number;
  readonly cover: boolean;
  readonly startsOn: LocalDate;
}

/** A day as people read it; with its year when that is not the window's. */
const dayOf = (date: LocalDate | null, windowStart: LocalDate): string =>
  date === null ? 'never' : formatDay(date, date.slice(0, 4) !== windowStart.slice(0, 4));

/** `Tue 1 Dec – Fri 4 Dec`, or one day. */
const daysOf = (from: LocalDate, to: LocalDate, windowStart: LocalDate): string =>
  from === to ? dayOf(from, windowStart) : `${dayOf(from, windowStart)} – ${dayOf(to, windowStart)}`;

function reasonsFor(entry: Ranked, next: Ranked | undefined, onlyOne: boolean, span: Span): string[] {
  const reasons: string[] = [];
  let decided: RankKey | null = null;
  if (next) {
    decided = compareRanked(entry, next).key;
    reasons.push(leadReason(decided, entry, next, span));
  } else if (onlyOne) {
    reasons.push('the only one eligible');
  }
  if (decided !== 'load') reasons.push(loadFact(entry.history, span));
  if (decided !== 'recent') reasons.push(turnsFact(entry));
  return reasons;
}

function leadReason(key: RankKey, a: Ranked, b: Ranked, span: Span): string {
  const other = b.member.name;
  switch (key) {
    case 'load':
      // Say with what: in a batch of new engagements the other is often proposed for one already.
      return `${loadFact(a.history, span)}; ahead of ${other}, who is busy ${b.history.overlapDays} of ${span.cover ? 'those' : 'its'} ${span.days} business days (${describeEngagements(b.history.overlapping)})`;
    case 'recent':
      return `${turnsFact(a)}, ahead of ${other}, who ${recentPhrase(b, 'had')}`;
    case 'last':
      return a.history.lastOwnedOn === null
        ? `no turn before this one's start, ahead of ${other}, whose last began ${dayOf(b.history.lastOwnedOn, span.startsOn)}`
        : `last turn began ${dayOf(a.history.lastOwnedOn, span.startsOn)}, ahead of ${other}, whose last began ${dayOf(b.history.lastOwnedOn, span.startsOn)}`;
    case 'lifetime':
      return `${plural(a.history.lifetime, 'turn')} in all, ahead of ${other}, who has ${b.history.lifetime}`;
    case 'order':
      return `ahead of ${other} in the rotation order, everything else being equal`;
  }
}

function loadFact(history: History, span: Span): string {
  if (history.overlapDays === 0)
    return span.cover ? 'free on all those days' : 'free for the whole engagement';
  return `busy ${history.overlapDays} of ${span.cover ? 'those' : 'its'} ${span.days} business days: ${describeEngagements(history.overlapping)}`;
}

/** "owns #3 Acme; proposed for #12 Globex, awaiting a lead" */
function describeEngagements(ownerships: readonly Ownership[]): string {
  const sorted = [...ownerships].sort(
    (a, b) => compareDates(a.startsOn, b.startsOn) || compareDates(a.engagementId, b.engagementId),
  );
  const owned = sorted.filter((o) => !o.tentative);
  const proposed = sorted.filter((o) => o.tentative);
  const parts: string[] = [];
  if (owned.length > 0) parts.push(`owns ${namesOf(owned, 'overlapping engagement')}`);
  if (proposed.length > 0)
    parts.push(`proposed for ${namesOf(proposed, 'other engagement')}, awaiting a lead`);
  return parts.join('; ');
}

/** "#3 Acme and #5 Globex", or "2 overlapping engagements" when they have no labels. */
function namesOf(ownerships: readonly Ownership[], noun: string): string {
  if (ownerships.every((o) => o.label !== undefined)) return joinNames(ownerships.map((o) => o.label!));
  return plural(ownerships.length, noun);
}

function turnsFact(entry: Ranked): string {
  const sentence = recentPhrase(entry, null);
  const notes: string[] = [];
  // Pending proposals overlapping the window are already named by the load sentence.
  const tentative = entry.history.tentative.filter((o) => !entry.history.overlapping.includes(o));
  if (tentative.length > 0) notes.push(`proposed for ${describeTentative(tentative)}, awaiting a lead`);
  if (entry.member.interest === 'more') notes.push('asked for more turns');
  if (entry.member.interest === 'fewer') notes.push('asked for fewer turns');
  return notes.length > 0 ? `${sentence} (${notes.join('; ')})` : sentence;
}

function describeTentative(tentative: readonly Ownership[]): string {
  const sorted = [...tentative].sort(
    (a, b) => compareDates(a.startsOn, b.startsOn) || compareDates(a.engagementId, b.engagementId),
  );
  return namesOf(sorted, 'other engagement');
}

/** "no turn in the last 6 months" or, for the one compared with, "had 1". */
function recentPhrase(entry: Ranked, verb: 'had' | null): string {
  const count = recentCount(entry.history);
  const upcoming = entry.history.upcoming > 0 ? ` (${entry.history.upcoming} coming up)` : '';
  if (verb) return `${verb} ${count}${upcoming}`;
  return `${plural(count, 'turn')} in ${RECENT_WORDS}${upcoming ? ` or coming up` : ''}`;
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
