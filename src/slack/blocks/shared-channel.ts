// What the team is told when one of its own channels turns out to be shared with people outside the
// organisation: internal messages, in the rotation channel or the leads' DMs, never the shared one.
import type { ChannelShared, RotationShared } from '../../flows/scheduled-messages.js';
import { USAGE } from '../commands/parse.js';
import { COMMAND } from '../ids.js';
import { channel, section, user, type Message } from './kit.js';
import { engagementLabel } from './proposal.js';

/** For the rotation channel: an engagement channel turned out to be shared with the client. */
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

/** For each lead's DM: the rotation channel is now shared with people outside the organisation. */
export function rotationSharedMessage(m: RotationShared): Message {
  return {
    text: `${channel(m.sharedChannelId)} is shared with people outside the organisation: no more proposals there`,
    blocks: [
      section(
        `:lock: ${channel(m.sharedChannelId)}, the team's rotation channel, is now shared with people outside the organisation, so Steward posts nothing there any more: proposals and their reasons are internal. Pending proposals wait in your App Home. To choose the team's own channel, run \`${COMMAND} settings rotation-channel\` in it.`,
      ),
    ],
  };
}
