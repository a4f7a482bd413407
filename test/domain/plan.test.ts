import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import {
  expandPlan,
  STANDARD_PLAN,
  STATUS_UPDATE_TITLE,
  validateTemplate,
  type PlanTemplate,
} from '../../src/domain/plan.js';

const plain = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });
const germany = new BusinessCalendar({ timeZone: 'Europe/Berlin', holidayRegion: 'DE', extraHolidays: [] });

const template = (overrides: Partial<PlanTemplate>): PlanTemplate => ({ ...STANDARD_PLAN, ...overrides });

describe('expandPlan with the standard plan', () => {
  const plan = expandPlan(STANDARD_PLAN, '2026-12-07', plain);
  const dueOf = (title: string) => plan.milestones.filter((m) => m.title === title).map((m) => m.dueOn);

  it.each([
    [0, 'Kickoff with the client; scope and inputs confirmed', '2026-12-07'],
    [3, 'Client inputs received', '2026-12-10'],
    [4, 'Plan and risk register shared (breakdown, sequencing, risks)', '2026-12-11'],
    [9, 'Implementation complete; status update sent', '2026-12-18'],
    [14, 'Client acceptance test passed', '2026-12-25'],
    [19, 'Go-live and handover to the client', '2027-01-01'],
    [20, 'Retrospective; engagement closed', '2027-01-04'],
  ])('dates the step at offset %i (%s) on %s, without holidays', (offset, title, dueOn) => {
    expect(dueOf(title)).toEqual([dueOn]);
    expect(plan.milestones.find((m) => m.title === title)?.offset).toBe(offset);
  });

  it('adds a weekly status update every fifth business day, strictly inside the plan', () => {
    const updates = plan.milestones.filter((m) => m.kind === 'status_update');
    expect(updates.map((m) => [m.offset, m.dueOn, m.title])).toEqual([
      [5, '2026-12-14', STATUS_UPDATE_TITLE],
      [10, '2026-12-21', STATUS_UPDATE_TITLE],
      [15, '2026-12-28', STATUS_UPDATE_TITLE],
    ]);
  });

  it('names the status updates by how often they fall', () => {
    const every = (n: number) =>
      expandPlan(template({ statusEvery: n }), '2026-12-07', plain)
        .milestones.filter((m) => m.kind === 'status_update')
        .map((m) => m.title)[0];
    expect([every(5), every(10), every(3)]).toEqual([
      'Weekly client status update',
      'Fortnightly client status update',
      'Client status update',
    ]);
  });

  it('ends the window on the due date of the last step', () => {
    expect(plan.startsOn).toBe('2026-12-07');
    expect(plan.endsOn).toBe('2027-01-04');
  });

  it('numbers steps in template order, then status updates, and sorts by due date then position', () => {
    expect(plan.milestones.map((m) => [m.position, m.kind, m.offset])).toEqual([
      [0, 'milestone', 0],
      [1, 'milestone', 3],
      [2, 'milestone', 4],
      [7, 'status_update', 5],
      [3, 'milestone', 9],
      [8, 'status_update', 10],
      [4, 'milestone', 14],
      [9, 'status_update', 15],
      [5, 'milestone', 19],
      [6, 'milestone', 20],
    ]);
  });

  it('moves every date past Christmas and New Year in Germany', () => {
    const german = expandPlan(STANDARD_PLAN, '2026-12-07', germany);
    expect(german.milestones.map((m) => [m.offset, m.dueOn])).toEqual([
      [0, '2026-12-07'],
      [3, '2026-12-10'],
      [4, '2026-12-11'],
      [5, '2026-12-14'],
      [9, '2026-12-18'],
      [10, '2026-12-21'],
      [14, '2026-12-28'],
      [15, '2026-12-29'],
      [19, '2027-01-05'],
      [20, '2027-01-06'],
    ]);
    expect(german.endsOn).toBe('2027-01-06');
    expect(germany.businessDaysBetween(german.startsOn, german.endsOn)).toBe(21);
  });

  it('starts on a Wednesday as well as on a Monday', () => {
    const plan = expandPlan(STANDARD_PLAN, '2026-12-09', plain);
    expect(plan.milestones[0]?.dueOn).toBe('2026-12-09');
    expect(plan.endsOn).toBe('2027-01-06');
  });

  it.each([
    ['2026-12-12', 'a Saturday'],
    ['2026-12-25', 'Christmas Day'],
  ])('refuses to start on %s (%s)', (startsOn) => {
    expect(() => expandPlan(STANDARD_PLAN, startsOn, germany)).toThrow(/business day/);
  });
});

describe('expandPlan with other templates', () => {
  it.each([
    [0, []],
    [2, [2, 4]],
    [3, [3]],
    [6, []],
  ])('with a status update every %i business days, updates fall at offsets %j', (statusEvery, offsets) => {
    const plan = expandPlan(
      template({
        statusEvery,
        steps: [
          { offset: 0, title: 'Start' },
          { offset: 6, title: 'End' },
        ],
      }),
      '2026-12-07',
      plain,
    );
    expect(plan.milestones.filter((m) => m.kind === 'status_update').map((m) => m.offset)).toEqual(offsets);
  });

  it('keeps steps that share an offset in template order', () => {
    const plan = expandPlan(
      template({
        statusEvery: 0,
        steps: [
          { offset: 0, title: 'B first' },
          { offset: 0, title: 'A second' },
        ],
      }),
      '2026-12-07',
      plain,
    );
    expect(plan.milestones.map((m) => m.title)).toEqual(['B first', 'A second']);
    expect(plan.endsOn).toBe('2026-12-07');
  });

  it('refuses a template whose dates would be wrong', () => {
    expect(() => expandPlan(template({ steps: [] }), '2026-12-07', plain)).toThrow(/at least one step/);
  });
});

describe('validateTemplate', () => {
  it('accepts the standard plan', () => {
    expect(validateTemplate(STANDARD_PLAN)).toEqual([]);
  });

  it.each([
    ['no steps', template({ steps: [] }), /at least one step/],
    ['a negative offset', template({ steps: [{ offset: -1, title: 'x' }] }), /Step 1: the offset/],
    ['a fractional offset', template({ steps: [{ offset: 1.5, title: 'x' }] }), /Step 1: the offset/],
    [
      'decreasing offsets',
      template({
        steps: [
          { offset: 5, title: 'a' },
          { offset: 3, title: 'b' },
        ],
      }),
      /Step 2: offsets must not decrease/,
    ],
    ['an empty title', template({ steps: [{ offset: 0, title: '  ' }] }), /Step 1: the title is empty/],
    ['a title over 150 characters', template({ steps: [{ offset: 0, title: 'x'.repeat(151) }] }), /150/],
    ['a negative status interval', template({ statusEvery: -5 }), /Status updates/],
    ['a fractional status interval', template({ statusEvery: 2.5 }), /Status updates/],
    ['no name', template({ name: ' ' }), /name/],
  ])('reports %s', (_case, bad, message) => {
    const problems = validateTemplate(bad);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('accepts a title of exactly 150 characters and equal offsets', () => {
    const ok = template({
      steps: [
        { offset: 0, title: 'x'.repeat(150) },
        { offset: 0, title: 'y' },
      ],
    });
    expect(validateTemplate(ok)).toEqual([]);
  });

  it('lists every problem at once', () => {
    const bad = template({
      statusEvery: -1,
      steps: [
        { offset: 2, title: '' },
        { offset: 1, title: 'ok' },
      ],
    });
    expect(validateTemplate(bad)).toHaveLength(3);
  });
});
