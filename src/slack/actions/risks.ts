// Resolve on the owner's risk register (DM) and App Home: opens the resolve modal (owner or lead); on
// a register DM older than the risk's resolution, takes that risk's button away.
import { riskToResolve } from '../../flows/risks.js';
import type { KnownBlock } from '../blocks/kit.js';
import { resolveRiskModal, withoutResolve } from '../blocks/risks.js';
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
      // The register DM is out of date: that risk's button goes, so nobody clicks it again.
      const gone = risk.code === 'already-resolved' || risk.code === 'unknown-risk';
      const blocks = args.body.message?.blocks as KnownBlock[] | undefined;
      if (gone && click.message && blocks) {
        await args.client.chat.update({
          channel: click.message.channelId,
          ts: click.message.ts,
          text: args.body.message?.text ?? 'Risk register',
          blocks: withoutResolve(blocks, click.value, risk.code === 'unknown-risk' ? 'removed' : 'resolved'),
        });
      }
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: resolveRiskModal(risk.value, click.channelId),
    });
  };
