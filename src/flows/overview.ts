// Read-only views of the team's state for `/engagement list`, `/engagement load` and App Home.
// Nothing here writes: a person looking never changes what Steward will do.
import type { Db } from '../db/connect.js';
import {
  findEngagement,
  findEngagementByNumber,
  listEngagements,
  listOpenMilestonesOf,
  listTentativeOwnerships,
} from '../db/engagements.js';
import { findMember, listMembers, listTimeAway } from '../db/members.js';
import { countOpenRisks, listOpenRisks } from '../db/risks.js';
import { standInsFrom } from '../db/stand-ins.js';
import { latestRetrospectivesByTemplate, templateNameOf } from '../db/retrospectives.js';
import type { EngagementRow, MemberRow, MilestoneRow, TeamRow } from '../db/schema.js';
import {
  findNewEngagementContext,
  listPlanTemplates,
  toPlanTemplate,
  type NewEngagementContext,
} from '../db/teams.js';
import type { LocalDate } from '../domain/calendar.js';
import { expandPlan } from '../domain/plan.js';
import type { Candidate, Ownership, Skipped } from '../domain/rotation.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, requireTeam, type Actor, type FlowDeps } from './context.js';
import { rankTeamFor, toEngagementView, type EngagementView } from './proposing.js';
import { riskView, type RiskView } from './risks.js';

/** An open engagement as `list`, `load` and App Home show it. */
export interface OpenEngagement {
  readonly id: string;
  readonly number: number;
  readonly clientName: string;
  readonly channelId: string;
  readonly ownerId: string | null;
}

/** An open milestone as these lists show it. */
export interface OpenMilestone {
  readonly title: string;
  readonly dueOn: LocalDate;
  /** Reminders wait until this day; the due date stays as it is. */
  readonly snoozedUntil: LocalDate | null;
}

const openEngagement = (e: EngagementRow): OpenEngagement => ({
  id: e.id,
  number: e.number,
  clientName: e.client_name,
  channelId: e.channel_id,
  ownerId: e.owner_id,
});

const openMilestone = (m: MilestoneRow): OpenMilestone => ({
  title: m.title,
  dueOn: m.due_on,
  snoozedUntil: m.snoozed_until,
});

export interface EngagementSummary {
  readonly engagement: OpenEngagement;
  readonly ownerName: string | null;
  /** The earliest milestone not yet done, or null when all are. */
  readonly nextMilestone: OpenMilestone | null;
  /** Open milestones due before today. */
  readonly overdue: number;
  /** Open risks in its register. */
  readonly openRisks: number;
}

export interface MemberLoad {
  readonly userId: string;
  readonly name: string;
  readonly isLead: boolean;
  readonly inRotation: boolean;
  readonly capacity: number;
  /** What they asked of the rotation: more or fewer turns, a pause through a day. */
  readonly interest: 'more' | 'fewer' | 'normal';
  readonly pausedUntil: LocalDate | null;
  /** Open engagements they own (awaiting-owner ones have no owner), by number. */
  readonly owned: readonly EngagementNumber[];
  /** Engagements they are proposed for, awaiting a lead: tentative turns. */
  readonly proposed: readonly EngagementNumber[];
  /** Time away that has not ended yet, soonest first. */
  readonly away: readonly { readonly startsOn: LocalDate; readonly endsOn: LocalDate }[];
}

/** How `load` names an engagement in a member's line. */
export interface EngagementNumber {
  readonly number: number;
}

export interface RotationQueue {
  /** The hypothetical engagement ranked for: the default plan starting the next business day. */
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
  /** Eligible members, best first: the first would be proposed next. */
  readonly ranked: readonly Candidate[];
  readonly skipped: readonly Skipped[];
}

export interface TeamOverview {
  /** Where proposals go; null until the first `/engagement new` sets it. */
  readonly rotationChannelId: string | null;
  readonly today: LocalDate;
  readonly engagements: readonly EngagementSummary[];
  readonly workload: readonly MemberLoad[];
  readonly queue: RotationQueue;
}

