// Resolve on the owner's risk register (DM) and App Home: opens the resolve modal (owner or lead).
import { riskToResolve } from '../../flows/risks.js';
import { resolveRiskModal } from '../blocks/risks.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.resolveRisk, resolveRiskClicked(deps));
}

export const resolveRiskClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const risk = await riskToResolve(deps.flow, click.actor, click.value);
    if (!risk.ok) {
      await click.tell(risk.message);
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: resolveRiskModal(risk.value, click.channelId),
    });
  };
