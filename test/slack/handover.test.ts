import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/outbox.js';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { ACTIONS, CHOOSE_OWNER_FIELDS } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
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

  it('can be called off after everyone was passed over, from the button or by choosing the owner', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    await approveOpenProposal(h);
    const passAll = async () => {
      for (;;) {
        const open = openProposal(h);
        const next = buttonValue(open, ACTIONS.proposeNext);
        if (!next) return open;
        await h.click(PEOPLE.lead, { channelId: CHANNELS.rotation, ts: open.ts }, ACTIONS.proposeNext, next);
      }
    };

    await h.command(PEOPLE.lead, 'reassign #1');
    const nobody = await passAll();
    expect(textOf(nobody)).toContain('Nobody is eligible');
    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: nobody.ts },
      ACTIONS.keepOwner,
      buttonValue(nobody, ACTIONS.keepOwner),
    );
    expect(textOf(h.emulator.message(CHANNELS.rotation, nobody.ts))).toContain(
      `<@${PEOPLE.ana}> stays the owner`,
    );

    // The same through Choose someone: picking the current owner keeps things as they are.
    await h.command(PEOPLE.lead, 'reassign #1');
    const again = await passAll();
    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: again.ts },
      ACTIONS.chooseOwner,
      buttonValue(again, ACTIONS.chooseOwner),
    );
    const modal = h.modal(PEOPLE.lead)!;
    expect(textOf(modal as never)).toContain(
      `Choosing <@${PEOPLE.ana}>, the current owner, keeps things as they are.`,
    );
    const kept = await h.submit(PEOPLE.lead, modal, { [CHOOSE_OWNER_FIELDS.owner.block]: PEOPLE.ana });
    expect(kept.errors).toBeUndefined();
    expect(textOf(h.emulator.message(CHANNELS.rotation, again.ts))).toContain(
      `Handover turned down by <@${PEOPLE.lead}>; <@${PEOPLE.ana}> stays the owner.`,
    );
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))?.owner_id).toBe(PEOPLE.ana);
    expect((await listEvents(h.db, TEAM_ID)).filter((e) => e.kind === 'handover.dismissed')).toHaveLength(2);
  });

  it('has no such button when it proposes a first owner', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    expect(buttonValue(openProposal(h), ACTIONS.keepOwner)).toBeUndefined();
  });

  it('drops the first owner’s DM still waiting to go: it would tell them they own it after the fact', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    h.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 120, channel: PEOPLE.ana });
    await approveOpenProposal(h);
    await h.command(PEOPLE.lead, 'reassign #1 Ana is away next week');
    await approveOpenProposal(h);
    const dms = (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'owner-dm');
    expect(dms.map((r) => [r.channel_id, r.status])).toEqual([
      [PEOPLE.ana, 'failed'],
      [PEOPLE.ben, 'sent'],
    ]);
    expect(dms[0]?.last_error).toMatch(/changed owner/);
  });

  it('takes Hand back out of the previous owner’s DM, which says who took it over', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    await approveOpenProposal(h);
    const dm = h.botMessages(PEOPLE.ana).find((m) => /You own/.test(textOf(m)))!;
    expect(buttonValue(dm, ACTIONS.handBack)).toBeDefined();
    await h.command(PEOPLE.lead, 'reassign #1 Ana is away next week');
    await approveOpenProposal(h);
    const owner = (await findEngagementByNumber(h.db, TEAM_ID, 1))!.owner_id!;

    const now = h.emulator.message(dm.channel, dm.ts)!;
    expect(buttonValue(now, ACTIONS.handBack)).toBeUndefined();
    expect(textOf(now)).toContain('*The plan*');
    expect(textOf(now)).toContain(
      `<@${owner}> took it over on Tue 1 Dec: it is no longer yours, and Hand back is gone.`,
    );
  });
});
