// The new-engagement modal: what it offers, and every bad input answered under its field, with
// nothing created.
import { describe, expect, it } from 'vitest';
import { listEngagements } from '../../src/db/engagements.js';
import { NEW_ENGAGEMENT_FIELDS as F } from '../../src/slack/ids.js';
import {
  CHANNELS,
  mention,
  PEOPLE,
  setUpTeam,
  startEngagement,
  TEAM_ID,
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
    await h.command(PEOPLE.lead, 'close #1');
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
