// The buttons of `/engagement templates`: New template and Edit open the editor (leads only).
import { templateToEdit } from '../../flows/plan-templates.js';
import { templateModal } from '../blocks/templates.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.templateNew, openEditor(deps, false));
  app.action(ACTIONS.templateEdit, openEditor(deps, true));
}

export const openEditor =
  (deps: SlackDeps, editing: boolean) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const found = await templateToEdit(deps.flow, click.actor, editing ? click.value : null);
    if (!found.ok) {
      await click.tell(found.message);
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: templateModal(found.value, click.channelId),
    });
  };
