// What Slack refuses, the emulator refuses, with Slack's error names (SLACK-LIMITS in the team's
// notes lists the published limits): a bot that passes here does not meet these errors in Slack.
import type { WebAPIPlatformError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { validateBlocks, validateView } from '../../../src/sandbox/emulator/blocks.js';
import { ALICE, engagementInputs, fakeBot, GENERAL, modal, setup, slackError } from './support.js';

describe('SlackEmulator refuses what Slack refuses', () => {
  it('lets views.open use a trigger once, within 3 s', async () => {
    const bot = await fakeBot();
    const { client, emulator, advance } = await setup({ botUrl: bot.url });
    const view = modal(engagementInputs);
    const fresh = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const opened = await client.views.open({ trigger_id: fresh.triggerId, view });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      state: { values: {} },
      callback_id: 'new_engagement',
    });
    expect(await slackError(client.views.open({ trigger_id: fresh.triggerId, view }))).toBe(
      'exchanged_trigger_id',
    );

    const stale = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    advance(3001);
    expect(await slackError(client.views.open({ trigger_id: stale.triggerId, view }))).toBe(
      'expired_trigger_id',
    );
    expect(await slackError(client.views.open({ trigger_id: '1.2.3', view }))).toBe('invalid_trigger_id');
    expect(emulator.openViews(ALICE).map((v) => v.id)).toEqual([opened.view?.id]);

    const badTitle = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const longTitle = modal([], { title: { type: 'plain_text', text: 'A title that is far too long' } });
    const err = (await client.views
      .open({ trigger_id: badTitle.triggerId, view: longTitle })
      .catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(err.data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
  });

  it('keeps a trigger longer only when told to, for tests of slow processes', async () => {
    const bot = await fakeBot();
    const { client, emulator, advance } = await setup({ botUrl: bot.url, triggerLifetimeMs: 30_000 });
    const view = modal(engagementInputs);
    const slow = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    advance(29_000);
    expect((await client.views.open({ trigger_id: slow.triggerId, view })).ok).toBe(true);
    const slower = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    advance(30_001);
    expect(await slackError(client.views.open({ trigger_id: slower.triggerId, view }))).toBe(
      'expired_trigger_id',
    );
  });

  it('refuses a message text above 40,000 characters: msg_too_long', async () => {
    const { client } = await setup();
    await client.chat.postMessage({ channel: GENERAL, text: 'x'.repeat(40_000) });
    expect(await slackError(client.chat.postMessage({ channel: GENERAL, text: 'x'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
  });

  it('refuses blocks whose text together passes about 12,000 characters: msg_blocks_too_long', async () => {
    const { emulator, client } = await setup();
    const sections = (n: number) =>
      Array.from({ length: n }, () => ({
        type: 'section',
        text: { type: 'mrkdwn', text: 'y'.repeat(2900) },
      }));
    await client.chat.postMessage({ channel: GENERAL, text: 'four', blocks: sections(4) });
    expect(
      await slackError(client.chat.postMessage({ channel: GENERAL, text: 'five', blocks: sections(5) })),
    ).toBe('msg_blocks_too_long');
    const [posted] = emulator.messages(GENERAL);
    expect(
      await slackError(client.chat.update({ channel: GENERAL, ts: posted?.ts ?? '', blocks: sections(5) })),
    ).toBe('msg_blocks_too_long');
  });

  const text = (t: string) => ({ type: 'mrkdwn', text: t });
  const plain = (t: string) => ({ type: 'plain_text' as const, text: t });
  const option = (value: string, label = value) => ({ text: plain(label), value });
  const options = (n: number) => Array.from({ length: n }, (_, i) => option(`o${i}`));
  const button = (extra: Record<string, unknown> = {}) => ({
    type: 'button',
    action_id: 'b',
    text: plain('Go'),
    ...extra,
  });
  const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
  const section = (extra: Record<string, unknown>) => ({ type: 'section', text: text('x'), ...extra });

  it.each<[string, unknown[], string]>([
    ['more than 50 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), '/blocks'],
    ['an empty text object', [{ type: 'section', text: text('') }], '/blocks/0/text/text'],
    ['section text above 3000', [{ type: 'section', text: text('x'.repeat(3001)) }], '/blocks/0/text/text'],
    [
      'more than 10 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => text('f')) }],
      '/blocks/0/fields',
    ],
    [
      'a field above 2000',
      [{ type: 'section', fields: [text('f'.repeat(2001))] }],
      '/blocks/0/fields/0/text',
    ],
    ['a header above 150', [{ type: 'header', text: plain('h'.repeat(151)) }], '/blocks/0/text/text'],
    ['a mrkdwn header', [{ type: 'header', text: text('h') }], '/blocks/0/text/type'],
    [
      'more than 10 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => text('c')) }],
      '/blocks/0/elements',
    ],
    [
      'more than 25 actions',
      [actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })))],
      '/blocks/0/elements',
    ],
    ['a repeated action_id', [actions(button(), button())], '/blocks/0/elements/1/action_id'],
    [
      'a repeated block_id',
      [
        { type: 'divider', block_id: 'd' },
        { type: 'divider', block_id: 'd' },
      ],
      '/blocks/1/block_id',
    ],
    ['a block_id above 255', [{ type: 'divider', block_id: 'd'.repeat(256) }], '/blocks/0/block_id'],
    [
      'an action_id above 255',
      [actions(button({ action_id: 'a'.repeat(256) }))],
      '/blocks/0/elements/0/action_id',
    ],
    [
      'button text above 75',
      [actions(button({ text: plain('b'.repeat(76)) }))],
      '/blocks/0/elements/0/text/text',
    ],
    [
      'a button value above 2000',
      [actions(button({ value: 'v'.repeat(2001) }))],
      '/blocks/0/elements/0/value',
    ],
    [
      'a button url above 3000',
      [actions(button({ url: `https://example.com/${'u'.repeat(3000)}` }))],
      '/blocks/0/elements/0/url',
    ],
    [
      'a button style other than primary or danger',
      [actions(button({ style: 'secondary' }))],
      '/blocks/0/elements/0/style',
    ],
    ['emoji on mrkdwn', [{ type: 'section', text: { ...text('x'), emoji: true } }], '/blocks/0/text/emoji'],
    [
      'an overflow menu of 1 option',
      [section({ accessory: { type: 'overflow', action_id: 'o', options: options(1) } })],
      '/blocks/0/accessory/options',
    ],
    [
      'an overflow menu of 6 options',
      [section({ accessory: { type: 'overflow', action_id: 'o', options: options(6) } })],
      '/blocks/0/accessory/options',
    ],
    [
      'a select of 101 options',
      [section({ accessory: { type: 'static_select', action_id: 's', options: options(101) } })],
      '/blocks/0/accessory/options',
    ],
    [
      '101 option groups',
      [
        section({
          accessory: {
            type: 'static_select',
            action_id: 's',
            option_groups: Array.from({ length: 101 }, () => ({ label: plain('g'), options: options(1) })),
          },
        }),
      ],
      '/blocks/0/accessory/option_groups',
    ],
    [
      'option text above 75',
      [
        section({
          accessory: { type: 'static_select', action_id: 's', options: [option('v', 'o'.repeat(76))] },
        }),
      ],
      '/blocks/0/accessory/options/0/text/text',
    ],
    [
      'an option value above 150',
      [section({ accessory: { type: 'static_select', action_id: 's', options: [option('v'.repeat(151))] } })],
      '/blocks/0/accessory/options/0/value',
    ],
    [
      'a placeholder above 150',
      [
        section({
          accessory: {
            type: 'static_select',
            action_id: 's',
            options: options(2),
            placeholder: plain('p'.repeat(151)),
          },
        }),
      ],
      '/blocks/0/accessory/placeholder/text',
    ],
  ])('refuses %s: invalid_blocks', async (_, blocks, pointer) => {
    const { emulator, client } = await setup();
    expect(
      await slackError(client.chat.postMessage({ channel: GENERAL, text: 'x', blocks: blocks as never })),
    ).toBe('invalid_blocks');
    const errors = emulator.callsTo('chat.postMessage').at(-1)?.response.errors as string[];
    expect(
      errors.some((e) => e.endsWith(`[json-pointer:${pointer}]`)),
      errors.join('\n'),
    ).toBe(true);
  });

  it('accepts what is within the limits: three groups of 50 options, a 2-option overflow, emoji on plain_text', () => {
    const groups = Array.from({ length: 3 }, (_, g) => ({
      label: plain(`Group ${g}`),
      options: Array.from({ length: 50 }, (_, i) => option(`g${g}o${i}`)),
    }));
    expect(
      validateBlocks(
        [
          section({ accessory: { type: 'static_select', action_id: 's', option_groups: groups } }),
          section({ accessory: { type: 'overflow', action_id: 'o', options: options(2) } }),
          { type: 'header', text: { ...plain(':wave: Hello'), emoji: true } },
        ],
        '/blocks',
        50,
      ),
    ).toEqual([]);
  });

  const input = (extra: Record<string, unknown> = {}) => ({
    type: 'input',
    block_id: 'i',
    label: plain('Label'),
    element: { type: 'plain_text_input', action_id: 't' },
    ...extra,
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a title above 24', { title: plain('t'.repeat(25)) }, '/view/title/text'],
    ['a submit label above 24', { submit: plain('s'.repeat(25)) }, '/view/submit/text'],
    ['a close label above 24', { close: plain('c'.repeat(25)) }, '/view/close/text'],
    ['an input without submit', { submit: undefined, blocks: [input()] }, '/view/submit'],
    [
      'more than 100 blocks',
      { blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) },
      '/view/blocks',
    ],
    [
      'an input label above 2000',
      { blocks: [input({ label: plain('l'.repeat(2001)) })] },
      '/view/blocks/0/label/text',
    ],
    ['a mrkdwn hint', { blocks: [input({ hint: text('h') })] }, '/view/blocks/0/hint/type'],
    [
      'max_length above 3000',
      { blocks: [input({ element: { type: 'plain_text_input', action_id: 't', max_length: 3001 } })] },
      '/view/blocks/0/element/max_length',
    ],
    ['private_metadata above 3000', { private_metadata: 'm'.repeat(3001) }, '/view/private_metadata'],
    ['a callback_id above 255', { callback_id: 'c'.repeat(256) }, '/view/callback_id'],
    ['an external_id above 255', { external_id: 'e'.repeat(256) }, '/view/external_id'],
  ])('refuses a modal with %s', (_, extra, pointer) => {
    const view = { ...modal([]), ...extra };
    const problems = validateView(view, 'modal');
    expect(
      problems.some((p) => p.endsWith(`[json-pointer:${pointer}]`)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('refuses a view above about 250 kB: view_too_large', async () => {
    const { client } = await setup();
    const big = (n: number) => ({
      type: 'home' as const,
      blocks: Array.from({ length: n }, () => ({ type: 'section', text: text('z'.repeat(2900)) })),
    });
    await client.views.publish({ user_id: ALICE, view: big(80) });
    expect(await slackError(client.views.publish({ user_id: ALICE, view: big(90) }))).toBe('view_too_large');
  });

  it('keeps a root view and two pushed on it; the third push is push_limit_reached', async () => {
    let answer: unknown = {};
    const bot = await fakeBot((r) => (r.body.type === 'view_submission' ? { body: answer } : {}));
    const { client, emulator } = await setup({ botUrl: bot.url });
    const trigger = async () => (await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new')).triggerId;
    await client.views.open({ trigger_id: await trigger(), view: modal([], { callback_id: 'root' }) });
    await client.views.push({ trigger_id: await trigger(), view: modal([], { callback_id: 'second' }) });
    await client.views.push({ trigger_id: await trigger(), view: modal([], { callback_id: 'third' }) });
    expect(
      await slackError(
        client.views.push({ trigger_id: await trigger(), view: modal([], { callback_id: 'fourth' }) }),
      ),
    ).toBe('push_limit_reached');

    // A response_action push meets the same limit: Slack keeps the view and the app's push is lost.
    answer = { response_action: 'push', view: modal([], { callback_id: 'fourth' }) };
    const top = emulator.openViews(ALICE).at(-1);
    expect(await emulator.submitView(ALICE, top?.id ?? '')).toMatchObject({
      responseAction: 'push',
      problems: ['push_limit_reached'],
    });
    expect(emulator.openViews(ALICE).map((v) => v.callback_id)).toEqual(['root', 'second', 'third']);
  });

  it('refuses an invalid view in a response_action, as Slack shows a generic error and keeps the view', async () => {
    const bot = await fakeBot((r) =>
      r.body.type === 'view_submission'
        ? {
            body: {
              response_action: 'update',
              view: modal([], { title: plain('A title that is far too long') }),
            },
          }
        : {},
    );
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({
      trigger_id: triggerId,
      view: modal(engagementInputs.slice(0, 1)),
    });
    const result = await emulator.submitView(ALICE, view?.id ?? '', { client: 'Acme' });
    expect(result.problems).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    expect(emulator.openViews(ALICE).map((v) => v.id)).toEqual([view?.id]);
  });
});
