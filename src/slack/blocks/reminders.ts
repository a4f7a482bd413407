// The scheduled jobs' messages other than proposals: the daily reminder in an engagement's channel
// (the one thing a job posts where the client may read along), and the DMs: the owner's status-update
// prompt, the leads' escalations and their nudges about open proposals.
import type {
  DoneItem,
  EscalationMessage,
  ProposalNudge,
  ReminderItem,
  ReminderMessage,
  ReminderUpdate,
  StatusUpdateDone,
  StatusUpdatePrompt,
} from '../../flows/scheduled-messages.js';
import { ACTIONS } from '../ids.js';
import {
  button,
  channel,
  context,
  escapeText,
  formatDay,
  section,
  user,
  type KnownBlock,
  type Message,
} from './kit.js';
import { leadActions } from './lead-home.js';

/** An escalated milestone's buttons: open the engagement, nudge its owner, propose a handover. */
export const ESCALATION_BLOCKS = { item: (milestoneId: string) => `escalated_${milestoneId}` } as const;

/** Block ids the listeners and tests find things by. */
export const REMINDER_BLOCKS = {
  /** `milestone_<id>`: one milestone's Mark done / Snooze a day. */
  milestone: (milestoneId: string) => `milestone_${milestoneId}`,
  engagement: 'engagement_actions',
} as const;

// Slack allows 50 blocks per message; two per milestone plus a header and the risk button fit 20.
const ITEMS_SHOWN = 20;
// One block per proposal, plus a header and a footer.
const NUDGE_ITEMS_SHOWN = 40;

const label = (e: { number: number; clientName: string }) => `#${e.number} ${escapeText(e.clientName)}`;
const plainLabel = (e: { number: number; clientName: string }) => `#${e.number} ${e.clientName}`;

const PROPOSED_AS: Record<ProposalNudge['items'][number]['kind'], string> = {
  owner: ' as owner',
  handover: ' to take over',
  'stand-in': ' to stand in for the owner',
};

const days = (n: number) => `${n} business day${n === 1 ? '' : 's'}`;

function urgencyLine(item: ReminderItem): string {
  switch (item.urgency) {
    case 'overdue':
      return `:red_circle: *Overdue by ${days(item.businessDays)}* (was due ${formatDay(item.dueOn)})`;
    case 'due-today':
      return ':large_orange_circle: *Due today*';
    case 'due-soon':
      return `:white_circle: Due ${formatDay(item.dueOn)}, in ${days(item.businessDays)}`;
  }
}

function tally(items: readonly ReminderItem[]): string {
  const parts: [ReminderItem['urgency'], string][] = [
    ['overdue', 'overdue'],
    ['due-today', 'due today'],
    ['due-soon', 'due soon'],
  ];
  return parts
    .map(([urgency, what]) => [items.filter((i) => i.urgency === urgency).length, what] as const)
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}

/** What has become of a reminder's items since it was posted. */
export interface ReminderState {
  readonly done: readonly DoneItem[];
  /** Items still to do that a shift of the plan moved: their due date now. */
  readonly moved?: readonly { readonly milestoneId: string; readonly dueOn: string }[];
  /** The local day the engagement closed: no button is left. */
  readonly closedOn: string | null;
  /** Its owner now, when another than the one it named (null: being chosen). */
  readonly owner?: { readonly id: string | null } | undefined;
}

const doneLine = (title: string, done: DoneItem) =>
  `:white_check_mark: ${escapeText(title)}: done, marked${done.by ? ` by ${user(done.by)}` : ''} on ${formatDay(done.on)}.`;

/**
 * The day's one reminder in an engagement's channel: what is due, how late, whose it is, with
 * **Mark done** and **Snooze a day** per milestone (value: the milestone id), **Add risk** and
 * **Shift plan** (value: the engagement id). Only plan facts: nothing internal, the client may share this channel.
 * With a `state`, the same reminder as it now reads: done items say so without buttons, moved ones
 * their new date, and a closed engagement's reminder keeps no button at all.
 */
