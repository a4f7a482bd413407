// What a client channel shows: the kickoff summary and the owner's status updates, built from
// payloads that hold nothing else (src/flows/client-channel.ts). Nothing here may name a candidate,
// a reason, a risk, a note or anyone's workload.
import type { ClientKickoff, ClientKickoffUpdate, ClientStatus } from '../../flows/scheduled-messages.js';
import { bullets, context, escapeText, formatDay, section, sections, user, type Message } from './kit.js';

/** The kickoff summary, or after a change of owner, who runs it now and what is still ahead. */
export function clientKickoffMessage(m: ClientKickoff): Message {
  const client = escapeText(m.clientName);
  const window = `${formatDay(m.startsOn, true)} → ${formatDay(m.endsOn, true)}`;
  const plan = bullets(m.plan.map((p) => `${formatDay(p.dueOn)}: ${escapeText(p.title)}`));
  if (m.handover) {
    return {
      text: `${client}: ${user(m.ownerId)} now runs this engagement for us`,
      blocks: [
        section(
          `:handshake: *${client}: your contact from now on*\n${user(m.ownerId)} now runs this engagement for us.\n${window}`,
        ),
        ...(m.plan.length > 0 ? sections(['*Still ahead*', plan]) : []),
      ],
    };
  }
  return {
    text: `Kickoff: ${client}, run by ${user(m.ownerId)}, ${window}`,
    blocks: [
      section(
        `:rocket: *${client}: we're starting*\n${user(m.ownerId)} runs this engagement for us.\n${window}`,
      ),
      ...sections(['*The plan*', plan]),
    ],
  };
}

/** The summary as it now stands, saying when its dates last changed. */
export function clientKickoffUpdated(m: ClientKickoffUpdate): Message {
  const summary = clientKickoffMessage(m.kickoff);
  return {
    ...summary,
    blocks: [...summary.blocks, context(`Dates updated ${formatDay(m.updatedOn, true)}`)],
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
