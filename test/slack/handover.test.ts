import { describe, expect, it } from 'vitest';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { ACTIONS } from '../../src/slack/ids.js';
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
} from '../support/app.js';

const harness = useHarness();

describe('a handover proposal', () => {
  it('can be turned down by a lead, keeping the current owner', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const first = openProposal(h);
    const where = { channelId: CHANNELS.rotation, ts: first.ts };
    await h.click(PEOPLE.lead, where, ACTIONS.approveOwner, buttonValue(first, ACTIONS.approveOwner));
    await h.command(PEOPLE.lead, 'reassign #1 Ana is away next week');

    const handover = openProposal(h);
    const id = buttonValue(handover, ACTIONS.keepOwner);
    expect(id).toBeDefined();
    const at = { channelId: CHANNELS.rotation, ts: handover.ts };
    await h.click(PEOPLE.ben, at, ACTIONS.keepOwner, id);
    expect(h.lastEphemeral(PEOPLE.ben)).toBe('Only a lead can decide a handover.');

    await h.click(PEOPLE.lead, at, ACTIONS.keepOwner, id);
    const decided = h.emulator.message(CHANNELS.rotation, handover.ts)!;
    expect(buttonValue(decided, ACTIONS.keepOwner)).toBeUndefined();
    expect(textOf(decided)).toContain(
      `Handover turned down by <@${PEOPLE.lead}>; <@${PEOPLE.ana}> stays the owner.`,
    );
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBe(PEOPLE.ana);
  });

  it('has no such button when it proposes a first owner', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    expect(buttonValue(openProposal(h), ACTIONS.keepOwner)).toBeUndefined();
  });
});
