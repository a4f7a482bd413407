// The report's buttons: "Show more" (the next page, answered to the clicker alone) and App Home's
// "Full report" (to the lead's DM: a button in a view has nowhere else private to answer).
import { exposureReportFor } from '../../flows/exposure-report.js';
import { decodeReportPage, reportMessage } from '../blocks/report.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.reportMore, showMoreClicked(deps));
  app.action(ACTIONS.homeReport, fullReportClicked(deps));
}

export const showMoreClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const page = decodeReportPage(click.value);
    if (!page) {
      await click.tell('That button is from an older Steward; run `/engagement report` again.');
      return;
    }
    // Built again from the database: the next page is as of now, like the first one was.
    const report = await exposureReportFor(deps.flow, click.actor, { from: page.from, to: page.to });
    if (!report.ok) {
      await click.tell(report.message);
      return;
    }
    const message = reportMessage(report.value, page.offset);
    if (args.body.response_url) {
      await args.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
    } else {
      await sendDm(args.client, click.actor.userId, message);
    }
  };

export const fullReportClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const report = await exposureReportFor(deps.flow, click.actor);
    if (!report.ok) {
      await click.tell(report.message);
      return;
    }
    await sendDm(args.client, click.actor.userId, reportMessage(report.value));
  };
