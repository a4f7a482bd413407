// A buddy's DMs: paired with a first-time owner (the engagement, its plan, the owner), and the notes
// when a lead changes the buddy. DMs to team members: nothing here reaches a client channel.
import type { BuddyChanged, BuddyNotice } from '../../flows/scheduled-messages.js';
import { bullets, channel, context, escapeText, formatDay, section, user, type Message } from './kit.js';
import { engagementLabel } from './proposal.js';

export function buddyDm(m: BuddyNotice): Message {
  const e = m.engagement;
  const label = engagementLabel(e);
  const by = m.by ? `Paired by ${user(m.by)}. ` : '';
  const deliveryLead = e.deliveryLeadId ? ` · delivery lead ${user(e.deliveryLeadId)}` : '';
  const plan =
    m.plan.length > 0
      ? bullets(m.plan.map((p) => `${formatDay(p.dueOn)}: ${escapeText(p.title)}`))
      : '_All milestones done._';
  return {
    text: `You're ${user(m.ownerId)}'s buddy on ${label}`,
    blocks: [
      section(
        `:handshake: You're the buddy of ${user(m.ownerId)} on *${label}*: their first turn as owner.\n` +
          `${formatDay(e.startsOn, true)} → ${formatDay(e.endsOn, true)} · channel ${channel(e.channelId)}${deliveryLead}`,
      ),
      section(`*The plan*\n${plan}`),
      context(
        `${by}Why you: ${escapeText(m.reason)}. Check in at the kickoff and before each milestone; the engagement stays ${user(m.ownerId)}'s to run.`,
      ),
    ],
  };
}

export function buddyChangedDm(m: BuddyChanged): Message {
  const label = engagementLabel(m.engagement);
  if (m.to === 'former-buddy') {
    return {
      text: `You're no longer the buddy on ${label}`,
      blocks: [
        section(`${user(m.by)} changed the buddy on *${label}*: you're no longer its buddy. Thank you!`),
      ],
    };
  }
  const now = m.buddyId
    ? `your buddy is now ${user(m.buddyId)}`
    : 'you have no buddy on it now; ask a lead if you would like one';
  return {
    text: `Your buddy on ${label} changed`,
    blocks: [section(`:handshake: ${user(m.by)} changed the buddy on *${label}*: ${now}.`)],
  };
}
