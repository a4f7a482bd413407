// The daily reminders job's decision for one team: which reminders, status-update
// prompts and escalations today's tick writes to the outbox. Sending is the outbox sender's business.
import type { Db } from '../db/connect.js';
import { listMembers } from '../db/members.js';
import { enqueue, takeMarks } from '../db/outbox.js';
import type { MilestoneRow, TeamRow } from '../db/schema.js';
import { standInsBetween, type StandIn } from '../db/stand-ins.js';
import { listActiveEngagements, listOpenMilestonesOfActiveEngagements } from '../db/sweeps.js';
import { findTeam } from '../db/teams.js';
import { addDays, type LocalDate } from '../domain/calendar.js';
import { remindersDue, type OpenMilestone } from '../domain/reminders.js';
import { fail, ok, type Result } from '../domain/result.js';
import { calendarOf, inTransaction, type FlowDeps } from './context.js';
import {
  toEngagementRef as engagementRef,
  outboxKey,
  type EscalationItem,
  type OutboxEntry,
  type ReminderItem,
  toOutboxRows,
} from './scheduled-messages.js';

/** When a team's reminders are due on the local day that contains `at`. */
export interface ReminderMoment {
  readonly day: LocalDate;
  readonly businessDay: boolean;
  /** The team's reminder time on that day, as an instant (DST-safe: see BusinessCalendar.instantAt). */
  readonly moment: Date;
}

export function reminderMoment(team: TeamRow, at: Date): ReminderMoment {
  const calendar = calendarOf(team);
  const day = calendar.localDate(at);
  return {
    day,
    businessDay: calendar.isBusinessDay(day),
    moment: calendar.instantAt(day, team.reminder_time),
  };
}

/** Taken when a team's reminders for a local day are planned: at most once per team and day. */
export const remindersMark = (day: LocalDate) => `reminders:${day}`;
const escalatedMark = (milestoneId: string) => `escalated:${milestoneId}`;

/** A lead's escalation DM lists at most this many milestones; more go in further messages. */
export const ESCALATIONS_PER_MESSAGE = 10;

export interface PlannedReminders {
  readonly day: LocalDate;
  /** Why nothing was planned: not a business day or before the reminder time, or planned already. */
  readonly skipped: 'not-due' | 'already-planned' | null;
  readonly reminders: number;
  readonly statusPrompts: number;
  /** Milestones escalated today (each once ever). */
  readonly escalated: number;
  /** Outbox rows written (a rerun after a crash between planning and sending writes none). */
  readonly written: number;
}

/**
 * Plans a team's reminders for the local day at `deps.now()`, once: on a business day at or after the
 * team's reminder time. After downtime the first tick plans today only (yesterday's reminders would be
 * stale noise), and escalations still fire: a milestone is escalated the first time a plan finds it
 * more than two business days overdue, however many days were missed.
 */
export async function planReminders(
  deps: FlowDeps,
  teamId: string,
): Promise<Result<PlannedReminders, 'unknown-team'>> {
  return inTransaction(deps.db, async (trx) => {
    const team = await findTeam(trx, teamId);
    if (!team) return fail('unknown-team', `No team ${teamId}.`);
    const at = deps.now();
    const { day, businessDay, moment } = reminderMoment(team, at);
    const nothing = { day, reminders: 0, statusPrompts: 0, escalated: 0, written: 0 };
    if (!businessDay || at < moment) return ok({ ...nothing, skipped: 'not-due' as const });
    // The mark is the lock: a replica planning the same team and day waits here, then finds it taken.
    const [taken] = await takeMarks(trx, team.id, [remindersMark(day)]);
    if (!taken) return ok({ ...nothing, skipped: 'already-planned' as const });
    return ok({ ...(await planDay(trx, team, day)), skipped: null });
  });
}

