// Closing well: a lead's `close #n` asks first; closing (or completing) tells the owner, the leads, the
// engagement channel and the rotation channel through the outbox; the owner writes a retrospective,
// kept in history and shown to the next owner on the same plan.
import { describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listOutbox } from '../../src/db/outbox.js';
import { findRetrospective } from '../../src/db/retrospectives.js';
import { markDone } from '../../src/flows/milestones.js';
import { writeRetrospective } from '../../src/flows/retrospective.js';
import { ACTIONS, RETROSPECTIVE_FIELDS as F } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  closeConfirmed,
  type Harness,
  mention,
  openProposal,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

async function owned(h: Harness, client = 'Acme GmbH', channel: string = CHANNELS.acme) {
  await startEngagement(h, { client, channel });
  await approveOpenProposal(h);
}

const status = async (h: Harness, n = 1) => (await findEngagementByNumber(h.db, TEAM_ID, n))?.status;

describe('close #n', () => {
  it('asks the lead first, saying what closing does; Cancel closes nothing', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await owned(h);
    await h.command(PEOPLE.lead, 'close #1 client went quiet');
    const question = h.emulator.ephemerals(PEOPLE.lead).at(-1)!;
    expect(textOf(question)).toContain(
      '*Close #1 Acme GmbH?* 7 milestones are still open and will stay undone.',
    );
    expect(textOf(question)).toContain("<@U0ANA>'s turn ends today");
    expect(textOf(question)).toContain('Reason: _client went quiet_');
    expect(await status(h)).toBe('active');
    await h.click(
      PEOPLE.lead,
      { channelId: question.channel, ts: question.ts },
      ACTIONS.cancelClose,
      buttonValue(question, ACTIONS.cancelClose),
    );
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('Nothing was closed.');
    expect(await status(h)).toBe('active');
    expect((await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'engagement-closed')).toEqual([]);
  });

  it('refuses a member before asking anything', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await owned(h);
    await h.command(PEOPLE.ana, 'close #1');
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('Only a lead can close an engagement.');
    await h.command(PEOPLE.lead, 'close #9');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('There is no engagement #9.');
  });

  it('tells the owner, the other leads, the engagement and rotation channels, once each, through the outbox', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, `lead add ${mention(PEOPLE.dan)}`);
    await owned(h);
    const answer = await closeConfirmed(h, 'close #1 client postponed to spring');
    expect(answer).toBe('Closed #1 Acme GmbH. Its owner, the leads and its channel have been told.');
    expect(await status(h)).toBe('closed');

    const rows = (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'engagement-closed');
    expect(rows.map((r) => r.idempotency_key.split(':').slice(2).join(':')).sort()).toEqual([
      'channel',
      `lead:${PEOPLE.dan}`,
      'owner',
      'rotation',
    ]);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);

    expect(textOf(h.botMessages(CHANNELS.rotation).at(-1))).toContain(
      '*#1 Acme GmbH* was closed by <@U0LEAD>: client postponed to spring.',
    );
    const channelLine = textOf(h.botMessages(CHANNELS.acme).at(-1));
    expect(channelLine).toContain('*#1 Acme GmbH* was closed by <@U0LEAD>. Closed on Tue 1 Dec.');
    expect(channelLine).not.toContain('spring');
    expect(textOf(h.botMessages(PEOPLE.dan).at(-1))).toContain('client postponed to spring');
    const ownerDm = h.botMessages(PEOPLE.ana).at(-1)!;
    expect(buttonValue(ownerDm, ACTIONS.writeRetrospective)).toBeDefined();
    // The lead who closed it is not told what she did.
    expect(h.botMessages(PEOPLE.lead).filter((m) => /was closed/.test(textOf(m)))).toEqual([]);

    // A second confirmation (an old question clicked again) changes nothing and sends nothing.
    const question = h.emulator.ephemerals(PEOPLE.lead).find((e) => buttonValue(e, ACTIONS.confirmClose));
    expect(question).toBeUndefined();
    await h.command(PEOPLE.lead, 'close #1');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe('Engagement #1 is already closed.');
  });

  it('retires an open proposal through the outbox', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h);
    const proposal = openProposal(h);
    await closeConfirmed(h, 'close #1');
    const retired = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(buttonValue(retired, ACTIONS.approveOwner)).toBeUndefined();
    expect(textOf(retired)).toContain('the engagement was closed');
    const row = (await listOutbox(h.db, TEAM_ID)).find((r) => r.kind === 'proposal-retired');
    expect(row?.status).toBe('sent');
  });
});

