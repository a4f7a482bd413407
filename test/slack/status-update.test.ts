// The weekly client status update: on status day the owner's DM opens a draft (done since the last
// update, next milestones with dates, what is needed from the client) in a modal; open risks are an
// internal preview beside it, never in the text; Post sends it to the client channel (or the
// engagement channel), once, marks the status milestone done, and is recorded.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { runJob } from '../../src/jobs/schedule.js';
import { createLogger } from '../../src/logger.js';
import { markDone } from '../../src/flows/milestones.js';
import { addRisk } from '../../src/flows/risks.js';
import { statusUpdatePrompt } from '../../src/slack/blocks/reminders.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import { ACTIONS, STATUS_FIELDS as F } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  closeConfirmed,
  type Harness,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

/** Engagement #1 owned by Ana, its first milestone done, a risk, and the status-day DM. */
async function statusDay(h: Harness, clientChannel?: string) {
  await setUpTeam(h);
  await startEngagement(h, clientChannel ? { clientChannel } : {});
  await approveOpenProposal(h);
  const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
  const flow = { db: h.db, now: () => new Date('2026-12-02T10:00:00Z') };
  const milestones = await listMilestones(h.db, engagement.id);
  const kickoff = milestones.find((m) => m.kind === 'milestone')!;
  await markDone(flow, { teamId: TEAM_ID, userId: PEOPLE.ana }, kickoff.id);
  await addRisk(
    flow,
    { teamId: TEAM_ID, userId: PEOPLE.ana },
    {
      engagementId: engagement.id,
      title: 'Key user on leave in January',
      likelihood: 'high',
      impact: 'medium',
      mitigation: 'ask for a deputy',
    },
  );
  const status = milestones.find((m) => m.kind === 'status_update')!;
  const prompt = statusUpdatePrompt({
    type: 'status-update',
    day: status.due_on,
    engagement: {
      id: engagement.id,
      number: 1,
      clientName: 'Acme GmbH',
      channelId: CHANNELS.acme,
      ownerId: PEOPLE.ana,
    },
    milestoneId: status.id,
    title: status.title,
  });
  const dm = await h.app.client.conversations.open({ users: PEOPLE.ana });
  const posted = await h.app.client.chat.postMessage({ channel: dm.channel!.id!, ...prompt });
  return { engagement, status, where: { channelId: dm.channel!.id!, ts: posted.ts! } };
}

const initialText = (h: Harness) => {
  const block = h.modal(PEOPLE.ana)!.blocks.find((b) => b.block_id === F.text.block) as unknown as {
    element: { initial_value: string };
  };
  return block.element.initial_value;
};

describe('drafted status updates', () => {
  it('drafts, keeps risks out of the text, and posts to the client channel once', async () => {
    const h = harness.current;
    const { engagement, status, where } = await statusDay(h, CHANNELS.acmeClient);
    await h.click(PEOPLE.ana, where, ACTIONS.statusDraft, status.id);
    const modal = h.modal(PEOPLE.ana)!;
    const draft = initialText(h);
    expect(draft).toContain('Done since');
    expect(draft).toContain('• Kickoff with the client; scope and inputs confirmed');
    expect(draft).toMatch(/Next:\n• \w{3} \d+ Dec: Client inputs received/);
    expect(draft).toMatch(/What we need from you:\n• Client inputs received, by \w{3} \d+ Dec/);
    expect(draft).not.toContain('Key user on leave');
    // The risk is shown beside the draft, marked internal.
    expect(textOf(modal as never)).toContain('Internal preview, not sent');
    expect(textOf(modal as never)).toContain('Key user on leave in January (likelihood high, impact medium)');
    expect(textOf(modal as never)).toContain(`the client channel <#${CHANNELS.acmeClient}>`);

    const blank = await h.submit(PEOPLE.ana, modal, { [F.text.block]: '   ' });
    expect(blank.errors).toEqual({ [F.text.block]: 'Write the update: it is sent as it stands here.' });
    expect((await listMilestones(h.db, engagement.id)).find((m) => m.id === status.id)!.status).toBe('open');

    await h.submit(PEOPLE.ana, modal, { [F.text.block]: `${draft}\n\nThank you for the quick kickoff!` });
    const toClient = h.botMessages(CHANNELS.acmeClient).filter((m) => m.text.startsWith('Status update'));
    expect(toClient).toHaveLength(1);
    expect(textOf(toClient[0])).toContain('Thank you for the quick kickoff!');
    for (const ch of [CHANNELS.acmeClient, CHANNELS.acme]) {
      expect(
        h
          .botMessages(ch)
          .map((m) => textOf(m))
          .join('\n'),
      ).not.toContain('Key user on leave');
    }
    expect((await listMilestones(h.db, engagement.id)).find((m) => m.id === status.id)!.status).toBe('done');
    const events = (await listEvents(h.db, TEAM_ID, engagement.id)).filter((e) => e.kind === 'status.posted');
    expect(events).toHaveLength(1);
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).toContain(
      `Posted the status update for #1 Acme GmbH in <#${CHANNELS.acmeClient}> (the client channel)`,
    );

    // A second try finds it posted; nothing is sent again.
    await h.click(PEOPLE.ana, where, ACTIONS.statusDraft, status.id);
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1)) + h.ephemeralTexts(PEOPLE.ana).join('\n')).toContain(
      "This week's status update for #1 was already posted.",
    );
    expect(h.botMessages(CHANNELS.acmeClient).filter((m) => m.text.startsWith('Status update'))).toHaveLength(
      1,
    );

    await h.command(PEOPLE.lead, 'history #1');
    expect(textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1))).toContain(
      `<@U0ANA> posted the status update in <#${CHANNELS.acmeClient}> (the client channel)`,
    );
  });

  it('goes to the engagement channel when there is no client channel', async () => {
    const h = harness.current;
    const { status, where } = await statusDay(h);
    await h.click(PEOPLE.ana, where, ACTIONS.statusDraft, status.id);
    expect(textOf(h.modal(PEOPLE.ana) as never)).toContain('(it has no client channel)');
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, { [F.text.block]: 'All on track.' });
    const posted = h.botMessages(CHANNELS.acme).filter((m) => m.text.startsWith('Status update'));
    expect(posted.map((m) => textOf(m))).toEqual([expect.stringContaining('All on track.')]);
  });
});

