// Resolve on the owner's risk register (DM) and App Home: opens the resolve modal (owner or lead); a
// register DM older than the risk's resolution is brought up to date.
import { registerOfRisk, riskToResolve } from '../../flows/risks.js';
import { resolveRiskModal, riskRegisterDm } from '../blocks/risks.js';
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
      // The register DM is out of date: it shows the register as it now stands, so nobody clicks a
      // stale button again, nor reads a risk as open that is not.
      const gone = risk.code === 'already-resolved' || risk.code === 'unknown-risk';
      const current =
        gone && click.message ? await registerOfRisk(deps.flow, click.actor, click.value) : null;
      if (current && click.message) {
        const message = riskRegisterDm(current, ':clipboard: The register as it now stands');
        await args.client.chat.update({
          channel: click.message.channelId,
          ts: click.message.ts,
          text: message.text,
          blocks: message.blocks,
        });
      }
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: resolveRiskModal(risk.value, click.channelId),
    });
  };
