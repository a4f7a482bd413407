// App Home: my engagements and next milestones, the team's workload, and the rotation queue.
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  CHANNELS,
  PEOPLE,
  setUpTeam,
  SLACK_MODES,
  startEngagement,
  textOf,
  useHarness,
} from '../support/app.js';

describe.each(SLACK_MODES)('App Home, over $name', ({ mode }) => {
  const harness = useHarness({ mode }); // Tuesday 2026-12-01

  it('greets a workspace before any engagement, pointing to where to start', async () => {
    const h = harness.current;
    const home = await h.openHome(PEOPLE.ana);
    const text = textOf(home as never);
    expect(text).toContain("You don't own any engagements right now.");
    expect(text).toContain("Run `/engagement new` in your team's rotation channel");
    expect(text).toContain('Nobody is on the rotation yet');
    expect(text).not.toContain('New engagement');
  });

  it('publishes nothing for the Messages tab', async () => {
    const h = harness.current;
    await h.emulator.sendEvent({
      type: 'app_home_opened',
      user: PEOPLE.ana,
      channel: h.emulator.dmChannelFor(PEOPLE.ana),
      tab: 'messages',
    });
    await h.app.idle();
    expect(h.emulator.callsTo('views.publish')).toEqual([]);
  });

  it("shows the team's load and who is next, and refreshes on request", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.cat, 'away 2026-12-01 2026-12-10');
    await startEngagement(h);
    await approveOpenProposal(h);

    const home = await h.openHome(PEOPLE.lead);
    const text = textOf(home as never);
    expect(text).toContain(`• <@${PEOPLE.ana}> 1/2 (#1)`);
    expect(text).toContain(`• <@${PEOPLE.cat}> 0/2 · away Tue 1 Dec – Thu 10 Dec`);
    expect(text).toMatch(
      /Rotation queue\*\nFor an engagement starting Wed 2 Dec on the default plan:\n1\. <@U0BEN>: [^\n]+\n2\. <@U0ANA>/,
    );
    expect(text).toContain('Not eligible: Cat Chen: away Tue 1 Dec – Thu 10 Dec, over the start date');
    // Ana's turn is approved but begins tomorrow: her own figures say so rather than "no turn yet".
    expect(textOf((await h.openHome(PEOPLE.ana)) as never)).toContain(
      '*Your exposure*\n0 turns as owner this year · first turn starts Wed 2 Dec 2026 · next:',
    );

    await h.command(PEOPLE.cat, 'back');
    await h.click(PEOPLE.lead, { viewId: home!.id }, ACTIONS.homeRefresh);
    const refreshed = textOf(h.emulator.homeView(PEOPLE.lead) as never);
    expect(refreshed).toContain(`• <@${PEOPLE.cat}> 0/2\n`);
    expect(refreshed).not.toContain('Not eligible');
  });

  it('starts an engagement from the home tab, proposing in the rotation channel', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { client: 'Acme GmbH', channel: CHANNELS.acme });
    const home = await h.openHome(PEOPLE.ben);
    await h.click(PEOPLE.ben, { viewId: home!.id }, ACTIONS.homeNewEngagement);
    await h.submit(PEOPLE.ben, h.modal(PEOPLE.ben)!, { client: 'Beta AG', channel: CHANNELS.beta });
    expect(h.proposals(CHANNELS.rotation)).toHaveLength(2);
    expect(h.proposals(CHANNELS.beta)).toEqual([]);
    expect(h.lastEphemeral(PEOPLE.ben)).toContain('Created *#2 Beta AG*');
  });

  it("lists the owner's own engagements with their next milestones", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    await approveOpenProposal(h);
    h.setNow('2026-12-08T10:00:00Z');
    const text = textOf((await h.openHome(PEOPLE.ana)) as never);
    expect(text).toMatch(
      /Your engagements\*\n\*#1 Acme GmbH\* <#C0ACME>\n• Wed 2 Dec: Kickoff with the client; scope and inputs confirmed _\(overdue\)_\n• Mon 7 Dec: Client inputs received _\(overdue\)_\n• Tue 8 Dec: Plan and risk register/,
    );
  });
});
