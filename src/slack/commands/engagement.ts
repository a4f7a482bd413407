// `/engagement …`: parse, ack, call the flow, answer privately. Every answer is ephemeral; the only
// public results are the proposals and notes Steward posts in the rotation channel.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { changeBuddy, type BuddyChange } from '../../flows/buddy.js';
import { previewClose } from '../../flows/engagement-status.js';
import {
  addLeads,
  addToRotation,
  removeFromRotation,
  removeLeads,
  setMemberCapacity,
  type Person,
} from '../../flows/manage-team.js';
import { listOpenEngagements, newEngagementForm, teamOverview } from '../../flows/overview.js';
import { engagementHistory } from '../../flows/history.js';
import { listTemplates } from '../../flows/plan-templates.js';
import { reassignEngagement } from '../../flows/reassign.js';
import { setInterest, setPause, wishesOf } from '../../flows/interest.js';
import {
  clearTimeAway,
  recordTimeAway,
  type TimeAwayCleared,
  type TimeAwayRecorded,
} from '../../flows/time-away.js';
import {
  changeTeamSettings,
  teamSettings,
  type SettingsFailure,
  type TeamSettings,
} from '../../flows/team-settings.js';
import { redateOfferMessage } from '../blocks/plan.js';
import type { Actor } from '../../flows/context.js';
import { engagementLabel } from '../blocks/proposal.js';
import { formatDay, user, type Message } from '../blocks/kit.js';
import { newEngagementModal } from '../blocks/modals.js';
import { confirmCloseMessage } from '../blocks/closing.js';
import { listMessage, loadMessage } from '../blocks/overview.js';
import { confirmLeadRemoval, describeChange } from '../blocks/team.js';
import { historyMessage } from '../blocks/history.js';
import { templatesMessage } from '../blocks/templates.js';
import type { SlackDeps, WebClient } from '../deps.js';
import type { Listeners } from '../listeners.js';
import { slackError } from '../messaging.js';
import { SLASH_COMMANDS } from '../surface.js';
import { HELP_LINES, parseCommand, USAGE, type EngagementCommand, type Mention } from './parse.js';
import { interestText, pauseText, wishesText } from '../blocks/interest.js';
import { runReport } from './report.js';
import { channelFacts } from '../channels.js';
import { nameInternalChannel } from '../../flows/engagement-channels.js';
import { isSharedOutside } from '../../domain/channels.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Reply = (message: string | Message) => Promise<unknown>;

export function register(app: Listeners, deps: SlackDeps): void {
  for (const command of SLASH_COMMANDS) app.command(command, engagementCommand(deps));
}

export const helpText = (): string =>
  [
    '*Steward* rotates who owns client engagements.',
    ...HELP_LINES.map(([usage, what]) => `• \`${usage}\`: ${what}`),
  ].join('\n');

export const engagementCommand =
  (deps: SlackDeps) =>
  async ({ command, ack, respond, client }: CommandArgs): Promise<void> => {
    const parsed = parseCommand(command.text);
    // Answers that need nothing from Slack or the database go in the ack itself.
    if (parsed.kind === 'malformed') {
      await ack({ response_type: 'ephemeral', text: `${parsed.problem}\n${parsed.usage}` });
      return;
    }
    if (parsed.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: helpText() });
      return;
    }
    // Slack shows an error after 3 s without an ack; everything below may call Slack back.
    await ack();
    const actor: Actor = { teamId: command.team_id, userId: command.user_id };
    await deps.people.recognise(actor.teamId, actor.userId);
    const reply: Reply = (message) =>
      respond(
        typeof message === 'string'
          ? { response_type: 'ephemeral', text: message }
          : { response_type: 'ephemeral', text: message.text, blocks: message.blocks },
      );
    await run(
      deps,
      { actor, client, reply, triggerId: command.trigger_id, channelId: command.channel_id },
      parsed,
    );
  };

interface Invocation {
  readonly actor: Actor;
  readonly client: WebClient;
  readonly reply: Reply;
  readonly triggerId: string;
  readonly channelId: string;
}

