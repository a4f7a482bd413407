// Stand-ins through Slack: an owner's short time away over a due date gets a stand-in proposed in
// the rotation channel; a lead approves it (or passes over, or says no stand-in); the stand-in and
// the owner hear it; the owner stays the owner.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { findEngagementByNumber, listMilestones } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { standInsBetween } from '../../src/db/stand-ins.js';
import { runJob, type JobName } from '../../src/jobs/schedule.js';
import { createLogger } from '../../src/logger.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import { postStatusUpdate, statusDraft } from '../../src/flows/status-update.js';
import { ACTIONS, CHOOSE_STAND_IN_FIELDS, STATUS_FIELDS } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  handsBack,
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

const harness = useHarness(); // Tuesday 2026-12-01, 10:00 UTC
beforeEach(async () => {
  await sql`truncate job_marks`.execute(harness.current.db);
});

const logger = createLogger({ level: 'silent' });

async function tick(h: Harness, job: JobName, at: string) {
  const moment = new Date(at);
  h.setNow(at);
  return runJob(job, moment, {
    db: h.db,
    deliver: slackDelivery({ token: h.emulator.identity.botToken, slackApiUrl: h.emulator.apiUrl }, logger),
    logger,
    now: () => moment,
  });
}

/** Ana owns #1 Acme (Mon 7 Dec on) and is away Wed 9 – Fri 11 Dec, over two due dates. */
async function ownerAwayBriefly(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h, { start: '2026-12-07' });
  await approveOpenProposal(h);
  const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
  expect(engagement.owner_id).toBe(PEOPLE.ana);
  await h.command(PEOPLE.ana, `away ${mention(PEOPLE.ana)} 2026-12-09 2026-12-11`);
  // The answer says what it sets off.
  expect(h.lastEphemeral(PEOPLE.ana)).toContain(
    'They own #1 Acme GmbH (2 milestones due on those days): within the hour Steward proposes cover in the rotation channel',
  );
  await tick(h, 'proposals', '2026-12-08T10:00:00Z');
  const proposal = openProposal(h);
  return { engagement, proposal, where: { channelId: CHANNELS.rotation, ts: proposal.ts } };
}