export interface MyEngagements {
  readonly today: LocalDate;
  readonly owned: readonly {
    readonly engagement: MyEngagement;
    readonly next: readonly OpenMilestone[];
    /** Its open risks (internal: App Home is the owner's own). */
    readonly risks: readonly RiskView[];
    /** The latest retrospective of another engagement on the same plan: what the last owner learnt. */
    readonly lastRetrospective: {
      readonly number: number;
      readonly clientName: string;
      readonly writtenBy: string;
      readonly wentWell: string;
      readonly toChange: string;
    } | null;
    /** Who covers it while I am away (today on), if anyone does. */
    readonly standIns: readonly Cover[];
  }[];
  /** Where I stand in for an owner who is away, today on: cover, not turns. */
  readonly standingIn: readonly Cover[];
}

/** An engagement in its owner's App Home: their own, so the form's notes and their buddy too. */
export interface MyEngagement {
  readonly id: string;
  readonly number: number;
  readonly clientName: string;
  readonly channelId: string;
  readonly buddyId: string | null;
  readonly notes: string | null;
}

const myEngagement = (e: EngagementRow): MyEngagement => ({
  id: e.id,
  number: e.number,
  clientName: e.client_name,
  channelId: e.channel_id,
  buddyId: e.buddy_id,
  notes: e.notes,
});

/** A stand-in's days on an engagement, inclusive. */
export interface Cover {
  readonly number: number;
  readonly clientName: string;
  readonly ownerId: string;
  readonly standInId: string;
  readonly startsOn: LocalDate;
  readonly endsOn: LocalDate;
}

const isOpen = (e: EngagementRow) => e.status !== 'closed';

function today(deps: FlowDeps, team: TeamRow): LocalDate {
  return calendarOf(team).localDate(deps.now());
}

/** Each engagement with its owner's name and its next and overdue milestones: one query for all. */
async function summarise(
  db: Db,
  engagements: readonly EngagementRow[],
  names: ReadonlyMap<string, string>,
  on: LocalDate,
): Promise<EngagementSummary[]> {
  const ids = engagements.map((e) => e.id);
  const open = await listOpenMilestonesOf(db, ids);
  const risks = await countOpenRisks(db, ids);
  return engagements.map((engagement) => {
    const milestones = open.get(engagement.id) ?? [];
    const next = milestones[0];
    return {
      engagement: openEngagement(engagement),
      ownerName: engagement.owner_id ? (names.get(engagement.owner_id) ?? null) : null,
      nextMilestone: next ? openMilestone(next) : null,
      overdue: milestones.filter((m) => m.due_on < on).length,
      openRisks: risks.get(engagement.id) ?? 0,
    };
  });
}

/** Why `list`, `load` and App Home show nothing of the team: not set up yet, or a guest asks. */
export type TeamViewFailure = 'unknown-team' | 'not-on-team';

/** What `list`, `load` and App Home start from: the team, today, who is who, the open engagements. */
async function openTeamView(deps: FlowDeps, actor: Actor) {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return team;
  const inside = await mayLookInside(deps, actor);
  if (!inside.ok) return inside;
  const on = today(deps, team.value);
  const members = await listMembers(deps.db, actor.teamId);
  const names = new Map(members.map((m) => [m.user_id, m.name]));
  const engagements = await listEngagements(deps.db, actor.teamId, {
    statuses: ['awaiting_owner', 'active'],
  });
  return ok({
    team: team.value,
    on,
    members,
    engagements,
    summaries: await summarise(deps.db, engagements, names, on),
  });
}

/** `/engagement list`: open engagements with owners and their next milestone, soonest start first. */
export async function listOpenEngagements(
  deps: FlowDeps,
  actor: Actor,
): Promise<Result<{ today: LocalDate; engagements: EngagementSummary[] }, TeamViewFailure>> {
  const view = await openTeamView(deps, actor);
  if (!view.ok) return view;
  return ok({ today: view.value.on, engagements: view.value.summaries });
}