async function run(
  deps: SlackDeps,
  call: Invocation,
  parsed: Exclude<EngagementCommand, { kind: 'malformed' | 'help' }>,
) {
  const { actor, reply } = call;
  switch (parsed.kind) {
    case 'new':
      return openNewEngagement(deps, call);
    case 'list': {
      const listed = await listOpenEngagements(deps.flow, actor);
      if (!listed.ok) return reply(listed.message);
      return reply(listMessage(listed.value.engagements, listed.value.today));
    }
    case 'history': {
      const page = await engagementHistory(deps.flow, actor, { number: parsed.number });
      return reply(page.ok ? historyMessage(page.value) : page.message);
    }
    case 'buddy':
      return pickBuddy(deps, call, parsed);
    case 'templates': {
      const listed = await listTemplates(deps.flow, actor);
      return reply(listed.ok ? templatesMessage(listed.value) : listed.message);
    }
    case 'load': {
      const overview = await teamOverview(deps.flow, actor);
      if (!overview.ok) return reply(overview.message);
      return reply(loadMessage(overview.value));
    }
    case 'away': {
      const userId = parsed.who?.userId ?? actor.userId;
      const recorded = await recordTimeAway(deps.flow, actor, {
        userId,
        startsOn: parsed.startsOn,
        endsOn: parsed.endsOn,
      });
      if (!recorded.ok) return reply(recorded.message);
      return reply(timeAwayText(userId, parsed, recorded.value.affects));
    }
    case 'back': {
      const userId = parsed.who?.userId ?? actor.userId;
      const cleared = await clearTimeAway(deps.flow, actor, userId);
      if (!cleared.ok) return reply(cleared.message);
      await reply(backText(userId, cleared.value));
      await deps.sendNow(cleared.value.toSend);
      return;
    }
    case 'team':
    case 'lead':
      return changePeople(deps, call, parsed);
    case 'capacity': {
      const set = await setMemberCapacity(deps.flow, actor, {
        userId: parsed.who.userId,
        capacity: parsed.capacity,
      });
      if (!set.ok) return reply(set.message);
      const { capacity, previous } = set.value;
      const what =
        capacity === 0
          ? 'never proposed as owner until a lead raises it'
          : `proposed only while owning fewer than ${capacity} engagement${capacity === 1 ? '' : 's'} overlapping the window`;
      return reply(
        `${user(parsed.who.userId)}: capacity ${capacity}${previous !== capacity ? ` (was ${previous})` : ''}, ${what}.`,
      );
    }
    case 'report':
      return runReport(deps, call, parsed);
    case 'prefer': {
      const changed = await setInterest(deps.flow, actor, {
        userId: parsed.who?.userId ?? actor.userId,
        interest: parsed.interest,
      });
      return reply(changed.ok ? interestText(changed.value, actor.userId) : changed.message);
    }
    case 'pause': {
      const changed = await setPause(deps.flow, actor, {
        userId: parsed.who?.userId ?? actor.userId,
        until: parsed.until,
      });
      return reply(changed.ok ? pauseText(changed.value, actor.userId) : changed.message);
    }
    case 'wishes': {
      const wishes = await wishesOf(deps.flow, actor);
      return reply(wishes.ok ? wishesText(wishes.value) : wishes.message);
    }
    case 'settings': {
      if (!parsed.change) {
        const team = await teamSettings(deps.flow, actor.teamId);
        return reply(team.ok ? settingsText(team.value) : team.message);
      }
      const change = parsed.change;
      const changed =
        'rotationChannel' in change
          ? await changeTeamSettings(
              deps.flow,
              actor,
              { rotationChannelId: call.channelId },
              await channelFacts(call.client, call.channelId),
            )
          : await changeTeamSettings(deps.flow, actor, change);
      if (!changed.ok) return reply(settingsRefusal(changed));
      await deps.sendNow(changed.value.toSend);
      const saved = `Saved.\n${settingsText(changed.value.team)}`;
      // A new calendar can leave open milestones on days off: the lead can move them from here too.
      return reply(changed.value.redate ? redateOfferMessage(saved, changed.value.redate) : saved);
    }
    case 'channel': {
      const named = await nameInternalChannel(deps.flow, actor, {
        number: parsed.number,
        channelId: parsed.channelId,
        facts: await channelFacts(call.client, parsed.channelId),
      });
      if (!named.ok) return reply(named.message);
      const { engagement, previousChannelId } = named.value;
      const client = engagement.clientChannelId
        ? ` <#${engagement.clientChannelId}> is its client channel: only the kickoff summary and the owner's status updates go there.`
        : '';
      const moved = previousChannelId !== engagement.channelId ? '' : ' (unchanged)';
      return reply(
        `${engagementLabel(engagement)}: reminders, overdue lists and their buttons now go to <#${engagement.channelId}>${moved}.${client}`,
      );
    }
    case 'reassign': {
      const proposed = await reassignEngagement(deps.flow, actor, {
        number: parsed.number,
        why: parsed.reason,
      });
      if (!proposed.ok) return reply(proposed.message);
      await deps.sendNow(proposed.value.toSend);
      const { engagement } = proposed.value.proposal;
      return reply(
        `Proposed a new owner for ${engagementLabel(engagement)} in <#${engagement.rotationChannelId}>; a lead approves it there.`,
      );
    }
    case 'close': {
      // Closing can't be undone: the lead sees what it does and confirms with a button.
      const preview = await previewClose(deps.flow, actor, { number: parsed.number });
      return reply(
        preview.ok ? confirmCloseMessage(preview.value, parsed.reason?.trim() || null) : preview.message,
      );
    }
  }
}

