import { describe, expect, it } from 'vitest';
import { settleReminder } from '../../../src/slack/actions/reminder.js';
import { button, section, type KnownBlock } from '../../../src/slack/blocks/kit.js';
import { ACTIONS } from '../../../src/slack/ids.js';

const reminder: KnownBlock[] = [
  section('*#1 Acme*'),
  {
    type: 'actions',
    block_id: 'milestone_5',
    elements: [button(ACTIONS.markDone, 'Mark done', '5'), button(ACTIONS.snooze, 'Snooze a day', '5')],
  },
  {
    type: 'actions',
    block_id: 'milestone_6',
    elements: [button(ACTIONS.markDone, 'Mark done', '6'), button(ACTIONS.snooze, 'Snooze a day', '6')],
  },
  // An engagement id may equal a milestone id: Flag risk must survive either way.
  { type: 'actions', block_id: 'engagement_actions', elements: [button(ACTIONS.flagRisk, 'Flag risk', '5')] },
];

describe('settleReminder', () => {
  it("replaces the handled milestone's buttons with what happened, keeping the rest", () => {
    const settled = settleReminder(reminder, '5', 'done');
    expect(settled.map((b) => b.block_id ?? b.type)).toEqual([
      'section',
      'context',
      'milestone_6',
      'engagement_actions',
    ]);
    expect(settled[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'done' }] });
  });

  it('leaves a reminder without that milestone alone', () => {
    expect(settleReminder(reminder, '99', 'done')).toEqual(reminder);
  });
});
