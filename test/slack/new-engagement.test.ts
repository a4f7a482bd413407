// The new-engagement modal: what it offers, and every bad input answered under its field, with
// nothing created.
import { describe, expect, it } from 'vitest';
import { listEngagements } from '../../src/db/engagements.js';
import { NEW_ENGAGEMENT_FIELDS as F } from '../../src/slack/ids.js';
import {
  closeConfirmed,
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

describe('opening the modal', () => {
  it('offers the fields, starting on the next business day with the standard plan', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.ana, 'new');
    const modal = h.modal(PEOPLE.ana)!;
    expect(modal.callback_id).toBe('engagement.new');
    const inputs = modal.blocks.filter((b) => b.type === 'input').map((b) => b.block_id);
    expect(inputs).toEqual(Object.values(F).map((f) => f.block));
    expect(modal.state.values).toEqual({});
    expect(modal.blocks.find((b) => b.block_id === F.start.block)).toMatchObject({
      element: { type: 'datepicker', initial_date: '2026-12-02' },
    });
    expect(modal.blocks.find((b) => b.block_id === F.template.block)).toMatchObject({
      element: { initial_option: { text: { text: 'Standard 4-week plan (v1)' } } },
    });
  });

  it('refuses someone who is neither on the team nor a lead, without a modal', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.outsider, 'new');
    expect(h.modal(PEOPLE.outsider)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.outsider)).toContain(
      "Only the team's members and leads can start an engagement",
    );
  });
});

describe('bad input in the modal', () => {
  const cases: [string, Parameters<typeof startEngagement>[1], string, RegExp][] = [
    ['a blank client name', { client: '   ' }, F.client.block, /^Name the client\.$/],
    [
      'an over-long client name',
      { client: 'x'.repeat(81) },
      F.client.block,
      /^Keep the client name to 80 characters\.$/,
    ],
    ['a start in the past', { start: '2026-11-30' }, F.start.block, /^The start date is in the past\.$/],
    [
      'a start on a Saturday',
      { start: '2026-12-05' },
      F.start.block,
      /is not a business day; the next one is 2026-12-07/,
    ],
    [
      'the rotation channel as the engagement channel',
      { channel: CHANNELS.rotation },
      F.channel.block,
      /rotation channel/,
    ],
    [
      'a delivery lead not on the team',
      { deliveryLead: PEOPLE.dan },
      F.deliveryLead.block,
      /^Dan Diaz is not on the team; add them with \/engagement team add first\.$/,
    ],
    ['over-long notes', { notes: 'n'.repeat(2001) }, F.notes.block, /Keep the notes to 2000 characters/],
  ];

  it.each(cases)('answers %s under the field and creates nothing', async (_what, values, block, message) => {
    const h = harness.current;
    await setUpTeam(h);
    const { modal, result } = await startEngagement(h, values);
    expect(result.responseAction).toBe('errors');
    expect(Object.keys(result.errors ?? {})).toEqual([block]);
    expect(result.errors?.[block]).toMatch(message);
    // Field errors are plain text: people by name, no mentions or markup.
    expect(result.errors?.[block]).not.toMatch(/<[@#!]|[`*]/);
    expect(result.problems).toBeUndefined();
    // The modal stays open with what was typed, and nothing was created or posted.
    expect(h.modal(PEOPLE.lead)?.id).toBe(modal.id);
    expect(await listEngagements(h.db, TEAM_ID)).toEqual([]);
    expect(h.proposals()).toEqual([]);
  });

  it('is refused by Slack itself when the client name is empty', async () => {
    const h = harness.current;
    await setUpTeam(h);
    const { result } = await startEngagement(h, { client: '' });
    expect(result.delivered).toBe(false);
    expect(result.errors).toEqual({ [F.client.block]: 'Please complete this required field.' });
  });

  it('refuses a channel that already has an open engagement', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { client: 'Acme GmbH', channel: CHANNELS.acme });
    const { result } = await startEngagement(h, { client: 'Acme again', channel: CHANNELS.acme });
    expect(result.errors).toEqual({
      [F.channel.block]: 'That channel already has an open engagement (#1, Acme GmbH).',
    });
    expect(await listEngagements(h.db, TEAM_ID)).toHaveLength(1);
    expect(h.proposals()).toHaveLength(1);
  });

  it('accepts a channel again once its engagement is closed', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { channel: CHANNELS.acme });
    await closeConfirmed(h, 'close #1');
    const { result } = await startEngagement(h, { client: 'Acme, phase 2', channel: CHANNELS.acme });
    expect(result.responseAction).toBeUndefined();
    expect(await listEngagements(h.db, TEAM_ID)).toHaveLength(2);
  });
});

