// `/engagement templates`: the team's plan templates, and the editor a lead saves them from. Each
// save is a new version; engagements keep the version they started with.
import { findLatestTemplateNamed, insertTemplateVersion, nextTemplateVersion } from '../db/plan-templates.js';
import { recordEvent } from '../db/events.js';
import { findMember } from '../db/members.js';
import type { PlanTemplateRow } from '../db/schema.js';
import { findPlanTemplate, listPlanTemplates } from '../db/teams.js';
import type { PlanStep } from '../domain/plan.js';
import { fail, ok, type Result } from '../domain/result.js';
import { readTemplateDraft, type TemplateDraft, type TemplateField } from '../domain/template-draft.js';
import { inTransaction, requireLead, requireTeam, type Actor, type FlowDeps } from './context.js';
import { isUniqueViolation } from './create-engagement.js';

/** A template as people see it: its newest version. */
export interface TemplateView {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly isDefault: boolean;
  /** Business days between weekly client status updates (0: none). */
  readonly statusEvery: number;
  readonly steps: readonly PlanStep[];
}

export interface TemplatesOverview {
  readonly templates: readonly TemplateView[];
  /** Leads create and edit templates; everyone else only looks. */
  readonly canEdit: boolean;
}

export const templateView = (row: PlanTemplateRow): TemplateView => ({
  id: row.id,
  name: row.name,
  version: row.version,
  isDefault: row.is_default,
  statusEvery: row.status_every,
  steps: row.steps,
});

/** The newest version of each template, the default first. */
export async function listTemplates(
  deps: FlowDeps,
  actor: Actor,
): Promise<Result<TemplatesOverview, 'unknown-team'>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return team;
  const rows = await listPlanTemplates(deps.db, actor.teamId);
  const member = await findMember(deps.db, actor.teamId, actor.userId);
  return ok({ templates: rows.map(templateView), canEdit: member?.is_lead ?? false });
}

/** What the editor opens with: a template to edit (its newest version), or null for a new one. */
export async function templateToEdit(
  deps: FlowDeps,
  actor: Actor,
  templateId: string | null,
): Promise<Result<TemplateView | null, TemplateFailure>> {
  const lead = await requireLead(deps.db, actor, 'create or edit plan templates');
  if (!lead.ok) return lead;
  if (templateId === null) return ok(null);
  const row = /^\d+$/.test(templateId)
    ? await findPlanTemplate(deps.db, actor.teamId, templateId)
    : undefined;
  if (!row) return fail('unknown-template', 'That template no longer exists.');
  // An old message may point at an older version: edit the newest.
  const latest = await findLatestTemplateNamed(deps.db, actor.teamId, row.name);
  return ok(templateView(latest ?? row));
}

export interface SaveTemplateInput {
  /** The template being edited (any of its versions), or null for a new one. */
  readonly editing: string | null;
  /** A new template's name; an edited template keeps its own (its versions are its history). */
  readonly draft: Omit<TemplateDraft, 'name'> & { readonly name: string | null };
}

/** Templates are the leads' to shape. */
export type TemplateFailure = 'not-a-lead' | 'unknown-template';
export type SaveTemplateFailure = TemplateFailure | 'bad-template' | 'template-exists';

export type SavedTemplate = TemplateView & { readonly previousVersion: number | null };

/**
 * Saves the editor's template as a new version (version 1 of a new name). Field problems come back
 * with their field and nothing is written.
 */
export async function saveTemplate(
  deps: FlowDeps,
  actor: Actor,
  input: SaveTemplateInput,
): Promise<Result<SavedTemplate, SaveTemplateFailure | 'busy'>> {
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, 'create or edit plan templates');
    if (!lead.ok) return lead;
    const edited =
      input.editing && /^\d+$/.test(input.editing)
        ? await findPlanTemplate(trx, actor.teamId, input.editing)
        : undefined;
    if (input.editing && !edited) return fail('unknown-template', 'That template no longer exists.');
    const read = readTemplateDraft({ ...input.draft, name: edited?.name ?? input.draft.name ?? '' });
    if (!read.ok) {
      const [field, message] = Object.entries(read.problems)[0] as [TemplateField, string];
      return fail('bad-template', message, field);
    }
    const draft = read.template;
    const previous = await findLatestTemplateNamed(trx, actor.teamId, draft.name);
    if (!edited && previous) {
      return fail(
        'template-exists',
        `There is already a template called "${previous.name}": edit it from \`/engagement templates\`, or pick another name.`,
        'name',
      );
    }
    const name = previous?.name ?? draft.name;
    const version = await nextTemplateVersion(trx, actor.teamId, name);
    const row = await insertTemplateVersion(trx, {
      teamId: actor.teamId,
      name,
      version,
      isDefault: previous?.is_default ?? false,
      statusEvery: draft.statusEvery,
      steps: draft.steps,
    });
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'template.saved',
      actorId: actor.userId,
      at: deps.now(),
      data: { templateId: row.id, name, version, steps: draft.steps.length, statusEvery: draft.statusEvery },
    });
    return ok({ ...templateView(row), previousVersion: previous?.version ?? null });
  }).catch((error: unknown) => {
    // Two leads saving the same template at once: the unique version decides, the second is told.
    if (isUniqueViolation(error, 'plan_templates_version_unique')) {
      return fail(
        'busy',
        'Someone saved this template at the same moment; open it again to see their version.',
        'milestones',
      );
    }
    throw error;
  });
}