export function reminderMessage(m: ReminderMessage, state?: ReminderState): Message {
  const shown = m.items.slice(0, ITEMS_SHOWN);
  const done = new Map((state?.done ?? []).map((d) => [d.milestoneId, d]));
  const moved = new Map((state?.moved ?? []).map((m) => [m.milestoneId, m.dueOn]));
  const closedOn = state?.closedOn ?? null;
  // A reminder whose owner changed since names the one it has now; the stand-in was the old owner's.
  const owner = state?.owner
    ? state.owner.id
      ? ` · owner now ${user(state.owner.id)}`
      : ' · owner being chosen'
    : m.engagement.ownerId
      ? ` · owner ${user(m.engagement.ownerId)}${
          m.standIn ? `, ${user(m.standIn.userId)} standing in until ${formatDay(m.standIn.until)}` : ''
        }`
      : '';
  const blocks: KnownBlock[] = [
    // The day is the reminder's, not a due date: items due in the next two business days come too.
    section(
      `*${label(m.engagement)}* · reminder of ${formatDay(m.day)}: overdue, due today and due within two business days${owner}`,
    ),
  ];
  for (const item of shown) {
    const isDone = done.get(item.milestoneId);
    if (isDone) {
      blocks.push(section(doneLine(item.title, isDone)));
      continue;
    }
    // The urgency was the reminder's day's; a moved item says its new date instead.
    const movedTo = moved.get(item.milestoneId);
    const when = movedTo
      ? `:calendar: *Now due ${formatDay(movedTo)}*: the plan was shifted`
      : urgencyLine(item);
    blocks.push(section(`${when}\n${escapeText(item.title)}`));
    if (closedOn) continue;
    blocks.push({
      type: 'actions',
      block_id: REMINDER_BLOCKS.milestone(item.milestoneId),
      elements: [
        button(ACTIONS.markDone, 'Mark done', item.milestoneId, 'primary'),
        button(ACTIONS.snooze, 'Snooze a day', item.milestoneId),
      ],
    });
  }
  if (m.items.length > shown.length) blocks.push(context(`and ${m.items.length - shown.length} more`));
  if (closedOn) {
    blocks.push(
      context(
        `:lock: ${label(m.engagement)} was closed on ${formatDay(closedOn)}: nothing here needs doing.`,
      ),
    );
  } else {
    blocks.push({
      type: 'actions',
      block_id: REMINDER_BLOCKS.engagement,
      elements: [
        button(ACTIONS.flagRisk, 'Add risk', m.engagement.id, 'danger'),
        button(ACTIONS.shiftPlan, 'Shift plan', m.engagement.id),
      ],
    });
  }
  return { text: `Milestones for ${plainLabel(m.engagement)}: ${tally(m.items)}`, blocks };
}

/** An earlier reminder brought up to date (see `reminderMessage`). */
export const updatedReminder = (m: ReminderUpdate): Message =>
  reminderMessage(m.reminder, { done: m.done, moved: m.moved ?? [], closedOn: m.closedOn, owner: m.owner });

/** The owner's DM on a status-update day: **Draft the update** opens it in a modal to edit and post. */
export function statusUpdatePrompt(m: StatusUpdatePrompt): Message {
  return {
    text: `Weekly client status update for ${plainLabel(m.engagement)} is due today`,
    blocks: [
      section(
        (m.standingInFor ? `:handshake: You stand in for ${user(m.standingInFor)} today. ` : '') +
          `:memo: It's status-update day for *${label(m.engagement)}*. Steward has drafted it (done since the ` +
          'last update, the next milestones with their dates, what you need from the client): open it, edit ' +
          'it, and post it to the client from there.',
      ),
      {
        type: 'actions',
        block_id: REMINDER_BLOCKS.milestone(m.milestoneId),
        elements: [
          button(ACTIONS.statusDraft, 'Draft the update', m.milestoneId, 'primary'),
          button(ACTIONS.markDone, 'Mark done', m.milestoneId),
        ],
      },
    ],
  };
}

/**
 * The status-day DM once the week's update is settled: said done, in the past tense, with who posted it
 * and where (or who marked it done), and no button left that would offer it again.
 */
