// An engagement's client channel (shared with the client) hears the kickoff summary and nothing
// internal; the outbox withholds anything else addressed to it.
import { describe, expect, it } from 'vitest';
import { listEngagements } from '../../src/db/engagements.js';
import { enqueue, listOutbox } from '../../src/db/outbox.js';
import { outboxKey, toOutboxRows } from '../../src/flows/scheduled-messages.js';
import {
  approveOpenProposal,
  CHANNELS,
  mention,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

describe('the client channel', () => {
  it('gets the kickoff summary once an owner is approved, and nothing internal', async () => {
    const h = harness.current;
    await h.command(
      PEOPLE.lead,
      `team add ${[PEOPLE.ana, PEOPLE.ben, PEOPLE.cat, PEOPLE.dan].map(mention).join(' ')}`,
    );
    await startEngagement(h, {
      client: 'Acme GmbH',
      channel: CHANNELS.acme,
      clientChannel: CHANNELS.acmeClient,
      deliveryLead: PEOPLE.dan,
      notes: 'Their CTO is hard to reach; budget is tight',
    });
    // The proposal, with its reasons and who was skipped, stays in the rotation channel.
    expect(h.botMessages(CHANNELS.acmeClient)).toEqual([]);
    await approveOpenProposal(h); // Ana

    const [summary, ...more] = h.botMessages(CHANNELS.acmeClient);
    expect(more).toEqual([]);
    const shown = textOf(summary);
    expect(shown).toContain(`<@${PEOPLE.ana}> runs this engagement for us.`);
    expect(shown).toContain('Wed 2 Dec 2026 → Wed 30 Dec 2026');
    expect(shown).toContain('Wed 2 Dec: Kickoff with the client; scope and inputs confirmed');
    expect(shown).toContain('Wed 30 Dec: Retrospective; engagement closed');
    // No candidates, reasons, notes, delivery lead, engagement number, workload or buttons.
    for (const internal of [
      PEOPLE.ben,
      PEOPLE.cat,
      PEOPLE.dan,
      'CTO',
      'budget',
      '#1',
      'load',
      'turn',
      'Delivery lead',
    ]) {
      expect(shown).not.toContain(internal);
    }
    expect(summary?.blocks?.some((b) => b.type === 'actions')).toBe(false);

    // The engagement channel keeps the team's own kickoff.
    expect(textOf(h.botMessages(CHANNELS.acme)[0])).toContain(`Delivery lead: <@${PEOPLE.dan}>`);
    // A takeover does not post the kickoff again: the client hears who runs it now, and nothing of why.
    await h.command(PEOPLE.lead, 'reassign #1 Ana is away');
    await approveOpenProposal(h);
    const [, handover, ...after] = h.botMessages(CHANNELS.acmeClient);
    expect(after).toEqual([]);
    const owner = (await listEngagements(h.db, TEAM_ID))[0]!.owner_id!;
    expect(owner).not.toBe(PEOPLE.ana);
    const told = textOf(handover);
    expect(told).toContain(
      `Acme GmbH: your contact from now on*\n<@${owner}> now runs this engagement for us.`,
    );
    expect(told).toContain('Still ahead');
    expect(told).toContain('Wed 30 Dec: Retrospective; engagement closed');
    for (const internal of [PEOPLE.ana, 'away', 'CTO', '#1', 'Delivery lead', 'handed', 'reassign'])
      expect(told).not.toContain(internal);
    expect(handover?.blocks?.some((b) => b.type === 'actions')).toBe(false);
    // The same decision delivered again tells the client nothing more.
    await h.app.idle();
    expect(h.botMessages(CHANNELS.acmeClient)).toHaveLength(2);
  });

  it('is never sent an internal message: the outbox keeps it, failed, with the reason', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { channel: CHANNELS.acme, clientChannel: CHANNELS.acmeClient });
    const [engagement] = await listEngagements(h.db, TEAM_ID);
    const ref = {
      id: engagement!.id,
      number: 1,
      clientName: 'Acme GmbH',
      channelId: CHANNELS.acmeClient,
      ownerId: null,
    };
    await enqueue(
      h.db,
      toOutboxRows([
        {
          teamId: TEAM_ID,
          key: outboxKey.reminder(engagement!.id, '2026-12-07'),
          channelId: CHANNELS.acmeClient,
          engagementId: engagement!.id,
          message: {
            type: 'reminder',
            day: '2026-12-07',
            engagement: ref,
            items: [
              {
                milestoneId: '1',
                title: 'Client inputs received',
                dueOn: '2026-11-30',
                urgency: 'overdue',
                businessDays: 5,
              },
            ],
          },
          expiresAt: null,
        },
      ]),
    );
    const row = (await listOutbox(h.db, TEAM_ID)).find((r) => r.kind === 'reminder');
    expect(row).toMatchObject({
      status: 'failed',
      channel_id: CHANNELS.acmeClient,
      last_error: 'withheld: a client can read this channel, and the message is internal',
    });
    await h.command(PEOPLE.lead, 'list'); // anything that sends what is due
    expect(h.botMessages(CHANNELS.acmeClient)).toEqual([]);
  });
});
