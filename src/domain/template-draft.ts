// A plan template as a lead types it in the template editor: a name, one milestone per line
// (`<offset> <title>`, offsets in business days from the start) and a weekly status cadence. Pure:
// turns the typed text into a template, or into one sentence per field saying what is wrong.
import type { PlanStep, PlanTemplate } from './plan.js';

/**
 * Milestones per template. Every dated step (status updates included) must fit one select menu
 * (Slack: 100 options) and a reminder or kickoff message (Slack: 50 blocks, 3,000 characters per
 * section); 25 steps and 60 dated items leave room for both.
 */
export const MAX_STEPS = 25;
export const MAX_DATED_ITEMS = 60;
/** About a year of business days: a template is for an engagement, not a programme. */
export const MAX_OFFSET = 260;
export const MAX_STEP_TITLE = 120;
export const MAX_TEMPLATE_NAME = 60;

export type TemplateField = 'name' | 'milestones' | 'statusEvery';

export interface TemplateDraft {
  readonly name: string;
  /** One milestone per line: `<offset> <title>` (a `:` or `|` after the offset is fine too). */
  readonly milestones: string;
  readonly statusEvery: string;
}

export type DraftResult =
  | { readonly ok: true; readonly template: Omit<PlanTemplate, 'version'> }
  | { readonly ok: false; readonly problems: Partial<Record<TemplateField, string>> };

const LINE = /^\s*([^\s:|]+)\s*[:|]?\s*(.*)$/;

/** The editor's text for a template's steps: one `<offset> <title>` line each. */
export function stepsText(steps: readonly PlanStep[]): string {
  return steps.map((s) => `${s.offset} ${s.title}`).join('\n');
}

/** Reads a typed template; every problem of a field is reported, the first few in one sentence. */
export function readTemplateDraft(draft: TemplateDraft): DraftResult {
  const problems: Partial<Record<TemplateField, string>> = {};
  const name = draft.name.trim();
  if (name === '') problems.name = 'Name the template.';
  else if (name.length > MAX_TEMPLATE_NAME)
    problems.name = `Keep the name to ${MAX_TEMPLATE_NAME} characters.`;

  const statusText = draft.statusEvery.trim() === '' ? '0' : draft.statusEvery.trim();
  const statusEvery = /^\d{1,3}$/.test(statusText) ? Number(statusText) : NaN;
  if (Number.isNaN(statusEvery)) {
    problems.statusEvery = `"${clipped(statusText)}" is not a whole number of business days (0 for no status updates).`;
  }

  const lines = draft.milestones
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '');
  const steps: PlanStep[] = [];
  const lineProblems: string[] = [];
  const seen = new Map<string, number>();
  for (const { line, number } of lines) {
    const [, offsetText = '', rest = ''] = LINE.exec(line) ?? [];
    const title = rest.trim();
    let offset = NaN;
    if (/^-\d+$/.test(offsetText)) {
      lineProblems.push(
        `line ${number}: the offset ${offsetText} is negative; count business days from the start (0 or more)`,
      );
    } else if (!/^\d+$/.test(offsetText)) {
      lineProblems.push(
        `line ${number}: "${clipped(offsetText)}" is not a whole number of business days; start the line with one, e.g. "3 Client inputs received"`,
      );
    } else if (Number(offsetText) > MAX_OFFSET) {
      lineProblems.push(
        `line ${number}: ${offsetText} business days is more than a template allows (${MAX_OFFSET})`,
      );
    } else {
      offset = Number(offsetText);
    }
    if (title === '') lineProblems.push(`line ${number}: the milestone has no title`);
    else if (title.length > MAX_STEP_TITLE)
      lineProblems.push(`line ${number}: keep the title to ${MAX_STEP_TITLE} characters`);
    const key = title.toLowerCase();
    const earlier = seen.get(key);
    if (title !== '' && earlier !== undefined) {
      lineProblems.push(`line ${number}: "${clipped(title)}" is already the title of line ${earlier}`);
    } else if (title !== '') seen.set(key, number);
    const previous = steps.at(-1);
    if (!Number.isNaN(offset) && previous && offset < previous.offset) {
      lineProblems.push(`line ${number}: offsets must not go down (${offset} after ${previous.offset})`);
    }
    if (!Number.isNaN(offset)) steps.push({ offset, title });
  }
  if (lines.length === 0) lineProblems.push('add at least one milestone, e.g. "0 Kickoff with the client"');
  else if (lines.length > MAX_STEPS)
    lineProblems.push(`a template holds at most ${MAX_STEPS} milestones (this one has ${lines.length})`);
  if (lineProblems.length === 0 && !Number.isNaN(statusEvery)) {
    const last = steps.at(-1)!.offset;
    const statusUpdates = statusEvery > 0 ? Math.max(0, Math.ceil(last / statusEvery) - 1) : 0;
    if (steps.length + statusUpdates > MAX_DATED_ITEMS) {
      problems.statusEvery = `A status update every ${statusEvery} business days makes ${steps.length + statusUpdates} dated items; keep it to ${MAX_DATED_ITEMS} (a longer cadence, or 0).`;
    }
  }
  if (lineProblems.length > 0) {
    const shown = lineProblems.slice(0, 3);
    const more = lineProblems.length - shown.length;
    problems.milestones = `${capitalise(shown.join('; '))}${more > 0 ? ` (and ${more} more)` : ''}.`;
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, template: { name, steps, statusEvery } };
}

const clipped = (text: string) => (text.length > 30 ? `${text.slice(0, 29)}…` : text);
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