export function statusUpdateDone(m: StatusUpdateDone): Message {
  const { prompt } = m;
  const by = m.by ? ` by ${user(m.by)}` : '';
  const where = m.postedIn
    ? ` in ${channel(m.postedIn.channelId)}${m.postedIn.toClient ? ' (the client channel)' : ''}`
    : '';
  const what = m.postedIn ? 'posted' : 'marked done';
  const done = m.engagementClosed
    ? `:lock: The engagement closed on ${formatDay(m.on)}: no status update is due any more.`
    : `:white_check_mark: This week's status update was ${what}${by}${where} on ${formatDay(m.on)}: nothing left to do here.`;
  return {
    text: `Weekly client status update for ${plainLabel(prompt.engagement)}: ${m.engagementClosed ? 'the engagement closed' : what}`,
    blocks: [
      section(
        (prompt.standingInFor ? `:handshake: You stood in for ${user(prompt.standingInFor)}. ` : '') +
          `:memo: Status-update day for *${label(prompt.engagement)}*, ${formatDay(prompt.day)}.`,
      ),
      context(done),
    ],
  };
}

/** A lead's DM about milestones newly overdue by more than two business days (each told once). */
export function escalationMessage(m: EscalationMessage): Message {
  const n = m.items.length;
  const part = m.parts > 1 ? ` (${m.part} of ${m.parts})` : '';
  const blocks: KnownBlock[] = [
    section(
      `:rotating_light: *${n === 1 ? 'A milestone is' : `${n} milestones are`} overdue by more than two business days*${part}`,
    ),
  ];
  const closed = new Set(m.closed ?? []);
  for (const item of m.items) {
    const owner = item.engagement.ownerId ? ` · owner ${user(item.engagement.ownerId)}` : ' · no owner';
    const standIn = item.standInId ? `, ${user(item.standInId)} standing in` : '';
    const isClosed = closed.has(item.engagement.id);
    blocks.push(
      section(
        `*${label(item.engagement)}* in ${channel(item.engagement.channelId)}${owner}${standIn}\n` +
          `${escapeText(item.title)}: due ${formatDay(item.dueOn)}, ${days(item.businessDaysLate)} late` +
          (isClosed ? '\n:lock: The engagement has closed since: nothing to chase.' : ''),
      ),
    );
    // Block ids are per milestone: one engagement may have several escalated at once.
    if (!m.toStandIn && !isClosed)
      blocks.push(leadActions(item.engagement.id, ESCALATION_BLOCKS.item(item.milestoneId), true));
  }
  blocks.push(
    context(
      m.toStandIn
        ? 'You stand in for the owner on these days: the leads hear of it too. Mark it done on the reminder once it is.'
        : 'You hear of each overdue milestone once. The owner still gets the daily reminder.',
    ),
  );
  return {
    text: `Escalation: ${n === 1 ? 'a milestone is' : `${n} milestones are`} overdue by more than two business days${part}`,
    blocks,
  };
}

/** A lead's daily DM about proposals still waiting for a decision. */
export function proposalNudge(m: ProposalNudge): Message {
  const n = m.items.length;
  const blocks: KnownBlock[] = [
    section(
      `:hourglass_flowing_sand: *${n === 1 ? 'A proposal is' : `${n} proposals are`} waiting for a lead's decision*`,
    ),
  ];
  for (const item of m.items.slice(0, NUDGE_ITEMS_SHOWN)) {
    const who =
      item.candidateId === null
        ? 'nobody was eligible: choose someone by hand'
        : `${user(item.candidateId)} proposed${PROPOSED_AS[item.kind]}`;
    blocks.push(
      section(
        `*${label(item.engagement)}* (starts ${formatDay(item.engagement.startsOn)}): ${who}\n` +
          `Open since ${formatDay(item.since)}, in ${channel(item.rotationChannelId)}`,
      ),
    );
  }
  if (n > NUDGE_ITEMS_SHOWN) blocks.push(context(`and ${n - NUDGE_ITEMS_SHOWN} more`));
  blocks.push(
    context(
      'Approve, pass over or choose someone else on the proposal itself. You hear of it once a business day until it is decided.',
    ),
  );
  return { text: `${n === 1 ? 'A proposal is' : `${n} proposals are`} waiting for your decision`, blocks };
}
