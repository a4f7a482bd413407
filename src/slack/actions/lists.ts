// "Show more" under `/engagement list` and `load`: the next page, built again from the database, to
// the clicker alone below the last.
import { listOpenEngagements, teamOverview } from '../../flows/overview.js';
import type { Message } from '../blocks/kit.js';
import { listMessage, loadMessage } from '../blocks/overview.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.listMore, listMoreClicked(deps));
  app.action(ACTIONS.loadMore, loadMoreClicked(deps));
}

const offsetOf = (value: string) => (/^\d{1,5}$/.test(value) ? Number(value) : 0);

async function showPage(args: ButtonArgs, message: Message): Promise<void> {
  await args.respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: message.text,
    blocks: message.blocks,
  });
}

export const listMoreClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const listed = await listOpenEngagements(deps.flow, click.actor);
    if (!listed.ok) {
      await click.tell(listed.message);
      return;
    }
    await showPage(args, listMessage(listed.value.engagements, listed.value.today, offsetOf(click.value)));
  };

export const loadMoreClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const overview = await teamOverview(deps.flow, click.actor);
    if (!overview.ok) {
      await click.tell(overview.message);
      return;
    }
    await showPage(args, loadMessage(overview.value, offsetOf(click.value)));
  };
