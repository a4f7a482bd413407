import { addDays, type BusinessCalendar, type LocalDate } from './calendar.js';
import type { MilestoneKind } from './plan.js';

export interface OpenMilestone {
  readonly id: string;
  readonly engagementId: string;
  readonly kind: MilestoneKind;
  readonly title: string;
  readonly dueOn: LocalDate;
  /** Left out of reminders before this date (a snooze), or null. Its due date stays. */
  readonly snoozedUntil: LocalDate | null;
}

export type Urgency = 'overdue' | 'due-today' | 'due-soon';

export interface DueMilestone {
  readonly milestone: OpenMilestone;
  readonly urgency: Urgency;
  /** Business days late (overdue), 0 today, or business days left (due soon: 1 or 2). */
  readonly businessDays: number;
}

export interface RemindersDue {
  /** Per engagement, what its one reminder today lists (overdue first, then today, then soon). */
  readonly byEngagement: ReadonlyMap<string, readonly DueMilestone[]>;
  /** Milestones more than two business days overdue: the leads hear of each once. */
  readonly escalations: readonly DueMilestone[];
}

/**
 * On a business day `today`, which open milestones go into reminders and which
 * are escalated. Nothing on non-business days. A snoozed milestone is left out of the reminders until
 * its snooze date, and escalated all the same: a snooze never moves a due date.
 * Status updates (kind `status_update`) are reminded only on their due date and never escalated.
 */
export function remindersDue(
  milestones: readonly OpenMilestone[],
  today: LocalDate,
  calendar: BusinessCalendar,
): RemindersDue {
  if (!calendar.isBusinessDay(today)) return { byEngagement: new Map(), escalations: [] };

  // A snooze quiets the reminder only: the due date stays, and so does the escalation, counted from it.
  const due: DueMilestone[] = [];
  const snoozed = new Set<string>();
  for (const milestone of milestones) {
    const entry = classify(milestone, today, calendar);
    if (!entry) continue;
    due.push(entry);
    if (milestone.snoozedUntil !== null && milestone.snoozedUntil > today) snoozed.add(milestone.id);
  }
  due.sort(
    (a, b) =>
      compareText(a.milestone.engagementId, b.milestone.engagementId) ||
      URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] ||
      (a.urgency === 'overdue' ? b.businessDays - a.businessDays : a.businessDays - b.businessDays) ||
      compareText(a.milestone.title, b.milestone.title) ||
      compareText(a.milestone.id, b.milestone.id),
  );

  const byEngagement = new Map<string, DueMilestone[]>();
  for (const entry of due) {
    if (snoozed.has(entry.milestone.id)) continue;
    const list = byEngagement.get(entry.milestone.engagementId);
    if (list) list.push(entry);
    else byEngagement.set(entry.milestone.engagementId, [entry]);
  }
  const escalations = due.filter(
    (d) => d.urgency === 'overdue' && d.businessDays > ESCALATE_AFTER_BUSINESS_DAYS,
  );
  return { byEngagement, escalations };
}

/** Overdue by more than this many business days: the leads are told. */
export const ESCALATE_AFTER_BUSINESS_DAYS = 2;

/** Due within this many business days: reminded ahead of time. */
export const DUE_SOON_BUSINESS_DAYS = 2;

const URGENCY_ORDER: Record<Urgency, number> = { overdue: 0, 'due-today': 1, 'due-soon': 2 };

function classify(
  milestone: OpenMilestone,
  today: LocalDate,
  calendar: BusinessCalendar,
): DueMilestone | null {
  if (milestone.dueOn === today) return { milestone, urgency: 'due-today', businessDays: 0 };
  // A status update is a weekly ritual, not a deliverable: a missed one is not chased.
  if (milestone.kind === 'status_update') return null;
  if (milestone.dueOn < today) {
    // Counted over (dueOn, today]: due Friday, reminded Monday → 1 day late. Today is a business
    // day, so this is at least 1 even if the due date has since become a holiday.
    const late = calendar.businessDaysBetween(addDays(milestone.dueOn, 1), today);
    return { milestone, urgency: 'overdue', businessDays: late };
  }
  // A due date that has since become a holiday still counts as at least a day away.
  const left = Math.max(1, calendar.businessDaysBetween(addDays(today, 1), milestone.dueOn));
  return left <= DUE_SOON_BUSINESS_DAYS ? { milestone, urgency: 'due-soon', businessDays: left } : null;
}

/** Code-unit order, the same on every machine (no locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
