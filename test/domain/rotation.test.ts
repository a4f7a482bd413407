import { describe, expect, it } from 'vitest';
import { addDays, BusinessCalendar } from '../../src/domain/calendar.js';
import {
  proposeNextOwner,
  rankCandidates,
  type EngagementWindow,
  type Ownership,
  type RotationInput,
  type RotationMember,
  type TimeAway,
} from '../../src/domain/rotation.js';

const calendar = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });

/** The standard plan from Monday 2026-12-07: 21 business days, without holidays. */
const WINDOW: EngagementWindow = {
  engagementId: 'e-new',
  startsOn: '2026-12-07',
  endsOn: '2027-01-04',
  deliveryLeadId: null,
};

const member = (
  userId: string,
  rotationOrder: number,
  overrides: Partial<RotationMember> = {},
): RotationMember => ({
  userId,
  name: userId.toUpperCase(),
  inRotation: true,
  capacity: 2,
  rotationOrder,
  ...overrides,
});

let nextEngagement = 0;
const owned = (
  ownerId: string,
  startsOn: string,
  endsOn: string,
  overrides: Partial<Ownership> = {},
): Ownership => ({
  engagementId: `e${++nextEngagement}`,
  ownerId,
  startsOn,
  endsOn,
  closed: false,
  ...overrides,
});

const away = (userId: string, startsOn: string, endsOn: string): TimeAway => ({ userId, startsOn, endsOn });

const input = (overrides: Partial<RotationInput>): RotationInput => ({
  engagement: WINDOW,
  members: [],
  timeAway: [],
  ownerships: [],
  excluded: [],
  calendar,
  ...overrides,
});

const ids = (candidates: readonly { userId: string }[]) => candidates.map((c) => c.userId);

