import { describe, expect, it } from 'vitest';
import { chooseBuddy, type BuddyInput, type BuddyMember } from '../../src/domain/buddy.js';
import { BusinessCalendar } from '../../src/domain/calendar.js';

const calendar = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });

const member = (
  userId: string,
  rotationOrder: number,
  overrides: Partial<BuddyMember> = {},
): BuddyMember => ({
  userId,
  name: userId.charAt(0).toUpperCase() + userId.slice(1),
  inRotation: true,
  pastTurns: 1,
  buddyTurns: 0,
  pausedUntil: null,
  rotationOrder,
  ...overrides,
});

const NEWCOMER = member('new', 9, { pastTurns: 0 });

// The standard plan from Monday 2026-12-07: 21 business days.
const input = (members: BuddyMember[], overrides: Partial<BuddyInput> = {}): BuddyInput => ({
  ownerId: 'new',
  engagement: { startsOn: '2026-12-07', endsOn: '2027-01-04', deliveryLeadId: null },
  members: [NEWCOMER, ...members],
  timeAway: [],
  calendar,
  ...overrides,
});

const buddyOf = (choice: ReturnType<typeof chooseBuddy>) =>
  choice.kind === 'buddy' ? choice.userId : choice.kind;

describe('a buddy for a first-time owner', () => {
  it('is not needed when the owner has had a turn', () => {
    expect(chooseBuddy(input([member('ann', 1)], { ownerId: 'ann' }))).toEqual({ kind: 'not-needed' });
  });

  it('is the one with fewest buddy turns, saying why', () => {
    const choice = chooseBuddy(
      input([
        member('ann', 1, { pastTurns: 4, buddyTurns: 2 }),
        member('bob', 2, { pastTurns: 2, buddyTurns: 1 }),
      ]),
    );
    expect(choice).toEqual({
      kind: 'buddy',
      userId: 'bob',
      name: 'Bob',
      reason: 'first turn as owner; Bob has run 2 engagements and been a buddy once',
    });
  });

  it('says when the buddy has not been one before', () => {
    expect(chooseBuddy(input([member('ann', 1, { pastTurns: 1 })]))).toMatchObject({
      reason: 'first turn as owner; Ann has run 1 engagement and not been a buddy yet',
    });
  });

  it.each<[string, BuddyMember[], BuddyInput['timeAway'], string | null, string]>([
    ['then the one with most turns', [member('ann', 1), member('bob', 2, { pastTurns: 3 })], [], null, 'bob'],
    ['then rotation order', [member('bob', 2), member('ann', 1)], [], null, 'ann'],
    [
      'never someone with no past turn',
      [member('ann', 1, { pastTurns: 0 }), member('bob', 2)],
      [],
      null,
      'bob',
    ],
    ['never the delivery lead', [member('ann', 1), member('bob', 2)], [], 'ann', 'bob'],
    [
      'never someone out of the rotation',
      [member('ann', 1, { inRotation: false }), member('bob', 2)],
      [],
      null,
      'bob',
    ],
    [
      'never someone paused over the start',
      [member('ann', 1, { pausedUntil: '2026-12-31' }), member('bob', 2)],
      [],
      null,
      'bob',
    ],
    [
      'never someone away on the start date',
      [member('ann', 1), member('bob', 2)],
      [{ userId: 'ann', startsOn: '2026-12-04', endsOn: '2026-12-07' }],
      null,
      'bob',
    ],
    [
      'never someone away for more than a fifth of the engagement',
      [member('ann', 1), member('bob', 2)],
      [{ userId: 'ann', startsOn: '2026-12-14', endsOn: '2026-12-18' }],
      null,
      'bob',
    ],
    [
      'someone away for less than a fifth of it',
      [member('ann', 1), member('bob', 2)],
      [{ userId: 'ann', startsOn: '2026-12-14', endsOn: '2026-12-17' }],
      null,
      'ann',
    ],
    ['nobody, when nobody has run one', [member('ann', 1, { pastTurns: 0 })], [], null, 'nobody'],
  ])('%s', (_case, members, timeAway, deliveryLeadId, expected) => {
    const choice = chooseBuddy(
      input(members, {
        timeAway,
        engagement: { startsOn: '2026-12-07', endsOn: '2027-01-04', deliveryLeadId },
      }),
    );
    expect(buddyOf(choice)).toBe(expected);
  });

  it('never someone a lead already turned down for this engagement', () => {
    expect(buddyOf(chooseBuddy(input([member('ann', 1), member('bob', 2)], { excluded: ['ann'] })))).toBe(
      'bob',
    );
  });

  it('says whether nobody has had a turn, or nobody who has is free', () => {
    const nobodyYet = chooseBuddy(input([member('ann', 1, { pastTurns: 0 })]));
    expect(nobodyYet).toEqual({ kind: 'nobody', reason: 'nobody on the team has had a turn yet' });
    const busy = chooseBuddy(input([member('ann', 1)], { excluded: ['ann'] }));
    expect(busy).toEqual({
      kind: 'nobody',
      reason: 'nobody with a past turn is available for the whole engagement',
    });
  });
});
