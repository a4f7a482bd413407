// The fairness and exposure report: who has had how much client exposure, weighed by
// availability. Read-only. Members see turn counts (fairness is public inside the team); on-time
// shares are for leads; a guest sees nothing.
import { listMembers } from '../db/members.js';
import { nextTurnStart } from '../db/ownership-periods.js';
import {
  onTimeByOwner,
  periodsOverlapping,
  roleCounts,
  standInsOverlapping,
  timeAwayOverlapping,
  turnSummaries,
} from '../db/report.js';
import type { MemberRow } from '../db/schema.js';
import { isValidLocalDate, type LocalDate } from '../domain/calendar.js';
import {
  defaultReportPeriod,
  exposureReport,
  UNEVEN_BELOW,
  type MemberExposure,
  type ReportMember,
} from '../domain/report.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, requireTeam, type Actor, type FlowDeps } from './context.js';

export interface MemberExposureView extends Omit<MemberExposure, 'onTime'> {
  /** Share of their owned milestones done by the due date: leads only (null for others, or none due). */
  readonly onTimeShare: number | null;
}

export interface ExposureReportView {
  readonly from: LocalDate;
  readonly to: LocalDate;
  /** The asker is a lead: on-time shares are filled in. */
  readonly forLead: boolean;
  /** Fewest turns per available day first: who most needs a turn leads the list. */
  readonly members: readonly MemberExposureView[];
  readonly balance: number | null;
  readonly uneven: boolean;
  readonly spread: { readonly fewest: number; readonly most: number } | null;
  readonly totalTurns: number;
  readonly flagged: readonly { readonly userId: string; readonly name: string; readonly flag: string }[];
}

export type ReportFailure = 'unknown-team' | 'not-on-team' | 'bad-period';

/** Reports never reach back further than this: a typo like 2206 should not scan centuries. */
const LONGEST_PERIOD_YEARS = 10;

/** `/engagement report [FROM TO]`; without dates the last 12 months up to today. */
export async function exposureReportFor(
  deps: FlowDeps,
  actor: Actor,
  period: { from?: LocalDate; to?: LocalDate } = {},
): Promise<Result<ExposureReportView, ReportFailure>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return fail('unknown-team', team.message);
  const calendar = calendarOf(team.value);
  const today = calendar.localDate(deps.now());
  const members = await listMembers(deps.db, actor.teamId);
  const asker = members.find((m) => m.user_id === actor.userId);
  if (!(asker && (asker.in_rotation || asker.is_lead))) {
    return fail('not-on-team', "The report is for the team's members and leads.");
  }
  const range = period.from && period.to ? { from: period.from, to: period.to } : defaultReportPeriod(today);
  if (!isValidLocalDate(range.from) || !isValidLocalDate(range.to) || range.to < range.from) {
    return fail(
      'bad-period',
      'Give the period as two dates, the first not after the second, e.g. `2026-01-01 2026-06-30`.',
    );
  }
  if (Number(range.to.slice(0, 4)) - Number(range.from.slice(0, 4)) > LONGEST_PERIOD_YEARS) {
    return fail('bad-period', `A report covers at most ${LONGEST_PERIOD_YEARS} years.`);
  }
  const forLead = asker.is_lead;
  const { db } = deps;
  const [turns, summaries, timeAway, standIns, roles, onTime] = await Promise.all([
    periodsOverlapping(db, actor.teamId, range),
    turnSummaries(db, actor.teamId, range),
    timeAwayOverlapping(db, actor.teamId, range),
    standInsOverlapping(db, actor.teamId, range),
    roleCounts(db, actor.teamId, range),
    forLead
      ? onTimeByOwner(db, actor.teamId, { ...range, today }, team.value.time_zone)
      : Promise.resolve(new Map()),
  ]);
  const owners = new Set(turns.filter((t) => t.startsOn >= range.from).map((t) => t.userId));
  const reported = members.filter((m) => m.in_rotation || owners.has(m.user_id));
  const report = exposureReport({
    ...range,
    today,
    calendar,
    members: reported.map((m) => reportMember(m, calendar.localDate(m.created_at))),
    turns,
    summaries,
    timeAway,
    standIns,
    buddyTurns: [],
    deliveryLeads: [],
    milestones: [],
    onTime,
    roles,
  });
  const views = report.members.map(({ onTime, ...rest }): MemberExposureView => ({
    ...rest,
    onTimeShare: forLead && onTime.due > 0 ? onTime.done / onTime.due : null,
  }));
  views.sort(
    (a, b) =>
      (a.turnsPer100Days ?? Infinity) - (b.turnsPer100Days ?? Infinity) || a.name.localeCompare(b.name),
  );
  return ok({
    from: report.from,
    to: report.to,
    forLead,
    members: views,
    balance: report.balance,
    uneven: report.balance !== null && report.balance < UNEVEN_BELOW,
    spread: report.spread,
    totalTurns: report.totalTurns,
    flagged: views.flatMap((m) => (m.flag ? [{ userId: m.userId, name: m.name, flag: m.flag }] : [])),
  });
}

function reportMember(m: MemberRow, joinedOn: LocalDate): ReportMember {
  return {
    userId: m.user_id,
    name: m.name,
    joinedOn,
    interest: m.interest,
    pausedUntil: m.paused_until,
  };
}

export interface HomeExposure {
  /** The person's own figures this calendar year; null when they are not in the report. */
  readonly mine: {
    readonly turnsThisYear: number;
    readonly lastTurn: LocalDate | null;
    /** An approved turn that has not begun yet: its first day. */
    readonly nextTurn: LocalDate | null;
    readonly interest: MemberExposureView['interest'];
    readonly pausedUntil: LocalDate | null;
  } | null;
  /** For leads: the last 12 months' balance and who is flagged. */
  readonly team: Pick<ExposureReportView, 'from' | 'to' | 'balance' | 'uneven' | 'spread' | 'flagged'> | null;
}

/** App Home's exposure: everyone's own, and for leads the team's balance. */
export async function homeExposure(
  deps: FlowDeps,
  actor: Actor,
): Promise<Result<HomeExposure, ReportFailure>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return fail('unknown-team', team.message);
  const today = calendarOf(team.value).localDate(deps.now());
  const thisYear = await exposureReportFor(deps, actor, { from: `${today.slice(0, 4)}-01-01`, to: today });
  if (!thisYear.ok) return thisYear;
  const row = thisYear.value.members.find((m) => m.userId === actor.userId);
  const yearly = thisYear.value.forLead ? await exposureReportFor(deps, actor) : null;
  if (yearly && !yearly.ok) return yearly;
  return ok({
    mine: row
      ? {
          turnsThisYear: row.turns,
          lastTurn: row.lastTurn,
          nextTurn: await nextTurnStart(deps.db, actor.teamId, actor.userId, today),
          interest: row.interest,
          pausedUntil: row.pausedUntil,
        }
      : null,
    team: yearly ? yearly.value : null,
  });
}
