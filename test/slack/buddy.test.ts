// A buddy for a first-time owner: named with the proposal, recorded and told on approval, changed by
// a lead; and the form's notes, shown to the leads with the proposal and to the owner in App Home.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { listOutbox } from '../../src/db/outbox.js';
import { ACTIONS } from '../../src/slack/ids.js';
import type { EmulatedMessage } from '../../src/sandbox/slack-emulator.js';
import {
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

const harness = useHarness(); // Tuesday 2026-12-01

const approve = (h: Harness, m: EmulatedMessage) =>
  h.click(
    PEOPLE.lead,
    { channelId: CHANNELS.rotation, ts: m.ts },
    ACTIONS.approveOwner,
    buttonValue(m, ACTIONS.approveOwner),
  );

/** Ana owns #1 (her first turn, with nobody to be her buddy); #2 is proposed to Ben, a first-timer. */
async function benProposedForTheSecond(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  const first = openProposal(h);
  expect(textOf(first)).toContain('No buddy: nobody on the team has had a turn yet');
  await approve(h, first);
  await startEngagement(h, { client: 'Beta AG', channel: CHANNELS.beta });
  const second = openProposal(h);
  expect(textOf(second)).toContain(`Proposed owner: <@${PEOPLE.ben}>`);
  return second;
}

describe('a buddy for a first-time owner', () => {
  it('is named with the proposal, with the reason, and how a lead changes it', async () => {
    const h = harness.current;
    const proposal = await benProposedForTheSecond(h);
    expect(textOf(proposal)).toContain(
      `Buddy: <@${PEOPLE.ana}> (first turn as owner; Ana Alves has run 1 engagement and not been a buddy yet)`,
    );
    expect(textOf(proposal)).toContain('`/engagement buddy #2 @someone|none`');
  });

  it('is recorded on approval, gets a DM with the engagement, its plan and the owner, and the owner’s DM names them', async () => {
    const h = harness.current;
    const proposal = await benProposedForTheSecond(h);
    const anaBefore = h.botMessages(PEOPLE.ana).length;
    await approve(h, proposal);

    expect((await findEngagementByNumber(h.db, TEAM_ID, 2))?.buddy_id).toBe(PEOPLE.ana);
    const events = await listEvents(h.db, TEAM_ID);
    expect(events.filter((e) => e.kind === 'buddy.paired')).toEqual([
      expect.objectContaining({
        actor_id: PEOPLE.lead,
        data: { buddyId: PEOPLE.ana, ownerId: PEOPLE.ben },
      }),
    ]);
    const dms = h.botMessages(PEOPLE.ana).slice(anaBefore);
    expect(dms).toHaveLength(1);
    const dm = textOf(dms[0]);
    expect(dm).toContain(`You're the buddy of <@${PEOPLE.ben}> on *#2 Beta AG*`);
    expect(dm).toContain(`channel <#${CHANNELS.beta}>`);
    expect(dm).toContain('Kickoff with the client');
    expect(dm).toContain(`Paired by <@${PEOPLE.lead}>`);
    // Through the outbox, once.
    expect((await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'buddy')).toEqual([
      expect.objectContaining({ status: 'sent', channel_id: PEOPLE.ana }),
    ]);
    expect(textOf(h.botMessages(PEOPLE.ben).at(-1))).toContain(`Your buddy is <@${PEOPLE.ana}>`);
    // The engagement channel hears nothing of it.
    expect(h.botMessages(CHANNELS.beta).map(textOf).join('\n')).not.toContain('buddy');
    // The decided proposal still says who the buddy is.
    const decided = textOf(h.emulator.message(CHANNELS.rotation, proposal.ts));
    expect(decided).toContain(`Buddy: <@${PEOPLE.ana}>`);
    expect(decided).not.toContain('a lead can pick another');
    await h.command(PEOPLE.ana, 'history #2');
    expect(textOf(h.emulator.ephemerals(PEOPLE.ana).at(-1))).toContain(
      `paired <@${PEOPLE.ana}> as buddy of <@${PEOPLE.ben}>, a first-time owner`,
    );
  });

  it('counts as a buddy turn in the report', async () => {
    const h = harness.current;
    await approve(h, await benProposedForTheSecond(h));
    await h.command(PEOPLE.lead, 'report 2026-01-01 2026-12-31');
    const text = textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1));
    const anaLine = text.split('\n').find((l) => l.startsWith(`• <@${PEOPLE.ana}>`));
    expect(anaLine).toContain('buddy 1×');
  });

  it('is not named for an owner who has had a turn', async () => {
    const h = harness.current;
    await setUpTeam(h, [PEOPLE.ana]);
    await startEngagement(h);
    await approve(h, openProposal(h));
    await startEngagement(h, { client: 'Beta AG', channel: CHANNELS.beta });
    const second = openProposal(h);
    expect(textOf(second)).toContain(`Proposed owner: <@${PEOPLE.ana}>`);
    expect(textOf(second)).not.toContain('buddy');
    await approve(h, second);
    expect((await findEngagementByNumber(h.db, TEAM_ID, 2))?.buddy_id).toBeNull();
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).not.toContain('buddy');
  });
});

