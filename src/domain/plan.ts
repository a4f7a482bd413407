import type { BusinessCalendar, LocalDate } from './calendar.js';

export type MilestoneKind = 'milestone' | 'status_update';

export interface PlanStep {
  /** Business days after the engagement's start. */
  readonly offset: number;
  readonly title: string;
}

export interface PlanTemplate {
  readonly name: string;
  readonly version: number;
  readonly steps: readonly PlanStep[];
  /** A weekly client status update falls every this many business days (0: none). */
  readonly statusEvery: number;
}

/** The standard 4-week plan (20 business days), the one every team starts with. */
export const STANDARD_PLAN: PlanTemplate = {
  name: 'Standard 4-week plan',
  version: 1,
  statusEvery: 5,
  steps: [
    { offset: 0, title: 'Kickoff with the client; scope and inputs confirmed' },
    { offset: 3, title: 'Client inputs received' },
    { offset: 4, title: 'Plan and risk register shared (breakdown, sequencing, risks)' },
    { offset: 9, title: 'Implementation complete; status update sent' },
    { offset: 14, title: 'Client acceptance test passed' },
    { offset: 19, title: 'Go-live and handover to the client' },
    { offset: 20, title: 'Retrospective; engagement closed' },
  ],
};

export interface DatedMilestone {
  readonly position: number;
  readonly kind: MilestoneKind;
  readonly title: string;
  readonly offset: number;
  readonly dueOn: LocalDate;
}

export interface DatedPlan {
  readonly startsOn: LocalDate;
  /** The due date of the last step: the end of the engagement's window. */
  readonly endsOn: LocalDate;
  /** Steps and status updates, ordered by due date then position. */
  readonly milestones: readonly DatedMilestone[];
}

const MAX_TITLE_LENGTH = 150;

/** The title of the generated status-update milestones at the usual cadence (every 5 business days). */
export const STATUS_UPDATE_TITLE = 'Weekly client status update';

/** The status-update milestones' title, in words that match how often they fall. */
export function statusUpdateTitle(everyBusinessDays: number): string {
  if (everyBusinessDays === 5) return STATUS_UPDATE_TITLE;
  if (everyBusinessDays === 10) return 'Fortnightly client status update';
  return 'Client status update';
}

/** Problems with a template a team wants to add, as human sentences (empty: fine). */
export function validateTemplate(template: PlanTemplate): string[] {
  const problems: string[] = [];
  if (template.name.trim() === '') problems.push('The template needs a name.');
  if (template.steps.length === 0) problems.push('The template needs at least one step.');
  template.steps.forEach((step, i) => {
    const label = `Step ${i + 1}`;
    if (!Number.isInteger(step.offset) || step.offset < 0) {
      problems.push(
        `${label}: the offset must be a whole number of business days, 0 or more (got ${step.offset}).`,
      );
    }
    const previous = template.steps[i - 1];
    if (previous !== undefined && step.offset < previous.offset) {
      problems.push(`${label}: offsets must not decrease (${step.offset} comes after ${previous.offset}).`);
    }
    if (step.title.trim() === '') problems.push(`${label}: the title is empty.`);
    if (step.title.length > MAX_TITLE_LENGTH) {
      problems.push(`${label}: the title is longer than ${MAX_TITLE_LENGTH} characters.`);
    }
  });
  if (!Number.isInteger(template.statusEvery) || template.statusEvery < 0) {
    problems.push(
      `Status updates: every must be a whole number of business days, 0 for none (got ${template.statusEvery}).`,
    );
  }
  return problems;
}

/**
 * Dates every step of `template` from `startsOn` (which must be a business day).
 *
 * Status updates fall every `statusEvery` business days strictly inside the plan: none on the
 * kickoff day and none on or after the last step, where the engagement is being closed anyway.
 */
export function expandPlan(
  template: PlanTemplate,
  startsOn: LocalDate,
  calendar: BusinessCalendar,
): DatedPlan {
  if (!calendar.isBusinessDay(startsOn)) throw new Error(`A plan must start on a business day: ${startsOn}`);
  // Only what would make the dates wrong; wording problems were the template editor's business.
  const offsetsValid = template.steps.every(
    (step, i) => Number.isInteger(step.offset) && step.offset >= (template.steps[i - 1]?.offset ?? 0),
  );
  if (
    template.steps.length === 0 ||
    !offsetsValid ||
    !(Number.isInteger(template.statusEvery) && template.statusEvery >= 0)
  ) {
    throw new Error(`Invalid plan template: ${validateTemplate(template).join(' ')}`);
  }

  const dated: DatedMilestone[] = template.steps.map((step, position) => ({
    position,
    kind: 'milestone',
    title: step.title,
    offset: step.offset,
    dueOn: calendar.addBusinessDays(startsOn, step.offset),
  }));
  const lastOffset = template.steps[template.steps.length - 1]!.offset;
  if (template.statusEvery > 0) {
    for (let offset = template.statusEvery; offset < lastOffset; offset += template.statusEvery) {
      dated.push({
        position: dated.length,
        kind: 'status_update',
        title: statusUpdateTitle(template.statusEvery),
        offset,
        dueOn: calendar.addBusinessDays(startsOn, offset),
      });
    }
  }
  dated.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.position - b.position));
  return { startsOn, endsOn: calendar.addBusinessDays(startsOn, lastOffset), milestones: dated };
}
