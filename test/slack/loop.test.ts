import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  buttonValue,
  CHANNELS,
  openProposal,
  PEOPLE,
  setUpTeam,
  SLACK_MODES,
  startEngagement,
  textOf,
  useHarness,
} from '../support/app.js';

describe.each(SLACK_MODES)('the core loop, over $name against the emulated Slack', ({ mode }) => {
  const harness = useHarness({ mode });

  it('takes a team from set-up to an approved owner with a kickoff and an App Home', async () => {
    const h = harness.current;
    await setUpTeam(h);

    // /engagement new → the modal, filled and submitted.
    const { result } = await startEngagement(h, {
      client: 'Acme GmbH',
      channel: CHANNELS.acme,
      deliveryLead: PEOPLE.ben,
    });
    expect(result.status).toBe(200);
    expect(result.responseAction).toBeUndefined(); // the modal closed
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('Created *#1 Acme GmbH*');
    // Counted as closing counts them: steps apart from the weekly status updates.
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/\d+ milestones, \d+ status updates\)/);

    // The proposal is in the rotation channel, and nothing internal is in the engagement channel.
    const proposal = openProposal(h);
    const proposalText = textOf(proposal);
    expect(proposalText).toContain(`Proposed owner: <@${PEOPLE.ana}>`);
    expect(proposalText).toMatch(/Skipped[\s\S]*Ben Bauer: delivery lead of this engagement/);
    expect(h.botMessages(CHANNELS.acme)).toEqual([]);
    const proposalId = buttonValue(proposal, ACTIONS.approveOwner)!;
    expect(proposalText).toContain('Approve Ana Alves');

    // A member who is not a lead is refused privately, and nothing changes.
    await h.click(
      PEOPLE.cat,
      { channelId: CHANNELS.rotation, ts: proposal.ts },
      ACTIONS.approveOwner,
      proposalId,
    );
    expect(h.lastEphemeral(PEOPLE.cat)).toBe('Only a lead can approve an owner.');
    expect(openProposal(h).ts).toBe(proposal.ts);
    expect(h.emulator.messages(PEOPLE.ana)).toEqual([]);

    // The lead approves: the proposal is updated in place, without buttons.
    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: proposal.ts },
      ACTIONS.approveOwner,
      proposalId,
    );
    const decided = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(buttonValue(decided, ACTIONS.approveOwner)).toBeUndefined();
    expect(textOf(decided)).toContain(`<@${PEOPLE.ana}> is the owner, approved by <@${PEOPLE.lead}>`);

    // The owner's DM: the plan and a Hand back button.
    const dm = h.botMessages(PEOPLE.ana);
    expect(dm).toHaveLength(1);
    expect(textOf(dm[0])).toContain('You own *#1 Acme GmbH*');
    expect(textOf(dm[0])).toContain('Wed 2 Dec: Kickoff with the client');
    expect(buttonValue(dm[0]!, ACTIONS.handBack)).toBeDefined();

    // The kickoff in the engagement channel: owner, delivery lead, dated plan, nothing internal.
    const kickoff = h.botMessages(CHANNELS.acme);
    expect(kickoff).toHaveLength(1);
    const kickoffText = textOf(kickoff[0]);
    expect(kickoffText).toContain(`Owner: <@${PEOPLE.ana}>`);
    expect(kickoffText).toContain(`Delivery lead: <@${PEOPLE.ben}>`);
    expect(kickoffText).toContain('Wed 30 Dec: Retrospective; engagement closed');
    expect(kickoffText).not.toMatch(/skipped|capacity|away|load|rotation order|proposal/i);

    // App Home: my engagements, the team's load, the rotation queue.
    const home = await h.openHome(PEOPLE.ana);
    const homeText = textOf(home as never);
    expect(homeText).toContain('*#1 Acme GmbH*');
    expect(homeText).toContain('Wed 2 Dec: Kickoff with the client');
    expect(homeText).toContain(`<@${PEOPLE.ana}> 1/2 (#1)`);
    expect(homeText).toMatch(/Rotation queue\*\nFor an engagement starting Wed 2 Dec/);
    expect(homeText).toMatch(new RegExp(`1\\. <@${PEOPLE.ben}>`));
  });
});
