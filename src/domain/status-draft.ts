// The weekly client status update, drafted for the owner to edit: what was done since the last
// update, the next milestones with their dates, and what is needed from the client. Written for the
// client to read: nothing internal (risks, workload, who was skipped) is ever put in it.
import { formatDay, type LocalDate } from './calendar.js';

export interface DraftMilestone {
  readonly title: string;
  readonly kind: 'milestone' | 'status_update';
  readonly dueOn: LocalDate;
  /** The local day it was marked done, or null while open. */
  readonly doneOn: LocalDate | null;
}

export interface StatusDraftInput {
  readonly milestones: readonly DraftMilestone[];
  /** The day of the last status update posted (or the start): "done since" counts from it. */
  readonly since: LocalDate;
  /** The day it is drafted: an open milestone due before it is late, and says so. */
  readonly today: LocalDate;
}

/** How many upcoming milestones the draft names. */
export const NEXT_SHOWN = 3;

// Milestones that wait on the client name it ("Client inputs received", "Client acceptance test").
const NEEDS_CLIENT = /\bclient\b/i;

export function draftStatusUpdate(input: StatusDraftInput): string {
  const plan = input.milestones.filter((m) => m.kind === 'milestone');
  const done = plan.filter((m) => m.doneOn !== null && m.doneOn >= input.since);
  const open = plan.filter((m) => m.doneOn === null).sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1));
  const next = open.slice(0, NEXT_SHOWN);
  const needed = next.filter((m) => NEEDS_CLIENT.test(m.title));
  // No title line: the posted message has its own heading ("Status update, <day>").
  const lines = [
    `Done since ${formatDay(input.since)}:`,
    ...(done.length > 0 ? done.map((m) => `• ${m.title}`) : ['• Work in progress on the next milestones']),
    '',
    'Next:',
    // A late milestone is never presented as upcoming: the client would read a date already gone.
    ...(next.length > 0
      ? next.map((m) =>
          m.dueOn < input.today
            ? `• ${m.title}: planned for ${formatDay(m.dueOn)}, not done yet`
            : `• ${formatDay(m.dueOn)}: ${m.title}`,
        )
      : ['• Everything in the plan is done']),
    '',
    'What we need from you:',
    ...(needed.length > 0
      ? needed.map((m) =>
          m.dueOn < input.today
            ? `• ${m.title}, as soon as you can (planned for ${formatDay(m.dueOn)})`
            : `• ${m.title}, by ${formatDay(m.dueOn)}`,
        )
      : ['• Nothing at the moment']),
  ];
  return lines.join('\n');
}
