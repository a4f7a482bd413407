// Re-dating: after a lead changes the holidays or the time zone, open milestones that now fall on a
// day off are offered a re-dating in the lead's answer; one click moves them to the next business
// day, recorded, and each engagement channel gets one line through the outbox.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  buttonValue,
  CHANNELS,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

describe('re-dating after the holidays change', () => {
  it('offers the lead one click; the click moves the milestones, tells the channel once, and is recorded', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { start: '2026-12-07' });
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    const due = async (start: string) =>
      (await listMilestones(h.db, engagement.id)).find((m) => m.title.startsWith(start))!.due_on;
    expect(await due('Client acceptance')).toBe('2026-12-25');

    // A change that leaves every milestone on a business day offers nothing.
    await h.command(PEOPLE.lead, 'settings reminders 08:30');
    expect(buttonValue(h.emulator.ephemerals(PEOPLE.lead).at(-1)!, ACTIONS.redateMilestones)).toBeUndefined();

    await h.command(PEOPLE.lead, 'settings holidays none 2026-12-25 2027-01-01');
    const offer = h.emulator.ephemerals(PEOPLE.lead).at(-1)!;
    expect(textOf(offer)).toContain('Saved.');
    expect(textOf(offer)).toContain('*2 open milestones* in 1 engagement now fall on a weekend or holiday');
    expect(buttonValue(offer, ACTIONS.redateMilestones)).toBe('redate');
    expect(await due('Client acceptance')).toBe('2026-12-25'); // nothing moves without the click

    await h.click(
      PEOPLE.lead,
      { channelId: offer.channel, ts: offer.ts },
      ACTIONS.redateMilestones,
      'redate',
    );
    expect(await due('Client acceptance')).toBe('2026-12-28');
    expect(await due('Go-live')).toBe('2027-01-04');
    const answer = h.emulator.ephemerals(PEOPLE.lead).find((e) => e.ts === offer.ts)!;
    expect(textOf(answer)).toContain('Re-dated by <@U0LEAD>: 1 engagement channel told');
    expect(buttonValue(answer, ACTIONS.redateMilestones)).toBeUndefined();

    const lines = h.botMessages(CHANNELS.acme).filter((m) => m.text.includes('no longer business days'));
    expect(lines.map((m) => m.text)).toEqual([
      ':calendar: *#1 Acme GmbH*: moved off days that are no longer business days, by <@U0LEAD>: ' +
        'Client acceptance test passed to Mon 28 Dec; Go-live and handover to the client to Mon 4 Jan. ' +
        'The engagement now ends Mon 4 Jan.',
    ]);
    expect(
      (await listEvents(h.db, TEAM_ID, engagement.id)).filter((e) => e.kind === 'milestone.redated'),
    ).toHaveLength(1);

    await h.command(PEOPLE.lead, 'history #1');
    expect(textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1))).toContain(
      '<@U0LEAD> moved 2 milestones off days that are no longer business days: "Client acceptance test passed" to Mon 28 Dec, "Go-live and handover to the client" to Mon 4 Jan',
    );
  });
});
