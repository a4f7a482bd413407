// A lead's App Home ("Waiting on you": proposals, overdue milestones, high risks, each with its
// button) and the escalation DM's buttons: open the engagement, nudge the owner, propose a handover.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { listEngagements } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { listOutbox } from '../../src/db/outbox.js';
import { recordStandIn } from '../../src/db/stand-ins.js';
import { nudgeOwner } from '../../src/flows/lead-home.js';
import { addRisk } from '../../src/flows/risks.js';
import { LEAD_HOME_BLOCKS } from '../../src/slack/blocks/lead-home.js';
import { ESCALATION_BLOCKS } from '../../src/slack/blocks/reminders.js';
import { ACTIONS } from '../../src/slack/ids.js';
import type { EmulatedView } from '../../src/sandbox/slack-emulator.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  closeConfirmed,
  type Harness,
  openProposal,
  PEOPLE,
  remindersTick,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

beforeEach(async () => {
  // The shared helper empties the app's tables; the jobs' marks are emptied here.
  await sql`truncate job_marks`.execute(harness.current.db);
});

/** The reminders job at `at`, sending through the emulator as production does. */
async function reminders(h: Harness, at: string) {
  h.setNow(at);
  await remindersTick(h, at);
}

const nudgeValue = (view: EmulatedView | undefined) =>
  (
    (view?.blocks ?? []).find((b) => b.block_id?.startsWith('waiting_overdue_')) as unknown as {
      accessory: { value: string };
    }
  ).accessory.value;

const blockOf = (view: EmulatedView | undefined, blockId: string) =>
  (view?.blocks ?? []).find((b) => b.block_id === blockId) as
    | { accessory?: { action_id: string; value: string; text: { text: string } }; text?: { text: string } }
    | undefined;

describe("A lead's App Home", () => {
  it('shows a pending proposal with its Approve button, and approving it there clears it', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const home = await h.openHome(PEOPLE.lead);
    expect(textOf(home as never)).toContain('*Waiting on you*\n1 proposal to decide · 0 overdue milestones');
    const proposal = openProposal(h);
    const proposalId = buttonValue(proposal, ACTIONS.approveOwner)!;
    const block = blockOf(home, LEAD_HOME_BLOCKS.proposal(proposalId));
    expect(block?.accessory).toMatchObject({ action_id: ACTIONS.approveOwner, value: proposalId });
    expect(block?.accessory?.text.text).toBe('Approve Ana Alves');

    await h.click(PEOPLE.lead, { viewId: home!.id }, ACTIONS.approveOwner, proposalId);
    // The proposal in the rotation channel shows the decision; the home no longer waits on it.
    expect(textOf(h.proposals()[0])).toContain('approved');
    expect(buttonValue(h.proposals()[0]!, ACTIONS.approveOwner)).toBeUndefined();
    const after = h.emulator.homeView(PEOPLE.lead);
    expect(textOf(after as never)).toContain('Nothing: no proposal, overdue milestone or high risk.');
  });

  it('shows overdue milestones with Nudge owner, and open high risks with Resolve', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    await approveOpenProposal(h);
    h.setNow('2026-12-07T10:00:00Z');
    await h.command(PEOPLE.ana, 'away 2026-12-21 2026-12-23'); // noise: not waiting on anyone
    const reminder = await h.openHome(PEOPLE.lead);
    const text = textOf(reminder as never);
    expect(text).toContain('0 proposals to decide · 1 overdue milestone · 0 open high risks');
    expect(text).toContain(
      ':red_circle: *#1 Acme GmbH* · owner <@U0ANA>\nKickoff with the client; scope and inputs confirmed: due Wed 2 Dec, 3 business days late',
    );

    // A member sees no "Waiting on you".
    expect(textOf((await h.openHome(PEOPLE.ana)) as never)).not.toContain('Waiting on you');

    const risk = await addRisk(
      { db: h.db, now: () => new Date('2026-12-07T10:00:00Z') },
      { teamId: TEAM_ID, userId: PEOPLE.ana },
      { engagementId: nudgeValue(reminder), title: 'Client IT slow', likelihood: 'high', impact: 'medium' },
    );
    if (!risk.ok) throw new Error(risk.message);
    const withRisk = await h.openHome(PEOPLE.lead);
    expect(textOf(withRisk as never)).toContain('1 overdue milestone · 1 open high risk');
    expect(blockOf(withRisk, LEAD_HOME_BLOCKS.risk(risk.value.risk.id))?.accessory).toMatchObject({
      action_id: ACTIONS.resolveRisk,
      value: risk.value.risk.id,
    });

    const nudge = (reminder?.blocks ?? []).find((b) =>
      b.block_id?.startsWith('waiting_overdue_'),
    ) as unknown as {
      accessory: { action_id: string; value: string };
    };
    expect(nudge.accessory.action_id).toBe(ACTIONS.nudgeOwner);
    await h.click(PEOPLE.lead, { viewId: reminder!.id }, ACTIONS.nudgeOwner, nudge.accessory.value);
    const dm = textOf(h.botMessages(PEOPLE.ana).at(-1));
    expect(dm).toContain('<@U0LEAD> asks you to look at *#1 Acme GmbH*: a milestone is overdue.');
    expect(textOf(h.botMessages(PEOPLE.lead).at(-1))).toContain('Nudged <@U0ANA> by DM');
  });

  it('pages a long "Waiting on you" with Show more, inside the home tab\'s 100 blocks', async () => {
    const h = harness.current;
    await setUpTeam(h);
    for (const [client, channel] of [
      ['Acme GmbH', CHANNELS.acme],
      ['Beta AG', CHANNELS.beta],
      ['Gamma SA', CHANNELS.gamma],
    ] as const) {
      await startEngagement(h, { client, channel });
      await approveOpenProposal(h);
    }
    // Two months later every milestone but the last few is overdue: more than a page of items.
    h.setNow('2027-01-27T10:00:00Z');
    const home = await h.openHome(PEOPLE.lead);
    const overdueIn = (view: EmulatedView | undefined) =>
      (view?.blocks ?? []).filter((b) => b.block_id?.startsWith('waiting_overdue_')).map((b) => b.block_id);
    const first = overdueIn(home);
    expect(first).toHaveLength(20);
    expect(home!.blocks!.length).toBeLessThanOrEqual(100);
    const total = Number(/(\d+) overdue milestones/.exec(textOf(home as never))![1]);
    expect(total).toBeGreaterThan(20);
    expect(buttonValue(home!, ACTIONS.homeWaitingMore)).toBe('20');

    await h.click(PEOPLE.lead, { viewId: home!.id }, ACTIONS.homeWaitingMore, '20');
    const next = h.emulator.homeView(PEOPLE.lead);
    const second = overdueIn(next);
    expect(second.length + first.length).toBe(Math.min(total, 40));
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(textOf(next as never)).toContain(`Showing 21–${20 + second.length} of ${total}.`);
  });
});

