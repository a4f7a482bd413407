// The risk register: several risks per engagement, a high/high one told to the leads
// once, resolved with a note; the owner's DM and App Home list the open ones; the client sees none.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { copyFlaggedEngagements } from '../../migrations/2026-12-01T0400-risk-register.js';
import { findEngagementByNumber } from '../../src/db/engagements.js';
import { listEvents } from '../../src/db/events.js';
import { listOutbox } from '../../src/db/outbox.js';
import { listOpenRisks } from '../../src/db/risks.js';
import { addRiskModal } from '../../src/slack/blocks/risks.js';
import { ACTIONS, RESOLVE_RISK_FIELDS, RISK_FIELDS as F } from '../../src/slack/ids.js';
import {
  approveOpenProposal,
  buttonValue,
  CHANNELS,
  type Harness,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
  textOf,
  useHarness,
} from '../support/app.js';

const harness = useHarness(); // Tuesday 2026-12-01

/** Engagement #1, owned by Ana (the first in the rotation), and a message with its Add risk button. */
async function owned(h: Harness) {
  await setUpTeam(h);
  await startEngagement(h);
  await approveOpenProposal(h);
  const engagement = (await findEngagementByNumber(h.db, TEAM_ID, 1))!;
  const posted = await h.app.client.chat.postMessage({
    channel: CHANNELS.acme,
    text: 'reminder',
    blocks: [
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.flagRisk,
            text: { type: 'plain_text', text: 'Add risk' },
            value: engagement.id,
          },
        ],
      },
    ],
  });
  return { engagement, where: { channelId: CHANNELS.acme, ts: posted.ts! } };
}

async function addRisk(
  h: Harness,
  by: string,
  where: { channelId: string; ts: string },
  engagementId: string,
  values: Record<string, string>,
) {
  await h.click(by, where, ACTIONS.flagRisk, engagementId);
  return h.submit(by, h.modal(by)!, values);
}