describe('the status-day DM once the update is settled', () => {
  const logger = createLogger({ level: 'silent' });

  /** Ana owns #1 Acme from Mon 7 Dec; the reminders job sends her the status-day DM on Mon 14 Dec. */
  async function promptSent(h: Harness, clientChannel?: string) {
    await sql`truncate job_marks`.execute(h.db);
    await setUpTeam(h);
    await startEngagement(h, { start: '2026-12-07', ...(clientChannel ? { clientChannel } : {}) });
    await approveOpenProposal(h);
    const at = new Date('2026-12-14T09:30:00Z');
    h.setNow(at.toISOString());
    await runJob('reminders', at, {
      db: h.db,
      deliver: slackDelivery({ token: h.emulator.identity.botToken, slackApiUrl: h.emulator.apiUrl }, logger),
      logger,
      now: () => at,
    });
    const prompt = h.botMessages(PEOPLE.ana).find((m) => m.text.startsWith('Weekly client status update'))!;
    expect(buttonValue(prompt, ACTIONS.statusDraft)).toBeDefined();
    return { prompt, where: { channelId: prompt.channel, ts: prompt.ts } };
  }

  const buttonsOf = (m: { blocks?: unknown[] } | undefined) =>
    (m?.blocks ?? []).flatMap((b) =>
      ((b as { elements?: { type: string; action_id?: string }[] }).elements ?? [])
        .filter((e) => e.type === 'button')
        .map((e) => e.action_id),
    );

  it('says who posted it and where, and offers neither Draft the update nor Mark done again', async () => {
    const h = harness.current;
    const { prompt, where } = await promptSent(h, CHANNELS.acmeClient);
    const milestoneId = buttonValue(prompt, ACTIONS.statusDraft)!;
    await h.click(PEOPLE.ana, where, ACTIONS.statusDraft, milestoneId);
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, { [F.text.block]: 'All on track.' });

    const updated = h.emulator.message(where.channelId, where.ts)!;
    expect(buttonsOf(updated)).toEqual([]);
    expect(textOf(updated)).toContain(
      `This week's status update was posted by <@${PEOPLE.ana}> in <#${CHANNELS.acmeClient}> (the client channel) on Mon 14 Dec`,
    );
    expect(updated.text).toBe('Weekly client status update for #1 Acme GmbH: posted');

    expect(h.botMessages(CHANNELS.acmeClient).filter((m) => m.text.startsWith('Status update'))).toHaveLength(
      1,
    );
  });

  it('says who marked it done when it was marked done from the DM instead', async () => {
    const h = harness.current;
    const { prompt, where } = await promptSent(h);
    await h.click(PEOPLE.ana, where, ACTIONS.markDone, buttonValue(prompt, ACTIONS.markDone));
    const updated = h.emulator.message(where.channelId, where.ts)!;
    expect(buttonsOf(updated)).toEqual([]);
    expect(textOf(updated)).toContain(
      `This week's status update was marked done by <@${PEOPLE.ana}> on Mon 14 Dec: nothing left to do here.`,
    );
    // Nothing was sent anywhere else.
    expect(h.botMessages(CHANNELS.acme).filter((m) => m.text.startsWith('Status update'))).toHaveLength(0);
  });

  it('says the engagement closed when it closed before the update was sent, and offers nothing more', async () => {
    const h = harness.current;
    const { where } = await promptSent(h);
    await closeConfirmed(h, 'close #1 client postponed to spring');
    const updated = h.emulator.message(where.channelId, where.ts)!;
    expect(buttonsOf(updated)).toEqual([]);
    expect(textOf(updated)).toContain(
      'The engagement closed on Mon 14 Dec: no status update is due any more.',
    );
    expect(updated.text).toBe('Weekly client status update for #1 Acme GmbH: the engagement closed');
  });
});
