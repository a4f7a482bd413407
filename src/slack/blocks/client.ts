// What a client channel shows: the kickoff summary and the owner's status updates, built from
// payloads that hold nothing else (src/flows/client-channel.ts). Nothing here may name a candidate,
// a reason, a risk, a note or anyone's workload.
import type { ChannelShared, ClientKickoff, ClientStatus } from '../../flows/scheduled-messages.js';
import { USAGE } from '../commands/parse.js';
import {
  bullets,
  channel,
  context,
  escapeText,
  formatDay,
  section,
  sections,
  user,
  type Message,
} from './kit.js';
import { engagementLabel } from './proposal.js';

export function clientKickoffMessage(m: ClientKickoff): Message {
  const client = escapeText(m.clientName);
  const window = `${formatDay(m.startsOn, true)} → ${formatDay(m.endsOn, true)}`;
  return {
    text: `Kickoff: ${client}, run by ${user(m.ownerId)}, ${window}`,
    blocks: [
      section(
        `:rocket: *${client}: we're starting*\n${user(m.ownerId)} runs this engagement for us.\n${window}`,
      ),
      ...sections([
        '*The plan*',
        bullets(m.plan.map((p) => `${formatDay(p.dueOn)}: ${escapeText(p.title)}`)),
      ]),
    ],
  };
}

export function clientStatusMessage(m: ClientStatus): Message {
  return {
    text: `Status update for ${m.clientName} from ${user(m.ownerId)}`,
    blocks: [
      section(`:memo: *Status update, ${formatDay(m.day, true)}*`),
      ...sections(escapeText(m.text).split('\n')),
      context(`From ${user(m.ownerId)}`),
    ],
  };
}

/** For the rotation channel (internal): an engagement channel turned out to be shared with the client. */
export function channelSharedMessage(m: ChannelShared): Message {
  const label = engagementLabel(m.engagement);
  const owner = m.engagement.ownerId ? `${user(m.engagement.ownerId)}'s DM` : "the owner's DM once approved";
  return {
    text: `${label}: its channel is shared with the client`,
    blocks: [
      section(
        `:lock: *${label}*: ${channel(m.sharedChannelId)} is shared with people outside the organisation, so nothing internal goes there any more. Its reminders go to ${owner} until a lead names the team's own channel: \`${USAGE.channel.replace('#number', `#${m.engagement.number}`)}\`.`,
      ),
    ],
  };
}