describe('the risk register', () => {
  it('holds several risks; a high/high one is told to the leads once, by DM', async () => {
    const h = harness.current;
    const { engagement, where } = await owned(h);
    await addRisk(h, PEOPLE.ana, where, engagement.id, {
      [F.title.block]: 'Go-live slips into the holidays',
      [F.likelihood.block]: 'high',
      [F.impact.block]: 'high',
    });
    await addRisk(h, PEOPLE.lead, where, engagement.id, {
      [F.title.block]: 'Key user on leave',
      [F.likelihood.block]: 'low',
      [F.owner.block]: PEOPLE.ben,
    });
    const risks = await listOpenRisks(h.db, TEAM_ID, [engagement.id]);
    expect(risks.map((r) => [r.title, r.likelihood, r.impact, r.owner_id])).toEqual([
      ['Go-live slips into the holidays', 'high', 'high', PEOPLE.ana],
      ['Key user on leave', 'low', 'medium', PEOPLE.ben],
    ]);
    const leadDms = h.botMessages(PEOPLE.lead);
    expect(leadDms).toHaveLength(1);
    expect(textOf(leadDms[0])).toContain(
      '*High likelihood, high impact* on *#1 Acme GmbH*, added by <@U0ANA>',
    );
    expect(risks[0]!.leads_told_at).not.toBeNull();
    // Ben, named to watch the second, hears it was put on him.
    const watcher = h.botMessages(PEOPLE.ben).map(textOf);
    expect(watcher).toHaveLength(1);
    expect(watcher[0]).toContain(
      `<@${PEOPLE.lead}> named you as the owner of a risk on *#1 Acme GmbH* (engagement owner <@${PEOPLE.ana}>)`,
    );
    // The owner's latest DM is the whole register.
    const register = textOf(h.botMessages(PEOPLE.ana).at(-1));
    expect(register).toContain('Go-live slips into the holidays');
    expect(register).toContain('Key user on leave');
    expect(
      (await listEvents(h.db, TEAM_ID, engagement.id)).filter((e) => e.kind === 'risk.added'),
    ).toHaveLength(2);
  });

  it('is told through the outbox, once each: never to a rotation channel since shared with people outside', async () => {
    const h = harness.current;
    const { engagement, where } = await owned(h);
    await addRisk(h, PEOPLE.ana, where, engagement.id, { [F.title.block]: 'Inputs late' });
    const line = (m: { text: string }) => /Risk added to #1 Acme GmbH/.test(m.text);
    expect(h.botMessages(CHANNELS.rotation).filter(line)).toHaveLength(1);
    const sent = (await listOutbox(h.db, TEAM_ID)).filter((r) => r.kind === 'risk-notice');
    expect(sent.map((r) => [r.channel_id, r.status])).toEqual([
      [CHANNELS.rotation, 'sent'],
      [PEOPLE.ana, 'sent'],
    ]);

    await h.emulator.shareChannel(CHANNELS.rotation);
    await h.app.idle();
    await addRisk(h, PEOPLE.ana, where, engagement.id, {
      [F.title.block]: 'Budget cut',
      [F.likelihood.block]: 'high',
      [F.impact.block]: 'high',
    });
    expect(h.botMessages(CHANNELS.rotation).filter(line)).toHaveLength(1);
    const held = (await listOutbox(h.db, TEAM_ID)).find(
      (r) => r.kind === 'risk-notice' && r.channel_id === CHANNELS.rotation && r.status === 'failed',
    );
    expect(held?.last_error).toMatch(/^withheld: a client can read this channel/);
    // The owner and the leads still hear of it, by DM.
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).toContain('Budget cut');
    expect(h.botMessages(PEOPLE.lead).some((m) => /High risk on #1 Acme GmbH: Budget cut/.test(m.text))).toBe(
      true,
    );
  });

  it('is resolved with a note, from the owner’s DM; the register DM then leaves it out', async () => {
    const h = harness.current;
    const { engagement, where } = await owned(h);
    await addRisk(h, PEOPLE.ana, where, engagement.id, { [F.title.block]: 'Inputs late' });
    const dm = h.botMessages(PEOPLE.ana).at(-1)!;
    const riskId = buttonValue(dm, ACTIONS.resolveRisk)!;
    // Someone else can't; a note is required.
    await h
      .click(PEOPLE.cat, { channelId: dm.channel, ts: dm.ts }, ACTIONS.resolveRisk, riskId)
      .catch(() => undefined);
    await h.click(PEOPLE.ana, { channelId: dm.channel, ts: dm.ts }, ACTIONS.resolveRisk, riskId);
    const modal = h.modal(PEOPLE.ana)!;
    const blank = await h.submit(PEOPLE.ana, modal, { [RESOLVE_RISK_FIELDS.note.block]: '   ' });
    expect(blank.errors).toEqual({ [RESOLVE_RISK_FIELDS.note.block]: 'Say how it was resolved.' });
    await h.submit(PEOPLE.ana, modal, { [RESOLVE_RISK_FIELDS.note.block]: 'they arrived Friday' });
    expect(await listOpenRisks(h.db, TEAM_ID)).toEqual([]);
    // Ana owns it: her register DM speaks to her.
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).toContain(
      ':white_check_mark: You resolved *Inputs late* on *#1 Acme GmbH*: _they arrived Friday_',
    );
    expect(textOf(h.botMessages(PEOPLE.ana).at(-1))).toContain('No open risks left.');
    const resolved = (await listEvents(h.db, TEAM_ID, engagement.id)).find((e) => e.kind === 'risk.resolved');
    expect(resolved).toMatchObject({ actor_id: PEOPLE.ana, reason: 'they arrived Friday' });
    // A second resolve, from the old DM, is explained and changes nothing; that DM then shows the
    // register as it now stands.
    await h.click(PEOPLE.ana, { channelId: dm.channel, ts: dm.ts }, ACTIONS.resolveRisk, riskId);
    expect(h.lastEphemeral(PEOPLE.ana)).toBe('"Inputs late" is already resolved.');
    const old = h.emulator.message(dm.channel, dm.ts)!;
    expect(buttonValue(old, ACTIONS.resolveRisk)).toBeUndefined();
    expect(textOf(old)).toContain('The register as it now stands');
    expect(textOf(old)).toContain('No open risks left.');
  });

  it('answers a missing title, or a risk owner who is not on the team, under the field', async () => {
    const h = harness.current;
    const { engagement, where } = await owned(h);
    const blank = await addRisk(h, PEOPLE.ana, where, engagement.id, { [F.title.block]: '  ' });
    expect(blank.errors).toEqual({ [F.title.block]: 'Say what the risk is.' });
    const outsider = await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, {
      [F.title.block]: 'Scope creep',
      [F.owner.block]: PEOPLE.outsider,
    });
    expect(outsider.errors).toEqual({ [F.owner.block]: "Pick someone on the team as the risk's owner." });
    expect(await listOpenRisks(h.db, TEAM_ID)).toEqual([]);
  });

  it('shows the owner’s open risks in App Home, and the count in list, never in the engagement channel', async () => {
    const h = harness.current;
    const { engagement, where } = await owned(h);
    await addRisk(h, PEOPLE.ana, where, engagement.id, { [F.title.block]: 'Inputs late' });
    const home = await h.openHome(PEOPLE.ana);
    expect(textOf(home as never)).toContain('*Open risks*');
    expect(textOf(home as never)).toContain('*Inputs late* (likelihood medium, impact medium)');
    await h.command(PEOPLE.ben, 'list');
    expect(h.lastEphemeral(PEOPLE.ben) + textOf(h.emulator.ephemerals(PEOPLE.ben).at(-1))).toContain(
      '1 open risk',
    );
    expect(
      h
        .botMessages(CHANNELS.acme)
        .map((m) => textOf(m))
        .join('\n'),
    ).not.toContain('Inputs late');
  });

  it('offers the engagement owner as the risk owner', () => {
    const modal = addRiskModal(
      { id: '1', number: 1, clientName: 'Acme', ownerId: PEOPLE.ana, rotationChannelId: CHANNELS.rotation },
      null,
    );
    expect(JSON.stringify(modal.blocks)).toContain(`"initial_user":"${PEOPLE.ana}"`);
  });
});

describe('flags from before the register', () => {
  it('become open risks titled with their note, owned by the engagement owner', async () => {
    const h = harness.current;
    const { engagement } = await owned(h);
    await startEngagement(h, { client: 'Beta', channel: CHANNELS.beta });
    const beta = (await findEngagementByNumber(h.db, TEAM_ID, 2))!;
    await sql`update engagements set risk = 'flagged', risk_note = 'inputs late' where id = ${engagement.id}`.execute(
      h.db,
    );
    await sql`update engagements set risk = 'flagged', risk_note = null where id = ${beta.id}`.execute(h.db);
    await copyFlaggedEngagements(h.db);
    await copyFlaggedEngagements(h.db); // twice: nothing doubles
    const risks = await listOpenRisks(h.db, TEAM_ID);
    expect(risks.map((r) => [r.engagement_id, r.title, r.likelihood, r.impact, r.owner_id])).toEqual([
      [engagement.id, 'inputs late', 'medium', 'medium', PEOPLE.ana],
      [beta.id, 'Flagged at risk (no note given)', 'medium', 'medium', null],
    ]);
  });
});
