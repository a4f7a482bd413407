import { describe, expect, it } from 'vitest';
import type {
  EngagementRef,
  NudgeItem,
  ProposalView,
  ReminderItem,
} from '../../src/flows/scheduled-messages.js';
import { readPayload, toOutboxRows } from '../../src/flows/scheduled-messages.js';
import { render } from '../../src/slack/delivery.js';
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

const view: ProposalView = {
  proposal: {
    id: '5',
    kind: 'owner',
    why: null,
    outcome: 'pending',
    decidedBy: null,
    decisionNote: null,
    message: null,
  },
  engagement: {
    ...engagement,
    rotationChannelId: 'C0ROTATION',
    deliveryLeadId: null,
    startsOn: '2026-12-07',
    endsOn: '2027-01-04',
  },
  candidate: { userId: 'UANA', name: 'ana' },
  reasons: ['least load'],
  skipped: [],
  buddy: null,
  notes: null,
};

const proposalRow = () =>
  toOutboxRows([
    {
      teamId: 'T1',
      key: 'proposal:5',
      channelId: 'C0ROTATION',
      engagementId: '7',
      message: { type: 'proposal', view },
      expiresAt: null,
    },
  ])[0]!;

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

  it('give every milestone its Mark done and Snooze a day, and the engagement its Add risk and Shift plan', () => {
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
      [ACTIONS.shiftPlan, '7'],
    ]);
  });

  it('carry a proposal through JSON and back as the facts its message shows', () => {
    const row = proposalRow();
    const back = readPayload(row.kind, JSON.parse(JSON.stringify(row.payload)));
    expect(back).toEqual({ ok: true, payload: { message: { type: 'proposal', view }, expiresAt: null } });
  });

  it('refuse a payload that no longer reads as its kind, saying where', () => {
    // As an older version stored a proposal: whole rows, snake_case.
    const old = {
      message: { type: 'proposal', view: { proposal: { id: '5', created_at: '2026-12-01T10:00:00Z' } } },
      expiresAt: null,
    };
    const read = readPayload('proposal', old);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problem).toMatch(/^unreadable proposal payload at message\.view\./);
    expect(readPayload('reminder', proposalRow().payload)).toEqual({
      ok: false,
      problem: 'a reminder row holds a proposal message',
    });
  });
});
