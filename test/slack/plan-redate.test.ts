// Re-dating: after a lead changes the holidays or the time zone, open milestones that now fall on a
// day off are offered a re-dating to every lead (the changing lead's answer, the rotation channel,
// each lead's App Home); the first lead's click moves them to the next business day, recorded, and
// each engagement channel gets one line through the outbox; any later click is told it is done.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  mention,
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
    await approveOpenProposal(h);
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
    // The kickoff and the owner's DM show the new dates, as after a shift.
    const kickoff = h.botMessages(CHANNELS.acme).find((m) => /Kickoff/.test(m.text))!;
    expect(textOf(h.emulator.message(CHANNELS.acme, kickoff.ts))).toContain(
      'Mon 28 Dec: Client acceptance test passed',
    );
    const dm = h.botMessages(engagement.owner_id!).find((m) => /You own/.test(m.text))!;
    expect(textOf(h.emulator.message(dm.channel, dm.ts))).toContain('Mon 4 Jan: Go-live');

    await h.command(PEOPLE.lead, 'history #1');
    expect(textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1))).toContain(
      '<@U0LEAD> moved 2 milestones off days that are no longer business days: "Client acceptance test passed" to Mon 28 Dec, "Go-live and handover to the client" to Mon 4 Jan',
    );
  });
});

describe('every lead is offered the re-dating', () => {
  it("in the rotation channel and App Home; another lead's click re-dates once, and a later click is told it is done", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, `lead add ${mention(PEOPLE.ben)}`);
    await startEngagement(h, { start: '2026-12-07' });
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    const due = async (start: string) =>
      (await listMilestones(h.db, engagement.id)).find((m) => m.title.startsWith(start))!.due_on;
    const redates = async () =>
      (await listEvents(h.db, TEAM_ID, engagement.id)).filter((e) => e.kind === 'milestone.redated');

    await h.command(PEOPLE.lead, 'settings holidays none 2026-12-25 2027-01-01');
    const ownOffer = h.emulator.ephemerals(PEOPLE.lead).at(-1)!;
    expect(buttonValue(ownOffer, ACTIONS.redateMilestones)).toBe('redate');

    // The rotation channel: every lead sees it; a member's click is refused and moves nothing.
    const posted = h.botMessages(CHANNELS.rotation).filter((m) => m.text.includes('changed the team'));
    expect(posted).toHaveLength(1);
    const offer = posted[0]!;
    expect(textOf(offer)).toContain(
      "<@U0LEAD> changed the team's holidays or time zone: 2 open milestones in 1 engagement now fall on a weekend or holiday.",
    );
    expect(buttonValue(offer, ACTIONS.redateMilestones)).toBe('redate');
    const inChannel = { channelId: CHANNELS.rotation, ts: offer.ts };
    await h.click(PEOPLE.ana, inChannel, ACTIONS.redateMilestones, 'redate');
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Only a lead can re-date milestones.');
    expect(await due('Client acceptance')).toBe('2026-12-25');

    // Ben, the other lead, has it waiting in App Home; a member does not.
    const home = await h.openHome(PEOPLE.ben);
    expect(textOf(home as never)).toContain('2 milestones to re-date');
    expect(textOf(home as never)).toContain(
      '*2 open milestones* in 1 engagement fall on a weekend or holiday',
    );
    expect(buttonValue(home as never, ACTIONS.redateMilestones)).toBe('redate');
    expect(buttonValue((await h.openHome(PEOPLE.ana)) as never, ACTIONS.redateMilestones)).toBeUndefined();

    await h.click(PEOPLE.ben, { viewId: home!.id }, ACTIONS.redateMilestones, 'redate');
    expect(await due('Client acceptance')).toBe('2026-12-28');
    expect(await due('Go-live')).toBe('2027-01-04');
    expect(await redates()).toHaveLength(1);
    expect(buttonValue(h.emulator.homeView(PEOPLE.ben) as never, ACTIONS.redateMilestones)).toBeUndefined();
    // The rotation channel's offer says who did it, its button gone.
    const settled = h.emulator.message(CHANNELS.rotation, offer.ts)!;
    expect(buttonValue(settled, ACTIONS.redateMilestones)).toBeUndefined();
    expect(textOf(settled)).toContain(
      `Re-dated by <@${PEOPLE.ben}> on Tue 1 Dec: 1 engagement channel told (<#${CHANNELS.acme}>)`,
    );

    // The lead who changed the calendar clicks their own offer later: told it is done; nothing moves.
    await h.click(
      PEOPLE.lead,
      { channelId: ownOffer.channel, ts: ownOffer.ts },
      ACTIONS.redateMilestones,
      'redate',
    );
    const answer = h.emulator.ephemerals(PEOPLE.lead).find((e) => e.ts === ownOffer.ts)!;
    expect(textOf(answer)).toContain(
      `Already re-dated by <@${PEOPLE.ben}> on Tue 1 Dec: nothing falls on a day off any more, and nothing was changed.`,
    );
    expect(buttonValue(answer, ACTIONS.redateMilestones)).toBeUndefined();
    expect(await redates()).toHaveLength(1);
    expect(
      h.botMessages(CHANNELS.acme).filter((m) => m.text.includes('no longer business days')),
    ).toHaveLength(1);
  });
});
