import { describe, expect, it } from 'vitest';
import { draftStatusUpdate, type DraftMilestone } from '../../src/domain/status-draft.js';

const m = (
  title: string,
  dueOn: string,
  doneOn: string | null = null,
  kind: DraftMilestone['kind'] = 'milestone',
) => ({
  title,
  dueOn,
  doneOn,
  kind,
});

describe('the drafted status update', () => {
  it('says what was done since the last update, what is next with dates, and what the client owes', () => {
    const text = draftStatusUpdate({
      since: '2026-12-07',
      today: '2026-12-09',
      milestones: [
        m('Kickoff with the client', '2026-12-01', '2026-12-01'),
        m('Plan shared', '2026-12-08', '2026-12-08'),
        m('Weekly client status update', '2026-12-08', '2026-12-08', 'status_update'),
        m('Client inputs received', '2026-12-10'),
        m('Implementation complete', '2026-12-15'),
        m('Client acceptance test passed', '2026-12-21'),
        m('Go-live', '2026-12-29'),
      ],
    });
    expect(text).toBe(
      [
        'Done since Mon 7 Dec:',
        '• Plan shared',
        '',
        'Next:',
        '• Thu 10 Dec: Client inputs received',
        '• Tue 15 Dec: Implementation complete',
        '• Mon 21 Dec: Client acceptance test passed',
        '',
        'What we need from you:',
        '• Client inputs received, by Thu 10 Dec',
        '• Client acceptance test passed, by Mon 21 Dec',
      ].join('\n'),
    );
  });

  it('says so when nothing was done, nothing is left, or nothing is needed', () => {
    const text = draftStatusUpdate({
      since: '2026-12-07',
      today: '2026-12-09',
      milestones: [m('Kickoff', '2026-12-01', '2026-12-01')],
    });
    expect(text).toContain('• Work in progress on the next milestones');
    expect(text).toContain('• Everything in the plan is done');
    expect(text).toContain('• Nothing at the moment');
  });

  it('never presents a late milestone as upcoming: it says it was planned for then, and not done', () => {
    const text = draftStatusUpdate({
      since: '2026-12-07',
      today: '2026-12-10',
      milestones: [
        m('Client inputs received', '2026-12-08'),
        m('Plan and risk register shared', '2026-12-09'),
        m('Implementation complete', '2026-12-15'),
      ],
    });
    expect(text).toContain(
      [
        'Next:',
        '• Client inputs received: planned for Tue 8 Dec, not done yet',
        '• Plan and risk register shared: planned for Wed 9 Dec, not done yet',
        '• Tue 15 Dec: Implementation complete',
        '',
        'What we need from you:',
        '• Client inputs received, as soon as you can (planned for Tue 8 Dec)',
      ].join('\n'),
    );
  });
});
