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
      milestones: [m('Kickoff', '2026-12-01', '2026-12-01')],
    });
    expect(text).toContain('• Work in progress on the next milestones');
    expect(text).toContain('• Everything in the plan is done');
    expect(text).toContain('• Nothing at the moment');
  });
});
