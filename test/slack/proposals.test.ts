// Proposals in the rotation channel: only leads decide, a decision updates the message in place,
// double clicks approve once, stale buttons explain themselves; and the owner's Hand back.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { listOutbox } from '../../src/db/outbox.js';
import { findProposal } from '../../src/db/proposals.js';
import { ACTIONS, CHOOSE_OWNER_FIELDS, HAND_BACK_FIELDS } from '../../src/slack/ids.js';
import type { EmulatedMessage } from '../../src/sandbox/slack-emulator.js';
import {
  buttonValue,
  CHANNELS,
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

const at = (m: EmulatedMessage) => ({ channelId: CHANNELS.rotation, ts: m.ts });
const click = (h: Harness, who: string, m: EmulatedMessage, action: string) =>
  h.click(who, at(m), action, buttonValue(m, action));

async function proposed(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  return openProposal(h);
}

describe('only leads decide', () => {
  it.each([
    [ACTIONS.approveOwner, 'Only a lead can approve an owner.'],
    [ACTIONS.proposeNext, 'Only a lead can pass over a candidate.'],
    [ACTIONS.chooseOwner, 'Only a lead can choose an owner.'],
  ])('refuses a member clicking %s, privately, and changes nothing', async (action, refusal) => {
    const h = harness.current;
    const proposal = await proposed(h);
    await click(h, PEOPLE.ben, proposal, action);
    expect(h.lastEphemeral(PEOPLE.ben)).toBe(refusal);
    expect(h.modal(PEOPLE.ben)).toBeUndefined();
    expect(h.emulator.message(CHANNELS.rotation, proposal.ts)).toEqual(proposal);
    expect((await listEvents(h.db, TEAM_ID)).map((e) => e.kind)).not.toContain('approved');
    expect(h.proposals()).toHaveLength(1);
  });
});

describe('posting', () => {
  it('goes out through the outbox, at once: its key in the message metadata, its place remembered', async () => {
    const h = harness.current;
    const proposal = await proposed(h);
    const id = buttonValue(proposal, ACTIONS.approveOwner)!;
    expect(proposal.metadata).toMatchObject({ event_payload: { key: `proposal:${id}`, team: TEAM_ID } });
    expect(await listOutbox(h.db, TEAM_ID)).toEqual([
      expect.objectContaining({ kind: 'proposal', status: 'sent', message_ts: proposal.ts }),
    ]);
    expect(await findProposal(h.db, TEAM_ID, id)).toMatchObject({
      channel_id: CHANNELS.rotation,
      message_ts: proposal.ts,
    });
  });
});

describe('deciding', () => {
  it('approves once when the lead double-clicks', async () => {
    const h = harness.current;
    const proposal = await proposed(h);
    const value = buttonValue(proposal, ACTIONS.approveOwner);
    await Promise.all([
      h.emulator.clickButton(PEOPLE.lead, at(proposal), ACTIONS.approveOwner, value),
      h.emulator.clickButton(PEOPLE.lead, at(proposal), ACTIONS.approveOwner, value),
    ]);
    await h.app.idle();
    const events = await listEvents(h.db, TEAM_ID);
    expect(events.filter((e) => e.kind === 'approved')).toHaveLength(1);
    expect(h.botMessages(PEOPLE.ana)).toHaveLength(1);
    expect(h.botMessages(CHANNELS.acme)).toHaveLength(1);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(`This proposal was already approved by <@${PEOPLE.lead}>.`);
    expect(
      buttonValue(h.emulator.message(CHANNELS.rotation, proposal.ts)!, ACTIONS.approveOwner),
    ).toBeUndefined();
  });

  it('explains a stale proposal and brings its message up to date', async () => {
    const h = harness.current;
    const proposal = await proposed(h);
    // The update after the approval fails, so the old buttons stay visible.
    h.emulator.failNext('chat.update', { error: 'internal_error' });
    await click(h, PEOPLE.lead, proposal, ACTIONS.approveOwner);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('Sorry, something went wrong on my side');
    expect(h.logs.some((l) => l.msg === 'a Slack request failed')).toBe(true);
    expect(h.botMessages(PEOPLE.ana)).toHaveLength(1); // the owner heard anyway
    expect(
      buttonValue(h.emulator.message(CHANNELS.rotation, proposal.ts)!, ACTIONS.proposeNext),
    ).toBeDefined();

    await click(h, PEOPLE.lead, proposal, ACTIONS.proposeNext);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(`This proposal was already approved by <@${PEOPLE.lead}>.`);
    const refreshed = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(buttonValue(refreshed, ACTIONS.proposeNext)).toBeUndefined();
    expect(textOf(refreshed)).toContain(`<@${PEOPLE.ana}> is the owner, approved by <@${PEOPLE.lead}>`);
    expect(h.proposals()).toHaveLength(1);
  });

  it('passes over a candidate and proposes the next, never the same one again', async () => {
    const h = harness.current;
    const first = await proposed(h);
    await click(h, PEOPLE.lead, first, ACTIONS.proposeNext);
    expect(textOf(h.emulator.message(CHANNELS.rotation, first.ts))).toContain(
      `Passed over by <@${PEOPLE.lead}>`,
    );
    const second = openProposal(h);
    expect(textOf(second)).toContain(`Proposed owner: <@${PEOPLE.ben}>`);
    expect(textOf(second)).toContain('Ana Alves: passed over for this engagement');
    await click(h, PEOPLE.lead, second, ACTIONS.proposeNext);
    const third = openProposal(h);
    expect(textOf(third)).toContain(`Proposed owner: <@${PEOPLE.cat}>`);
    await click(h, PEOPLE.lead, third, ACTIONS.proposeNext);
    const nobody = openProposal(h);
    expect(textOf(nobody)).toContain('Nobody is eligible');
    expect(buttonValue(nobody, ACTIONS.approveOwner)).toBeUndefined();
    expect(buttonValue(nobody, ACTIONS.chooseOwner)).toBeDefined();
  });

  it("records a lead's pick of someone the rotation skipped as an override, with the warning", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'away 2026-12-02 2026-12-04');
    await startEngagement(h);
    const proposal = openProposal(h);
    expect(textOf(proposal)).toContain(`Proposed owner: <@${PEOPLE.ben}>`);
    await click(h, PEOPLE.lead, proposal, ACTIONS.chooseOwner);
    const modal = h.modal(PEOPLE.lead)!;
    // The hint says what the rules are, and nothing the form then refuses.
    const hint = textOf(modal as never);
    expect(hint).toContain('The delivery lead cannot own the engagement.');
    expect(hint).toContain('asks you to confirm it, with a reason');
    expect(hint).not.toMatch(/delivery lead[^.]*is allowed/);

    const notOnTeam = await h.submit(PEOPLE.lead, modal, { [CHOOSE_OWNER_FIELDS.owner.block]: PEOPLE.dan });
    expect(notOnTeam.errors).toEqual({
      [CHOOSE_OWNER_FIELDS.owner.block]:
        'Dan Diaz is not on the team; a lead adds them with /engagement team add first.',
    });

    // Someone the rotation skips: a confirmation with the reason why, before anything is decided.
    const asked = await h.submit(PEOPLE.lead, h.modal(PEOPLE.lead)!, {
      [CHOOSE_OWNER_FIELDS.owner.block]: PEOPLE.ana,
      [CHOOSE_OWNER_FIELDS.reason.block]: 'knows the client best',
    });
    expect(asked.responseAction).toBe('push');
    const confirm = h.modal(PEOPLE.lead)!;
    expect(textOf(confirm as never)).toContain(
      'The rotation would not propose Ana Alves: away Wed 2 Dec – Fri 4 Dec, over the start date.',
    );
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBeNull();
    expect(
      buttonValue(h.emulator.message(CHANNELS.rotation, proposal.ts)!, ACTIONS.approveOwner),
    ).toBeDefined();

    const noReason = await h.submit(PEOPLE.lead, confirm, { [CHOOSE_OWNER_FIELDS.reason.block]: '  ' });
    expect(noReason.errors).toEqual({
      [CHOOSE_OWNER_FIELDS.reason.block]: 'Say why Ana Alves should own it anyway.',
    });
    const chosen = await h.submit(PEOPLE.lead, h.modal(PEOPLE.lead)!, {
      [CHOOSE_OWNER_FIELDS.reason.block]: 'knows the client best',
    });
    expect(chosen.responseAction).toBe('clear');
    expect(h.modal(PEOPLE.lead)).toBeUndefined();
    const decided = textOf(h.emulator.message(CHANNELS.rotation, proposal.ts));
    expect(decided).toContain(
      `<@${PEOPLE.ana}> is the owner, chosen by hand by <@${PEOPLE.lead}> (override)`,
    );
    expect(decided).toContain(
      'Ana Alves would not have been proposed: away Wed 2 Dec – Fri 4 Dec, over the start date.',
    );
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBe(PEOPLE.ana);
    expect((await listEvents(h.db, TEAM_ID)).map((e) => e.kind)).toContain('overridden');
    expect(h.botMessages(PEOPLE.ana)).toHaveLength(1);
    // The engagement channel names the owner; the override stays internal.
    expect(textOf(h.botMessages(CHANNELS.acme)[0])).not.toMatch(/override|would not|away/);
  });

  it('refuses the delivery lead as owner even when chosen by hand', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { deliveryLead: PEOPLE.ben });
    await click(h, PEOPLE.lead, openProposal(h), ACTIONS.chooseOwner);
    const refused = await h.submit(PEOPLE.lead, h.modal(PEOPLE.lead)!, {
      [CHOOSE_OWNER_FIELDS.owner.block]: PEOPLE.ben,
    });
    expect(refused.errors).toEqual({
      [CHOOSE_OWNER_FIELDS.owner.block]:
        'Ben Bauer is the delivery lead: the owner manages the engagement, so it must be someone else.',
    });
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBeNull();
  });
});