describe('Escalation DMs', () => {
  async function escalated(h: Harness) {
    await setUpTeam(h);
    await startEngagement(h);
    await approveOpenProposal(h);
    await reminders(h, '2026-12-07T09:00:00Z');
    const dm = h.botMessages(PEOPLE.lead).find((m) => /overdue by more than two/.test(m.text));
    if (!dm) throw new Error('no escalation reached the lead');
    return dm;
  }

  it('carries Open engagement, Nudge owner and Propose a handover under each milestone', async () => {
    const h = harness.current;
    const dm = await escalated(h);
    const actions = (dm.blocks ?? []).filter((b) => b.block_id?.startsWith('escalated_'));
    expect(actions).toHaveLength(1);
    const ids = (actions[0] as unknown as { elements: { action_id: string }[] }).elements.map(
      (e) => e.action_id,
    );
    expect(ids).toEqual([ACTIONS.openEngagement, ACTIONS.nudgeOwner, ACTIONS.proposeHandover]);
    expect(actions[0]!.block_id).toMatch(new RegExp(`^${ESCALATION_BLOCKS.item('')}\\d+$`));
  });

  it('loses the buttons of an engagement that closes, and says there is nothing to chase', async () => {
    const h = harness.current;
    const dm = await escalated(h);
    await closeConfirmed(h, 'close #1 client postponed to spring');
    const updated = h.emulator.message(h.emulator.dmChannelFor(PEOPLE.lead), dm.ts)!;
    expect(buttonValue(updated, ACTIONS.nudgeOwner)).toBeUndefined();
    expect(buttonValue(updated, ACTIONS.proposeHandover)).toBeUndefined();
    expect(textOf(updated)).toContain('The engagement has closed since: nothing to chase.');
    expect(textOf(updated)).toContain('*#1 Acme GmbH* in <#C0ACME>');
  });

  it('opens the engagement privately: its plan, overdue items marked', async () => {
    const h = harness.current;
    const dm = await escalated(h);
    const where = { channelId: h.emulator.dmChannelFor(PEOPLE.lead), ts: dm.ts };
    await h.click(PEOPLE.lead, where, ACTIONS.openEngagement, buttonValue(dm, ACTIONS.openEngagement));
    const opened = h.emulator.ephemerals(PEOPLE.lead).at(-1)!;
    const text = textOf(opened);
    expect(text).toContain('*#1 Acme GmbH* in <#C0ACME> · owner <@U0ANA>');
    expect(text).toContain('• Wed 2 Dec: Kickoff with the client; scope and inputs confirmed _(overdue)_');
  });

  it('nudges the owner once a day through the outbox, recorded; a second click says so', async () => {
    const h = harness.current;
    const dm = await escalated(h);
    const where = { channelId: h.emulator.dmChannelFor(PEOPLE.lead), ts: dm.ts };
    const value = buttonValue(dm, ACTIONS.nudgeOwner);
    await h.click(PEOPLE.lead, where, ACTIONS.nudgeOwner, value);
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      'Nudged <@U0ANA> by DM about the overdue milestones of #1 Acme GmbH.',
    );
    const nudges = h.botMessages(PEOPLE.ana).filter((m) => /asks you to look at/.test(textOf(m)));
    expect(nudges).toHaveLength(1);
    const row = (await listOutbox(h.db, TEAM_ID)).find((r) => r.kind === 'owner-nudge');
    expect(row).toMatchObject({ status: 'sent', idempotency_key: expect.stringMatching(/:2026-12-07$/) });

    await h.click(PEOPLE.lead, where, ACTIONS.nudgeOwner, value);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('was already nudged about #1 Acme GmbH today');
    expect(h.botMessages(PEOPLE.ana).filter((m) => /asks you to look at/.test(textOf(m)))).toHaveLength(1);
    const events = (await listEvents(h.db, TEAM_ID)).filter((e) => e.kind === 'owner.nudged');
    expect(events).toHaveLength(1);
    await h.command(PEOPLE.lead, 'history #1');
    expect(h.lastEphemeral(PEOPLE.lead)).toBeDefined();
    expect(textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1))).toContain(
      '<@U0LEAD> nudged <@U0ANA> about overdue milestones',
    );
  });

  it('nudges the stand-in instead on a day they cover for the owner', async () => {
    const h = harness.current;
    const dm = await escalated(h); // Monday 7 Dec, Ana's kickoff overdue
    const [engagement] = await listEngagements(h.db, TEAM_ID);
    // Ana is away Mon 7 – Tue 8 Dec; Ben stands in (as a lead approves after the proposals job).
    await recordStandIn(h.db, TEAM_ID, {
      engagementId: engagement!.id,
      ownerId: PEOPLE.ana,
      standInId: PEOPLE.ben,
      startsOn: '2026-12-07',
      endsOn: '2026-12-08',
    });
    const where = { channelId: h.emulator.dmChannelFor(PEOPLE.lead), ts: dm.ts };
    await h.click(PEOPLE.lead, where, ACTIONS.nudgeOwner, buttonValue(dm, ACTIONS.nudgeOwner));
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      'Nudged <@U0BEN> (standing in for <@U0ANA> today) by DM about the overdue milestones of #1 Acme GmbH.',
    );
    const asked = h.botMessages(PEOPLE.ben).filter((m) => /asks you to look at/.test(textOf(m)));
    expect(asked).toHaveLength(1);
    expect(textOf(asked[0])).toContain(
      '<@U0LEAD> asks you to look at *#1 Acme GmbH*, which you stand in for <@U0ANA> on today: a milestone is overdue.',
    );
    expect(h.botMessages(PEOPLE.ana).filter((m) => /asks you to look at/.test(textOf(m)))).toEqual([]);
    await h.command(PEOPLE.lead, 'history #1');
    expect(textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1))).toContain(
      '<@U0LEAD> nudged <@U0BEN>, standing in for <@U0ANA>, about overdue milestones',
    );
  });

  it('refuses a member who is not a lead, and changes nothing', async () => {
    const h = harness.current;
    const dm = await escalated(h);
    const value = buttonValue(dm, ACTIONS.nudgeOwner)!;
    // Only leads see these buttons; the flow refuses anyone else all the same.
    const refused = await nudgeOwner(
      { db: h.db, now: () => new Date('2026-12-07T10:00:00Z') },
      { teamId: TEAM_ID, userId: PEOPLE.ben },
      value,
    );
    expect(refused).toMatchObject({ ok: false, message: "Only a lead can nudge an engagement's owner." });
    expect((await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'owner-nudge')).toEqual([]);
  });

  it('proposes a handover in the rotation channel; a second click is refused while it is open', async () => {
    const h = harness.current;
    const dm = await escalated(h);
    const where = { channelId: h.emulator.dmChannelFor(PEOPLE.lead), ts: dm.ts };
    const value = buttonValue(dm, ACTIONS.proposeHandover);
    await h.click(PEOPLE.lead, where, ACTIONS.proposeHandover, value);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('Proposed a new owner for #1 Acme GmbH in <#C0ROTATION>');
    const handover = openProposal(h);
    expect(textOf(handover)).toContain('milestones overdue; asked for by <@U0LEAD>');
    await h.click(PEOPLE.lead, where, ACTIONS.proposeHandover, value);
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('already has an open proposal');
    expect(h.proposals().filter((m) => buttonValue(m, ACTIONS.approveOwner))).toHaveLength(1);
  });
});
