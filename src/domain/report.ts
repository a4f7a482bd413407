import { addDays, type BusinessCalendar, type LocalDate } from './calendar.js';

// The fairness and exposure report: who has had how much client exposure over a period,
// weighed against how much of that period each person was there to have it. Pure: the flow reads
// the periods, time away and calendar and passes them in with the dates.

export type Interest = 'more' | 'normal' | 'fewer';

export interface ReportMember {
  readonly userId: string;
  readonly name: string;
  /** The first day they could have had a turn; days before it are not counted as available. */
  readonly joinedOn: LocalDate;
  readonly interest: Interest;
  /** Not proposed until this day (inclusive), or null. */
  readonly pausedUntil: LocalDate | null;
}

/** A stretch of days one person held a role: an ownership period, a buddy's, a stand-in's, time away. */
export interface Span {
  readonly userId: string;
  readonly startsOn: LocalDate;
  /** Inclusive. An ownership still running ends on the engagement's planned end. */
  readonly endsOn: LocalDate;
}

/** An ownership period: one owner's turn at one engagement (a takeover starts a new one). */
export interface TurnSpan extends Span {
  readonly engagementId: string;
}

/** A milestone of an engagement, with who owned the engagement on its due date. */
export interface OwnedMilestone {
  readonly ownerId: string;
  readonly dueOn: LocalDate;
  /** The team's local date it was marked done, or null while open. */
  readonly doneOn: LocalDate | null;
}

/** What the database can count faster than it can ship: each member's turns relative to the period. */
export interface TurnSummary {
  /** Periods starting within [from, to]. */
  readonly turns: number;
  /** The latest period start on or before `to`, whenever it was. */
  readonly lastTurn: LocalDate | null;
}

export interface ReportInput {
  readonly from: LocalDate;
  readonly to: LocalDate;
  /** Milestones due from today on are not judged on time or late yet. */
  readonly today: LocalDate;
  readonly calendar: BusinessCalendar;
  /** Everyone the report is about (the rotation, and anyone who had a turn in the period). */
  readonly members: readonly ReportMember[];
  /** Ownership periods overlapping [from, to] (and earlier ones, unless `summaries` is given). */
  readonly turns: readonly TurnSpan[];
  readonly timeAway: readonly Span[];
  /** Buddies of first-time owners, for the engagement's window; counted by start (unless `roles` is given). */
  readonly buddyTurns: readonly TurnSpan[];
  readonly standIns: readonly Span[];
  /** Engagements each person delivered, for the engagement's window (unless `roles` is given). */
  readonly deliveryLeads: readonly TurnSpan[];
  readonly milestones: readonly OwnedMilestone[];
  /** Per member, as `turnSummaryOf` defines it; absent → computed from `turns`. */
  readonly summaries?: ReadonlyMap<string, TurnSummary>;
  /** Per owner, as `onTimeOf` defines it; absent → computed from `milestones`. */
  readonly onTime?: ReadonlyMap<string, OnTime>;
  /** Per member, as `roleCountsOf` defines it; absent → computed from `buddyTurns` and `deliveryLeads`. */
  readonly roles?: ReadonlyMap<string, RoleCounts>;
}

/** A member's turns in the other roles of an engagement, in the period. */
export interface RoleCounts {
  /** Buddy turns starting in the period. */
  readonly buddyTurns: number;
  /** Engagements overlapping the period that they delivered. */
  readonly deliveryLeadEngagements: number;
}

/** Milestones of someone's engagements due in the period and already judged, and those done in time. */
export interface OnTime {
  readonly done: number;
  readonly due: number;
}

export interface MemberExposure {
  readonly userId: string;
  readonly name: string;
  readonly interest: Interest;
  readonly pausedUntil: LocalDate | null;
  readonly turns: number;
  /** Business days in the period on which they owned an engagement and were not away. */
  readonly daysOwned: number;
  /** Business days in the period since they joined, less their time away. */
  readonly daysAvailable: number;
  /** null when they had no available day. */
  readonly turnsPer100Days: number | null;
  readonly lastTurn: LocalDate | null;
  readonly buddyTurns: number;
  readonly standInDays: number;
  readonly deliveryLeadEngagements: number;
  /** Milestones of their engagements done by their due date, of those due before today. */
  readonly onTime: OnTime;
  /** Their share of the team's turns in the period, had turns followed availability. */
  readonly fairShare: number;
  /** Why they are flagged, or null. */
  readonly flag: string | null;
}

export interface ExposureReport {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly members: readonly MemberExposure[];
  /** Mean over pairs of min/max of turns per available day; null with fewer than two to compare. */
  readonly balance: number | null;
  /** Fewest and most turns (raw counts) among members who were available. */
  readonly spread: { readonly fewest: number; readonly most: number } | null;
  readonly totalTurns: number;
}

/** Below this the team's balance is called uneven. */
export const UNEVEN_BELOW = 0.8;

/** "No turn in six months": the calendar days looked back over from the report's last day. */
export const NO_TURN_DAYS = 182;

