// The answer to "Stop being a lead?" (asked when a lead names herself in `lead remove`): the removal
// happens only on Yes; either way the question is replaced by what happened.
import { removeLeads } from '../../flows/manage-team.js';
import { describeChange } from '../blocks/team.js';
import { resolvePeople } from '../commands/engagement.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS, COMMAND } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.confirmLeadRemoval, leadRemovalConfirmed(deps));
  app.action(ACTIONS.cancelLeadRemoval, leadRemovalCancelled(deps));
}

const answer = (args: ButtonArgs, text: string) =>
  args.respond({ response_type: 'ephemeral', replace_original: true, text });

export const leadRemovalConfirmed =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const people = await resolvePeople(
      deps,
      click.value
        .split(',')
        .filter(Boolean)
        .map((userId) => ({ userId, label: null })),
    );
    if (typeof people === 'string') return void (await answer(args, people));
    const removed = await removeLeads(deps.flow, click.actor, people);
    if (!removed.ok) return void (await answer(args, removed.message));
    const self = people.find((p) => p.userId === click.actor.userId);
    const wayBack = self?.isWorkspaceAdmin
      ? `\nAs a workspace admin you can make yourself a lead again with \`${COMMAND} lead add @you\`.`
      : '';
    await answer(args, `${describeChange('lead', 'remove', removed.value)}${wayBack}`);
  };

export const leadRemovalCancelled =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    await acceptClick(deps, args);
    await answer(args, 'Nothing changed: you are still a lead.');
  };
