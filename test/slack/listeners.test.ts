import { App, LogLevel, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { Listeners } from '../../src/slack/listeners.js';

const receiver: Receiver = { init: () => {}, start: async () => {}, stop: async () => {} };

/** A Bolt app with the listeners mounted, and what each of them heard. */
function appWith(register: (listeners: Listeners, heard: string[]) => void) {
  const app = new App({
    token: 'xoxb-test',
    botId: 'B0',
    botUserId: 'U0BOT',
    receiver,
    logLevel: LogLevel.ERROR,
  });
  const listeners = new Listeners();
  const heard: string[] = [];
  register(listeners, heard);
  listeners.mount(app);
  const deliver = async (body: Record<string, unknown>) => {
    let acked = false;
    await app.processEvent({ body, ack: async () => void (acked = true) });
    return acked;
  };
  return { heard, deliver };
}

const click = (actionId: string) => ({
  type: 'block_actions',
  team: { id: 'T0' },
  user: { id: 'U0ANA', team_id: 'T0' },
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1' }],
});
const submit = (callbackId: string, type = 'view_submission') => ({
  type,
  team: { id: 'T0' },
  user: { id: 'U0ANA', team_id: 'T0' },
  view: { id: 'V0', callback_id: callbackId, state: { values: {} } },
});
const command = (name: string) => ({
  command: name,
  text: 'help',
  team_id: 'T0',
  user_id: 'U0ANA',
  channel_id: 'C0',
  trigger_id: 't',
});

describe('the listeners, handed to Bolt one per kind', () => {
  it('give each request to the listener of its id, and to no other', async () => {
    const { heard, deliver } = appWith((on, heard) => {
      on.command('/engagement', async ({ ack }) => void (heard.push('command'), await ack()));
      on.action('proposal.approve', async ({ ack }) => void (heard.push('approve'), await ack()));
      on.action('proposal.next', async ({ ack }) => void (heard.push('next'), await ack()));
      on.view('engagement.new', async ({ ack }) => void (heard.push('submitted'), await ack()));
      on.event('app_home_opened', async () => void heard.push('home'));
    });
    expect(await deliver(click('proposal.next'))).toBe(true);
    expect(await deliver(command('/engagement'))).toBe(true);
    expect(await deliver(submit('engagement.new'))).toBe(true);
    await deliver({
      type: 'event_callback',
      team_id: 'T0',
      event: { type: 'app_home_opened', user: 'U0ANA' },
    });
    expect(heard).toEqual(['next', 'command', 'submitted', 'home']);
  });

  it('leave alone what no listener registered for, as Bolt does: ids match exactly', async () => {
    const { heard, deliver } = appWith((on, heard) => {
      on.command('/engagement', async ({ ack }) => void (heard.push('command'), await ack()));
      on.action('proposal.approve', async ({ ack }) => void (heard.push('approve'), await ack()));
      on.view('engagement.new', async ({ ack }) => void (heard.push('submitted'), await ack()));
    });
    // The dot in an id is a dot, and a longer id is another id.
    expect(await deliver(click('proposalXapprove'))).toBe(false);
    expect(await deliver(click('proposal.approve.old'))).toBe(false);
    expect(await deliver(command('/engagements'))).toBe(false);
    // Closing a modal is not submitting it.
    expect(await deliver(submit('engagement.new', 'view_closed'))).toBe(false);
    expect(heard).toEqual([]);
  });

  it('refuse a second listener for the same id', () => {
    const listeners = new Listeners();
    listeners.action('proposal.approve', async () => {});
    expect(() => listeners.action('proposal.approve', async () => {})).toThrow(
      'two listeners for the action proposal.approve',
    );
  });
});
