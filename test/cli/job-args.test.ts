import { describe, expect, it } from 'vitest';
import { parseJobArgs } from '../../src/cli/job.js';

const NOW = new Date('2026-12-02T08:00:00Z');

describe('npm run job’s arguments', () => {
  it('run the named job now, or at the instant given', () => {
    expect(parseJobArgs(['reminders'], NOW)).toEqual({ job: 'reminders', at: NOW });
    expect(parseJobArgs(['proposals', '--at', '2026-12-07T09:00:00Z'], NOW)).toEqual({
      job: 'proposals',
      at: new Date('2026-12-07T09:00:00Z'),
    });
    expect(parseJobArgs(['--at=2026-12-07T10:00:00+01:00', 'reminders'], NOW)).toEqual({
      job: 'reminders',
      at: new Date('2026-12-07T09:00:00Z'),
    });
  });

  it.each([
    [[], /^which job\?/],
    [['backups'], /^unknown job "backups": the jobs are reminders and proposals/],
    [['reminders', 'proposals'], /^one job at a time, got reminders and proposals/],
    [['reminders', '--at'], /^--at needs a moment/],
    [['reminders', '--every', '5'], /^unknown option --every \(usage: npm run job/],
    [['reminders', '--at', 'tomorrow'], /^--at must be an ISO instant with its offset/],
    [['reminders', '--at', '2026-12-07 09:00'], /^--at must be an ISO instant with its offset/],
    [['reminders', '--at', '2026-12-07T09:00'], /^--at must be an ISO instant with its offset/],
  ])('refuse %j with one line saying what is wrong', (args, problem) => {
    const parsed = parseJobArgs(args, NOW);
    expect(parsed).toEqual({ problem: expect.stringMatching(problem) });
    expect((parsed as { problem: string }).problem).not.toContain('\n');
  });
});
