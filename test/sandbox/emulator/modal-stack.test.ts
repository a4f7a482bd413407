// Each person's modal stack: what a submission's ack does to it, what was typed, what is pushed.
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  buttons,
  engagementInputs,
  expectSignedBySlack,
  fakeBot,
  GENERAL,
  modal,
  setup,
  slackError,
} from './support.js';

describe('SlackEmulator modal stack', () => {
  it('keeps the modal on response_action errors and closes it on a plain 200', async () => {
    const bot = await fakeBot((r) => {
      if (r.body.type !== 'view_submission') return;
      const values = (
        r.body.view as { state: { values: Record<string, Record<string, { value?: string }>> } }
      ).state.values;
      if (values.client?.name?.value === 'Acme')
        return { body: { response_action: 'errors', errors: { client: 'Exists already' } } };
      return {};
    });
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({ trigger_id: triggerId, view: modal(engagementInputs) });
    const viewId = view?.id ?? '';

    const refused = await emulator.submitView(ALICE, viewId, {
      client: 'Acme',
      lead: BOB,
      size: 'l',
      channel: { conversation: { type: 'conversations_select', selected_conversation: GENERAL } },
    });
    expect(refused).toMatchObject({
      status: 200,
      delivered: true,
      responseAction: 'errors',
      errors: { client: 'Exists already' },
    });
    expect(emulator.openViews(ALICE).map((v) => v.id)).toEqual([viewId]);

    const submission = bot.received.at(-1);
    if (!submission) throw new Error('nothing arrived');
    expectSignedBySlack(submission);
    expect(submission.body).toMatchObject({
      type: 'view_submission',
      user: { id: ALICE, username: 'alice' },
      trigger_id: expect.any(String),
      view: { id: viewId, callback_id: 'new_engagement', hash: view?.hash },
    });
    expect((submission.body.view as { state: unknown }).state).toEqual({
      values: {
        client: { name: { type: 'plain_text_input', value: 'Acme' } },
        start: { date: { type: 'datepicker', selected_date: '2026-12-14' } },
        lead: { user: { type: 'users_select', selected_user: BOB } },
        channel: { conversation: { type: 'conversations_select', selected_conversation: GENERAL } },
        size: {
          choice: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'Large' }, value: 'l' },
          },
        },
      },
    });

    // What was typed stays in the modal; only the corrected field changes.
    const accepted = await emulator.submitView(ALICE, viewId, { client: 'Globex' });
    expect(accepted).toMatchObject({ status: 200, delivered: true });
    expect(accepted.responseAction).toBeUndefined();
    expect(emulator.openViews(ALICE)).toEqual([]);
    expect(
      (bot.received.at(-1)?.body.view as { state: { values: { lead: unknown } } }).state.values.lead,
    ).toEqual({
      user: { type: 'users_select', selected_user: BOB },
    });
  });

  it('never sends a submission with a required input left empty', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({ trigger_id: triggerId, view: modal(engagementInputs) });
    const result = await emulator.submitView(ALICE, view?.id ?? '', { client: 'Acme' });
    expect(result).toMatchObject({
      delivered: false,
      errors: { lead: expect.any(String), size: expect.any(String) },
    });
    expect(bot.received.map((r) => r.body.type ?? r.body.command)).toEqual(['/engagement']);
    expect(() => emulator.setViewValues(ALICE, view?.id ?? '', { size: 'xl' })).toThrow(/no option/);
  });

  it('applies response_action update, push and clear to the modal stack', async () => {
    const second = modal([{ type: 'section', text: { type: 'mrkdwn', text: 'Step 2' } }], {
      callback_id: 'step2',
    });
    let next: unknown = { response_action: 'update', view: second };
    const bot = await fakeBot((r) => (r.body.type === 'view_submission' ? { body: next } : {}));
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({
      trigger_id: triggerId,
      view: modal([], { callback_id: 'step1' }),
    });
    const id = view?.id ?? '';

    const updated = await emulator.submitView(ALICE, id);
    expect(updated.responseAction).toBe('update');
    expect(emulator.openViews(ALICE).map((v) => [v.id, v.callback_id])).toEqual([[id, 'step2']]);

    next = { response_action: 'push', view: modal([], { callback_id: 'step3' }) };
    await emulator.submitView(ALICE, id);
    const stack = emulator.openViews(ALICE);
    expect(stack.map((v) => v.callback_id)).toEqual(['step2', 'step3']);
    expect(stack[1]).toMatchObject({ root_view_id: id, previous_view_id: id });

    next = { response_action: 'clear' };
    await emulator.submitView(ALICE, stack[1]?.id ?? '');
    expect(emulator.openViews(ALICE)).toEqual([]);
  });

  it('updates and pushes views through the Web API, with hash checks', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({
      trigger_id: triggerId,
      view: modal(engagementInputs, { external_id: 'new-engagement-U0ALICE' }),
    });
    emulator.setViewValues(ALICE, view?.id ?? '', { client: 'Acme' });
    const updated = await client.views.update({
      external_id: 'new-engagement-U0ALICE',
      hash: view?.hash ?? '',
      view: modal(engagementInputs, { private_metadata: 'v2' }),
    });
    expect(updated.view).toMatchObject({ id: view?.id, private_metadata: 'v2' });
    expect(updated.view?.hash).not.toBe(view?.hash);
    // Slack keeps what was typed in inputs that survive an update.
    expect(emulator.openViews(ALICE)[0]?.state.values.client).toEqual({
      name: { type: 'plain_text_input', value: 'Acme' },
    });
    expect(
      await slackError(
        client.views.update({ view_id: view?.id ?? '', hash: view?.hash ?? '', view: modal([]) }),
      ),
    ).toBe('hash_conflict');

    const click = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'more');
    await client.views.push({ trigger_id: click.triggerId, view: modal([], { callback_id: 'pushed' }) });
    expect(emulator.openViews(ALICE).map((v) => v.callback_id)).toEqual(['new_engagement', 'pushed']);
  });

  it('sends clicks in a modal with the view and its state, and no response_url', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const { triggerId } = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const { view } = await client.views.open({
      trigger_id: triggerId,
      view: modal([...engagementInputs, ...buttons]),
    });
    emulator.setViewValues(ALICE, view?.id ?? '', { client: 'Acme' });
    const result = await emulator.clickButton(ALICE, { viewId: view?.id ?? '' }, 'decline');
    expect(result.responseUrl).toBeUndefined();
    const payload = bot.received.at(-1)?.body;
    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: view?.id },
      view: {
        id: view?.id,
        state: { values: { client: { name: { type: 'plain_text_input', value: 'Acme' } } } },
      },
      actions: [{ action_id: 'decline', block_id: 'answer', value: 'eng-1' }],
    });
    expect(payload).not.toHaveProperty('response_url');
  });

  it('sends view_closed only when the view asked for it', async () => {
    const bot = await fakeBot();
    const { client, emulator } = await setup({ botUrl: bot.url });
    const quiet = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const a = await client.views.open({ trigger_id: quiet.triggerId, view: modal([]) });
    expect(await emulator.closeView(ALICE, a.view?.id ?? '')).toBeUndefined();

    const loud = await emulator.slashCommand(ALICE, GENERAL, '/engagement', 'new');
    const b = await client.views.open({
      trigger_id: loud.triggerId,
      view: modal([], { notify_on_close: true }),
    });
    expect((await emulator.closeView(ALICE, b.view?.id ?? ''))?.status).toBe(200);
    expect(bot.received.at(-1)?.body).toMatchObject({
      type: 'view_closed',
      view: { id: b.view?.id },
      is_cleared: false,
    });
    expect(emulator.openViews(ALICE)).toEqual([]);
  });
});
