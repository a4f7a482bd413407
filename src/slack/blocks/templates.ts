// `/engagement templates` and the template editor: the team's plans, worded for people, and the
// modal a lead shapes one in (one milestone per line, so a plan of any length fits one input).
import type { TemplatesOverview, TemplateView } from '../../flows/plan-templates.js';
import { MAX_STEPS } from '../../domain/template-draft.js';
import { stepsText } from '../../domain/template-draft.js';
import { ACTIONS, TEMPLATE_FIELDS as F, VIEWS } from '../ids.js';
import {
  button,
  clip,
  context,
  divider,
  escapeText,
  sections,
  type KnownBlock,
  type Message,
  type ModalView,
} from './kit.js';

const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
  emoji: true,
});

export const TEMPLATE_BLOCKS = {
  actions: 'template_actions',
  /** `template_<id>`: one template's Edit button. */
  template: (templateId: string) => `template_${templateId}`,
} as const;

// Each template is a few blocks (a section per 3,000 characters, a button, a divider); a message
// holds 50, so a long list is cut with a line saying how many more there are.
const TEMPLATES_SHOWN = 10;

const cadence = (every: number) =>
  every === 0 ? 'no client status updates' : `a client status update every ${every} business days`;

export function templateLines(t: TemplateView): string[] {
  return [
    `*${escapeText(t.name)}* (version ${t.version}${t.isDefault ? ', the default' : ''}) · ${t.steps.length} milestones, ${cadence(t.statusEvery)}`,
    ...t.steps.map((s) => `• day ${s.offset}: ${escapeText(s.title)}`),
  ];
}

/** The lead's confirmation after a save: what the new version holds, and who gets it. */
export function templateSavedText(t: TemplateView): string {
  return (
    `Saved *${escapeText(t.name)}* version ${t.version} (${t.steps.length} milestones, ${cadence(t.statusEvery)}). ` +
    'New engagements can use it; running ones keep their version.'
  );
}

export function templatesMessage(overview: TemplatesOverview): Message {
  const blocks: KnownBlock[] = [];
  const shown = overview.templates.slice(0, TEMPLATES_SHOWN);
  for (const t of shown) {
    blocks.push(...sections(templateLines(t)));
    if (overview.canEdit) {
      blocks.push({
        type: 'actions',
        block_id: TEMPLATE_BLOCKS.template(t.id),
        elements: [button(ACTIONS.templateEdit, `Edit ${clip(t.name, 60)}`, t.id)],
      });
    }
    blocks.push(divider());
  }
  if (overview.templates.length > shown.length) {
    blocks.push(context(`and ${overview.templates.length - shown.length} more templates`));
  }
  if (overview.canEdit) {
    blocks.push({
      type: 'actions',
      block_id: TEMPLATE_BLOCKS.actions,
      elements: [button(ACTIONS.templateNew, 'New template', 'new', 'primary')],
    });
    blocks.push(context('Each save is a new version; engagements keep the version they started with.'));
  } else {
    blocks.push(context('Leads create and edit templates.'));
  }
  if (overview.templates.length === 0) blocks.unshift(...sections(['No plan templates yet.']));
  return { text: `${overview.templates.length} plan template(s)`, blocks };
}

export interface TemplateModalMetadata {
  /** The template edited, or null for a new one. */
  readonly templateId: string | null;
  /** Where the list was, for the confirmation. */
  readonly channelId: string | null;
}

export function templateModal(template: TemplateView | null, channelId: string | null): ModalView {
  const metadata: TemplateModalMetadata = { templateId: template?.id ?? null, channelId };
  const blocks: KnownBlock[] = [];
  if (template) {
    blocks.push(
      ...sections([
        `Editing *${escapeText(template.name)}*, version ${template.version}. Saving makes version ${template.version + 1}; engagements already running keep theirs.`,
      ]),
    );
  } else {
    blocks.push({
      type: 'input',
      block_id: F.name.block,
      label: plain('Name'),
      element: {
        type: 'plain_text_input',
        action_id: F.name.action,
        placeholder: plain('e.g. Two-week pilot'),
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: F.milestones.block,
      label: plain('Milestones'),
      hint: plain(
        `One per line: business days from the start, then the title, e.g. "3 Client inputs received". Up to ${MAX_STEPS}.`,
        2000,
      ),
      element: {
        type: 'plain_text_input',
        action_id: F.milestones.action,
        multiline: true,
        max_length: 3000,
        ...(template ? { initial_value: stepsText(template.steps) } : {}),
      },
    },
    {
      type: 'input',
      block_id: F.statusEvery.block,
      // "Weekly … every 3 business days" contradicted itself: the cadence is the lead's to say.
      label: plain('Client status update every (business days)'),
      hint: plain(
        '5 is once a week; 0 for none. On each, the owner gets a draft to edit and send the client.',
        2000,
      ),
      element: {
        type: 'plain_text_input',
        action_id: F.statusEvery.action,
        initial_value: String(template?.statusEvery ?? 5),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEWS.template,
    title: plain(template ? 'Edit plan template' : 'New plan template', 24),
    submit: plain('Save'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}
