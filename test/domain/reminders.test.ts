import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import { remindersDue, type OpenMilestone } from '../../src/domain/reminders.js';

const plain = new BusinessCalendar({ timeZone: 'UTC', holidayRegion: null, extraHolidays: [] });
const berlin = new BusinessCalendar({ timeZone: 'Europe/Berlin', holidayRegion: 'DE-BE', extraHolidays: [] });

let nextId = 0;
const milestone = (dueOn: string, overrides: Partial<OpenMilestone> = {}): OpenMilestone => ({
  id: `m${++nextId}`,
  engagementId: 'e1',
  kind: 'milestone',
  title: `Due ${dueOn}`,
  dueOn,
  snoozedUntil: null,
  ...overrides,
});

/** [urgency, businessDays] of the one milestone, or null when it is not reminded today. */
const remindedAs = (m: OpenMilestone, today: string, calendar = plain) => {
  const due = remindersDue([m], today, calendar).byEngagement.get(m.engagementId) ?? [];
  return due.length === 0 ? null : [due[0]!.urgency, due[0]!.businessDays];
};

describe('remindersDue', () => {
  it.each([
    ['on its due date (the start day)', '2026-12-07', '2026-12-07', ['due-today', 0]],
    ['due tomorrow', '2026-12-08', '2026-12-07', ['due-soon', 1]],
    ['due in two business days', '2026-12-09', '2026-12-07', ['due-soon', 2]],
    ['due in three business days', '2026-12-10', '2026-12-07', null],
    ['due Monday, reminded on Friday', '2026-12-14', '2026-12-11', ['due-soon', 1]],
    ['due Tuesday, reminded on Friday', '2026-12-15', '2026-12-11', ['due-soon', 2]],
    ['due Wednesday, reminded on Friday', '2026-12-16', '2026-12-11', null],
    ['due Friday, reminded on Monday', '2026-12-04', '2026-12-07', ['overdue', 1]],
    ['due Thursday, reminded on Monday', '2026-12-03', '2026-12-07', ['overdue', 2]],
    ['due a week ago', '2026-11-30', '2026-12-07', ['overdue', 5]],
  ])('lists a milestone %s', (_case, dueOn, today, expected) => {
    expect(remindedAs(milestone(dueOn), today)).toEqual(expected);
  });

  it.each([
    ['due Monday after Christmas, reminded on Wednesday 23rd', '2026-12-28', '2026-12-23', ['due-soon', 2]],
    ['due Monday after Christmas, reminded on Thursday 24th', '2026-12-28', '2026-12-24', ['due-soon', 1]],
    ['due on the 23rd, reminded on Monday 28th', '2026-12-23', '2026-12-28', ['overdue', 2]],
    ['due on the 22nd, reminded on Monday 28th', '2026-12-22', '2026-12-28', ['overdue', 3]],
  ])('counts business days over holidays: %s', (_case, dueOn, today, expected) => {
    expect(remindedAs(milestone(dueOn), today, berlin)).toEqual(expected);
  });

  it.each([
    ['a Saturday', '2026-12-12', plain],
    ['a Sunday', '2026-12-13', plain],
    ['Christmas Day in Berlin', '2026-12-25', berlin],
  ])('sends nothing on %s', (_case, today, calendar) => {
    const due = remindersDue(
      [milestone('2026-12-01'), milestone(today), milestone('2026-12-29')],
      today,
      calendar,
    );
    expect(due.byEngagement.size).toBe(0);
    expect(due.escalations).toEqual([]);
  });

  it.each([
    ['one business day', '2026-12-04', false],
    ['two business days', '2026-12-03', false],
    ['three business days', '2026-12-02', true],
    ['ten business days', '2026-11-23', true],
  ])('escalates a milestone overdue by %s: %s', (_case, dueOn, escalated) => {
    const m = milestone(dueOn);
    expect(remindersDue([m], '2026-12-07', plain).escalations.map((d) => d.milestone.id)).toEqual(
      escalated ? [m.id] : [],
    );
  });

  it.each([
    ['until tomorrow', '2026-12-08', null],
    ['until today', '2026-12-07', ['overdue', 3]],
    ['until yesterday', '2026-12-06', ['overdue', 3]],
  ])('holds back a snoozed milestone %s', (_case, snoozedUntil, expected) => {
    expect(remindedAs(milestone('2026-12-02', { snoozedUntil }), '2026-12-07')).toEqual(expected);
  });

  it('escalates a snoozed milestone all the same: a snooze quiets the reminder, not the due date', () => {
    const snoozed = milestone('2026-12-01', { snoozedUntil: '2026-12-08' });
    const due = remindersDue([snoozed], '2026-12-07', plain);
    expect(due.byEngagement.get(snoozed.engagementId)).toBeUndefined();
    expect(due.escalations).toEqual([{ milestone: snoozed, urgency: 'overdue', businessDays: 4 }]);
  });

  it.each([
    ['on its due date', '2026-12-07', ['due-today', 0]],
    ['the day before', '2026-12-08', null],
    ['once overdue', '2026-12-04', null],
    ['long overdue', '2026-11-23', null],
  ])('reminds a weekly status update only on its due date: %s', (_case, dueOn, expected) => {
    expect(remindedAs(milestone(dueOn, { kind: 'status_update' }), '2026-12-07')).toEqual(expected);
  });

  it('never escalates a status update', () => {
    const due = remindersDue([milestone('2026-11-23', { kind: 'status_update' })], '2026-12-07', plain);
    expect(due.escalations).toEqual([]);
  });

  it('lists overdue (most late first), then due today, then due soon, then by title', () => {
    const list = [
      milestone('2026-12-09', { title: 'soon, two days' }),
      milestone('2026-12-08', { title: 'soon, B' }),
      milestone('2026-12-08', { title: 'soon, A' }),
      milestone('2026-12-07', { title: 'today' }),
      milestone('2026-12-04', { title: 'late one day' }),
      milestone('2026-12-01', { title: 'late four days, Z' }),
      milestone('2026-12-01', { title: 'late four days, A' }),
    ];
    const due = remindersDue(list, '2026-12-07', plain).byEngagement.get('e1') ?? [];
    expect(due.map((d) => d.milestone.title)).toEqual([
      'late four days, A',
      'late four days, Z',
      'late one day',
      'today',
      'soon, A',
      'soon, B',
      'soon, two days',
    ]);
  });

  it('groups by engagement, in engagement id order, leaving out engagements with nothing due', () => {
    const list = [
      milestone('2026-12-07', { engagementId: 'e3' }),
      milestone('2026-12-30', { engagementId: 'e0' }),
      milestone('2026-12-02', { engagementId: 'e2' }),
      milestone('2026-12-08', { engagementId: 'e1' }),
      milestone('2026-12-07', { engagementId: 'e2' }),
    ];
    const due = remindersDue(list, '2026-12-07', plain);
    expect([...due.byEngagement.keys()]).toEqual(['e1', 'e2', 'e3']);
    expect(due.byEngagement.get('e2')?.map((d) => d.urgency)).toEqual(['overdue', 'due-today']);
    expect(due.escalations.map((d) => d.milestone.engagementId)).toEqual(['e2']);
  });

  it('gives the same answer whatever the order of the milestones', () => {
    const list = [
      milestone('2026-12-01', { engagementId: 'b' }),
      milestone('2026-12-07', { engagementId: 'a' }),
      milestone('2026-12-02', { engagementId: 'a', title: 'same' }),
      milestone('2026-12-02', { engagementId: 'a', title: 'same' }),
      milestone('2026-12-08', { engagementId: 'b' }),
    ];
    const expected = remindersDue(list, '2026-12-07', plain);
    const reversed = remindersDue([...list].reverse(), '2026-12-07', plain);
    expect([...reversed.byEngagement.entries()]).toEqual([...expected.byEngagement.entries()]);
    expect(reversed.escalations).toEqual(expected.escalations);
  });
});