describe('who is eligible', () => {
  it.each<[string, Partial<RotationInput>, string]>([
    ['not in the rotation', { members: [member('ann', 1, { inRotation: false })] }, 'not in the rotation'],
    [
      'the delivery lead',
      { members: [member('ann', 1)], engagement: { ...WINDOW, deliveryLeadId: 'ann' } },
      'delivery lead of this engagement',
    ],
    [
      'already proposed',
      { members: [member('ann', 1)], excluded: ['ann'] },
      'already proposed for this engagement',
    ],
    [
      'away over the start date',
      { members: [member('ann', 1)], timeAway: [away('ann', '2026-12-01', '2026-12-07')] },
      'away Tue 1 Dec – Mon 7 Dec, over the start date',
    ],
    [
      'away for more than a fifth of the window',
      { members: [member('ann', 1)], timeAway: [away('ann', '2026-12-08', '2026-12-14')] },
      'away 5 of 21 business days (24%)',
    ],
    [
      'at capacity',
      {
        members: [member('ann', 1)],
        ownerships: [owned('ann', '2026-11-23', '2026-12-21'), owned('ann', '2026-12-28', '2027-01-25')],
      },
      'at capacity: owns 2 overlapping engagements (capacity 2)',
    ],
    [
      'at a capacity of one',
      {
        members: [member('ann', 1, { capacity: 1 })],
        ownerships: [owned('ann', '2027-01-04', '2027-02-01')],
      },
      'at capacity: owns 1 overlapping engagement (capacity 1)',
    ],
  ])('skips a member who is %s, saying so', (_case, overrides, text) => {
    const proposal = proposeNextOwner(input(overrides));
    expect(proposal.kind).toBe('nobody-eligible');
    expect(proposal.skipped).toHaveLength(1);
    expect(proposal.skipped[0]?.text).toBe(text);
  });

  it('never proposes the delivery lead as owner', () => {
    const proposal = proposeNextOwner(
      input({
        members: [member('ann', 1), member('bob', 2)],
        engagement: { ...WINDOW, deliveryLeadId: 'ann' },
      }),
    );
    expect(proposal.kind === 'proposed' && proposal.owner.userId).toBe('bob');
    expect(proposal.skipped.map((s) => [s.userId, s.reason])).toEqual([['ann', 'delivery-lead']]);
  });

  it('never proposes someone already proposed, passed over or declined for this engagement', () => {
    const members = [member('ann', 1), member('bob', 2), member('cat', 3)];
    const { ranked, skipped } = rankCandidates(input({ members, excluded: ['ann', 'cat'] }));
    expect(ids(ranked)).toEqual(['bob']);
    expect(skipped.map((s) => s.reason)).toEqual(['excluded', 'excluded']);
  });

  it.each<[string, SkipReasonCase]>([
    ['not in the rotation over delivery lead', { inRotation: false, lead: true, excluded: true }],
    ['delivery lead over already proposed', { lead: true, excluded: true, awayOnStart: true }],
    ['already proposed over away', { excluded: true, awayOnStart: true, atCapacity: true }],
    ['away on the start over mostly away', { awayOnStart: true, mostlyAway: true, atCapacity: true }],
    ['mostly away over at capacity', { mostlyAway: true, atCapacity: true }],
  ])('gives one reason per member, checked in order: %s', (_case, setup) => {
    const { skipped } = rankCandidates(skipCase(setup));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.reason).toBe(expectedReason(setup));
  });

  it('counts overlapping time away once', () => {
    // 3 + 3 business days if summed (29%), but only 4 distinct ones (19%): eligible.
    const timeAway = [away('ann', '2026-12-08', '2026-12-10'), away('ann', '2026-12-09', '2026-12-11')];
    expect(ids(rankCandidates(input({ members: [member('ann', 1)], timeAway })).ranked)).toEqual(['ann']);
  });

  it('joins adjacent time away when reporting it over the start date', () => {
    const timeAway = [away('ann', '2026-12-07', '2026-12-09'), away('ann', '2026-12-01', '2026-12-06')];
    const { skipped } = rankCandidates(input({ members: [member('ann', 1)], timeAway }));
    expect(skipped[0]?.text).toBe('away Tue 1 Dec – Wed 9 Dec, over the start date');
  });

  it.each([
    ['exactly 80% available (4 of 20 away)', '2027-01-01', '2026-12-08', '2026-12-11', true],
    ['76% available (5 of 21 away)', '2027-01-04', '2026-12-08', '2026-12-14', false],
    ['away only on a weekend', '2027-01-04', '2026-12-12', '2026-12-13', true],
    ['away the day before the start', '2027-01-04', '2026-11-23', '2026-12-06', true],
    ['away after the window', '2027-01-04', '2027-01-05', '2027-02-05', true],
    ['away for the last week of the window', '2027-01-04', '2026-12-29', '2027-01-04', false],
  ])('is eligible when %s: %s', (_case, endsOn, from, to, eligible) => {
    const { ranked } = rankCandidates(
      input({
        engagement: { ...WINDOW, endsOn },
        members: [member('ann', 1)],
        timeAway: [away('ann', from, to)],
      }),
    );
    expect(ranked.length === 1).toBe(eligible);
  });

  it.each<[string, Ownership[], boolean]>([
    [
      'two open overlapping engagements',
      [owned('ann', '2026-11-09', '2026-12-07'), owned('ann', '2027-01-04', '2027-02-01')],
      false,
    ],
    [
      'one of them closed',
      [owned('ann', '2026-11-09', '2026-12-07', { closed: true }), owned('ann', '2027-01-04', '2027-02-01')],
      true,
    ],
    [
      'one of them this very engagement',
      [
        owned('ann', '2026-11-09', '2026-12-07'),
        owned('ann', '2026-12-07', '2027-01-04', { engagementId: 'e-new' }),
      ],
      true,
    ],
    [
      'one ending the day before the window',
      [owned('ann', '2026-11-06', '2026-12-04'), owned('ann', '2027-01-04', '2027-02-01')],
      true,
    ],
    [
      'one starting after the window',
      [owned('ann', '2026-11-09', '2026-12-07'), owned('ann', '2027-01-05', '2027-02-02')],
      true,
    ],
  ])(
    'counts capacity over open engagements overlapping the window: %s → eligible %s',
    (_case, ownerships, eligible) => {
      const { ranked } = rankCandidates(input({ members: [member('ann', 1)], ownerships }));
      expect(ranked.length === 1).toBe(eligible);
    },
  );
});

