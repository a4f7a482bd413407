// An engagement whose channel turns out to be shared with the client (created before Steward asked
// Slack, or shared since): its reminders go to the owner's DM, the rotation channel is told once, and
// a lead names an internal channel with `/engagement channel #n #channel`.
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

const tick = remindersTick;

/** Ana owns #1 Acme GmbH in #acme-shared, which was created before Steward asked Slack and is shared since. */
async function sharedSince(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h, { channel: CHANNELS.acme }); // starts Wed 2 Dec
  await approveOpenProposal(h);
  h.emulator.addChannel({ id: CHANNELS.acme, name: 'acme-shared', isExtShared: true });
  await h.db.updateTable('engagements').set({ channel_checked: false }).execute();
}

const inChannel = (h: Harness, channelId: string) =>
  h.botMessages(channelId).filter((m) => !/Kickoff/.test(m.text));

describe('an engagement channel found shared with the client', () => {
  it('gets no more reminders: they go to the owner, and the rotation channel is told once', async () => {
    const h = harness.current;
    await sharedSince(h);
    await tick(h, '2026-12-02T09:00:00Z');
    await tick(h, '2026-12-02T09:01:00Z');

    expect(inChannel(h, CHANNELS.acme)).toEqual([]);
    const reminder = h.botMessages(PEOPLE.ana).find((m) => /Kickoff with the client/.test(textOf(m)));
    expect(reminder).toBeDefined();
    const told = h
      .botMessages(CHANNELS.rotation)
      .filter((m) => /is shared with people outside/.test(textOf(m)));
    expect(told).toHaveLength(1);
    expect(textOf(told[0])).toContain(
      `#1 Acme GmbH*: <#${CHANNELS.acme}> is shared with people outside the organisation, so nothing internal goes there any more. Its reminders go to <@${PEOPLE.ana}>'s DM until a lead names the team's own channel: \`/engagement channel #1 #internal-channel\`.`,
    );
    expect(await findEngagementByNumber(h.db, TEAM_ID, 1)).toMatchObject({
      channel_shared: true,
      channel_checked: true,
    });
  });

  it('takes an internal channel a lead names; the shared one becomes its client channel', async () => {
    const h = harness.current;
    await sharedSince(h);
    await tick(h, '2026-12-02T09:00:00Z');

    await h.command(PEOPLE.ana, `channel #1 <#${CHANNELS.beta}|beta>`);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe("Only a lead can name an engagement's channel.");
    await h.command(PEOPLE.lead, `channel #1 <#${CHANNELS.acmeClient}|ext-acme>`);
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(
      /is shared with people outside the organisation .* Nothing was changed\.$/,
    );
    await h.command(PEOPLE.lead, `channel #1 <#${CHANNELS.rotation}|eng-rotation>`);
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/rotation channel/);
    await h.command(PEOPLE.lead, 'channel #1 beta');
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(/^Name the team's internal channel with #/);

    await h.command(PEOPLE.lead, `channel #1 <#${CHANNELS.beta}|beta>`);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      `#1 Acme GmbH: reminders, overdue lists and their buttons now go to <#${CHANNELS.beta}>. <#${CHANNELS.acme}> is its client channel: only the kickoff summary and the owner's status updates go there.`,
    );
    expect(await findEngagementByNumber(h.db, TEAM_ID, 1)).toMatchObject({
      channel_id: CHANNELS.beta,
      client_channel_id: CHANNELS.acme,
      channel_shared: false,
    });

    // The next business day's reminder is in the internal channel; none in the shared one.
    await tick(h, '2026-12-03T09:00:00Z');
    expect(h.botMessages(CHANNELS.beta)).toHaveLength(1);
    expect(inChannel(h, CHANNELS.acme)).toEqual([]);
    // Only the kickoff went there, before the channel was shared.
    const since = (await listOutbox(h.db, TEAM_ID)).filter(
      (r) => r.channel_id === CHANNELS.acme && r.kind !== 'kickoff',
    );
    expect(since.every((r) => r.status !== 'sent')).toBe(true);
  });
});