describe('a stand-in for a short absence', () => {
  it("waits in a lead's App Home, approvable from there", async () => {
    const h = harness.current;
    const { proposal } = await ownerAwayBriefly(h);
    const id = buttonValue(proposal, ACTIONS.approveStandIn)!;
    const home = await h.openHome(PEOPLE.lead);
    expect(textOf(home as never)).toContain('proposed to stand in');
    expect(buttonValue(home as never, ACTIONS.approveStandIn)).toBe(id);
    expect(buttonValue(home as never, ACTIONS.approveOwner)).toBeUndefined();
    await h.click(PEOPLE.lead, { viewId: home!.id }, ACTIONS.approveStandIn, id);
    expect(await standInsBetween(h.db, TEAM_ID, '2026-12-09', '2026-12-09')).toHaveLength(1);
    expect(textOf(h.emulator.message(CHANNELS.rotation, proposal.ts))).toContain('stands in, approved by');
    expect(buttonValue((await h.openHome(PEOPLE.lead)) as never, ACTIONS.approveStandIn)).toBeUndefined();
  });

  it('is proposed instead of a handover, approved by a lead, and told to the stand-in and the owner', async () => {
    const h = harness.current;
    const { engagement, proposal, where } = await ownerAwayBriefly(h);
    expect(proposal.text).toMatch(/^Stand-in proposal for #1 Acme GmbH: /);
    const text = textOf(proposal);
    expect(text).toContain(
      `Stand-in for *#1 Acme GmbH* while <@${PEOPLE.ana}> is away (Wed 9 Dec – Fri 11 Dec)`,
    );
    expect(text).toContain(`<@${PEOPLE.ana}> stays the owner.`);
    expect(text).toContain('over the due dates of');
    expect(buttonValue(proposal, ACTIONS.approveOwner)).toBeUndefined();
    const id = buttonValue(proposal, ACTIONS.approveStandIn)!;
    expect(id).toBeDefined();
    const standIn = /Proposed stand-in: <@(U0\w+)>/.exec(text)![1]!;
    expect([PEOPLE.ben, PEOPLE.cat]).toContain(standIn);

    // Only a lead decides; anyone else is told so and nothing changes.
    await h.click(PEOPLE.ben, where, ACTIONS.approveStandIn, id);
    expect(h.lastEphemeral(PEOPLE.ben)).toBe('Only a lead can approve a stand-in.');
    expect(await standInsBetween(h.db, TEAM_ID, '2026-12-01', '2026-12-31')).toEqual([]);

    await h.click(PEOPLE.lead, where, ACTIONS.approveStandIn, id);
    const decided = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(buttonValue(decided, ACTIONS.approveStandIn)).toBeUndefined();
    expect(textOf(decided)).toContain(
      `<@${standIn}> stands in, approved by <@${PEOPLE.lead}>; <@${PEOPLE.ana}> stays the owner.`,
    );
    expect(await standInsBetween(h.db, TEAM_ID, '2026-12-01', '2026-12-31')).toEqual([
      {
        engagementId: engagement.id,
        ownerId: PEOPLE.ana,
        standInId: standIn,
        startsOn: '2026-12-09',
        endsOn: '2026-12-11',
      },
    ]);
    // The owner stays the owner: no handover, no new turn.
    expect((await findEngagementByNumber(h.db, TEAM_ID, 1))!.owner_id).toBe(PEOPLE.ana);
    const kinds = (await listEvents(h.db, TEAM_ID, engagement.id)).map((e) => e.kind);
    expect(kinds).toContain('stand-in.approved');
    expect(kinds).not.toContain('reassigned');

    const asked = h.botMessages(standIn).at(-1)!;
    expect(asked.text).toBe('You stand in for the owner of #1 Acme GmbH, Wed 9 Dec – Fri 11 Dec');
    expect(textOf(asked)).toContain('Client inputs received: Thu 10 Dec');
    const note = h.botMessages(PEOPLE.ana).at(-1)!;
    expect(textOf(note)).toContain(
      `<@${standIn}> stands in for you on *#1 Acme GmbH* Wed 9 Dec – Fri 11 Dec`,
    );

    // The job does not propose again for the same time away.
    await tick(h, 'proposals', '2026-12-08T11:00:00Z');
    expect(h.proposals().filter((m) => /^Stand-in proposal/.test(m.text))).toHaveLength(1);
  });

  it('can be passed over (the next person is proposed) or turned down (nobody stands in)', async () => {
    const h = harness.current;
    const { proposal, where } = await ownerAwayBriefly(h);
    const first = /Proposed stand-in: <@(U0\w+)>/.exec(textOf(proposal))![1]!;
    await h.click(
      PEOPLE.lead,
      where,
      ACTIONS.passOverStandIn,
      buttonValue(proposal, ACTIONS.passOverStandIn),
    );
    expect(textOf(h.emulator.message(CHANNELS.rotation, proposal.ts))).toContain(
      `Passed over by <@${PEOPLE.lead}>; the next stand-in is proposed below.`,
    );
    const next = openProposal(h);
    const second = /Proposed stand-in: <@(U0\w+)>/.exec(textOf(next))![1]!;
    expect(second).not.toBe(first);
    expect(second).not.toBe(PEOPLE.ana);

    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: next.ts },
      ACTIONS.declineStandIn,
      buttonValue(next, ACTIONS.declineStandIn),
    );
    expect(textOf(h.emulator.message(CHANNELS.rotation, next.ts))).toContain(
      `No stand-in, decided by <@${PEOPLE.lead}>; <@${PEOPLE.ana}> keeps getting everything.`,
    );
    expect(await standInsBetween(h.db, TEAM_ID, '2026-12-01', '2026-12-31')).toEqual([]);
    expect((await listEvents(h.db, TEAM_ID)).map((e) => e.kind)).toContain('stand-in.dismissed');
  });

  it('never proposes whoever handed the engagement back: they were told they would not be again', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { start: '2026-12-07' });
    await approveOpenProposal(h);
    await handsBack(h, PEOPLE.ana, 'on the bid all month');
    await approveOpenProposal(h);
    const owner = (await findEngagementByNumber(h.db, TEAM_ID, 1))!.owner_id!;
    expect(owner).not.toBe(PEOPLE.ana);

    await h.command(PEOPLE.lead, `away ${mention(owner)} 2026-12-09 2026-12-11`);
    await tick(h, 'proposals', '2026-12-08T10:00:00Z');
    const standIn = /Proposed stand-in: <@(U0\w+)>/.exec(textOf(openProposal(h)))?.[1];
    expect(standIn).toBeDefined();
    expect(standIn).not.toBe(PEOPLE.ana);
  });

  it('lets a lead choose someone else by hand, refusing the owner and anyone not on the team', async () => {
    const h = harness.current;
    const { proposal, where } = await ownerAwayBriefly(h);
    const proposed = /Proposed stand-in: <@(U0\w+)>/.exec(textOf(proposal))![1]!;
    const chosen = [PEOPLE.ben, PEOPLE.cat].find((p) => p !== proposed)!;
    await h.click(PEOPLE.ben, where, ACTIONS.chooseStandIn, buttonValue(proposal, ACTIONS.chooseStandIn));
    expect(h.lastEphemeral(PEOPLE.ben)).toBe('Only a lead can choose a stand-in.');
    expect(h.modal(PEOPLE.ben)).toBeUndefined();
    await h.click(PEOPLE.lead, where, ACTIONS.chooseStandIn, buttonValue(proposal, ACTIONS.chooseStandIn));
    const modal = h.modal(PEOPLE.lead)!;
    expect(textOf(modal as never)).toContain(
      `Who should stand in for <@${PEOPLE.ana}> on *#1 Acme GmbH*, Wed 9 Dec – Fri 11 Dec?`,
    );

    const owner = await h.submit(PEOPLE.lead, modal, { [CHOOSE_STAND_IN_FIELDS.standIn.block]: PEOPLE.ana });
    expect(owner.errors).toEqual({
      [CHOOSE_STAND_IN_FIELDS.standIn.block]: 'Ana Alves is the owner: pick someone to act for them.',
    });
    const stranger = await h.submit(PEOPLE.lead, h.modal(PEOPLE.lead)!, {
      [CHOOSE_STAND_IN_FIELDS.standIn.block]: PEOPLE.dan,
    });
    expect(stranger.errors).toEqual({
      [CHOOSE_STAND_IN_FIELDS.standIn.block]:
        'Dan Diaz is not on the team; a lead adds them with /engagement team add first.',
    });
    expect(await standInsBetween(h.db, TEAM_ID, '2026-12-01', '2026-12-31')).toEqual([]);

    await h.submit(PEOPLE.lead, h.modal(PEOPLE.lead)!, {
      [CHOOSE_STAND_IN_FIELDS.standIn.block]: chosen,
      [CHOOSE_STAND_IN_FIELDS.reason.block]: 'was on the kickoff call',
    });
    const decided = h.emulator.message(CHANNELS.rotation, proposal.ts)!;
    expect(textOf(decided)).toContain(
      `<@${chosen}> stands in, chosen by hand by <@${PEOPLE.lead}> (was on the kickoff call); <@${PEOPLE.ana}> stays the owner.`,
    );
    expect(buttonValue(decided, ACTIONS.approveStandIn)).toBeUndefined();
    expect(
      (await standInsBetween(h.db, TEAM_ID, '2026-12-01', '2026-12-31')).map((s) => s.standInId),
    ).toEqual([chosen]);
    expect(h.botMessages(chosen).some((m) => /stand in for/i.test(textOf(m)))).toBe(true);
    const approved = (await listEvents(h.db, TEAM_ID)).find((e) => e.kind === 'stand-in.approved')!;
    expect(approved.reason).toBe('was on the kickoff call');
    expect(approved.data).toMatchObject({ standInId: chosen, chosenByHand: true, proposedId: proposed });
  });
});

