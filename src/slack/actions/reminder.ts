// The buttons on milestone reminders (posted by the reminders job in the engagement channel):
// Mark done and Snooze a day carry a milestone id, Add risk an engagement id. Owner or lead only.
import {
  isMilestoneStale,
  markDone,
  snooze,
  staleMilestoneUpdates,
  type Snoozed,
} from '../../flows/milestones.js';
import { mayAddRisk } from '../../flows/risks.js';
import { context, escapeText, formatDay, user, type KnownBlock } from '../blocks/kit.js';
import { addRiskModal } from '../blocks/risks.js';
import { engagementLabel } from '../blocks/proposal.js';
import type { SlackDeps, WebClient } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { ACTIONS } from '../ids.js';
import { acceptClick, type ButtonArgs, type Click } from './button.js';

export function register(app: Listeners, deps: SlackDeps): void {
  app.action(ACTIONS.markDone, markDoneClicked(deps));
  app.action(ACTIONS.snooze, snoozeClicked(deps));
  app.action(ACTIONS.flagRisk, flagRiskClicked(deps));
}

const MILESTONE_BUTTONS: ReadonlySet<string> = new Set([ACTIONS.markDone, ACTIONS.snooze]);

/**
 * The reminder without the buttons of the milestone just handled, and a line saying what happened
 * in their place. Other milestones' buttons in the same reminder stay clickable.
 */
export function settleReminder(
  blocks: readonly KnownBlock[],
  milestoneId: string,
  note: string,
): KnownBlock[] {
  const settled: KnownBlock[] = [];
  for (const block of blocks) {
    if (block.type !== 'actions') {
      settled.push(block);
      continue;
    }
    const kept = block.elements.filter(
      (e) => !(e.type === 'button' && MILESTONE_BUTTONS.has(e.action_id ?? '') && e.value === milestoneId),
    );
    if (kept.length === block.elements.length) {
      settled.push(block);
      continue;
    }
    if (kept.length > 0) settled.push({ ...block, elements: kept });
    settled.push(context(note));
  }
  return settled;
}

async function updateReminder(
  client: WebClient,
  args: ButtonArgs,
  click: Click,
  note: string,
): Promise<boolean> {
  const message = args.body.message;
  if (!click.message || !message || !Array.isArray(message.blocks)) return false;
  await client.chat.update({
    channel: click.message.channelId,
    ts: click.message.ts,
    text: typeof message.text === 'string' ? message.text : note,
    blocks: settleReminder(message.blocks as KnownBlock[], click.value, note),
  });
  return true;
}

/**
 * A click on a milestone that is done or whose engagement closed: says what happened, and brings the
 * reminders that still show buttons up to date (through the outbox: each once).
 */
async function answerStale(deps: SlackDeps, click: Click, failure: { code: string; message: string }) {
  await click.tell(failure.message);
  if (isMilestoneStale(failure.code))
    await deps.sendNow(await staleMilestoneUpdates(deps.flow, click.actor, click.value));
}

export const markDoneClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const done = await markDone(deps.flow, click.actor, click.value);
    if (!done.ok) return answerStale(deps, click, done);
    const { milestone, engagement, closed, toSend } = done.value;
    // The reminders the outbox updates include this one when the job sent it; a message posted some
    // other way (the owner's status-update DM) is settled here.
    const ownUpdated = toSend.some((u) => 'ts' in u && u.ts === click.message?.ts);
    await deps.sendNow(toSend);
    const note = `:white_check_mark: ${escapeText(milestone.title)}: done, marked by ${user(click.actor.userId)}.`;
    const updated = ownUpdated || (await updateReminder(args.client, args, click, note));
    if (closed)
      await click.tell(`That was the last milestone: ${engagementLabel(engagement)} is closed. Thank you!`);
    else if (!updated) await click.tell(note);
  };

export const snoozeClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const snoozed = await snooze(deps.flow, click.actor, click.value);
    if (!snoozed.ok) return answerStale(deps, click, snoozed);
    const note = snoozeNote(snoozed.value, click.actor.userId);
    if (!(await updateReminder(args.client, args, click, note))) await click.tell(note);
  };

/** Says what a snooze means: one reminder fewer, the due date and the escalation unchanged. */
export function snoozeNote(snoozed: Snoozed, by: string): string {
  const m = snoozed.milestone;
  return (
    `:zzz: ${escapeText(m.title)}: snoozed by ${user(by)}, left out of ${formatDay(snoozed.quietOn)}'s reminder ` +
    `and back in ${formatDay(snoozed.until)}'s. Still due ${formatDay(m.dueOn)}: the due date and the ` +
    'escalation to the leads stay as they were.'
  );
}

/** **Add risk** (once called Flag risk, whose id it keeps): opens the risk modal, owner or lead only. */
export const flagRiskClicked =
  (deps: SlackDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    const click = await acceptClick(deps, args);
    const allowed = await mayAddRisk(deps.flow, click.actor, click.value);
    if (!allowed.ok) {
      await click.tell(allowed.message);
      return;
    }
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: addRiskModal(allowed.value, click.channelId),
    });
  };
