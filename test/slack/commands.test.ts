// `/engagement` subcommands end to end: each answers privately, and refused ones change nothing.
// Malformed ones: malformed-commands.test.ts.
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/db/events.js';
import { findMember, listMembers, listTimeAway } from '../../src/db/members.js';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { ACTIONS } from '../../src/slack/ids.js';
import {
  closeConfirmed,
  buttonValue,
  CHANNELS,
  mention,
  openProposal,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
  type Harness,
} from '../support/app.js';

const harness = useHarness();

describe('the team and its leads', () => {
  it('lets a workspace admin set up the rotation, with names from Slack', async () => {
    const h = harness.current;
    await h.command(PEOPLE.lead, `team add ${mention(PEOPLE.ana)} ${mention(PEOPLE.ben)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(`Added to the rotation: <@${PEOPLE.ana}>, <@${PEOPLE.ben}>.`);
    const members = await listMembers(h.db, TEAM_ID);
    expect(members.map((m) => [m.name, m.in_rotation, m.is_lead])).toEqual([
      ['Lee Lead', false, true],
      ['Ana Alves', true, false],
      ['Ben Bauer', true, false],
    ]);
    await h.command(PEOPLE.lead, `team add ${mention(PEOPLE.ana)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(`Nothing to do for <@${PEOPLE.ana}>: already in it.`);
  });

  it('refuses a member changing the team, and changes nothing', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, `team add ${mention(PEOPLE.dan)}`);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Only a lead can change the team.');
    expect(await findMember(h.db, TEAM_ID, PEOPLE.dan)).toBeUndefined();
    await h.command(PEOPLE.ana, `lead add ${mention(PEOPLE.ana)}`);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Only a lead can change the leads.');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.ana))?.is_lead).toBe(false);
  });

  it('asks Slack who the actor is once, not on every command', async () => {
    const h = harness.current;
    await setUpTeam(h);
    for (const text of ['list', 'load', 'list']) await h.command(PEOPLE.lead, text);
    const lookups = h.emulator.callsTo('users.info').filter((c) => c.args.user === PEOPLE.lead);
    expect(lookups).toHaveLength(1);
  });

  it('refuses bots and people Slack does not know', async () => {
    const h = harness.current;
    await h.command(PEOPLE.lead, `team add <@U0HELPERBOT|helper>`);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('is a bot');
    await h.command(PEOPLE.lead, `team add <@U0GHOST|ghost>`);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain("I can't find <@U0GHOST>");
    expect((await listMembers(h.db, TEAM_ID)).map((m) => m.user_id)).toEqual([PEOPLE.lead]);
  });

  it('makes and unmakes leads, keeping at least one', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, `lead add ${mention(PEOPLE.ana)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(`Now leads: <@${PEOPLE.ana}>.`);
    await h.command(PEOPLE.ana, `lead remove ${mention(PEOPLE.lead)} ${mention(PEOPLE.ana)}`);
    await answerLeadRemoval(h, PEOPLE.ana, ACTIONS.confirmLeadRemoval);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('A team needs at least one lead: add another lead first.');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.ana))?.is_lead).toBe(true);
    await h.command(PEOPLE.ana, `team remove ${mention(PEOPLE.ben)}`);
    expect(h.lastEphemeral(PEOPLE.ana)).toContain(`Taken out of the rotation: <@${PEOPLE.ben}>.`);
  });
});

/** Clicks a button of the "Stop being a lead?" question the person was just asked. */
async function answerLeadRemoval(h: Harness, userId: string, action: string) {
  const question = h.emulator.ephemerals(userId).at(-1)!;
  expect(question.text).toMatch(/^Stop being a lead/);
  await h.click(
    userId,
    { channelId: question.channel, ts: question.ts },
    action,
    buttonValue(question as never, action),
  );
}

describe('a lead removing herself', () => {
  it('asks first, and a workspace admin can always make herself a lead again', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, `lead add ${mention(PEOPLE.ana)}`);
    await h.command(PEOPLE.lead, `lead remove ${mention(PEOPLE.lead)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      'Stop being a lead? You will no longer approve owners or hear escalations. ' +
        'As a workspace admin you can make yourself a lead again with `/engagement lead add @you`.',
    );
    expect((await findMember(h.db, TEAM_ID, PEOPLE.lead))?.is_lead).toBe(true);

    await answerLeadRemoval(h, PEOPLE.lead, ACTIONS.confirmLeadRemoval);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain(`No longer leads: <@${PEOPLE.lead}>.`);
    expect((await findMember(h.db, TEAM_ID, PEOPLE.lead))?.is_lead).toBe(false);
    // The question was replaced by the answer: its buttons are gone.
    expect(h.emulator.ephemerals(PEOPLE.lead).filter((e) => !e.deleted && e.blocks?.length)).toEqual([]);

    await h.command(PEOPLE.lead, `lead add ${mention(PEOPLE.lead)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(`Now leads: <@${PEOPLE.lead}>.`);
    expect((await findMember(h.db, TEAM_ID, PEOPLE.lead))?.is_lead).toBe(true);
    // Only herself: making others leads still takes a lead.
    await h.command(PEOPLE.ana, `lead remove ${mention(PEOPLE.lead)}`);
    await h.command(PEOPLE.lead, `lead add ${mention(PEOPLE.lead)} ${mention(PEOPLE.ben)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('Only a lead can change the leads.');
  });

  it('changes nothing when the lead keeps her role, and a member who is no admin cannot make herself a lead', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, `lead add ${mention(PEOPLE.ana)}`);
    await h.command(PEOPLE.ana, `lead remove ${mention(PEOPLE.ana)}`);
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('Only another lead can make you a lead again.');
    await answerLeadRemoval(h, PEOPLE.ana, ACTIONS.cancelLeadRemoval);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Nothing changed: you are still a lead.');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.ana))?.is_lead).toBe(true);
    expect((await listEvents(h.db, TEAM_ID)).filter((e) => e.kind === 'team.lead_removed')).toEqual([]);

    await h.command(PEOPLE.ben, `lead add ${mention(PEOPLE.ben)}`);
    expect(h.lastEphemeral(PEOPLE.ben)).toBe('Only a lead can change the leads.');
    expect((await findMember(h.db, TEAM_ID, PEOPLE.ben))?.is_lead).toBe(false);
  });
});

