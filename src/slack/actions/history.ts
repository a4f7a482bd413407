// **Show more** under `/engagement history #n`: the next page, privately, below the last.
import { engagementHistory } from '../../flows/history.js';
import { historyMessage, parseHistoryCursor } from '../blocks/history.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.historyMore, showMoreClicked(deps));
}

export const showMoreClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const cursor = parseHistoryCursor(click.value);
    if (!cursor) {
      await click.tell('That button is from an older message; run `/engagement history #n` again.');
      return;
    }
    const page = await engagementHistory(
      deps.flow,
      click.actor,
      { engagementId: cursor.engagementId },
      cursor.afterId,
    );
    if (!page.ok) {
      await click.tell(page.message);
      return;
    }
    const message = historyMessage(page.value);
    await args.respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: message.text,
      blocks: message.blocks,
    });
  };
