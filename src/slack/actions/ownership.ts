// The owner's Hand back button (in their DM): the flow decides whether it's still allowed (the owner
// only, within a business day) before a modal asks why; past the window the DM loses the button (the
// reminders job takes it away when the window closes; a click that comes first does it itself).
import { checkHandBack } from '../../flows/hand-back.js';
import { closeHandBackWindows } from '../../flows/stale-messages.js';
import { context, type KnownBlock } from '../blocks/kit.js';
import { HAND_BACK_ACTIONS_BLOCK } from '../blocks/ownership.js';
import { handBackModal } from '../blocks/modals.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs, type Click } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.handBack, handBackClicked(deps));
}

export const handBackClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const allowed = await checkHandBack(deps.flow, click.actor, click.value);
    if (!allowed.ok) {
      await click.tell(allowed.message);
      // Past the window, the button is stale: the DM loses it and says why, through the outbox as the
      // job would have done (once); a DM not on record is updated here.
      if (allowed.code === 'too-late') {
        const queued = await closeHandBackWindows(deps.flow, {
          teamId: click.actor.teamId,
          engagementId: click.value,
        });
        if (queued.length > 0) await deps.sendNow(queued);
        else await retireHandBack(args, click, allowed.message);
      }
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: handBackModal(allowed.value, click.message),
    });
  };

async function retireHandBack(args: ButtonArgs, click: Click, why: string): Promise<void> {
  const message = args.body.message;
  if (!click.message || !message || !Array.isArray(message.blocks)) return;
  if (!(message.blocks as KnownBlock[]).some((b) => b.block_id === HAND_BACK_ACTIONS_BLOCK)) return;
  const blocks = (message.blocks as KnownBlock[]).filter((b) => b.block_id !== HAND_BACK_ACTIONS_BLOCK);
  blocks.push(context(why));
  await args.client.chat.update({
    channel: click.message.channelId,
    ts: click.message.ts,
    text: typeof message.text === 'string' ? message.text : 'Hand back is no longer possible',
    blocks,
  });
}