async function openNewEngagement(deps: SlackDeps, call: Invocation): Promise<unknown> {
  const form = await newEngagementForm(deps.flow, call.actor);
  if (!form.ok) return call.reply(form.message);
  const defaults = form.value;
  // The first `new` makes its channel the team's rotation channel; a DM would hide every proposal.
  if (!defaults.rotationChannelId && call.channelId.startsWith('D')) {
    return call.reply(
      `Run \`${USAGE.new}\` in your team's channel the first time: that channel becomes where Steward proposes owners.`,
    );
  }
  if (!defaults.rotationChannelId) {
    const here = await channelFacts(call.client, call.channelId);
    if (here && isSharedOutside(here)) {
      return call.reply(
        `This channel is shared with people outside the organisation (Slack Connect). The first \`${USAGE.new}\` makes its channel the rotation channel, where proposals and skip reasons go: run it in your team's own channel.`,
      );
    }
  }
  const view = newEngagementModal({ ...defaults, commandChannelId: call.channelId });
  try {
    await call.client.views.open({ trigger_id: call.triggerId, view });
  } catch (error) {
    if (slackError(error) === 'expired_trigger_id') {
      return call.reply(`Slack was too slow to open the form; please run \`${USAGE.new}\` again.`);
    }
    throw error;
  }
  return undefined;
}

/** Names and checks the people a command mentions, as Slack knows them. */
export async function resolvePeople(
  deps: SlackDeps,
  mentions: readonly Mention[],
): Promise<Person[] | string> {
  const people: Person[] = [];
  for (const mention of mentions) {
    try {
      const profile = await deps.people.profile(mention.userId);
      if (profile.isBot) return `${user(mention.userId)} is a bot; the rotation is for people.`;
      if (profile.deleted) return `${user(mention.userId)} has left the workspace.`;
      people.push({ userId: mention.userId, name: profile.name, isWorkspaceAdmin: profile.isWorkspaceAdmin });
    } catch (error) {
      if (slackError(error) === 'user_not_found')
        return `I can't find ${user(mention.userId)} in this workspace.`;
      throw error;
    }
  }
  return people;
}

async function changePeople(
  deps: SlackDeps,
  call: Invocation,
  parsed: Extract<EngagementCommand, { kind: 'team' | 'lead' }>,
) {
  const people = await resolvePeople(deps, parsed.people);
  if (typeof people === 'string') return call.reply(`${people}\nUsage: ${USAGE[parsed.kind]}`);
  const change =
    parsed.kind === 'team'
      ? parsed.op === 'add'
        ? addToRotation
        : removeFromRotation
      : parsed.op === 'add'
        ? addLeads
        : null;
  // A lead naming herself in `lead remove` is asked first (the flow says when).
  const result = change
    ? await change(deps.flow, call.actor, people)
    : await removeLeads(deps.flow, call.actor, people, { askFirst: true });
  if (!result.ok) {
    const self = people.find((p) => p.userId === call.actor.userId);
    if (result.code === 'remove-self-unconfirmed' && self)
      return call.reply(confirmLeadRemoval(people, self));
    return call.reply(result.message);
  }
  return call.reply(describeChange(parsed.kind, parsed.op, result.value));
}