describe('completion', () => {
  it('closes with the last milestone and tells the same people, as complete', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await owned(h);
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    const deps = { db: h.db, now: () => new Date('2026-12-01T10:00:00Z') };
    let last;
    for (const m of await listMilestones(h.db, engagement.id))
      last = await markDone(deps, { teamId: TEAM_ID, userId: PEOPLE.ana }, m.id);
    expect(last).toMatchObject({ ok: true, value: { closed: true } });
    const rows = (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'engagement-closed');
    // Ana marked it done: the owner still hears it (with the retrospective), and so does the lead.
    expect(rows.map((r) => r.idempotency_key.split(':').slice(2).join(':')).sort()).toEqual([
      'channel',
      `lead:${PEOPLE.lead}`,
      'owner',
      'rotation',
    ]);
    const payload = rows[0]!.payload as unknown as { message: { how: string; reason: string | null } };
    expect(payload.message).toMatchObject({ how: 'completed', reason: null });
  });
});

describe('the retrospective', () => {
  async function closedOwned(h: Harness) {
    await setUpTeam(h);
    await owned(h);
    await closeConfirmed(h, 'close #1 done early');
    const dm = h.botMessages(PEOPLE.ana).at(-1)!;
    return { dm, where: { channelId: h.emulator.dmChannelFor(PEOPLE.ana), ts: dm.ts } };
  }

  it('is written by the owner in a modal, with field errors for what is missing', async () => {
    const h = harness.current;
    const { dm, where } = await closedOwned(h);
    await h.click(PEOPLE.ana, where, ACTIONS.writeRetrospective, buttonValue(dm, ACTIONS.writeRetrospective));
    const modal = h.modal(PEOPLE.ana)!;
    const empty = await h.submit(PEOPLE.ana, modal, {
      [F.wentWell.block]: 'Quick kickoff',
      [F.toChange.block]: '   ',
    });
    expect(empty.errors).toEqual({ [F.toChange.block]: 'Say what you would change, even briefly.' });
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    expect(await findRetrospective(h.db, engagement.id)).toBeUndefined();

    const saved = await h.submit(PEOPLE.ana, modal, {
      [F.wentWell.block]: 'Quick kickoff',
      [F.toChange.block]: 'Ask for inputs <earlier>',
    });
    expect(saved.errors).toBeUndefined();
    expect(await findRetrospective(h.db, engagement.id)).toMatchObject({
      went_well: 'Quick kickoff',
      to_change: 'Ask for inputs <earlier>',
      written_by: PEOPLE.ana,
    });
    await h.command(PEOPLE.lead, 'history #1');
    expect(textOf(h.emulator.ephemerals(PEOPLE.lead).at(-1))).toContain(
      '<@U0ANA> wrote the retrospective: went well: _Quick kickoff_ · to change: _Ask for inputs &lt;earlier&gt;_',
    );

    // Once only; and nobody else but a lead may write it.
    await h.click(PEOPLE.ana, where, ACTIONS.writeRetrospective, buttonValue(dm, ACTIONS.writeRetrospective));
    expect(h.lastEphemeral(PEOPLE.ana)).toContain('was already written by <@U0ANA>');
  });

  it('written meanwhile by someone else: the modal says so in its place, and nothing is saved twice', async () => {
    const h = harness.current;
    const { dm, where } = await closedOwned(h);
    await h.click(PEOPLE.ana, where, ACTIONS.writeRetrospective, buttonValue(dm, ACTIONS.writeRetrospective));
    const modal = h.modal(PEOPLE.ana)!;
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    await writeRetrospective(
      { db: h.db, now: () => new Date('2026-12-01T11:00:00Z') },
      { teamId: TEAM_ID, userId: PEOPLE.lead },
      { engagementId: engagement.id, wentWell: 'Calm client', toChange: 'Nothing much' },
    );
    const answer = await h.submit(PEOPLE.ana, modal, {
      [F.wentWell.block]: 'Quick kickoff',
      [F.toChange.block]: 'Ask for inputs earlier',
    });
    expect(answer.errors).toBeUndefined();
    expect(textOf(h.modal(PEOPLE.ana) as never)).toContain(
      'The retrospective of #1 was already written by <@U0LEAD>; `/engagement history #1` shows it. Nothing was saved.',
    );
    expect(await findRetrospective(h.db, engagement.id)).toMatchObject({ went_well: 'Calm client' });
  });

  it('is shown to the next owner of an engagement on the same plan', async () => {
    const h = harness.current;
    const { dm, where } = await closedOwned(h);
    await h.click(PEOPLE.ana, where, ACTIONS.writeRetrospective, buttonValue(dm, ACTIONS.writeRetrospective));
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, {
      [F.wentWell.block]: 'Quick kickoff',
      [F.toChange.block]: 'Ask for inputs earlier',
    });
    await owned(h, 'Beta AG', CHANNELS.beta);
    const owner = (await findEngagementByNumber(h.db, TEAM_ID, 2))!.owner_id!;
    const home = textOf((await h.openHome(owner)) as never);
    expect(home).toContain(
      '_Last time on this plan (#1 Acme GmbH, <@U0ANA>)_: went well: _Quick kickoff_ · to change: _Ask for inputs earlier_',
    );
    // The DM telling them they own it carries it too.
    const ownDm = h.botMessages(owner).find((m) => m.text === 'You own #2 Beta AG')!;
    expect(textOf(ownDm)).toContain(
      '*Last time on this plan* (#1 Acme GmbH, by <@U0ANA>)\n*What went well:* Quick kickoff\n*What to change:* Ask for inputs earlier',
    );
    expect(textOf(ownDm)).not.toContain('The whole of it');
  });

  it("reaches the next owner's DM escaped and cut, with the whole in history", async () => {
    const h = harness.current;
    const { dm, where } = await closedOwned(h);
    const long =
      `Ask for inputs <earlier> & in writing. ${'Then check them against the plan. '.repeat(40)}`.trim();
    await h.click(PEOPLE.ana, where, ACTIONS.writeRetrospective, buttonValue(dm, ACTIONS.writeRetrospective));
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, {
      [F.wentWell.block]: 'Quick *kickoff*',
      [F.toChange.block]: long,
    });
    await owned(h, 'Beta AG', CHANNELS.beta);
    const owner = (await findEngagementByNumber(h.db, TEAM_ID, 2))!.owner_id!;
    const ownDm = textOf(h.botMessages(owner).find((m) => m.text === 'You own #2 Beta AG'));
    expect(ownDm).toContain('*What to change:* Ask for inputs &lt;earlier&gt; &amp; in writing. Then check');
    expect(ownDm).not.toContain(long.slice(0, 600));
    expect(ownDm).toMatch(/Then check them\S* ?[^\n]*…\n_The whole of it: `\/engagement history #1`_/);
    await h.command(owner, 'history #1');
    expect(textOf(h.emulator.ephemerals(owner).at(-1))).toContain(long.slice(-60).replace(/&/g, '&amp;'));
  });

  it('is not in the DM when no engagement on the plan has one', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await owned(h);
    const owner = (await findEngagementByNumber(h.db, TEAM_ID, 1))!.owner_id!;
    expect(textOf(h.botMessages(owner).find((m) => m.text === 'You own #1 Acme GmbH'))).not.toContain(
      'Last time on this plan',
    );
  });
});