describe('a successful submission', () => {
  it('makes the channel where /engagement new first ran the rotation channel', async () => {
    const h = harness.current;
    await h.command(PEOPLE.lead, `team add ${mention(PEOPLE.ana)} ${mention(PEOPLE.ben)}`, CHANNELS.gamma);
    await h.command(PEOPLE.lead, 'new', CHANNELS.gamma);
    await h.submit(PEOPLE.lead, h.modal(PEOPLE.lead)!, {
      client: 'Beta AG',
      channel: CHANNELS.beta,
      start: '2026-12-07',
    });
    expect(h.proposals(CHANNELS.gamma)).toHaveLength(1);
    expect(h.proposals(CHANNELS.beta)).toEqual([]);
    // Later engagements keep proposing there, wherever the command runs.
    await h.command(PEOPLE.ana, 'new', CHANNELS.rotation);
    await h.submit(PEOPLE.ana, h.modal(PEOPLE.ana)!, { client: 'Acme', channel: CHANNELS.acme });
    expect(h.proposals(CHANNELS.gamma)).toHaveLength(2);
    expect(h.proposals(CHANNELS.rotation)).toEqual([]);
  });
});

describe('after creating', () => {
  it("tells the creator when the plan counts Christmas or New Year's Day as working days", async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { start: '2026-12-14' });
    expect(h.lastEphemeral(PEOPLE.lead)).toContain(
      'The plan counts Fri 25 Dec and Fri 1 Jan as working days: no holidays are set for the team.',
    );
    await h.command(PEOPLE.lead, 'settings holidays DE');
    await startEngagement(h, { start: '2026-12-14', client: 'Beta AG', channel: CHANNELS.beta });
    expect(h.lastEphemeral(PEOPLE.lead)).toContain('Created *#2 Beta AG*');
    expect(h.lastEphemeral(PEOPLE.lead)).not.toContain('as working days');
  });
});

describe('when things go wrong', () => {
  it('does not make a DM the rotation channel', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await h.command(PEOPLE.lead, 'new', PEOPLE.lead); // a person's id: their DM with Steward
    expect(h.modal(PEOPLE.lead)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.lead)).toContain("in your team's channel the first time");
  });

  it('asks to run the command again when the trigger has expired', async () => {
    const h = harness.current;
    await setUpTeam(h);
    h.emulator.failNext('views.open', { error: 'expired_trigger_id' });
    await h.command(PEOPLE.lead, 'new');
    expect(h.lastEphemeral(PEOPLE.lead)).toBe(
      'Slack was too slow to open the form; please run `/engagement new` again.',
    );
  });

  it('tells the person politely, and logs with context, when Slack fails unexpectedly', async () => {
    const h = harness.current;
    await setUpTeam(h);
    h.emulator.failNext('views.open', { error: 'internal_error' });
    await h.command(PEOPLE.lead, 'new');
    const answer = h.lastEphemeral(PEOPLE.lead);
    expect(answer).toMatch(/^Sorry, something went wrong on my side .* \(reference `[0-9a-f]{6}`\)\.$/);
    expect(answer).not.toMatch(/internal_error|Error:|\.ts:/);
    const logged = h.logs.find((l) => l.msg === 'a Slack request failed');
    expect(logged).toMatchObject({
      level: 50,
      request: { type: 'slash_command', command: '/engagement', user: PEOPLE.lead, team: TEAM_ID },
    });
    expect(String((logged!.err as { message: string }).message)).toContain('internal_error');
  });
});

