// `/engagement list`, `/engagement load` and App Home: the same facts, worded once.
import type {
  Cover,
  EngagementSummary,
  MemberLoad,
  MyEngagements,
  RotationQueue,
  TeamOverview,
} from '../../flows/overview.js';
import { ACTIONS } from '../ids.js';
import {
  bullets,
  button,
  channel,
  clip,
  context,
  divider,
  escapeText,
  formatDay,
  section,
  sections,
  user,
  type HomeView,
  type KnownBlock,
  type Message,
} from './kit.js';
import type { WaitingOnLead } from '../../flows/lead-home.js';
import { waitingBlocks } from './lead-home.js';
import { pagedBlocks } from './paging.js';
import { retrospectiveText } from './closing.js';
import { engagementLabel } from './proposal.js';
import { riskLine } from './risks.js';

// A long note is shortened in App Home so every engagement still fits (the owner's DM has it whole).
const HOME_NOTES_MAX = 400;

export function engagementLine(s: EngagementSummary, today: string): string {
  const e = s.engagement;
  const owner = e.ownerId ? `owner ${user(e.ownerId)}` : '_awaiting an owner_';
  const m = s.nextMilestone;
  // A snooze leaves the due date as it is: list says both.
  const snoozed =
    m?.snoozedUntil && m.snoozedUntil > today
      ? `; snoozed, back in the reminder of ${formatDay(m.snoozedUntil)}`
      : '';
  const next = m
    ? `next: ${escapeText(m.title)} (due ${formatDay(m.dueOn)}${m.dueOn < today ? ', overdue' : ''}${snoozed})`
    : 'all milestones done';
  const risk = s.openRisks > 0 ? ` :warning: ${s.openRisks} open risk${s.openRisks === 1 ? '' : 's'}` : '';
  const overdue = s.overdue > 1 ? ` · ${s.overdue} overdue` : '';
  return `*${engagementLabel(e)}* ${channel(e.channelId)} · ${owner}${risk} · ${next}${overdue}`;
}

function engagementsText(engagements: readonly EngagementSummary[], today: string): string {
  if (engagements.length === 0) return 'No open engagements. Start one with `/engagement new`.';
  return bullets(engagements.map((s) => engagementLine(s, today)));
}

export function workloadLine(m: MemberLoad): string {
  const numbers = m.owned.map((e) => `#${e.number}`).join(', ');
  const owns = `${m.owned.length}/${m.capacity}${numbers ? ` (${numbers})` : ''}`;
  const away = m.away.map((a) => `away ${formatDay(a.startsOn)} – ${formatDay(a.endsOn)}`).join(', ');
  const proposed = m.proposed.map((e) => `#${e.number}`).join(', ');
  const notes = [
    !m.inRotation ? 'not in the rotation' : null,
    m.inRotation && m.capacity === 0 ? 'capacity 0: never proposed' : null,
    m.capacity > 0 && m.owned.length >= m.capacity ? 'at capacity' : null,
    proposed ? `proposed for ${proposed}, awaiting a lead` : null,
    away || null,
    ...wishNotes(m),
  ].filter(Boolean);
  return `${user(m.userId)} ${owns}${notes.length > 0 ? ` · ${notes.join(' · ')}` : ''}`;
}

function workloadText(workload: readonly MemberLoad[]): string {
  if (workload.length === 0)
    return 'Nobody is on the rotation yet: a lead adds people with `/engagement team add @someone`.';
  return bullets(workload.map(workloadLine));
}

/** Who would be proposed next, one line each, and who is not eligible. */
export function queueLines(queue: RotationQueue): string[] {
  const intro = `For an engagement starting ${formatDay(queue.startsOn)} on the default plan:`;
  const ranked = queue.ranked.map(
    (c, i) => `${i + 1}. ${user(c.userId)}: ${c.reasons.map(escapeText).join('; ')}`,
  );
  const skipped = queue.skipped
    .filter((s) => s.reason !== 'not-in-rotation')
    .map((s) => `${escapeText(s.name)}: ${escapeText(s.text)}`);
  const lines = [intro, ...(ranked.length > 0 ? ranked : ['_Nobody is eligible right now._'])];
  if (skipped.length > 0) lines.push(`Not eligible: ${skipped.join('; ')}`);
  return lines;
}

export function queueText(queue: RotationQueue): string {
  return queueLines(queue).join('\n');
}

/** `/engagement list`, a page at a time from `offset` (its "Show more" carries the next one). */
export function listMessage(engagements: readonly EngagementSummary[], today: string, offset = 0): Message {
  if (engagements.length === 0)
    return {
      text: 'No open engagements',
      blocks: [section(`*Open engagements*\n${engagementsText(engagements, today)}`)],
    };
  return {
    text: `${engagements.length} open engagement(s)`,
    blocks: pagedBlocks(
      '*Open engagements*',
      engagements.map((s) => `• ${engagementLine(s, today)}`),
      offset,
      { actionId: ACTIONS.listMore, what: 'engagements' },
    ),
  };
}

/** `/engagement load`: everyone's workload, then who is next, a page at a time from `offset`. */
export function loadMessage(overview: TeamOverview, offset = 0): Message {
  const lines = [
    ...(overview.workload.length === 0
      ? [workloadText(overview.workload)]
      : overview.workload.map((m) => `• ${workloadLine(m)}`)),
    '*Who is next*',
    ...queueLines(overview.queue),
  ];
  return {
    text: 'Team workload and rotation queue',
    blocks: pagedBlocks('*Workload* (owned engagements / capacity)', lines, offset, {
      actionId: ACTIONS.loadMore,
      what: 'lines',
    }),
  };
}

