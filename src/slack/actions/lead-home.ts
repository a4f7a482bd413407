// A lead's buttons on an escalation DM and in App Home: open the engagement, nudge its owner, propose
// a handover; and App Home's "Show more" through what waits on the lead.
import { engagementDetail, nudgeOwner } from '../../flows/lead-home.js';
import { reassignEngagement } from '../../flows/reassign.js';
import { engagementDetailMessage } from '../blocks/lead-home.js';
import { engagementLabel } from '../blocks/proposal.js';
import { user, type Message } from '../blocks/kit.js';
import type { SlackDeps } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { publishHome, refreshHomeIfThere } from '../events/app-home.js';
import { ACTIONS } from '../ids.js';
import { sendDm } from '../messaging.js';
import { acceptClick, type ButtonArgs } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.openEngagement, openClicked(deps));
  app.action(ACTIONS.nudgeOwner, nudgeClicked(deps));
  app.action(ACTIONS.proposeHandover, handoverClicked(deps));
  app.action(ACTIONS.homeWaitingMore, waitingMoreClicked(deps));
}

/** Answers the clicker alone: below the message it came from, or in their DM from App Home. */
async function answer(args: ButtonArgs, userId: string, message: Message): Promise<void> {
  if (args.body.response_url) {
    await args.respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: message.text,
      blocks: message.blocks,
    });
  } else {
    await sendDm(args.client, userId, message);
  }
}

export const openClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const detail = await engagementDetail(deps.flow, click.actor, click.value);
    if (!detail.ok) {
      await click.tell(detail.message);
      return;
    }
    await answer(args, click.actor.userId, engagementDetailMessage(detail.value));
  };

export const nudgeClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const nudged = await nudgeOwner(deps.flow, click.actor, click.value);
    if (!nudged.ok) {
      await click.tell(nudged.message);
      return;
    }
    const { ownerId, nudgedId, engagement, alreadyToday, toSend } = nudged.value;
    await deps.sendNow(toSend);
    const who =
      nudgedId === ownerId ? user(ownerId) : `${user(nudgedId)} (standing in for ${user(ownerId)} today)`;
    await click.tell(
      alreadyToday
        ? `${who} was already nudged about ${engagementLabel(engagement)} today; once a day is enough.`
        : `Nudged ${who} by DM about the overdue milestones of ${engagementLabel(engagement)}.`,
    );
  };

export const handoverClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const proposed = await reassignEngagement(deps.flow, click.actor, {
      engagementId: click.value,
      why: `milestones overdue; asked for by ${user(click.actor.userId)}`,
    });
    if (!proposed.ok) {
      await click.tell(proposed.message);
      return;
    }
    await deps.sendNow(proposed.value.toSend);
    const { engagement } = proposed.value.proposal;
    await click.tell(
      `Proposed a new owner for ${engagementLabel(engagement)} in <#${engagement.rotationChannelId}>; a lead approves it there.`,
    );
    await refreshHomeIfThere(args, deps, click.actor);
  };

export const waitingMoreClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const offset = /^\d{1,5}$/.test(click.value) ? Number(click.value) : 0;
    await publishHome(args.client, deps, click.actor, { waitingOffset: offset });
  };
