// Answers to `/engagement team …` and `lead …`: what changed, and the question asked before a lead
// removes herself.
import type { Person, TeamChange } from '../../flows/manage-team.js';
import { COMMAND, ACTIONS } from '../ids.js';
import { button, section, user, type Message } from './kit.js';

export function describeChange(kind: 'team' | 'lead', op: 'add' | 'remove', change: TeamChange): string {
  const names = (people: readonly Person[]) => people.map((p) => user(p.userId)).join(', ');
  const what = {
    team: {
      add: ['Added to the rotation', 'already in it'],
      remove: ['Taken out of the rotation', 'not in it'],
    },
    lead: { add: ['Now leads', 'already leads'], remove: ['No longer leads', 'not leads'] },
  }[kind][op];
  const lines: string[] = [];
  if (change.changed.length > 0) lines.push(`${what[0]}: ${names(change.changed)}.`);
  if (change.unchanged.length > 0) lines.push(`Nothing to do for ${names(change.unchanged)}: ${what[1]}.`);
  if (kind === 'team' && op === 'remove' && change.changed.length > 0) {
    lines.push(`Engagements they own keep their owner; use \`${COMMAND} reassign\` to hand them over.`);
  }
  return lines.join('\n');
}

/** Block id of the confirmation's buttons. */
export const LEAD_REMOVAL_BLOCK = 'lead_removal';

/**
 * Asked before a lead takes herself off the leads: she can't undo it unless she runs the workspace.
 * The buttons carry the people named (user ids, comma-separated).
 */
export function confirmLeadRemoval(people: readonly Person[], self: Person): Message {
  const others = people.filter((p) => p.userId !== self.userId);
  const also = others.length > 0 ? ` (and ${others.map((p) => user(p.userId)).join(', ')})` : '';
  const wayBack = self.isWorkspaceAdmin
    ? `As a workspace admin you can make yourself a lead again with \`${COMMAND} lead add @you\`.`
    : 'Only another lead can make you a lead again.';
  const ids = people.map((p) => p.userId).join(',');
  const text = `Stop being a lead${also}? You will no longer approve owners or hear escalations. ${wayBack}`;
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: LEAD_REMOVAL_BLOCK,
        elements: [
          button(ACTIONS.confirmLeadRemoval, 'Yes, remove me as a lead', ids, 'danger'),
          button(ACTIONS.cancelLeadRemoval, 'Keep me a lead', ids),
        ],
      },
    ],
  };
}
