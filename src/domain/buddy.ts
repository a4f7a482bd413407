import type { BusinessCalendar, LocalDate } from './calendar.js';

// A first-time owner is paired with someone who has run an engagement before.
// Pure: the flow passes in who has had turns and buddy turns, and who is away.

/** Below this share of the window's business days available, someone can't be a buddy. */
export const BUDDY_MIN_AVAILABLE_PERCENT = 80;

export interface BuddyMember {
  readonly userId: string;
  readonly name: string;
  readonly inRotation: boolean;
  /** Ownership periods they have had (started before the window, or any: the flow decides). */
  readonly pastTurns: number;
  /** Times they have been a first-time owner's buddy. */
  readonly buddyTurns: number;
  /** Paused members are left alone: until this day inclusive, or null. */
  readonly pausedUntil: LocalDate | null;
  /** Stable tie-breaker: lower goes first. */
  readonly rotationOrder: number;
}

export interface BuddyInput {
  readonly ownerId: string;
  readonly engagement: {
    readonly startsOn: LocalDate;
    readonly endsOn: LocalDate;
    readonly deliveryLeadId: string | null;
  };
  readonly members: readonly BuddyMember[];
  readonly timeAway: readonly { userId: string; startsOn: LocalDate; endsOn: LocalDate }[];
  readonly calendar: BusinessCalendar;
  /** People a lead already turned down as this engagement's buddy. */
  readonly excluded?: readonly string[];
}

export type BuddyChoice =
  | { readonly kind: 'not-needed' }
  | { readonly kind: 'buddy'; readonly userId: string; readonly name: string; readonly reason: string }
  | { readonly kind: 'nobody'; readonly reason: string };

/**
 * The buddy for an owner: only when the owner has no turn yet; then the available member with at
 * least one past turn, not the delivery lead, fewest buddy turns first (so the teaching is shared),
 * then most turns (more to pass on), then rotation order.
 */
export function chooseBuddy(input: BuddyInput): BuddyChoice {
  const owner = input.members.find((m) => m.userId === input.ownerId);
  if (owner && owner.pastTurns > 0) return { kind: 'not-needed' };
  const excluded = new Set(input.excluded ?? []);
  const candidates = input.members
    .filter(
      (m) =>
        m.userId !== input.ownerId &&
        m.inRotation &&
        m.pastTurns > 0 &&
        m.userId !== input.engagement.deliveryLeadId &&
        !excluded.has(m.userId) &&
        !(m.pausedUntil !== null && m.pausedUntil >= input.engagement.startsOn) &&
        isAvailable(m.userId, input),
    )
    .sort(
      (a, b) =>
        a.buddyTurns - b.buddyTurns ||
        b.pastTurns - a.pastTurns ||
        a.rotationOrder - b.rotationOrder ||
        (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
    );
  const buddy = candidates[0];
  if (!buddy) {
    const experienced = input.members.some((m) => m.userId !== input.ownerId && m.pastTurns > 0);
    return {
      kind: 'nobody',
      reason: experienced
        ? 'nobody with a past turn is available for the whole engagement'
        : 'nobody on the team has had a turn yet',
    };
  }
  return {
    kind: 'buddy',
    userId: buddy.userId,
    name: buddy.name,
    reason:
      `first turn as owner; ${buddy.name} has run ${plural(buddy.pastTurns, 'engagement')} ` +
      (buddy.buddyTurns === 0 ? 'and not been a buddy yet' : `and been a buddy ${times(buddy.buddyTurns)}`),
  };
}

/** Not away on the start date, and there for at least 80 % of the window's business days. */
function isAvailable(userId: string, input: BuddyInput): boolean {
  const { startsOn, endsOn } = input.engagement;
  const windowDays = input.calendar.businessDaysBetween(startsOn, endsOn);
  const away = input.timeAway.filter(
    (a) => a.userId === userId && a.startsOn <= endsOn && a.endsOn >= startsOn,
  );
  if (away.some((a) => a.startsOn <= startsOn && startsOn <= a.endsOn)) return false;
  const awayDays = new Set<LocalDate>();
  for (const a of away) {
    const first = a.startsOn > startsOn ? a.startsOn : startsOn;
    const last = a.endsOn < endsOn ? a.endsOn : endsOn;
    for (const day of input.calendar.businessDaysIn(first, last)) awayDays.add(day);
  }
  return 100 * (windowDays - awayDays.size) >= BUDDY_MIN_AVAILABLE_PERCENT * windowDays;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}
