// The engagement channel's kickoff follows the owner: after a hand-back it says the owner is being
// chosen, then names whoever is approved; a takeover updates it too. Each change updates it once,
// through the outbox, which also sends the kickoff itself: held up at the approval, it goes later.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/outbox.js';
import {
  approveOpenProposal,
  CHANNELS,
  handsBack,
  type Harness,
  PEOPLE,
  remindersTick,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

/** Ana owns #1 Acme GmbH; its kickoff is in the engagement channel. */
async function kickedOff(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  await approveOpenProposal(h);
  const [kickoff] = h.botMessages(CHANNELS.acme);
  expect(textOf(kickoff)).toContain(`Owner: <@${PEOPLE.ana}>`);
  return kickoff!;
}

/** Two minutes on (past the 429's Retry-After), the next sweeps send the kickoff that was held up. */
async function heldUpKickoffGoesOut(h: Harness) {
  await h.db
    .updateTable('outbox')
    .set({ not_before: sql<Date>`now()` })
    .where('kind', '=', 'kickoff')
    .execute();
  await remindersTick(h, '2026-12-02T09:00:00Z');
  await remindersTick(h, '2026-12-02T09:01:00Z');
}

const kickoffUpdates = async (h: Harness) =>
  (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'kickoff-update');

describe('the kickoff', () => {
  it('says the owner is being chosen after a hand-back, then names the new owner', async () => {
    const h = harness.current;
    const kickoff = await kickedOff(h);
    await handsBack(h, PEOPLE.ana, 'on two launches');

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

  it('goes out later when Slack held it up at the approval, and still follows the owner', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    h.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 120, channel: CHANNELS.acme });
    await approveOpenProposal(h);
    // The owner hears at once; the channel's kickoff waits its turn in the outbox.
    expect(textOf(h.botMessages(PEOPLE.ana)[0])).toContain('You own *#1 Acme GmbH*');
    expect(h.botMessages(CHANNELS.acme)).toEqual([]);

    // Two minutes on, the next sweep sends it, once.
    await heldUpKickoffGoesOut(h);
    const kickoffs = h.botMessages(CHANNELS.acme).filter((m) => /Kickoff: #1/.test(textOf(m)));
    expect(kickoffs).toHaveLength(1);

    // Where it landed was kept: a hand-back updates it in place.
    await handsBack(h, PEOPLE.ana, 'on two launches');
    expect(textOf(h.emulator.message(CHANNELS.acme, kickoffs[0]!.ts))).toContain('Owner: being chosen');
  });

  it('goes out late, after a hand-back, already saying the owner is being chosen', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    h.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 120, channel: CHANNELS.acme });
    await approveOpenProposal(h);
    await handsBack(h, PEOPLE.ana, 'on two launches');

    await heldUpKickoffGoesOut(h);
    const [kickoff] = h.botMessages(CHANNELS.acme).filter((m) => /Kickoff: #1/.test(textOf(m)));
    expect(textOf(h.emulator.message(CHANNELS.acme, kickoff!.ts))).toContain('Owner: being chosen');
  });

  it('tells the lead who approved when Slack refuses it for good, and why', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    h.emulator.failNext('chat.postMessage', { error: 'not_in_channel', channel: CHANNELS.acme });
    await approveOpenProposal(h);
    expect(textOf(h.botMessages(PEOPLE.ana)[0])).toContain('You own *#1 Acme GmbH*');
    expect(textOf(h.botMessages(PEOPLE.lead).at(-1))).toBe(
      `<@${PEOPLE.ana}> owns *#1 Acme GmbH*, but not everyone was told:\n` +
        `• the kickoff in <#${CHANNELS.acme}>: I'm not in that channel: invite me there (\`/invite @Steward\`)`,
    );
  });
});