describe('time away', () => {
  it('records your own time away and cancels it', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, `away ${mention(PEOPLE.ana)} 2026-12-21 2026-12-31`);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe(
      `Recorded: <@${PEOPLE.ana}> away Mon 21 Dec 2026 – Thu 31 Dec 2026. The rotation skips them while away.`,
    );
    expect(await listTimeAway(h.db, TEAM_ID, '2026-12-01', '2027-01-31')).toHaveLength(1);
    await h.command(PEOPLE.ana, 'back');
    expect(h.lastEphemeral(PEOPLE.ana)).toBe(
      `<@${PEOPLE.ana}> is back.\n• away Mon 21 Dec 2026 – Thu 31 Dec 2026: cancelled`,
    );
    expect(await listTimeAway(h.db, TEAM_ID, '2026-12-01', '2027-01-31')).toEqual([]);
  });

  it('says so when back has nothing to cancel, and says what ended early', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, `back ${mention(PEOPLE.ben)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      `<@${PEOPLE.ben}> had no time away from today on: nothing to cancel.`,
    );
    expect((await listEvents(h.db, TEAM_ID)).map((e) => e.kind)).not.toContain('away.cleared');

    await h.command(PEOPLE.ben, 'away 2026-12-01 2026-12-04');
    h.setNow('2026-12-03T10:00:00Z');
    await h.command(PEOPLE.ben, 'back');
    expect(h.lastEphemeral(PEOPLE.ben)).toBe(
      `<@${PEOPLE.ben}> is back.\n• away Tue 1 Dec 2026 – Fri 4 Dec 2026: ended early, the last day away was Wed 2 Dec 2026`,
    );
    expect((await listEvents(h.db, TEAM_ID)).map((e) => e.kind)).toContain('away.cleared');
  });

  it("refuses a member recording someone else's time away, and bad dates", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, `away ${mention(PEOPLE.ben)} 2026-12-21 2026-12-31`);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe("Only a lead can record someone else's time away.");
    await h.command(PEOPLE.ana, 'away 2026-12-31 2026-12-21');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('ends (2026-12-21) before it starts');
    await h.command(PEOPLE.ana, 'away 2026-02-30 2026-03-02');
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('real dates');
    expect(await listTimeAway(h.db, TEAM_ID, '2026-01-01', '2027-12-31')).toEqual([]);
  });
});

describe('list, load, reassign and close', () => {
  it('lists open engagements and the workload, privately', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { client: 'Acme GmbH' });
    await h.command(PEOPLE.ben, 'list');
    expect(h.lastEphemeral(PEOPLE.ben)).toBe('1 open engagement(s)');
    expect(textOf(h.emulator.ephemerals(PEOPLE.ben).at(-1))).toContain(
      '*#1 Acme GmbH* <#C0ACME> · _awaiting an owner_',
    );
    await h.command(PEOPLE.ben, 'load');
    const load = textOf(h.emulator.ephemerals(PEOPLE.ben).at(-1));
    expect(load).toContain(`<@${PEOPLE.ana}> 0/2`);
    // Ana is proposed for #1, awaiting a lead: a tentative turn puts Ben ahead of her.
    expect(load).toMatch(
      /Who is next\*\nFor an engagement starting Wed 2 Dec on the default plan:\n1\. <@U0BEN>/,
    );
  });

  it("lets a lead set someone's capacity, shown in load, and refuses anyone else", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ben, `team capacity ${mention(PEOPLE.ana)} 0`);
    expect(h.lastEphemeral(PEOPLE.ben)).toBe("Only a lead can set someone's capacity.");
    await h.command(PEOPLE.lead, `team capacity ${mention(PEOPLE.ana)} 0`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      `<@${PEOPLE.ana}>: capacity 0 (was 2), never proposed as owner until a lead raises it.`,
    );
    await h.command(PEOPLE.lead, `team capacity ${mention(PEOPLE.lead)} 1`);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('is not in the rotation');
    await h.command(PEOPLE.lead, 'load');
    const load = textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1));
    expect(load).toContain(`<@${PEOPLE.ana}> 0/0 · capacity 0: never proposed`);
    expect(load).toMatch(/1\. <@U0BEN>/);
    expect(load).toContain('Ana Alves: capacity 0: a lead set them never to be proposed');
  });

  it('answers list before the team exists with how to start', async () => {
    const h = harness.current;
    await h.command(PEOPLE.ana, 'list');
    expect(textOf(h.emulator.ephemerals(PEOPLE.ana).at(-1))).toContain('No open engagements');
  });

  it('proposes a handover on reassign, for leads only', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const first = openProposal(h);
    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: first.ts },
      ACTIONS.approveOwner,
      buttonValue(first, ACTIONS.approveOwner),
    );

    await h.command(PEOPLE.ben, 'reassign #1');
    expect(h.lastEphemeral(PEOPLE.ben)).toBe('Only a lead can reassign an engagement.');
    await h.command(PEOPLE.lead, 'reassign #7');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('There is no engagement #7.');

    await h.command(PEOPLE.lead, 'reassign #1 Ana moves to the Beta launch');
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('Proposed a new owner for #1 Acme GmbH in <#C0ROTATION>');
    const handover = openProposal(h);
    const text = textOf(handover);
    expect(text).toContain(`Handover of *#1 Acme GmbH* from <@${PEOPLE.ana}>: who should take over?`);
    expect(text).toContain('Why: Ana moves to the Beta launch');
    expect(text).toContain(`Proposed owner: <@${PEOPLE.ben}>`);

    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: handover.ts },
      ACTIONS.approveOwner,
      buttonValue(handover, ACTIONS.approveOwner),
    );
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBe(PEOPLE.ben);
    // The engagement channel hears who owns it now, not why.
    const last = h.botMessages(CHANNELS.acme).at(-1);
    expect(textOf(last)).toContain(
      `<@${PEOPLE.ben}> now owns *#1 Acme GmbH*, taking over from <@${PEOPLE.ana}>.`,
    );
    expect(textOf(last)).not.toContain('Beta launch');
    // Ana is released (and, a first-time owner's buddy, told so separately: the order of two DMs
    // sent at once is not fixed).
    const released = h
      .botMessages(PEOPLE.ana)
      .filter((m) => /no longer counts towards your workload/.test(textOf(m)));
    expect(released).toHaveLength(1);
  });

  it('closes an engagement, retiring its open proposal', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const proposal = openProposal(h);
    await h.command(PEOPLE.ana, 'close #1');
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Only a lead can close an engagement.');
    expect(await closeConfirmed(h, 'close #1 client postponed to spring')).toBe(
      'Closed #1 Acme GmbH. Its owner, the leads and its channel have been told.',
    );
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.status).toBe('closed');
    const retired = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(buttonValue(retired, ACTIONS.approveOwner)).toBeUndefined();
    expect(textOf(retired)).toContain('Superseded: the engagement was closed');
    expect(textOf(h.botMessages(CHANNELS.rotation).at(-1))).toContain(
      'was closed by <@U0LEAD>: client postponed to spring',
    );
    // The engagement channel hears of it, without the reason.
    expect(textOf(h.botMessages(CHANNELS.acme).at(-1))).toContain('*#1 Acme GmbH* was closed by <@U0LEAD>.');
    expect(textOf(h.botMessages(CHANNELS.acme).at(-1))).not.toContain('spring');
    await h.command(PEOPLE.lead, 'close #1');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('Engagement #1 is already closed.');
  });
});