/** A period of about a year, ending on `today`: the report's default. */
export function defaultReportPeriod(today: LocalDate): { from: LocalDate; to: LocalDate } {
  const [y, m, d] = today.split('-');
  const yearAgo = `${Number(y) - 1}-${m}-${m === '02' && d === '29' ? '28' : d}`;
  return { from: addDays(yearAgo, 1), to: today };
}

/**
 * The reference definition of each member's turn summary for a period (the database computes the
 * same in SQL; a test holds the two together).
 */
export function turnSummaryOf(
  turns: readonly TurnSpan[],
  period: { readonly from: LocalDate; readonly to: LocalDate },
): Map<string, TurnSummary> {
  const summaries = new Map<string, { turns: number; lastTurn: LocalDate | null }>();
  for (const t of turns) {
    if (t.startsOn > period.to) continue;
    let summary = summaries.get(t.userId);
    if (!summary) summaries.set(t.userId, (summary = { turns: 0, lastTurn: null }));
    if (t.startsOn >= period.from) summary.turns++;
    if (summary.lastTurn === null || t.startsOn > summary.lastTurn) summary.lastTurn = t.startsOn;
  }
  return summaries;
}

/**
 * The reference definition of on time (the database counts the same in SQL): of an owner's
 * milestones due in the period, those due before today or already done are judged; on time is done
 * on or before the due date.
 */
export function onTimeOf(
  milestones: readonly OwnedMilestone[],
  period: { readonly from: LocalDate; readonly to: LocalDate; readonly today: LocalDate },
): Map<string, OnTime> {
  const byOwner = new Map<string, { done: number; due: number }>();
  for (const m of milestones) {
    if (m.dueOn < period.from || m.dueOn > period.to) continue;
    if (!(m.dueOn < period.today || m.doneOn !== null)) continue;
    let counts = byOwner.get(m.ownerId);
    if (!counts) byOwner.set(m.ownerId, (counts = { done: 0, due: 0 }));
    counts.due++;
    if (m.doneOn !== null && m.doneOn <= m.dueOn) counts.done++;
  }
  return byOwner;
}

/**
 * The reference definition of each member's buddy turns and delivery-lead engagements in a period
 * (the database counts the same in SQL; a test holds the two together).
 */
export function roleCountsOf(
  buddyTurns: readonly TurnSpan[],
  deliveryLeads: readonly TurnSpan[],
  period: { readonly from: LocalDate; readonly to: LocalDate },
): Map<string, RoleCounts> {
  const buddies = new Map<string, number>();
  for (const b of buddyTurns) {
    if (b.startsOn < period.from || b.startsOn > period.to) continue;
    buddies.set(b.userId, (buddies.get(b.userId) ?? 0) + 1);
  }
  const delivered = new Map<string, Set<string>>();
  for (const d of deliveryLeads) {
    if (d.startsOn > period.to || d.endsOn < period.from) continue;
    let engagements = delivered.get(d.userId);
    if (!engagements) delivered.set(d.userId, (engagements = new Set()));
    engagements.add(d.engagementId);
  }
  const counts = new Map<string, RoleCounts>();
  for (const userId of new Set([...buddies.keys(), ...delivered.keys()])) {
    counts.set(userId, {
      buddyTurns: buddies.get(userId) ?? 0,
      deliveryLeadEngagements: delivered.get(userId)?.size ?? 0,
    });
  }
  return counts;
}