describe('handing back', () => {
  async function owned(h: Harness) {
    const proposal = await proposed(h);
    await click(h, PEOPLE.lead, proposal, ACTIONS.approveOwner);
    return h.botMessages(PEOPLE.ana)[0]!;
  }

  it('gives the owner the notes from the form in the DM', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { notes: 'Client prefers calls on Tuesdays' });
    await click(h, PEOPLE.lead, await openProposal(h), ACTIONS.approveOwner);
    expect(textOf(h.botMessages(PEOPLE.ana)[0]!)).toContain('Client prefers calls on Tuesdays');
    // The engagement channel's kickoff has the plan, not the notes.
    const kickoff = h.botMessages(CHANNELS.acme).map(textOf).join('\n');
    expect(kickoff).toContain('Owner');
    expect(kickoff).not.toContain('Client prefers calls');
  });

  it('lets the owner hand back within a business day, and proposes the next candidate', async () => {
    const h = harness.current;
    const dm = await owned(h);
    const dmChannel = h.emulator.dmChannelFor(PEOPLE.ana);
    await h.click(
      PEOPLE.ana,
      { channelId: dmChannel, ts: dm.ts },
      ACTIONS.handBack,
      buttonValue(dm, ACTIONS.handBack),
    );
    const modal = h.modal(PEOPLE.ana)!;
    const empty = await h.submit(PEOPLE.ana, modal, { [HAND_BACK_FIELDS.reason.block]: '   ' });
    expect(empty.errors).toEqual({ [HAND_BACK_FIELDS.reason.block]: 'Say why you are handing it back.' });
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, {
      [HAND_BACK_FIELDS.reason.block]: 'already on two launches',
    });

    expect(textOf(h.emulator.message(dmChannel, dm.ts))).toContain(
      'You handed back *#1 Acme GmbH*: _already on two launches_',
    );
    expect(buttonValue(h.emulator.message(dmChannel, dm.ts)!, ACTIONS.handBack)).toBeUndefined();
    const next = openProposal(h);
    expect(textOf(next)).toContain(`Why: <@${PEOPLE.ana}> handed it back: already on two launches`);
    expect(textOf(next)).toContain(`Proposed owner: <@${PEOPLE.ben}>`);
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBeNull();
  });

  it('refuses after a business day, and refuses anyone but the owner', async () => {
    const h = harness.current;
    const dm = await owned(h);
    const dmChannel = h.emulator.dmChannelFor(PEOPLE.ana);

    // Someone else can't even open the modal (they can't see Ana's DM, but a forged click is refused too).
    await h.emulator.deliver({
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          team: { id: TEAM_ID, domain: 'emulated' },
          user: { id: PEOPLE.ben, username: 'ben', team_id: TEAM_ID },
          api_app_id: 'A0APP',
          trigger_id: 'forged',
          container: { type: 'message', channel_id: dmChannel, message_ts: dm.ts },
          channel: { id: dmChannel, name: 'directmessage' },
          response_url: '',
          actions: [
            {
              action_id: ACTIONS.handBack,
              block_id: 'x',
              type: 'button',
              value: buttonValue(dm, ACTIONS.handBack),
              action_ts: '1',
            },
          ],
        }),
      }).toString(),
    });
    await h.app.idle();
    expect(h.modal(PEOPLE.ben)).toBeUndefined();
    expect(textOf(h.botMessages(PEOPLE.ben).at(-1))).toContain(
      'Only the current owner can hand an engagement back.',
    );

    h.setNow('2026-12-03T10:00:00Z'); // approved Tuesday; Thursday is past the next business day
    await h.click(
      PEOPLE.ana,
      { channelId: dmChannel, ts: dm.ts },
      ACTIONS.handBack,
      buttonValue(dm, ACTIONS.handBack),
    );
    // Refused before any reason is asked for, and the DM no longer offers it.
    expect(h.modal(PEOPLE.ana)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.ana)).toBe(
      'The hand-back window closed on Wed 2 Dec; ask a lead to reassign it.',
    );
    const retired = h.emulator.message(dmChannel, dm.ts)!;
    expect(buttonValue(retired, ACTIONS.handBack)).toBeUndefined();
    expect(textOf(retired)).toContain('The hand-back window closed on Wed 2 Dec: Hand back is gone.');
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBe(PEOPLE.ana);
    expect(h.proposals().every((m) => buttonValue(m, ACTIONS.approveOwner) === undefined)).toBe(true);
  });
});
