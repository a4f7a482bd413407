// `/engagement history #n`: the audit trail told as a timeline, one line per event, a page at a time
// with **Show more**. Internal (skip reasons, risks): only ever answered privately to the team.
import type { HistoryEntry, HistoryPage } from '../../flows/history.js';
import { ACTIONS } from '../ids.js';
import { retrospectiveText } from './closing.js';
import {
  button,
  context,
  escapeKeepingMentions,
  escapeText,
  formatDay,
  sections,
  user,
  type KnownBlock,
  type Message,
} from './kit.js';

export const HISTORY_BLOCKS = { more: 'history_more' } as const;

/** The Show more button's value: the engagement and the last event shown. */
export const historyCursor = (engagementId: string, afterId: string) => `${engagementId}:${afterId}`;

export function parseHistoryCursor(value: string): { engagementId: string; afterId: string } | null {
  const match = /^(\d+):(\d+)$/.exec(value);
  return match ? { engagementId: match[1]!, afterId: match[2]! } : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const quoted = (v: unknown) => (str(v) ? `"${escapeText(str(v)!)}"` : '');

/** The moves a plan event recorded, whatever shape an older row has. */
function moves(v: unknown): { title: string; to: string }[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((m): m is { title: unknown; to: unknown } => typeof m === 'object' && m !== null)
    .map((m) => ({ title: String(m.title), to: String(m.to) }))
    .filter((m) => /^\d{4}-\d{2}-\d{2}$/.test(m.to));
}
const standInDays = (d: Record<string, unknown>) =>
  d.from === d.to ? formatDay(String(d.from)) : `${formatDay(String(d.from))} – ${formatDay(String(d.to))}`;

/** What happened, in the team's words, after the actor's name. */
export function eventSentence(e: HistoryEntry): string {
  const d = e.data;
  const person = (v: unknown) => (str(v) ? user(str(v)!) : 'nobody');
  switch (e.kind) {
    case 'engagement.created':
      return `created the engagement (${formatDay(String(d.startsOn), true)} → ${formatDay(String(d.endsOn), true)})`;
    case 'proposed':
      return d.candidateId
        ? `proposed ${person(d.candidateId)} ${d.kind === 'handover' ? 'to take over' : d.kind === 'stand-in' ? 'to stand in' : 'as owner'}`
        : 'found nobody eligible to propose';
    case 'approved':
      return `approved ${person(d.ownerId)} as owner`;
    case 'reassigned':
      return `handed it over to ${person(d.ownerId)}${str(d.previousOwnerId) ? `, from ${person(d.previousOwnerId)}` : ''}`;
    case 'overridden':
      return `chose ${person(d.ownerId)} as owner by hand (an override)`;
    case 'passed':
      return `passed over ${person(d.candidateId)}`;
    case 'declined':
      return 'handed it back';
    case 'handover.dismissed':
      return `kept ${person(d.ownerId)} as owner`;
    case 'stand-in.approved':
      return `approved ${person(d.standInId)} to stand in for ${person(d.ownerId)}, ${standInDays(d)}`;
    case 'stand-in.dismissed':
      return `decided no stand-in is needed for ${person(d.ownerId)}, ${standInDays(d)}`;
    case 'stand-in.ended':
      return d.calledOff
        ? `called off ${person(d.standInId)}'s cover: ${person(d.ownerId)} is back`
        : `ended ${person(d.standInId)}'s cover: ${person(d.ownerId)} is back ${formatDay(String(d.backOn))}`;
    case 'buddy.paired':
      return `paired ${person(d.buddyId)} as buddy of ${person(d.ownerId)}, a first-time owner`;
    case 'buddy.changed':
      return str(d.buddyId) ? `made ${person(d.buddyId)} the buddy` : 'left it without a buddy';
    case 'milestone.done':
      return `marked ${quoted(d.title)} done`;
    case 'milestone.snoozed':
      return `snoozed a milestone until ${formatDay(String(d.until))}`;
    case 'milestone.shifted': {
      const n = Math.abs(Number(d.days));
      const moved = moves(d.moves);
      return (
        `shifted the plan ${n} business day${n === 1 ? '' : 's'} ${Number(d.days) > 0 ? 'later' : 'earlier'} from ${quoted(d.from)}` +
        ` (${moved.length} milestone${moved.length === 1 ? '' : 's'} moved${str(d.endsOn) ? `; now ends ${formatDay(String(d.endsOn))}` : ''})`
      );
    }
    case 'milestone.redated': {
      const moved = moves(d.moves);
      return (
        `moved ${moved.length} milestone${moved.length === 1 ? '' : 's'} off days that are no longer business days: ` +
        moved.map((m) => `${quoted(m.title)} to ${formatDay(m.to)}`).join(', ')
      );
    }
    case 'risk.flagged':
      return 'flagged it at risk';
    case 'risk.added':
      return `added a risk: ${quoted(d.title)} (likelihood ${String(d.likelihood)}, impact ${String(d.impact)})`;
    case 'risk.resolved':
      return `resolved the risk ${quoted(d.title)}`;
    case 'status.posted':
      return `posted the status update${str(d.channelId) ? ` in <#${String(d.channelId)}>` : ''}${d.toClient === true ? ' (the client channel)' : ''}`;
    case 'closed':
      return 'closed the engagement';
    case 'owner.nudged':
      return str(d.standInId)
        ? `nudged ${person(d.standInId)}, standing in for ${person(d.ownerId)}, about overdue milestones`
        : `nudged ${person(d.ownerId)} about overdue milestones`;
    case 'retrospective.written':
      return str(d.wentWell) && str(d.toChange)
        ? `wrote the retrospective: ${retrospectiveText({ wentWell: str(d.wentWell)!, toChange: str(d.toChange)! })}`
        : 'wrote the retrospective';
    case 'channel.found_shared':
      return `found ${str(d.channelId) ? `<#${str(d.channelId)}>` : 'its channel'} shared with people outside the organisation: nothing internal goes there since`;
    default:
      return escapeText(e.kind.replace(/[._]/g, ' '));
  }
}

function entryLine(e: HistoryEntry, timeZone: string): string {
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(e.at);
  const part = (type: string) => local.find((p) => p.type === type)?.value ?? '';
  const when = `${formatDay(`${part('year')}-${part('month')}-${part('day')}`)} ${part('hour')}:${part('minute')}`;
  const who = e.actorId ? user(e.actorId) : 'Steward';
  const why = e.reason
    ? // Reasons mix people's words with mentions Steward wrote on purpose (`<@U…> handed it back`).
      `: _${escapeKeepingMentions(e.reason.length > 300 ? `${e.reason.slice(0, 299)}…` : e.reason)}_`
    : '';
  return `• ${when} · ${who} ${eventSentence(e)}${why}`;
}

export function historyMessage(page: HistoryPage): Message {
  const label = `#${page.engagement.number} ${page.engagement.clientName}`;
  const lines = page.entries.map((e) => entryLine(e, page.timeZone));
  const blocks: KnownBlock[] = [
    ...sections([
      page.first ? `*The story of ${escapeText(label)}*` : `*${escapeText(label)}*, continued`,
      ...(lines.length > 0 ? lines : ['_Nothing recorded yet._']),
    ]),
  ];
  if (page.moreAfter) {
    blocks.push({
      type: 'actions',
      block_id: HISTORY_BLOCKS.more,
      elements: [button(ACTIONS.historyMore, 'Show more', historyCursor(page.engagement.id, page.moreAfter))],
    });
  } else if (page.entries.length > 0) {
    blocks.push(context(`Times in ${page.timeZone}. That is the whole story so far.`));
  }
  return { text: `History of ${label}`, blocks };
}