const coverDays = (c: Cover) =>
  c.startsOn === c.endsOn ? formatDay(c.startsOn) : `${formatDay(c.startsOn)} – ${formatDay(c.endsOn)}`;

/** Where I stand in for an away owner: shown as cover, never counted as a turn. */
function standingInText(mine: MyEngagements): string {
  return mine.standingIn
    .map((c) => `• *#${c.number} ${escapeText(c.clientName)}* for ${user(c.ownerId)}, ${coverDays(c)}`)
    .join('\n');
}

function myText(mine: MyEngagements): string {
  if (mine.owned.length === 0) return "You don't own any engagements right now.";
  return mine.owned
    .map(({ engagement: e, next, risks, lastRetrospective, standIns }) => {
      const upcoming =
        next.length > 0
          ? bullets(
              next.map(
                (m) =>
                  `${formatDay(m.dueOn)}: ${escapeText(m.title)}${m.dueOn < mine.today ? ' _(overdue)_' : ''}`,
              ),
            )
          : '_All milestones done._';
      const register = risks.length > 0 ? `\n*Open risks*\n${risks.map(riskLine).join('\n')}` : '';
      // App Home is the owner's own: the form's notes and their buddy belong here (the notes whole
      // are in the owner's DM; here a long one is shortened so the other engagements still fit).
      const buddy = e.buddyId ? ` · buddy ${user(e.buddyId)}` : '';
      const notes = e.notes ? `\n_Notes:_ ${escapeText(clip(e.notes, HOME_NOTES_MAX))}` : '';
      const learnt = lastRetrospective
        ? `\n_Last time on this plan (#${lastRetrospective.number} ${escapeText(lastRetrospective.clientName)}, ${user(lastRetrospective.writtenBy)})_: ${retrospectiveText(lastRetrospective)}`
        : '';
      const cover = standIns.map((c) => `\n_Stand-in:_ ${user(c.standInId)}, ${coverDays(c)}`).join('');
      return `*${engagementLabel(e)}* ${channel(e.channelId)}${buddy}${cover}\n${upcoming}${register}${notes}${learnt}`;
    })
    .join('\n\n');
}

// An owner owns a few engagements; the cap keeps a lead who owns many inside the home's 100 blocks.
const OWNER_BUTTONS = 25;

/**
 * The owner's own buttons under their engagements: Shift plan, one actions block per engagement
 * (Slack refuses the same action_id twice in one block).
 */
function ownerActions(mine: MyEngagements): KnownBlock[] {
  return mine.owned.slice(0, OWNER_BUTTONS).map(({ engagement: e }) => ({
    type: 'actions',
    block_id: `home_owner_actions_${e.id}`,
    elements: [button(ACTIONS.shiftPlan, `Shift plan · #${e.number} ${e.clientName}`, e.id)],
  }));
}

export interface HomeInput {
  readonly mine: MyEngagements | null;
  /** null: Steward isn't set up for this workspace yet. */
  readonly overview: TeamOverview | null;
  /** What waits on a lead; null for anyone else. */
  readonly waiting?: WaitingOnLead | null;
  readonly waitingOffset?: number;
}

export function homeView({ mine, overview, waiting = null, waitingOffset = 0 }: HomeInput): HomeView {
  const canStart = overview?.rotationChannelId != null;
  const blocks: KnownBlock[] = [
    section('*Steward* rotates who owns client engagements, by load and availability.'),
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [
        ...(canStart ? [button(ACTIONS.homeNewEngagement, 'New engagement', 'new', 'primary')] : []),
        button(ACTIONS.homeRefresh, 'Refresh', 'refresh'),
      ],
    },
  ];
  if (!canStart) {
    blocks.push(
      context("Run `/engagement new` in your team's rotation channel to start the first engagement."),
    );
  }
  if (waiting) blocks.push(divider(), ...waitingBlocks(waiting, waitingOffset));
  blocks.push(
    divider(),
    // A long list takes several sections (3,000 characters each), split between lines, never inside one.
    ...sections(
      `*Your engagements*\n${mine ? myText(mine) : "You don't own any engagements right now."}`.split('\n'),
    ),
  );
  if (mine && mine.owned.length > 0) blocks.push(...ownerActions(mine));
  if (mine && mine.standingIn.length > 0) {
    blocks.push(divider(), ...sections(`*You stand in*\n${standingInText(mine)}`.split('\n')));
  }
  if (overview) {
    blocks.push(
      divider(),
      ...sections(`*Open engagements*\n${engagementsText(overview.engagements, overview.today)}`.split('\n')),
      divider(),
      ...sections(
        `*Team workload* (owned engagements / capacity)\n${workloadText(overview.workload)}`.split('\n'),
      ),
      divider(),
      ...sections(['*Rotation queue*', ...queueLines(overview.queue)]),
    );
  }
  return { type: 'home', blocks };
}

/** What someone asked of the rotation, as `load` and App Home show it (a pause that is over is not shown). */
function wishNotes(m: Pick<MemberLoad, 'interest' | 'pausedUntil' | 'away'>): string[] {
  const notes: string[] = [];
  if (m.interest === 'more') notes.push('asked for more turns');
  if (m.interest === 'fewer') notes.push('asked for fewer turns');
  if (m.pausedUntil) notes.push(`paused until ${formatDay(m.pausedUntil, true)}`);
  return notes;
}
