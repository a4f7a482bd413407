import { describe, expect, it } from 'vitest';
import type { EngagementRef, NudgeItem, ReminderItem } from '../../src/flows/scheduled-messages.js';
import { loadProposalView, storeProposalView } from '../../src/flows/scheduled-messages.js';
import type { ProposalView } from '../../src/flows/proposing.js';
import { render } from '../../src/jobs/outbox-sender.js';
import { ACTIONS } from '../../src/slack/ids.js';

const engagement: EngagementRef = {
  id: '7',
  number: 3,
  clientName: 'Smith & <Jones>',
  channelId: 'C0SMITH',
  ownerId: 'UANA',
};

const item = (n: number): ReminderItem => ({
  milestoneId: String(100 + n),
  title: `Step ${n}`,
  dueOn: '2026-12-04',
  urgency: 'overdue',
  businessDays: 1,
});

describe('the scheduled messages', () => {
  it('keep within Slack’s 50 blocks however much is due, and escape what people typed', () => {
    const reminder = render({
      type: 'reminder',
      day: '2026-12-07',
      engagement,
      items: Array.from({ length: 30 }, (_, n) => item(n)),
    });
    expect(reminder.blocks.length).toBeLessThanOrEqual(50);
    expect(reminder.text).toBe('Milestones for #3 Smith & <Jones>: 30 overdue');
    expect(JSON.stringify(reminder.blocks)).toContain('Smith &amp; &lt;Jones&gt;');
    expect(JSON.stringify(reminder.blocks)).toContain('and 10 more');

    const waiting: NudgeItem = {
      proposalId: '1',
      kind: 'owner',
      engagement: { ...engagement, startsOn: '2026-12-14' },
      candidateId: 'UBEN',
      since: '2026-12-03',
      rotationChannelId: 'C0ROTATION',
    };
    const nudge = render({
      type: 'nudge',
      day: '2026-12-07',
      leadId: 'U0LEAD',
      items: Array.from({ length: 60 }, () => waiting),
    });
    expect(nudge.blocks.length).toBeLessThanOrEqual(50);
    expect(nudge.text).toBe('60 proposals are waiting for your decision');
  });

  it('give every milestone its Mark done and Snooze a day, and the engagement its Add risk', () => {
    const reminder = render({ type: 'reminder', day: '2026-12-07', engagement, items: [item(1), item(2)] });
    const buttons = reminder.blocks.flatMap((b) =>
      b.type === 'actions'
        ? b.elements.map((e) => [(e as { action_id: string }).action_id, (e as { value: string }).value])
        : [],
    );
    expect(buttons).toEqual([
      [ACTIONS.markDone, '101'],
      [ACTIONS.snooze, '101'],
      [ACTIONS.markDone, '102'],
      [ACTIONS.snooze, '102'],
      [ACTIONS.flagRisk, '7'],
    ]);
  });

  it('carry a proposal through JSON and back, dates included', () => {
    const view = {
      proposal: {
        id: '5',
        created_at: new Date('2026-12-01T10:00:00Z'),
        decided_at: null,
        kind: 'owner',
        why: null,
      },
      engagement: {
        id: '7',
        number: 3,
        client_name: 'Acme',
        created_at: new Date('2026-12-01T10:00:00Z'),
        closed_at: null,
      },
      candidate: { userId: 'UANA', name: 'ana' },
      reasons: ['least load'],
      skipped: [],
    } as unknown as ProposalView;
    const back = loadProposalView(JSON.parse(JSON.stringify(storeProposalView(view))));
    expect(back).toEqual(view);
  });
});
