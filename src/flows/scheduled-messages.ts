// What the scheduled jobs say, as data. A planning flow writes one of these into the outbox; the
// sender renders it (src/slack/blocks/) only when it posts. The outbox keeps facts rather than Block
// Kit so that flows stay free of Slack, and so that a message renders with the builders of the
// version that sends it.
import type { NewOutboxRow } from '../db/outbox.js';
import type { EngagementRow, ProposalRow } from '../db/schema.js';
import type { LocalDate } from '../domain/calendar.js';
import type { Urgency } from '../domain/reminders.js';
import type { ProposalView } from './proposing.js';

/** The little of an engagement a message shows. */
export interface EngagementRef {
  readonly id: string;
  readonly number: number;
  readonly clientName: string;
  readonly channelId: string;
  readonly ownerId: string | null;
}

export interface ReminderItem {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueOn: LocalDate;
  readonly urgency: Urgency;
  /** Business days late (overdue), 0 (today) or left (due soon). */
  readonly businessDays: number;
}

/** The day's one reminder in an engagement's channel, with its buttons. */
export interface ReminderMessage {
  readonly type: 'reminder';
  readonly day: LocalDate;
  readonly engagement: EngagementRef;
  readonly items: readonly ReminderItem[];
}

/** The owner's DM on the day a weekly client status update is due. */
export interface StatusUpdatePrompt {
  readonly type: 'status-update';
  readonly day: LocalDate;
  readonly engagement: EngagementRef;
  readonly milestoneId: string;
  readonly title: string;
}

export interface EscalationItem {
  readonly engagement: EngagementRef;
  readonly milestoneId: string;
  readonly title: string;
  readonly dueOn: LocalDate;
  readonly businessDaysLate: number;
}

/** A lead's DM about milestones newly overdue by more than two business days. */
export interface EscalationMessage {
  readonly type: 'escalation';
  readonly day: LocalDate;
  readonly leadId: string;
  readonly items: readonly EscalationItem[];
  /** A long list is split over several messages: this is message `part` of `parts` (1-based). */
  readonly part: number;
  readonly parts: number;
}

export interface NudgeItem {
  readonly proposalId: string;
  readonly kind: 'owner' | 'handover';
  readonly engagement: EngagementRef & { readonly startsOn: LocalDate };
  readonly candidateId: string | null;
  /** The local day the proposal was made. */
  readonly since: LocalDate;
  /** Where the proposal's buttons are. */
  readonly rotationChannelId: string;
}

/** A lead's DM listing the proposals still waiting for a decision. */
export interface ProposalNudge {
  readonly type: 'nudge';
  readonly day: LocalDate;
  readonly leadId: string;
  readonly items: readonly NudgeItem[];
}

/** A re-proposal or a cover-for-time-away handover, posted in the rotation channel. */
export interface ProposalPost {
  readonly type: 'proposal';
  readonly view: StoredProposalView;
}

/** Takes the buttons off a proposal the job has replaced, so nobody decides a stale one. */
export interface ProposalRetired {
  readonly type: 'proposal-retired';
  readonly view: StoredProposalView;
  readonly ts: string;
  readonly note: string;
}

export type ScheduledMessage =
  ReminderMessage | StatusUpdatePrompt | EscalationMessage | ProposalNudge | ProposalPost | ProposalRetired;

/** One row a planning flow asks the outbox to hold. */
export interface OutboxEntry {
  readonly teamId: string;
  /** Unique per team: the second writer of the same key writes nothing. */
  readonly key: string;
  /** A channel id, or a person's id for a DM. */
  readonly channelId: string;
  readonly engagementId: string | null;
  readonly message: ScheduledMessage;
  /** After this instant the message is stale and is dropped instead of sent (a day's reminder). */
  readonly expiresAt: Date | null;
}

/** What the outbox's `payload` column holds. */
export interface OutboxPayload {
  readonly message: ScheduledMessage;
  /** ISO instant, or null: never stale. */
  readonly expiresAt: string | null;
}

export const toOutboxRows = (entries: readonly OutboxEntry[]): NewOutboxRow[] =>
  entries.map((e) => ({
    teamId: e.teamId,
    key: e.key,
    kind: e.message.type,
    channelId: e.channelId,
    engagementId: e.engagementId,
    payload: { message: e.message, expiresAt: e.expiresAt?.toISOString() ?? null } satisfies OutboxPayload,
  }));

// Idempotency keys, one place: each names the decision it stands for, so a second run of any job
// (or a second replica) writes the same key and nothing else.
export const outboxKey = {
  reminder: (engagementId: string, day: LocalDate) => `reminder:${engagementId}:${day}`,
  statusUpdate: (milestoneId: string) => `status-update:${milestoneId}`,
  escalation: (leadId: string, day: LocalDate, part: number) => `escalation:${leadId}:${day}:${part}`,
  proposal: (proposalId: string) => `proposal:${proposalId}`,
  proposalRetired: (proposalId: string) => `proposal-retired:${proposalId}`,
  nudge: (leadId: string, day: LocalDate) => `nudge:${leadId}:${day}`,
} as const;

export const engagementRef = (e: EngagementRow): EngagementRef => ({
  id: e.id,
  number: e.number,
  clientName: e.client_name,
  channelId: e.channel_id,
  ownerId: e.owner_id,
});

/** A ProposalView as JSON can carry it: timestamps as ISO strings. */
export interface StoredProposalView {
  readonly proposal: Omit<ProposalRow, 'created_at' | 'decided_at'> & {
    readonly created_at: string;
    readonly decided_at: string | null;
  };
  readonly engagement: Omit<EngagementRow, 'created_at' | 'closed_at'> & {
    readonly created_at: string;
    readonly closed_at: string | null;
  };
  readonly candidate: ProposalView['candidate'];
  readonly reasons: readonly string[];
  readonly skipped: ProposalView['skipped'];
}

const iso = (d: Date | string | null): string | null =>
  d === null ? null : typeof d === 'string' ? d : d.toISOString();
const date = (d: string | null): Date | null => (d === null ? null : new Date(d));

export function storeProposalView(view: ProposalView): StoredProposalView {
  return {
    proposal: {
      ...view.proposal,
      created_at: iso(view.proposal.created_at)!,
      decided_at: iso(view.proposal.decided_at),
    },
    engagement: {
      ...view.engagement,
      created_at: iso(view.engagement.created_at)!,
      closed_at: iso(view.engagement.closed_at),
    },
    candidate: view.candidate,
    reasons: view.reasons,
    skipped: view.skipped,
  };
}

export function loadProposalView(stored: StoredProposalView): ProposalView {
  return {
    proposal: {
      ...stored.proposal,
      created_at: new Date(stored.proposal.created_at),
      decided_at: date(stored.proposal.decided_at),
    },
    engagement: {
      ...stored.engagement,
      created_at: new Date(stored.engagement.created_at),
      closed_at: date(stored.engagement.closed_at),
    },
    candidate: stored.candidate,
    reasons: stored.reasons,
    skipped: stored.skipped,
  };
}
