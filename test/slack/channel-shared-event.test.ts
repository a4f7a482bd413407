// A channel the team chose as its own, shared with people outside the organisation later (Slack's
// `channel_shared` event): from that moment nothing internal goes there, what was waiting to be
// posted there is held, and the team is told where things go instead.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { listOutbox } from '../../src/db/outbox.js';
import {
  approveOpenProposal,
  CHANNELS,
  type Harness,
  PEOPLE,
  remindersTick,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01, 10:00 UTC
beforeEach(async () => {
  await sql`truncate job_marks`.execute(harness.current.db);
});

const WITHHELD = /^withheld: a client can read this channel/;

async function tick(h: Harness, at: string) {
  h.setNow(at);
  await remindersTick(h, at);
}

async function share(h: Harness, channelId: string) {
  await h.emulator.shareChannel(channelId);
  await h.app.idle();
}

/** Ana owns #1 Acme GmbH, whose channel #acme is the team's own. */
async function anaOwnsAcme(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h, { channel: CHANNELS.acme }); // starts Wed 2 Dec
  await approveOpenProposal(h);
}

const toldShared = (h: Harness, channelId: string) =>
  h.botMessages(channelId).filter((m) => /is shared with people outside/.test(textOf(m)));

describe('an engagement channel shared with the client later', () => {
  it('holds what waited to be posted there, tells the rotation channel once, and sends reminders to the owner', async () => {
    const h = harness.current;
    await anaOwnsAcme(h);
    const before = h.botMessages(CHANNELS.acme).length; // the kickoff
    // Slack holds the day's reminder back for a minute: it is still waiting when the channel is shared.
    h.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 60, channel: CHANNELS.acme });
    await tick(h, '2026-12-02T09:00:00Z');
    const waiting = (await listOutbox(h.db, TEAM_ID)).filter(
      (r) => r.channel_id === CHANNELS.acme && r.kind === 'reminder',
    );
    expect(waiting.map((r) => r.status)).toEqual(['pending']);

    await share(h, CHANNELS.acme);
    await share(h, CHANNELS.acme); // Slack may deliver an event twice

    const held = (await listOutbox(h.db, TEAM_ID)).find((r) => r.id === waiting[0]!.id);
    expect(held).toMatchObject({ status: 'failed' });
    expect(held?.last_error).toMatch(WITHHELD);
    await tick(h, '2026-12-02T09:02:00Z');
    expect(h.botMessages(CHANNELS.acme)).toHaveLength(before);

    const told = toldShared(h, CHANNELS.rotation);
    expect(told).toHaveLength(1);
    expect(textOf(told[0])).toContain(`Its reminders go to <@${PEOPLE.ana}>'s DM`);
    expect(await findEngagementByNumber(h.db, TEAM_ID, 1)).toMatchObject({ channel_shared: true });
    const events = await h.db
      .selectFrom('events')
      .select(['kind', 'data'])
      .where('kind', '=', 'channel.found_shared')
      .execute();
    expect(events).toEqual([{ kind: 'channel.found_shared', data: { channelId: CHANNELS.acme } }]);

    // The next business day's reminder reaches Ana in her DM; the shared channel gets nothing.
    await tick(h, '2026-12-03T09:00:00Z');
    expect(h.botMessages(CHANNELS.acme)).toHaveLength(before);
    expect(h.botMessages(PEOPLE.ana).some((m) => /Acme GmbH/.test(textOf(m)) && m.ts)).toBe(true);
    const reminders = (await listOutbox(h.db, TEAM_ID)).filter(
      (r) => r.kind === 'reminder' && r.status === 'sent',
    );
    expect(reminders.map((r) => r.channel_id)).toEqual([PEOPLE.ana]);
  });

  it('changes nothing when it is the client channel, shared as expected', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { channel: CHANNELS.acme, clientChannel: CHANNELS.acmeClient });
    await share(h, CHANNELS.acmeClient);
    expect(toldShared(h, CHANNELS.rotation)).toEqual([]);
    expect(h.botMessages(PEOPLE.lead)).toEqual([]);
    expect(await findEngagementByNumber(h.db, TEAM_ID, 1)).toMatchObject({ channel_shared: false });
  });
});

describe('the rotation channel shared with people outside', () => {
  it('gets no more proposals; every lead is told once, by DM, what to do', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, `lead add <@${PEOPLE.ben}|ben>`);
    await startEngagement(h, { channel: CHANNELS.acme }); // the team's rotation channel from now on
    await share(h, CHANNELS.rotation);
    await share(h, CHANNELS.rotation);

    for (const lead of [PEOPLE.lead, PEOPLE.ben]) {
      const dms = h.botMessages(lead).filter((m) => /rotation channel, is now shared/.test(textOf(m)));
      expect(dms).toHaveLength(1);
      expect(textOf(dms[0])).toContain(
        `<#${CHANNELS.rotation}>, the team's rotation channel, is now shared with people outside the organisation, so Steward posts nothing there any more: proposals and their reasons are internal. Pending proposals wait in your App Home. To choose the team's own channel, run \`/engagement settings rotation-channel\` in it.`,
      );
    }
    const recorded = await h.db
      .selectFrom('events')
      .select('kind')
      .where('kind', '=', 'channel.rotation_shared')
      .execute();
    expect(recorded).toHaveLength(1);

    const proposalsBefore = h.proposals(CHANNELS.rotation).length;
    await startEngagement(h, { client: 'Globex', channel: CHANNELS.gamma });
    expect(h.proposals(CHANNELS.rotation)).toHaveLength(proposalsBefore);
    const held = (await listOutbox(h.db, TEAM_ID)).filter(
      (r) => r.kind === 'proposal' && r.status === 'failed',
    );
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ channel_id: CHANNELS.rotation });
    expect(held[0]!.last_error).toMatch(WITHHELD);
    // A lead can still decide it, from App Home.
    const home = await h.openHome(PEOPLE.lead);
    expect(textOf({ text: '', blocks: home?.blocks ?? [] })).toContain('Globex');

    // A lead names an internal rotation channel; the next proposal is posted there.
    await h.command(PEOPLE.lead, 'settings rotation-channel', CHANNELS.beta);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain(`<#${CHANNELS.beta}>`);
    h.emulator.addChannel({ id: 'C0INITECH', name: 'initech' });
    await startEngagement(h, { client: 'Initech', channel: 'C0INITECH' });
    const inBeta = h.proposals(CHANNELS.beta).map((m) => textOf(m));
    expect(inBeta.join('\n')).toContain('Initech');
  });

  it("is the team's own again once Slack says nobody outside is left", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { channel: CHANNELS.acme });
    await share(h, CHANNELS.rotation);
    await h.emulator.unshareChannel(CHANNELS.rotation);
    await h.app.idle();
    await startEngagement(h, { client: 'Globex', channel: CHANNELS.gamma });
    expect(
      h
        .proposals()
        .map((m) => textOf(m))
        .join('\n'),
    ).toContain('Globex');
  });
});