export function exposureReport(input: ReportInput): ExposureReport {
  const { from, to, calendar } = input;
  const summaries = input.summaries ?? turnSummaryOf(input.turns, input);
  const clip = (span: Pick<Span, 'startsOn' | 'endsOn'>): number =>
    span.endsOn < from || span.startsOn > to
      ? 0
      : calendar.businessDaysBetween(maxDate(span.startsOn, from), minDate(span.endsOn, to));

  const awayByMember = groupBy(input.timeAway);
  const turnsByMember = groupBy(input.turns);
  const standInsByMember = groupBy(input.standIns);
  const onTimes = input.onTime ?? onTimeOf(input.milestones, input);
  const roles = input.roles ?? roleCountsOf(input.buddyTurns, input.deliveryLeads, input);
  const rows = input.members.map((member) => {
    const summary = summaries.get(member.userId) ?? { turns: 0, lastTurn: null };
    const countedFrom = maxDate(from, member.joinedOn);
    const inPeriod = countedFrom > to ? 0 : calendar.businessDaysBetween(countedFrom, to);
    const away = merge(awayByMember.get(member.userId) ?? []);
    const awayDays = away.reduce(
      (sum, a) => sum + clip({ ...a, startsOn: maxDate(a.startsOn, countedFrom) }),
      0,
    );
    const daysAvailable = Math.max(0, inPeriod - awayDays);
    const mine = <T>(byMember: ReadonlyMap<string, T[]>): T[] => byMember.get(member.userId) ?? [];
    const onTime = onTimes.get(member.userId) ?? { done: 0, due: 0 };
    const role = roles.get(member.userId) ?? { buddyTurns: 0, deliveryLeadEngagements: 0 };
    return {
      member,
      turns: summary.turns,
      lastTurn: summary.lastTurn,
      // Days they were an owner and there: two engagements at once are one day owned, and a day
      // away (a stand-in's, or nobody's) is not exposure, so this never exceeds the days available.
      daysOwned: ownedDays(merge(mine(turnsByMember)), away, clip),
      daysAvailable,
      buddyTurns: role.buddyTurns,
      standInDays: mine(standInsByMember).reduce((sum, s) => sum + clip(s), 0),
      deliveryLeadEngagements: role.deliveryLeadEngagements,
      onTime,
    };
  });

  const totalTurns = rows.reduce((sum, r) => sum + r.turns, 0);
  const totalAvailable = rows.reduce((sum, r) => sum + r.daysAvailable, 0);
  const compared = rows.filter((r) => r.daysAvailable > 0);
  const recentFrom = addDays(to, -NO_TURN_DAYS + 1);
  const hadRecentTurn = (r: (typeof rows)[number]) => r.lastTurn !== null && r.lastTurn >= recentFrom;
  const someoneHadOne = rows.some(hadRecentTurn);

  const members = rows.map((r): MemberExposure => {
    const { member } = r;
    return {
      userId: member.userId,
      name: member.name,
      interest: member.interest,
      pausedUntil: member.pausedUntil,
      turns: r.turns,
      daysOwned: r.daysOwned,
      daysAvailable: r.daysAvailable,
      turnsPer100Days: r.daysAvailable > 0 ? (100 * r.turns) / r.daysAvailable : null,
      lastTurn: r.lastTurn,
      buddyTurns: r.buddyTurns,
      standInDays: r.standInDays,
      deliveryLeadEngagements: r.deliveryLeadEngagements,
      onTime: r.onTime,
      fairShare: totalAvailable > 0 ? (totalTurns * r.daysAvailable) / totalAvailable : 0,
      flag: flagOf(member, r, { someoneHadOne, recent: hadRecentTurn(r), recentFrom, to }),
    };
  });

  return {
    from,
    to,
    members,
    balance: balanceOf(compared.map((r) => r.turns / r.daysAvailable)),
    spread:
      compared.length === 0
        ? null
        : {
            fewest: Math.min(...compared.map((r) => r.turns)),
            most: Math.max(...compared.map((r) => r.turns)),
          },
    totalTurns,
  };
}

/**
 * The team's balance: the mean, over every pair of members, of the smaller of their weighted turn
 * counts divided by the larger (1 when both are 0). 1.0 means everyone had turns in proportion to
 * their availability; one member with none while the others had some pulls it towards 0.
 */
export function balanceOf(weighted: readonly number[]): number | null {
  if (weighted.length < 2) return null;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < weighted.length; i++) {
    for (let j = i + 1; j < weighted.length; j++) {
      const a = weighted[i]!;
      const b = weighted[j]!;
      const most = Math.max(a, b);
      sum += most === 0 ? 1 : Math.min(a, b) / most;
      pairs++;
    }
  }
  return sum / pairs;
}

/**
 * Flagged: no turn in the six months up to the report's end while someone else had one. Not for
 * someone who joined within those six months (they have not had the time), nor someone paused now
 * (they asked not to have one); asking for fewer turns is still asking for some.
 */
function flagOf(
  member: ReportMember,
  row: { lastTurn: LocalDate | null },
  context: { someoneHadOne: boolean; recent: boolean; recentFrom: LocalDate; to: LocalDate },
): string | null {
  if (context.recent || !context.someoneHadOne) return null;
  if (member.joinedOn > context.recentFrom) return null;
  if (member.pausedUntil !== null && member.pausedUntil >= context.to) return null;
  return row.lastTurn === null ? 'no turn yet' : `no turn since ${row.lastTurn}`;
}

function groupBy<T extends { userId: string }>(items: readonly T[]): Map<string, T[]> {
  const byUser = new Map<string, T[]>();
  for (const item of items) {
    const list = byUser.get(item.userId);
    if (list) list.push(item);
    else byUser.set(item.userId, [item]);
  }
  return byUser;
}

/** Overlapping or adjacent spans of one person joined, so a day away twice counts once. */
/**
 * Business days in the period within `owned` but not `away` (each merged: sorted, disjoint): the
 * days in `owned` less those in both, found by walking the two lists together.
 */
function ownedDays(
  owned: readonly Span[],
  away: readonly Span[],
  clip: (span: Pick<Span, 'startsOn' | 'endsOn'>) => number,
): number {
  let days = owned.reduce((sum, span) => sum + clip(span), 0);
  let j = 0;
  for (const span of owned) {
    while (j < away.length && away[j]!.endsOn < span.startsOn) j++;
    for (let k = j; k < away.length && away[k]!.startsOn <= span.endsOn; k++) {
      const a = away[k]!;
      days -= clip({ startsOn: maxDate(a.startsOn, span.startsOn), endsOn: minDate(a.endsOn, span.endsOn) });
    }
  }
  return days;
}

function merge(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : 0));
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.startsOn <= addDays(last.endsOn, 1)) {
      merged[merged.length - 1] = { ...last, endsOn: maxDate(last.endsOn, span.endsOn) };
    } else {
      merged.push(span);
    }
  }
  return merged;
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}