function workloadOf(
  members: readonly MemberRow[],
  engagements: readonly EngagementRow[],
  away: readonly { user_id: string; starts_on: string; ends_on: string }[],
  tentative: readonly Ownership[],
  on: LocalDate,
): MemberLoad[] {
  const byId = new Map(engagements.map((e) => [e.id, e]));
  // Leads outside the rotation appear only while they still own something.
  return members
    .map((m) => ({
      userId: m.user_id,
      name: m.name,
      isLead: m.is_lead,
      inRotation: m.in_rotation,
      capacity: m.capacity,
      interest: m.interest,
      // A pause that has ended is no longer anyone's wish.
      pausedUntil: m.paused_until !== null && m.paused_until >= on ? m.paused_until : null,
      owned: engagements
        .filter((e) => isOpen(e) && e.owner_id === m.user_id)
        .map((e) => ({ number: e.number })),
      proposed: tentative.flatMap((t) => {
        const e = t.ownerId === m.user_id ? byId.get(t.engagementId) : undefined;
        return e ? [{ number: e.number }] : [];
      }),
      away: away
        .filter((a) => a.user_id === m.user_id)
        .map((a) => ({ startsOn: a.starts_on, endsOn: a.ends_on }))
        .sort((a, b) => a.startsOn.localeCompare(b.startsOn)),
    }))
    .filter((m) => m.inRotation || m.owned.length > 0);
}

/**
 * Who would be proposed next, and why: the team ranked for a hypothetical engagement on the default
 * plan starting the next business day, with nobody excluded and no delivery lead.
 */
export async function rotationQueueFor(deps: FlowDeps, team: TeamRow): Promise<RotationQueue> {
  const calendar = calendarOf(team);
  const startsOn = calendar.nextBusinessDay(today(deps, team));
  const template = (await listPlanTemplates(deps.db, team.id))[0];
  const endsOn = template ? expandPlan(toPlanTemplate(template), startsOn, calendar).endsOn : startsOn;
  const ranking = await rankTeamFor(deps.db, team, { startsOn, endsOn, deliveryLeadId: null }, []);
  return {
    startsOn,
    endsOn,
    ranked: ranking.kind === 'proposed' ? [ranking.owner, ...ranking.queue] : [],
    skipped: ranking.skipped,
  };
}

/** `/engagement load` and App Home: open engagements, each member's workload, the rotation queue. */
export async function teamOverview(
  deps: FlowDeps,
  actor: Actor,
): Promise<Result<TeamOverview, TeamViewFailure>> {
  const view = await openTeamView(deps, actor);
  if (!view.ok) return view;
  const { team, on, members, engagements, summaries } = view.value;
  // Far enough ahead to show anything that will matter for the next engagement's window.
  const away = await listTimeAway(deps.db, actor.teamId, on, '9999-12-31');
  return ok({
    rotationChannelId: team.rotation_channel_id,
    today: on,
    engagements: summaries,
    workload: workloadOf(
      members,
      engagements,
      away,
      await listTentativeOwnerships(deps.db, actor.teamId),
      on,
    ),
    queue: await rotationQueueFor(deps, team),
  });
}

/** App Home's first section: the engagements I own and their next few milestones. */
export async function myEngagements(
  deps: FlowDeps,
  actor: Actor,
): Promise<Result<MyEngagements, 'unknown-team'>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return team;
  const owned = await listEngagements(deps.db, actor.teamId, {
    statuses: ['active'],
    ownerId: actor.userId,
  });
  const ids = owned.map((e) => e.id);
  const open = await listOpenMilestonesOf(deps.db, ids);
  const risks = (await listOpenRisks(deps.db, actor.teamId, ids)).map(riskView);
  const templateNames = new Map<string, string>();
  for (const e of owned) templateNames.set(e.id, (await templateNameOf(deps.db, e.template_id)) ?? '');
  const learnt = await latestRetrospectivesByTemplate(deps.db, actor.teamId, [
    ...new Set(templateNames.values()),
  ]);
  const day = today(deps, team.value);
  const covering = await standInsFrom(deps.db, actor.teamId, day, { engagementIds: ids });
  const standingIn = await standInsFrom(deps.db, actor.teamId, day, { standInId: actor.userId });
  return ok({
    today: day,
    standingIn,
    owned: owned.map((engagement) => ({
      standIns: covering.filter((c) => c.engagementId === engagement.id),
      engagement: myEngagement(engagement),
      // Every open milestone: an owner owns a few engagements, and App Home splits long text between lines.
      next: (open.get(engagement.id) ?? []).map(openMilestone),
      risks: risks.filter((r) => r.engagementId === engagement.id),
      lastRetrospective: ((r) =>
        r
          ? {
              number: r.number,
              clientName: r.client_name,
              writtenBy: r.written_by,
              wentWell: r.went_well,
              toChange: r.to_change,
            }
          : null)(learnt.get(templateNames.get(engagement.id) ?? '')),
    })),
  });
}