describe('/engagement buddy', () => {
  it('lets a lead pick none on the open proposal: its message says so, and approval pairs nobody', async () => {
    const h = harness.current;
    const proposal = await benProposedForTheSecond(h);
    await h.command(PEOPLE.lead, 'buddy #2 none');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      `Buddy for #2 Beta AG: none. The proposal shows it; approving <@${PEOPLE.ben}> records it.`,
    );
    const updated = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(textOf(updated)).toContain('No buddy: Lee Lead chose none');
    expect(buttonValue(updated, ACTIONS.approveOwner)).toBeDefined();
    expect((await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'proposal-update')).toEqual([
      expect.objectContaining({ status: 'sent' }),
    ]);

    const anaBefore = h.botMessages(PEOPLE.ana).length;
    await approve(h, updated);
    expect((await findEngagementByNumber(h.db, TEAM_ID, 2))?.buddy_id).toBeNull();
    expect(h.botMessages(PEOPLE.ana)).toHaveLength(anaBefore);
    expect(textOf(h.botMessages(PEOPLE.ben).at(-1))).not.toContain('Your buddy');
  });

  it('gives an owner a buddy after approval: the buddy gets the DM, the owner hears, all recorded', async () => {
    const h = harness.current;
    const proposal = await benProposedForTheSecond(h);
    await h.command(PEOPLE.lead, 'buddy #2 none');
    await approve(h, h.emulator.message(CHANNELS.rotation, proposal.ts)!);
    const anaBefore = h.botMessages(PEOPLE.ana).length;

    await h.command(PEOPLE.lead, `buddy #2 ${mention(PEOPLE.ana)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      `Buddy for #2 Beta AG: <@${PEOPLE.ana}>. They have the engagement and its plan by DM; <@${PEOPLE.ben}> heard too.`,
    );
    expect((await findEngagementByNumber(h.db, TEAM_ID, 2))?.buddy_id).toBe(PEOPLE.ana);
    const dms = h.botMessages(PEOPLE.ana).slice(anaBefore);
    expect(dms).toHaveLength(1);
    expect(textOf(dms[0])).toContain('Why you: chosen by Lee Lead');
    expect(textOf(h.botMessages(PEOPLE.ben).at(-1))).toContain(`your buddy is now <@${PEOPLE.ana}>`);
    const changed = (await listEvents(h.db, TEAM_ID)).filter((e) => e.kind === 'buddy.changed');
    expect(changed.map((e) => e.data)).toEqual([
      expect.objectContaining({ buddyId: null, previousBuddyId: PEOPLE.ana }),
      expect.objectContaining({ buddyId: PEOPLE.ana, previousBuddyId: null }),
    ]);

    // Asking again changes nothing and sends nothing.
    await h.command(PEOPLE.lead, `buddy #2 ${mention(PEOPLE.ana)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('nothing changed');
    expect(h.botMessages(PEOPLE.ana).slice(anaBefore)).toHaveLength(1);

    // None: the owner hears, and so does the former buddy.
    await h.command(PEOPLE.lead, 'buddy #2 none');
    expect(textOf(h.botMessages(PEOPLE.ben).at(-1))).toContain('you have no buddy on it now');
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).toContain("you're no longer its buddy");
  });

  it.each<[string, string, string]>([
    ['a member', PEOPLE.ben, 'Only a lead can pick a buddy.'],
    [
      'someone with no turn yet',
      PEOPLE.lead,
      "Cat Chen hasn't owned an engagement yet: a buddy is someone who has.",
    ],
  ])('refuses %s, changing nothing', async (_case, who, refusal) => {
    const h = harness.current;
    const proposal = await benProposedForTheSecond(h);
    await h.command(who, `buddy #2 ${mention(PEOPLE.cat)}`);
    expect(h.lastEphemeral(who)).toBe(refusal);
    expect(h.emulator.message(CHANNELS.rotation, proposal.ts)).toEqual(proposal);
    expect((await listEvents(h.db, TEAM_ID)).map((e) => e.kind)).not.toContain('buddy.changed');
  });

  it('refuses the proposed owner as their own buddy, and an engagement that does not exist', async () => {
    const h = harness.current;
    await benProposedForTheSecond(h);
    await h.command(PEOPLE.lead, `buddy #2 ${mention(PEOPLE.ben)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('Ben Bauer is the proposed owner: a buddy is someone else.');
    await h.command(PEOPLE.lead, `buddy #9 ${mention(PEOPLE.ana)}`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('There is no engagement #9.');
    await h.command(PEOPLE.lead, 'buddy #2');
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('Usage: /engagement buddy #number @person|none');
  });
});

describe('the notes from the form', () => {
  const NOTES = 'Client <prefers> calls & *no* email';

  it('show, escaped, with the proposal and in the owner’s App Home; never in the engagement channel', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { notes: NOTES });
    const proposal = openProposal(h);
    expect(textOf(proposal)).toContain('*Notes*\nClient &lt;prefers&gt; calls &amp; *no* email');
    await approve(h, proposal);
    const home = textOf((await h.openHome(PEOPLE.ana)) as never);
    expect(home).toContain('_Notes:_ Client &lt;prefers&gt; calls &amp; *no* email');
    // Nobody else's App Home lists them.
    expect(textOf((await h.openHome(PEOPLE.ben)) as never)).not.toContain('prefers');
    expect(h.botMessages(CHANNELS.acme).map(textOf).join('\n')).not.toContain('prefers');
  });

  it('never reach a client channel', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { notes: NOTES, clientChannel: CHANNELS.gamma });
    await approve(h, openProposal(h));
    for (const channel of [CHANNELS.gamma, CHANNELS.acme]) {
      expect(h.emulator.messages(channel).map(textOf).join('\n')).not.toContain('prefers');
    }
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).toContain('Client &lt;prefers&gt;');
  });
});