describe('on the covered days', () => {
  /** Ana away Thu 10 – Mon 14 Dec (a due date and a status day); Ben or Cat stands in, approved. */
  async function covered(h: Harness) {
    await setUpTeam(h);
    await startEngagement(h, { start: '2026-12-07' });
    await approveOpenProposal(h);
    const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
    const status = (await listMilestones(h.db, engagement.id)).find((m) => m.kind === 'status_update')!;
    expect(status.due_on).toBe('2026-12-14');
    await h.command(PEOPLE.ana, `away ${mention(PEOPLE.ana)} 2026-12-10 2026-12-14`);
    await tick(h, 'proposals', '2026-12-09T10:00:00Z');
    const proposal = openProposal(h);
    const standIn = /Proposed stand-in: <@(U0\w+)>/.exec(textOf(proposal))![1]!;
    await h.click(
      PEOPLE.lead,
      { channelId: CHANNELS.rotation, ts: proposal.ts },
      ACTIONS.approveStandIn,
      buttonValue(proposal, ACTIONS.approveStandIn),
    );
    const other = [PEOPLE.ben, PEOPLE.cat].find((p) => p !== standIn)!;
    return { engagement, standIn, other };
  }

  it('the reminder names the stand-in, who may mark it done; the status prompt goes to them', async () => {
    const h = harness.current;
    const { standIn, other } = await covered(h);

    await tick(h, 'reminders', '2026-12-10T09:30:00Z');
    const reminder = h.botMessages(CHANNELS.acme).at(-1)!;
    expect(textOf(reminder)).toContain(`owner <@${PEOPLE.ana}>, <@${standIn}> standing in until Mon 14 Dec`);
    const inputs = buttonValue(reminder, ACTIONS.markDone)!;
    // Someone neither owner, lead nor stand-in is refused; the stand-in may.
    await h.click(other, { channelId: CHANNELS.acme, ts: reminder.ts }, ACTIONS.markDone, inputs);
    expect(h.lastEphemeral(other)).toMatch(/^Only the engagement's owner or a lead can/);
    await h.click(standIn, { channelId: CHANNELS.acme, ts: reminder.ts }, ACTIONS.markDone, inputs);
    const events = await listEvents(h.db, TEAM_ID);
    expect(events.find((e) => e.kind === 'milestone.done')?.actor_id).toBe(standIn);

    const anaBefore = h.botMessages(PEOPLE.ana).length;
    await tick(h, 'reminders', '2026-12-14T09:30:00Z');
    const prompt = h.botMessages(standIn).at(-1)!;
    expect(prompt.text).toMatch(/^Weekly client status update for #1 Acme GmbH is due today/);
    expect(textOf(prompt)).toContain(`You stand in for <@${PEOPLE.ana}> today.`);
    expect(h.botMessages(PEOPLE.ana)).toHaveLength(anaBefore);

    // After the cover the owner has it all back.
    await tick(h, 'reminders', '2026-12-15T09:30:00Z');
    const after = h.botMessages(CHANNELS.acme).at(-1)!;
    expect(textOf(after)).not.toContain('standing in');
  });

  it('the stand-in drafts and posts the status update; anyone else is refused and nothing changes', async () => {
    const h = harness.current;
    const { engagement, standIn, other } = await covered(h);
    await tick(h, 'reminders', '2026-12-14T09:30:00Z');
    const prompt = h.botMessages(standIn).find((m) => m.text.startsWith('Weekly client status update'))!;
    const where = { channelId: prompt.channel, ts: prompt.ts };
    const milestoneId = buttonValue(prompt, ACTIONS.statusDraft)!;

    // Someone neither owner, lead nor stand-in (the prompt's buttons shown where they can click):
    // refused, no modal, nothing recorded.
    const copy = await h.app.client.chat.postMessage({
      channel: CHANNELS.acme,
      text: prompt.text,
      blocks: prompt.blocks as never,
    });
    await h.click(other, { channelId: CHANNELS.acme, ts: copy.ts! }, ACTIONS.statusDraft, milestoneId);
    expect(h.lastEphemeral(other)).toBe("Only the engagement's owner or a lead can post its status update.");
    expect(h.modal(other)).toBeUndefined();
    expect(
      (
        await postStatusUpdate(
          { db: h.db, now: () => new Date('2026-12-14T10:00:00Z') },
          { teamId: TEAM_ID, userId: other },
          { milestoneId, text: 'Not mine to send.' },
        )
      ).ok,
    ).toBe(false);
    expect((await listEvents(h.db, TEAM_ID, engagement.id)).map((e) => e.kind)).not.toContain(
      'status.posted',
    );
    // The owner may still open it.
    expect(
      (
        await statusDraft(
          { db: h.db, now: () => new Date('2026-12-14T10:00:00Z') },
          { teamId: TEAM_ID, userId: PEOPLE.ana },
          milestoneId,
        )
      ).ok,
    ).toBe(true);

    await h.click(standIn, where, ACTIONS.statusDraft, milestoneId);
    const modal = h.modal(standIn)!;
    expect(textOf(modal as never)).toContain("This week's status for *#1 Acme GmbH*");
    await h.submit(standIn, modal, { [STATUS_FIELDS.text.block]: 'Inputs in, build under way.' });
    const posted = h.botMessages(CHANNELS.acme).filter((m) => m.text.startsWith('Status update'));
    expect(posted.map((m) => textOf(m))).toEqual([expect.stringContaining('Inputs in, build under way.')]);
    expect((await listMilestones(h.db, engagement.id)).find((m) => m.id === milestoneId)!.status).toBe(
      'done',
    );
    const events = (await listEvents(h.db, TEAM_ID, engagement.id)).filter((e) => e.kind === 'status.posted');
    expect(events.map((e) => e.actor_id)).toEqual([standIn]);
    // The stand-in's DM says it is posted, by them, where; no button is left.
    const settled = h.emulator.message(where.channelId, where.ts)!;
    expect(buttonValue(settled, ACTIONS.statusDraft)).toBeUndefined();
    expect(buttonValue(settled, ACTIONS.markDone)).toBeUndefined();
    expect(textOf(settled)).toContain(`posted by <@${standIn}> in <#${CHANNELS.acme}> on Mon 14 Dec`);
  });

  it("shows the cover in App Home: the stand-in's days, and who stands in on the owner's engagement", async () => {
    const h = harness.current;
    const { standIn, other } = await covered(h);
    const theirs = textOf((await h.openHome(standIn)) as never);
    expect(theirs).toContain('*You stand in*');
    expect(theirs).toContain(`• *#1 Acme GmbH* for <@${PEOPLE.ana}>, Thu 10 Dec – Mon 14 Dec`);
    const owners = textOf((await h.openHome(PEOPLE.ana)) as never);
    expect(owners).toContain(`_Stand-in:_ <@${standIn}>, Thu 10 Dec – Mon 14 Dec`);
    expect(textOf((await h.openHome(other)) as never)).not.toContain('You stand in');
  });

  it('/engagement back ends the cover early: the stand-in hears it and the owner has it again', async () => {
    const h = harness.current;
    const { engagement, standIn } = await covered(h);
    h.setNow('2026-12-11T08:00:00Z');
    await h.command(PEOPLE.ana, 'back');
    const answer = h.lastEphemeral(PEOPLE.ana);
    expect(answer).toContain(`<@${PEOPLE.ana}> is back.`);
    expect(answer).toContain(`• #1 Acme GmbH: <@${standIn}>'s cover ends`);
    expect(await standInsBetween(h.db, TEAM_ID, '2026-12-01', '2026-12-31')).toEqual([
      {
        engagementId: engagement.id,
        ownerId: PEOPLE.ana,
        standInId: standIn,
        startsOn: '2026-12-10',
        endsOn: '2026-12-10',
      },
    ]);
    const told = h.botMessages(standIn).at(-1)!;
    expect(textOf(told)).toContain(`<@${PEOPLE.ana}> is back: your cover of *#1 Acme GmbH* ends`);
    expect((await listEvents(h.db, TEAM_ID, engagement.id)).map((e) => e.kind)).toContain('stand-in.ended');

    await tick(h, 'reminders', '2026-12-11T09:30:00Z');
    expect(textOf(h.botMessages(CHANNELS.acme).at(-1))).not.toContain('standing in');
  });
});