async function pickBuddy(
  deps: SlackDeps,
  call: Invocation,
  parsed: Extract<EngagementCommand, { kind: 'buddy' }>,
) {
  let buddyName: string | undefined;
  if (parsed.who) {
    const people = await resolvePeople(deps, [parsed.who]);
    if (typeof people === 'string') return call.reply(`${people}\nUsage: ${USAGE.buddy}`);
    buddyName = people[0]!.name;
  }
  const changed = await changeBuddy(deps.flow, call.actor, {
    number: parsed.number,
    buddyId: parsed.who?.userId ?? null,
    ...(buddyName ? { buddyName } : {}),
  });
  if (!changed.ok) return call.reply(changed.message);
  await deps.sendNow(changed.value.toSend);
  return call.reply(buddyText(changed.value));
}

function buddyText(c: BuddyChange): string {
  const label = engagementLabel(c.engagement);
  const who = c.buddyId ? user(c.buddyId) : 'none';
  if (!c.changed) return `${label} already has that buddy (${who}): nothing changed.`;
  if (c.on === 'proposal') {
    return `Buddy for ${label}: ${who}. The proposal shows it; approving ${user(c.ownerId)} records it${c.buddyId ? ' and tells the buddy' : ''}.`;
  }
  return c.buddyId
    ? `Buddy for ${label}: ${who}. They have the engagement and its plan by DM; ${user(c.ownerId)} heard too.`
    : `${label} has no buddy now; ${user(c.ownerId)} heard.`;
}

/** What `back` changed, period by period, or that there was nothing to cancel. */
function backText(userId: string, cleared: TimeAwayCleared): string {
  const span = (a: { startsOn: string; endsOn: string }) =>
    `${formatDay(a.startsOn, true)} – ${formatDay(a.endsOn, true)}`;
  const lines = [
    ...cleared.endedEarly.map(
      (a) => `• away ${span(a)}: ended early, the last day away was ${formatDay(a.nowEndsOn, true)}`,
    ),
    ...cleared.cancelled.map((a) => `• away ${span(a)}: cancelled`),
    ...cleared.standInsEnded.map(
      (s) =>
        `• #${s.engagement.number} ${s.engagement.clientName}: ${user(s.standInId)}'s cover ${s.calledOff ? 'is called off' : 'ends'}`,
    ),
  ];
  if (lines.length === 0) return `${user(userId)} had no time away from today on: nothing to cancel.`;
  return [`${user(userId)} is back.`, ...lines].join('\n');
}

/** A refused settings change: a value typed wrong comes with the usage line; the rest say why alone. */
function settingsRefusal(failure: { code: SettingsFailure; message: string }): string {
  switch (failure.code) {
    case 'bad-time-zone':
    case 'bad-time':
    case 'bad-date':
    case 'bad-number':
    case 'bad-region':
      return `${failure.message}\nUsage: ${USAGE.settings}`;
    case 'not-a-lead':
    case 'unknown-team':
    case 'shared-channel':
    case 'engagement-channel':
      return failure.message;
  }
}

function settingsText(team: TeamSettings): string {
  const holidays = [
    team.holidayRegion ? `${team.holidayRegion} public holidays` : 'no public holidays',
    ...(team.extraHolidays.length > 0 ? [`and ${team.extraHolidays.length} day(s) of the team's own`] : []),
  ].join(' ');
  return [
    "*The team's settings*",
    `• Time zone: ${team.timeZone}`,
    `• Reminders: ${team.reminderTime} on business days`,
    `• Holidays: ${holidays}`,
    `• Rotation channel: ${team.rotationChannelId ? `<#${team.rotationChannelId}>` : 'not set yet (the channel of the first `/engagement new`)'}`,
    `• Owners are re-proposed ${team.proposeDaysAhead} business days before the start`,
    `Leads change them with \`${USAGE.settings}\`.`,
  ].join('\n');
}

/** What recording time away did, and what it sets off: cover proposed for what falls due then. */
function timeAwayText(
  userId: string,
  dates: { startsOn: string; endsOn: string },
  affects: TimeAwayRecorded['affects'],
): string {
  const recorded = `Recorded: ${user(userId)} away ${formatDay(dates.startsOn, true)} – ${formatDay(dates.endsOn, true)}. The rotation skips them while away.`;
  if (affects.length === 0) return recorded;
  const owned = affects
    .map(
      (e) => `${engagementLabel(e)} (${e.due} ${e.due === 1 ? 'milestone' : 'milestones'} due on those days)`,
    )
    .join(', ');
  return `${recorded}\nThey own ${owned}: within the hour Steward proposes cover in the rotation channel, a stand-in for a short absence or a handover for a longer one, for a lead to decide.`;
}