/** Resolves `#3` (or `3`) from a command to the engagement it names. */
export async function engagementByNumber(
  deps: FlowDeps,
  actor: Actor,
  number: number,
): Promise<Result<EngagementView, 'unknown-engagement'>> {
  const engagement = await findEngagementByNumber(deps.db, actor.teamId, number);
  return engagement
    ? ok(toEngagementView(engagement))
    : fail('unknown-engagement', `There is no engagement #${number}.`);
}

export interface NewEngagementDefaults {
  /** The next business day: what the modal's date picker starts on. */
  readonly startsOn: LocalDate;
  /** The team's templates, the default first. */
  readonly templates: NewEngagementContext['templates'];
  /** Where proposals go; null until the first `/engagement new` sets it. */
  readonly rotationChannelId: string | null;
}

/**
 * What the new-engagement modal opens with, if the person may start an engagement (asked before
 * the modal opens, so nobody fills in a form only to be refused; createEngagement applies the
 * same rule when it is submitted).
 */
export async function newEngagementForm(
  deps: FlowDeps,
  actor: Actor,
): Promise<Result<NewEngagementDefaults, 'not-on-team'>> {
  const read = () => findNewEngagementContext(deps.db, actor.teamId, actor.userId);
  const { member, team, templates } = deps.formFacts
    ? await deps.formFacts.get(actor.teamId, actor.userId, read)
    : await read();
  if (!member || !(member.in_rotation || member.is_lead)) return notOnTeam();
  // Before the team exists (its first command), a plain Monday-to-Friday calendar in UTC.
  const calendar = calendarOf(team ?? { time_zone: 'UTC', holiday_region: null, extra_holidays: [] });
  const startsOn = calendar.nextBusinessDay(calendar.localDate(deps.now()));
  return ok({ startsOn, templates, rotationChannelId: team?.rotation_channel_id ?? null });
}

/** Whether Steward has seen the acting person before. */
export async function knownPerson(deps: FlowDeps, actor: Actor): Promise<boolean> {
  return (await findMember(deps.db, actor.teamId, actor.userId)) !== undefined;
}

/** One engagement of the actor's team, by id (button values carry ids). */
export async function engagementById(
  deps: FlowDeps,
  actor: Actor,
  engagementId: string,
): Promise<Result<EngagementView, 'unknown-engagement'>> {
  const engagement = await findEngagement(deps.db, actor.teamId, engagementId);
  return engagement
    ? ok(toEngagementView(engagement))
    : fail('unknown-engagement', 'That engagement no longer exists.');
}

const notOnTeam = () =>
  fail(
    'not-on-team',
    "Only the team's members and leads can start an engagement; a lead can add you with `/engagement team add`.",
  );

/**
 * Workload, time away and skip reasons are the team's own business: a guest (perhaps from the
 * client, in a shared channel) sees none of it.
 */
async function mayLookInside(deps: FlowDeps, actor: Actor): Promise<Result<true, 'not-on-team'>> {
  const member = await findMember(deps.db, actor.teamId, actor.userId);
  if (member && (member.in_rotation || member.is_lead)) return ok(true);
  // A team still being set up has nothing to hide, and a newcomer sees where to start.
  const rotation = await listMembers(deps.db, actor.teamId);
  if (!rotation.some((m) => m.in_rotation)) return ok(true);
  return fail(
    'not-on-team',
    "That is for the team's members and leads; a lead can add you with `/engagement team add`.",
  );
}