describe('internal and client channels', () => {
  it('refuses a channel shared with the client as the engagement channel, creating nothing', async () => {
    const h = harness.current;
    await setUpTeam(h);
    const { modal, result } = await startEngagement(h, { channel: CHANNELS.acmeClient });
    expect(result.errors).toEqual({
      [F.channel.block]:
        "#ext-acme is shared with people outside the organisation (Slack Connect), so the client would see the reminders, overdue lists and their buttons. Pick the team's internal channel here, and the shared one as the client channel.",
    });
    expect(h.modal(PEOPLE.lead)?.id).toBe(modal.id);
    expect(await listEngagements(h.db, TEAM_ID)).toEqual([]);
    expect(h.proposals()).toEqual([]);
  });

  it('keeps the client channel beside the internal one', async () => {
    const h = harness.current;
    await setUpTeam(h);
    const { result } = await startEngagement(h, {
      channel: CHANNELS.acme,
      clientChannel: CHANNELS.acmeClient,
    });
    expect(result.responseAction).toBeUndefined();
    const [engagement] = await listEngagements(h.db, TEAM_ID);
    expect(engagement).toMatchObject({
      channel_id: CHANNELS.acme,
      client_channel_id: CHANNELS.acmeClient,
      channel_checked: true,
      channel_shared: false,
    });
    // Nothing goes to the client before an owner is approved: the proposal is internal.
    expect(h.botMessages(CHANNELS.acmeClient)).toEqual([]);
  });

  it.each([
    ['the engagement channel itself', CHANNELS.acme, /must be another channel than the engagement channel/],
    ['the rotation channel', CHANNELS.rotation, /rotation channel, where internal proposals go/],
  ])('refuses %s as the client channel', async (_what, clientChannel, message) => {
    const h = harness.current;
    await setUpTeam(h);
    const { result } = await startEngagement(h, { channel: CHANNELS.acme, clientChannel });
    expect(Object.keys(result.errors ?? {})).toEqual([F.clientChannel.block]);
    expect(result.errors?.[F.clientChannel.block]).toMatch(message);
    expect(await listEngagements(h.db, TEAM_ID)).toEqual([]);
  });

  it('refuses another open engagement’s internal channel as a client channel', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, { client: 'Beta AG', channel: CHANNELS.beta });
    const { result } = await startEngagement(h, { channel: CHANNELS.acme, clientChannel: CHANNELS.beta });
    expect(result.errors).toEqual({
      [F.clientChannel.block]:
        'That channel is the internal channel of #1 (Beta AG), with its reminders and overdue lists; the client must not see it.',
    });
    expect(await listEngagements(h.db, TEAM_ID)).toHaveLength(1);
  });

  it('warns when the client channel names another client, and goes ahead when submitted again', async () => {
    const h = harness.current;
    await setUpTeam(h);
    const { modal, result } = await startEngagement(h, {
      client: 'Hooli',
      channel: CHANNELS.beta,
      clientChannel: CHANNELS.initechClient,
    });
    expect(result.responseAction).toBe('update');
    expect(result.problems).toBeUndefined();
    const warned = h.modal(PEOPLE.lead)!;
    expect(warned.id).toBe(modal.id);
    expect(textOf({ text: '', blocks: warned.blocks })).toContain(
      "#ext-initech has a topic that names Initech, not Hooli. Check the channel and the client's name; press Create again to go ahead as it is.",
    );
    expect(await listEngagements(h.db, TEAM_ID)).toEqual([]);

    // What was typed is still there: the same choice, submitted again, creates it.
    const again = await h.submit(PEOPLE.lead, warned);
    expect(again.responseAction).toBeUndefined();
    expect(await listEngagements(h.db, TEAM_ID)).toMatchObject([
      { client_name: 'Hooli', channel_id: CHANNELS.beta, client_channel_id: CHANNELS.initechClient },
    ]);
  });

  it('warns again when the person changed the client after the warning', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, {
      client: 'Hooli',
      channel: CHANNELS.beta,
      clientChannel: CHANNELS.initechClient,
    });
    const again = await h.submit(PEOPLE.lead, h.modal(PEOPLE.lead)!, { client: 'Hooli Inc' });
    expect(again.responseAction).toBe('update');
    expect(await listEngagements(h.db, TEAM_ID)).toEqual([]);
  });

  it('warns when the channel already serves another open engagement’s client', async () => {
    const h = harness.current;
    await setUpTeam(h);
    await startEngagement(h, {
      client: 'Acme GmbH',
      channel: CHANNELS.acme,
      clientChannel: CHANNELS.acmeClient,
    });
    await startEngagement(h, {
      client: 'Globex',
      channel: CHANNELS.beta,
      clientChannel: CHANNELS.acmeClient,
    });
    expect(textOf({ text: '', blocks: h.modal(PEOPLE.lead)?.blocks })).toContain(
      '#ext-acme already serves #1 for Acme GmbH, not Globex.',
    );
    expect(await listEngagements(h.db, TEAM_ID)).toHaveLength(1);
  });

  it('does not make a channel shared with a client the rotation channel on the first `new`', async () => {
    const h = harness.current;
    await h.command(PEOPLE.lead, `team add ${mention(PEOPLE.ana)}`, CHANNELS.acmeClient);
    await h.command(PEOPLE.lead, 'new', CHANNELS.acmeClient);
    expect(h.modal(PEOPLE.lead)).toBeUndefined();
    expect(h.lastEphemeral(PEOPLE.lead)).toMatch(
      /^This channel is shared with people outside the organisation/,
    );
  });
});