describe('how eligible members are ranked', () => {
  it('prefers the lower load over the window, weighted by overlap', () => {
    const members = [member('ann', 1), member('bob', 2), member('cat', 3)];
    const ownerships = [
      owned('ann', '2026-11-23', '2026-12-21'), // overlaps 11 of 21 business days
      owned('bob', '2026-11-09', '2026-12-08'), // overlaps 2
      owned('cat', '2026-06-01', '2026-06-29'), // long over, but more recent history than nobody
    ];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ids(ranked)).toEqual(['cat', 'bob', 'ann']);
    expect(ranked.map((c) => c.load.toFixed(4))).toEqual([
      '0.0000',
      (2 / 21).toFixed(4),
      (11 / 21).toFixed(4),
    ]);
  });

  it('does not count closed engagements as load', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const ownerships = [
      owned('ann', '2026-11-23', '2026-12-21', { closed: true }),
      owned('bob', '2026-11-23', '2026-12-08'),
    ];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ranked[0]?.load).toBe(0);
    expect(ids(ranked)).toEqual(['ann', 'bob']);
  });

  it('breaks a tie on load with fewer ownerships in the last 180 days', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const ownerships = [
      owned('ann', '2026-09-01', '2026-09-29', { closed: true }),
      owned('ann', '2026-10-01', '2026-10-29', { closed: true }),
      owned('bob', '2026-11-01', '2026-11-27', { closed: true }),
    ];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ids(ranked)).toEqual(['bob', 'ann']);
    expect(ranked.map((c) => c.recentOwnerships)).toEqual([1, 2]);
  });

  it.each([
    ['180 days before the start', '2026-06-10', 1],
    ['181 days before the start', '2026-06-09', 0],
    ['on the start date', '2026-12-07', 1],
    ['after the window (already assigned, upcoming)', '2027-03-01', 1],
  ])('counts an ownership starting %s as recent: %i', (_case, startsOn, expected) => {
    const ownership = owned('ann', startsOn, addDays(startsOn, 25), { closed: true });
    const { ranked } = rankCandidates(input({ members: [member('ann', 1)], ownerships: [ownership] }));
    expect(ranked[0]?.recentOwnerships).toBe(expected);
  });

  it('breaks a tie on load and recent ownerships with the longest time since the last one', () => {
    const members = [member('ann', 1), member('bob', 2), member('cat', 3)];
    const ownerships = [
      owned('ann', '2026-10-01', '2026-10-29', { closed: true }),
      owned('bob', '2026-09-01', '2026-09-29', { closed: true }),
      owned('cat', '2026-02-01', '2026-03-01', { closed: true }), // beyond 180 days: not recent
      owned('cat', '2026-11-02', '2026-11-30', { closed: true }),
    ];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ids(ranked)).toEqual(['bob', 'ann', 'cat']);
    expect(ranked.map((c) => c.lastOwnedOn)).toEqual(['2026-09-01', '2026-10-01', '2026-11-02']);
  });

  it('ranks someone who has never owned an engagement above anyone who has, however long ago', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const ownerships = [owned('ann', '2020-01-06', '2020-02-03', { closed: true })];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ids(ranked)).toEqual(['bob', 'ann']);
    expect(ranked[0]?.lastOwnedOn).toBeNull();
  });

  it('breaks a full tie with the rotation order, then the user id', () => {
    const members = [member('cat', 2), member('bob', 1), member('ann', 2)];
    expect(ids(rankCandidates(input({ members })).ranked)).toEqual(['bob', 'ann', 'cat']);
  });

  it('explains each position by what put it ahead of the next one, then the facts left out', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const ownerships = [owned('ann', '2026-11-23', '2026-12-21', { label: '#1 Acme' })];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ranked.map((c) => [c.rank, c.reasons])).toEqual([
      [
        1,
        [
          'free for the whole engagement; ahead of ANN, who is busy 11 of its 21 business days (owns #1 Acme)',
          'no turn in the last 6 months',
        ],
      ],
      [2, ['busy 11 of its 21 business days: owns #1 Acme', '1 turn in the last 6 months']],
    ]);
  });

  it('says when the one behind is busy with a proposal still awaiting a lead (a batch of new engagements)', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const ownerships = [owned('ann', '2026-12-07', '2027-01-04', { label: '#1 Acme', tentative: true })];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ranked[0]?.reasons[0]).toMatch(
      /^free for the whole engagement; ahead of ANN, who is busy \d+ of its 21 business days \(proposed for #1 Acme, awaiting a lead\)$/,
    );
  });

  it.each<[string, Ownership[], Partial<RotationMember>, string]>([
    [
      'fewer recent turns',
      [owned('bob', '2026-10-01', '2026-10-29', { closed: true })],
      {},
      'no turn in the last 6 months, ahead of BOB, who had 1',
    ],
    [
      'a longer time since the last turn',
      [
        owned('ann', '2026-08-03', '2026-08-31', { closed: true }),
        owned('bob', '2026-10-01', '2026-10-29', { closed: true }),
      ],
      {},
      'last turn began Mon 3 Aug, ahead of BOB, whose last began Thu 1 Oct',
    ],
    [
      'fewer turns in all',
      [
        owned('ann', '2025-01-06', '2025-02-03', { closed: true }),
        owned('bob', '2025-01-06', '2025-02-03', { closed: true }),
        owned('bob', '2024-01-08', '2024-02-05', { closed: true }),
      ],
      {},
      '1 turn in all, ahead of BOB, who has 2',
    ],
    ['the rotation order alone', [], {}, 'ahead of BOB in the rotation order, everything else being equal'],
    [
      'asking for more turns',
      [
        owned('ann', '2026-10-01', '2026-10-29', { closed: true }),
        owned('bob', '2026-10-01', '2026-10-29', { closed: true }),
      ],
      { interest: 'more' },
      '1 turn in the last 6 months (asked for more turns), ahead of BOB, who had 1',
    ],
  ])('leads with the deciding comparison: %s', (_case, ownerships, annSays, reason) => {
    const members = [member('ann', 2, annSays), member('bob', 1)];
    if (annSays.interest === undefined && reason.startsWith('ahead')) members[0] = member('ann', 0);
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ids(ranked)).toEqual(['ann', 'bob']);
    expect(ranked[0]?.reasons[0]).toBe(reason);
    expect(ranked[0]?.reasons.join(' ')).not.toMatch(/load \d|0\.\d\d/);
  });

  it("speaks of the days of cover, not the engagement's, when ranking a stand-in", () => {
    const members = [member('ann', 1), member('bob', 2)];
    const ownerships = [owned('ann', '2026-11-23', '2026-12-21', { label: '#1 Acme' })];
    const { ranked } = rankCandidates(input({ members, ownerships, engagement: { ...WINDOW, cover: true } }));
    expect(ranked[0]?.reasons[0]).toBe(
      'free on all those days; ahead of ANN, who is busy 11 of those 21 business days (owns #1 Acme)',
    );
    expect(ranked[1]?.reasons[0]).toBe('busy 11 of those 21 business days: owns #1 Acme');
  });

  it('says when the only candidate is the only one eligible', () => {
    const { ranked } = rankCandidates(input({ members: [member('ann', 1)] }));
    expect(ranked[0]?.reasons).toEqual([
      'the only one eligible',
      'free for the whole engagement',
      'no turn in the last 6 months',
    ]);
  });

  it('breaks a tie on load, recency and last ownership by who has owned fewer in all', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const past = (lifetime: number) => ({ recentPast: 0, upcoming: 0, lastOwnedOn: null, lifetime });
    const history = new Map([
      ['ann', past(5)],
      ['bob', past(3)],
    ]);
    const { ranked } = rankCandidates({ ...input({ members }), history });
    expect(ranked.map((c) => c.userId)).toEqual(['bob', 'ann']);
    expect(ranked[0]?.reasons[0]).toBe('3 turns in all, ahead of ANN, who has 5');
  });

  it('says when a turn counted as recent is still to come', () => {
    const ownerships = [owned('ann', '2027-02-01', '2027-03-01')];
    const { ranked } = rankCandidates(input({ members: [member('ann', 1)], ownerships }));
    expect(ranked[0]?.reasons[2]).toBe('1 turn in the last 6 months or coming up');
  });

  it('ignores the ownership of this very engagement when ranking it again (reassignment)', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const ownerships = [owned('ann', WINDOW.startsOn, WINDOW.endsOn, { engagementId: 'e-new' })];
    const { ranked } = rankCandidates(input({ members, ownerships }));
    expect(ids(ranked)).toEqual(['ann', 'bob']);
    expect(ranked[0]?.load).toBe(0);
    expect(ranked[0]?.lastOwnedOn).toBeNull();
  });
});

