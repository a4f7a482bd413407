import { describe, expect, it } from 'vitest';
import { updateTeam } from '../../src/db/teams.js';
import { useTestDatabase } from '../support/db.js';
import { emptyJobTables, engagementVia, job, posted, seedJobsTeam, TEAM, useSlack } from './support.js';

const database = useTestDatabase();
emptyJobTables(database);
const slack = useSlack();

/** Runs the reminders job every `stepMinutes` over [from, to) and returns the ticks that planned a day. */
async function tickThrough(from: string, to: string, stepMinutes: number): Promise<string[]> {
  const planned: string[] = [];
  for (let t = new Date(from).getTime(); t < new Date(to).getTime(); t += stepMinutes * 60_000) {
    const at = new Date(t).toISOString();
    const report = await job(database.db, slack, 'reminders', at);
    if (report.teams.some((team) => team.outcome === 'planned')) planned.push(at);
  }
  return planned;
}

describe('reminders across a DST change', () => {
  it('stay at 09:00 in Berlin when the clocks go back (Sunday 2026-10-25), once a business day', async () => {
    await seedJobsTeam(database.db, '2026-10-12T08:00:00Z', {
      timeZone: 'Europe/Berlin',
      holidayRegion: 'DE-BE',
    });
    await engagementVia(database.db, slack, {
      clientName: 'Acme',
      channelId: 'C0ACME',
      startsOn: '2026-10-19',
      createdAt: '2026-10-12T08:00:00Z',
    });
    const planned = await tickThrough('2026-10-22T00:00:00Z', '2026-10-28T00:00:00Z', 30);
    // 09:00 CEST is 07:00 UTC; from Monday 09:00 CET is 08:00 UTC.
    expect(planned).toEqual([
      '2026-10-22T07:00:00.000Z',
      '2026-10-23T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-10-27T08:00:00.000Z',
    ]);
    expect(posted(slack, 'C0ACME').map((m) => m.metadata?.event_payload.key)).toEqual(
      ['2026-10-22', '2026-10-23', '2026-10-26', '2026-10-27'].map((day) =>
        expect.stringMatching(`:${day}$`),
      ),
    );
  }, 120_000);

  it('stay at 09:00 in New York when the clocks go forward (Sunday 2026-03-08), once a business day', async () => {
    await seedJobsTeam(database.db, '2026-02-23T15:00:00Z', {
      timeZone: 'America/New_York',
      holidayRegion: 'US-NY',
    });
    await engagementVia(database.db, slack, {
      clientName: 'Initech',
      channelId: 'C0INITECH',
      startsOn: '2026-03-02',
      createdAt: '2026-02-23T15:00:00Z',
    });
    const planned = await tickThrough('2026-03-05T05:00:00Z', '2026-03-11T05:00:00Z', 30);
    // 09:00 EST is 14:00 UTC; from Monday 09:00 EDT is 13:00 UTC.
    expect(planned).toEqual([
      '2026-03-05T14:00:00.000Z',
      '2026-03-06T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ]);
    expect(posted(slack, 'C0INITECH')).toHaveLength(4);
  }, 120_000);

  it('happen once, at the first moment it is that late, when the reminder time falls in an hour the clocks skip or repeat', async () => {
    // Egypt changes clocks on weekdays: 00:00 → 01:00 on Friday 2026-04-24, 24:00 → 23:00 on Thursday
    // 2026-10-29. With reminders at 00:30 the first is skipped; with 23:30 the second happens twice.
    await seedJobsTeam(database.db, '2026-04-13T08:00:00Z', {
      timeZone: 'Africa/Cairo',
      reminderTime: '00:30',
    });
    await engagementVia(database.db, slack, {
      clientName: 'Spring',
      channelId: 'C0SPRING',
      startsOn: '2026-04-24',
      createdAt: '2026-04-13T08:00:00Z',
    });
    await job(database.db, slack, 'reminders', '2026-04-23T10:00:00Z'); // Thursday's, done
    // Local 2026-04-23 23:00 to 02:00 on the 24th: 00:30 does not exist; 01:00 (22:00 UTC) is the first moment.
    expect(await tickThrough('2026-04-23T20:00:00Z', '2026-04-23T23:00:00Z', 15)).toEqual([
      '2026-04-23T22:00:00.000Z',
    ]);

    await updateTeam(database.db, TEAM, { reminderTime: '23:30' });
    await engagementVia(database.db, slack, {
      clientName: 'Autumn',
      channelId: 'C0AUTUMN',
      startsOn: '2026-10-29',
      createdAt: '2026-10-19T08:00:00Z',
    });
    // 23:30 happens at 20:30 UTC (summer time) and again at 21:30 UTC: planned at the first only.
    expect(await tickThrough('2026-10-29T19:00:00Z', '2026-10-29T22:00:00Z', 15)).toEqual([
      '2026-10-29T20:30:00.000Z',
    ]);
    expect(posted(slack, 'C0AUTUMN')).toHaveLength(1);
  }, 120_000);
});
