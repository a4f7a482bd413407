// The engagement channel's kickoff follows the owner: after a hand-back it says the owner is being
// chosen, then names whoever is approved; a takeover updates it too. Each change updates it once,
// through the outbox.
import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/outbox.js';
import { ACTIONS, HAND_BACK_FIELDS } from '../../src/slack/ids.js';
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

async function approveOpenProposal(h: Harness) {
  const proposal = openProposal(h);
  await h.click(
    PEOPLE.lead,
    { channelId: CHANNELS.rotation, ts: proposal.ts },
    ACTIONS.approveOwner,
    buttonValue(proposal, ACTIONS.approveOwner),
  );
}

/** Ana owns #1 Acme GmbH; its kickoff is in the engagement channel. */
async function kickedOff(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  await approveOpenProposal(h);
  const [kickoff] = h.botMessages(CHANNELS.acme);
  expect(textOf(kickoff)).toContain(`Owner: <@${PEOPLE.ana}>`);
  return kickoff!;
}

const kickoffUpdates = async (h: Harness) =>
  (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'kickoff-update');

describe('the kickoff', () => {
  it('says the owner is being chosen after a hand-back, then names the new owner', async () => {
    const h = harness.current;
    const kickoff = await kickedOff(h);
    const dm = h.botMessages(PEOPLE.ana)[0]!;
    await h.click(
      PEOPLE.ana,
      { channelId: h.emulator.dmChannelFor(PEOPLE.ana), ts: dm.ts },
      ACTIONS.handBack,
      buttonValue(dm, ACTIONS.handBack),
    );
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, { [HAND_BACK_FIELDS.reason.block]: 'on two launches' });

    const waiting = textOf(h.emulator.message(CHANNELS.acme, kickoff.ts));
    expect(waiting).toContain('Owner: being chosen');
    expect(waiting).not.toContain(`<@${PEOPLE.ana}>`);
    expect(waiting).toContain('Wed 2 Dec: Kickoff with the client');

    await approveOpenProposal(h); // Ben
    expect(textOf(h.emulator.message(CHANNELS.acme, kickoff.ts))).toContain(`Owner: <@${PEOPLE.ben}>`);
    const updates = await kickoffUpdates(h);
    expect(updates.map((r) => [r.channel_id, r.message_ts, r.status])).toEqual([
      [CHANNELS.acme, kickoff.ts, 'sent'],
      [CHANNELS.acme, kickoff.ts, 'sent'],
    ]);
  });

  it('names the new owner after a takeover', async () => {
    const h = harness.current;
    const kickoff = await kickedOff(h);
    await h.command(PEOPLE.lead, 'reassign #1 Ana is away next week');
    await approveOpenProposal(h);

    expect(textOf(h.emulator.message(CHANNELS.acme, kickoff.ts))).toContain(`Owner: <@${PEOPLE.ben}>`);
    // The handover's own note is a new message; the kickoff stays the first one.
    expect(textOf(h.botMessages(CHANNELS.acme).at(-1))).toContain(
      `<@${PEOPLE.ben}> now owns *#1 Acme GmbH*, taking over from <@${PEOPLE.ana}>.`,
    );
    expect(await kickoffUpdates(h)).toHaveLength(1);
  });
});