describe('proposeNextOwner', () => {
  it('proposes the best candidate and queues the rest in order', () => {
    const members = [member('ann', 1), member('bob', 2), member('cat', 3, { inRotation: false })];
    const proposal = proposeNextOwner(input({ members }));
    expect(proposal.kind).toBe('proposed');
    if (proposal.kind !== 'proposed') return;
    expect(proposal.owner.userId).toBe('ann');
    expect(proposal.owner.rank).toBe(1);
    expect(proposal.queue.map((c) => [c.userId, c.rank])).toEqual([['bob', 2]]);
    expect(proposal.skipped.map((s) => [s.userId, s.name, s.reason])).toEqual([
      ['cat', 'CAT', 'not-in-rotation'],
    ]);
  });

  it('says nobody is eligible and lists every member with a reason', () => {
    const members = [
      member('ann', 1, { inRotation: false }),
      member('bob', 2),
      member('cat', 3),
      member('dan', 4),
      member('eve', 5, { capacity: 1 }),
      member('fay', 6),
    ];
    const proposal = proposeNextOwner(
      input({
        members,
        engagement: { ...WINDOW, deliveryLeadId: 'bob' },
        excluded: ['cat'],
        timeAway: [away('dan', '2026-12-07', '2026-12-07'), away('fay', '2026-12-21', '2027-01-04')],
        ownerships: [owned('eve', '2026-12-01', '2026-12-29')],
      }),
    );
    expect(proposal).toEqual({
      kind: 'nobody-eligible',
      skipped: [
        { userId: 'ann', name: 'ANN', reason: 'not-in-rotation', text: 'not in the rotation' },
        { userId: 'bob', name: 'BOB', reason: 'delivery-lead', text: 'delivery lead of this engagement' },
        { userId: 'cat', name: 'CAT', reason: 'excluded', text: 'already proposed for this engagement' },
        {
          userId: 'dan',
          name: 'DAN',
          reason: 'away-on-start',
          text: 'away Mon 7 Dec, over the start date',
        },
        {
          userId: 'eve',
          name: 'EVE',
          reason: 'at-capacity',
          text: 'at capacity: owns 1 overlapping engagement (capacity 1)',
        },
        { userId: 'fay', name: 'FAY', reason: 'mostly-away', text: 'away 11 of 21 business days (52%)' },
      ],
    });
  });

  it('gives the same proposal whatever the order of its inputs', () => {
    const members = Array.from({ length: 8 }, (_, i) => member(`m${i}`, i % 3));
    const ownerships = [
      owned('m0', '2026-11-02', '2026-11-30', { closed: true }),
      owned('m1', '2026-11-23', '2026-12-21'),
      owned('m2', '2026-11-02', '2026-11-30', { closed: true }),
      owned('m3', '2026-10-05', '2026-11-02', { closed: true }),
      owned('m4', '2026-12-14', '2027-01-11'),
      owned('m5', '2026-11-02', '2026-11-30', { closed: true }),
      owned('m5', '2026-12-14', '2027-01-11'),
      owned('m5', '2027-01-04', '2027-02-01'),
    ];
    const timeAway = [away('m6', '2026-12-01', '2026-12-07'), away('m7', '2026-12-21', '2026-12-24')];
    const base = input({ members, ownerships, timeAway, excluded: ['m2', 'm0'] });
    const expected = proposeNextOwner(base);
    let seed = 7;
    const shuffle = <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        const j = seed % (i + 1);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    };
    for (let round = 0; round < 20; round++) {
      const shuffled = {
        ...base,
        members: shuffle(members),
        ownerships: shuffle(ownerships),
        timeAway: shuffle(timeAway),
        excluded: shuffle(base.excluded),
      };
      expect(proposeNextOwner(shuffled)).toEqual(expected);
    }
  });
});