async function planDay(trx: Db, team: TeamRow, day: LocalDate) {
  const calendar = calendarOf(team);
  const engagements = new Map((await listActiveEngagements(trx, team.id)).map((e) => [e.id, e]));
  const milestones = await listOpenMilestonesOfActiveEngagements(trx, team.id);
  const due = remindersDue(milestones.map(toOpenMilestone), day, calendar);
  const expiresAt = calendar.instantAt(addDays(day, 1), '00:00');
  const entries: OutboxEntry[] = [];
  // On a day someone stands in for an owner briefly away, the owner's part of the day is theirs.
  const coverOf = new Map<string, StandIn>();
  for (const cover of await standInsBetween(trx, team.id, day, day)) {
    if (engagements.get(cover.engagementId)?.owner_id === cover.ownerId)
      coverOf.set(cover.engagementId, cover);
  }

  let reminders = 0;
  let statusPrompts = 0;
  for (const [engagementId, list] of due.byEngagement) {
    const engagement = engagements.get(engagementId);
    if (!engagement) continue;
    const ref = engagementRef(engagement);
    const cover = coverOf.get(engagement.id);
    // Status updates are the owner's weekly ritual: a DM to the owner, not a line in the client's channel.
    const items: ReminderItem[] = list
      .filter((d) => d.milestone.kind === 'milestone')
      .map((d) => ({
        milestoneId: d.milestone.id,
        title: d.milestone.title,
        dueOn: d.milestone.dueOn,
        urgency: d.urgency,
        businessDays: d.businessDays,
      }));
    if (items.length > 0) {
      reminders++;
      entries.push({
        teamId: team.id,
        key: outboxKey.reminder(engagement.id, day),
        // A channel found shared with the client hears nothing internal: the owner's DM instead,
        // until a lead names an internal channel.
        channelId:
          engagement.channel_shared && engagement.owner_id ? engagement.owner_id : engagement.channel_id,
        engagementId: engagement.id,
        message: {
          type: 'reminder',
          day,
          engagement: ref,
          items,
          ...(cover ? { standIn: { userId: cover.standInId, until: cover.endsOn } } : {}),
        },
        expiresAt,
      });
    }
    for (const d of list) {
      if (d.milestone.kind !== 'status_update' || d.urgency !== 'due-today' || !engagement.owner_id) continue;
      statusPrompts++;
      entries.push({
        teamId: team.id,
        key: outboxKey.statusUpdate(d.milestone.id),
        channelId: cover?.standInId ?? engagement.owner_id,
        engagementId: engagement.id,
        message: {
          type: 'status-update',
          day,
          engagement: ref,
          milestoneId: d.milestone.id,
          title: d.milestone.title,
          ...(cover ? { standingInFor: cover.ownerId } : {}),
        },
        expiresAt,
      });
    }
  }

  let escalated = 0;
  if (due.escalations.length > 0) {
    const leads = (await listMembers(trx, team.id)).filter((m) => m.is_lead);
    // With no lead to tell, nothing is marked: the escalation waits for the team to have one.
    if (leads.length > 0) {
      const newly = new Set(
        await takeMarks(
          trx,
          team.id,
          due.escalations.map((d) => escalatedMark(d.milestone.id)),
        ),
      );
      const items: EscalationItem[] = due.escalations
        .filter((d) => newly.has(escalatedMark(d.milestone.id)) && engagements.has(d.milestone.engagementId))
        .map((d) => {
          const standInId = coverOf.get(d.milestone.engagementId)?.standInId;
          return {
            engagement: engagementRef(engagements.get(d.milestone.engagementId)!),
            ...(standInId ? { standInId } : {}),
            milestoneId: d.milestone.id,
            title: d.milestone.title,
            dueOn: d.milestone.dueOn,
            businessDaysLate: d.businessDays,
          };
        });
      escalated = items.length;
      // The leads hear of every one; a stand-in (not a lead) of the ones on the engagements they cover.
      const recipients = leads.map((lead) => ({ userId: lead.user_id, items, standIn: false }));
      const leadIds = new Set(leads.map((l) => l.user_id));
      const standInIds = [...new Set(items.flatMap((i) => (i.standInId ? [i.standInId] : [])))];
      for (const standInId of standInIds.filter((id) => !leadIds.has(id)).sort()) {
        recipients.push({
          userId: standInId,
          items: items.filter((i) => i.standInId === standInId),
          standIn: true,
        });
      }
      for (const recipient of recipients) {
        const parts = Math.ceil(recipient.items.length / ESCALATIONS_PER_MESSAGE);
        for (let part = 1; part <= parts; part++) {
          entries.push({
            teamId: team.id,
            key: outboxKey.escalation(recipient.userId, day, part),
            channelId: recipient.userId,
            engagementId: null,
            message: {
              type: 'escalation',
              day,
              leadId: recipient.userId,
              items: recipient.items.slice(
                (part - 1) * ESCALATIONS_PER_MESSAGE,
                part * ESCALATIONS_PER_MESSAGE,
              ),
              part,
              parts,
              ...(recipient.standIn ? { toStandIn: true } : {}),
            },
            // An escalation is told once ever: it is never too late to hear of it.
            expiresAt: null,
          });
        }
      }
    }
  }

  const written = await enqueue(trx, toOutboxRows(entries));
  return { day, reminders, statusPrompts, escalated, written };
}

const toOpenMilestone = (m: MilestoneRow): OpenMilestone => ({
  id: m.id,
  engagementId: m.engagement_id,
  kind: m.kind,
  title: m.title,
  dueOn: m.due_on,
  snoozedUntil: m.snoozed_until,
});