interface SkipReasonCase {
  inRotation?: boolean;
  lead?: boolean;
  excluded?: boolean;
  awayOnStart?: boolean;
  mostlyAway?: boolean;
  atCapacity?: boolean;
}

function skipCase(setup: SkipReasonCase): RotationInput {
  return input({
    members: [member('ann', 1, { inRotation: setup.inRotation ?? true, capacity: setup.atCapacity ? 0 : 2 })],
    engagement: { ...WINDOW, deliveryLeadId: setup.lead ? 'ann' : null },
    excluded: setup.excluded ? ['ann'] : [],
    timeAway: [
      ...(setup.awayOnStart ? [away('ann', '2026-12-07', '2026-12-07')] : []),
      ...(setup.mostlyAway ? [away('ann', '2026-12-14', '2026-12-31')] : []),
    ],
  });
}

function expectedReason(setup: SkipReasonCase): string {
  if (setup.inRotation === false) return 'not-in-rotation';
  if (setup.lead) return 'delivery-lead';
  if (setup.excluded) return 'excluded';
  if (setup.awayOnStart) return 'away-on-start';
  if (setup.mostlyAway) return 'mostly-away';
  return 'at-capacity';
}

describe('pauses, interest and pending proposals', () => {
  it.each([
    ['through the start date', '2026-12-07', false],
    ['until the day before the start', '2026-12-06', true],
  ])('skips a member paused %s', (_case, pausedUntil, eligible) => {
    const { ranked, skipped } = rankCandidates(input({ members: [member('ann', 1, { pausedUntil })] }));
    expect(ranked.length === 1).toBe(eligible);
    if (!eligible) expect(skipped[0]).toMatchObject({ reason: 'paused', text: 'paused until Mon 7 Dec' });
  });

  it.each<[string, 'more' | 'fewer' | 'normal', string[]]>([
    ['more turns counts one fewer', 'more', ['ann', 'bob']],
    ['normal interest changes nothing', 'normal', ['bob', 'ann']],
    ['fewer turns counts one more', 'fewer', ['bob', 'ann']],
  ])('shifts the recent turn count by interest: %s', (_case, interest, order) => {
    // One turn each in the last 6 months; Bob's longer ago, so he is ahead unless Ann wants more.
    const members = [member('ann', 1, { interest }), member('bob', 2)];
    const ownerships = [
      owned('ann', '2026-10-01', '2026-10-29', { closed: true }),
      owned('bob', '2026-09-01', '2026-09-29', { closed: true }),
    ];
    expect(ids(rankCandidates(input({ members, ownerships })).ranked)).toEqual(order);
  });

  it('counts a pending proposal as a turn, as load and against capacity, and says so', () => {
    const members = [member('ann', 1, { capacity: 1 }), member('bob', 2)];
    const pending = owned('ann', '2026-12-07', '2027-01-04', { tentative: true, label: '#12 Globex' });
    const { ranked, skipped } = rankCandidates(input({ members, ownerships: [pending] }));
    expect(ids(ranked)).toEqual(['bob']);
    expect(skipped[0]).toMatchObject({
      reason: 'at-capacity',
      text: 'at capacity: proposed for #12 Globex, awaiting a lead (capacity 1)',
    });
  });

  it('ranks someone proposed for a later engagement behind someone free', () => {
    const members = [member('ann', 1), member('bob', 2)];
    const pending = owned('ann', '2027-03-01', '2027-03-29', { tentative: true, label: '#12 Globex' });
    const { ranked } = rankCandidates(input({ members, ownerships: [pending] }));
    expect(ids(ranked)).toEqual(['bob', 'ann']);
    expect(ranked[0]?.reasons[0]).toBe('no turn in the last 6 months, ahead of ANN, who had 1 (1 coming up)');
    expect(ranked[1]?.reasons).toContain(
      '1 turn in the last 6 months or coming up (proposed for #12 Globex, awaiting a lead)',
    );
  });

  it('never proposes a member with capacity 0', () => {
    const { skipped } = rankCandidates(input({ members: [member('ann', 1, { capacity: 0 })] }));
    expect(skipped[0]).toMatchObject({
      reason: 'at-capacity',
      text: 'capacity 0: a lead set them never to be proposed',
    });
  });

  it.each<[string, { userId: string; reason: 'current-owner' | 'handed-back' | 'passed-over' }, string]>([
    ['the current owner', { userId: 'ann', reason: 'current-owner' }, 'owns it now'],
    ['who handed it back', { userId: 'ann', reason: 'handed-back' }, 'handed it back'],
    ['who was passed over', { userId: 'ann', reason: 'passed-over' }, 'passed over for this engagement'],
  ])('gives the true reason for skipping %s', (_case, exclusion, text) => {
    const { skipped } = rankCandidates(input({ members: [member('ann', 1)], excluded: [exclusion] }));
    expect(skipped[0]).toMatchObject({ reason: exclusion.reason, text });
  });
});
