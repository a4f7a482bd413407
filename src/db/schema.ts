import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types, apart from domain types. Dates (`date` columns) travel as `YYYY-MM-DD` strings and
// bigint ids as strings: see the type parsers in connect.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface TeamTable {
  id: string;
  name: string | null;
  time_zone: Generated<string>;
  reminder_time: Generated<string>;
  holiday_region: string | null;
  extra_holidays: ColumnType<string[], string[] | undefined, string[]>;
  rotation_channel_id: string | null;
  propose_days_ahead: Generated<number>;
  created_at: CreatedAt;
}

export interface MemberTable {
  team_id: string;
  user_id: string;
  name: string;
  in_rotation: Generated<boolean>;
  is_lead: Generated<boolean>;
  capacity: Generated<number>;
  rotation_order: number;
  /** Lifetime turns: ownership periods, counted by a trigger on ownership_periods. */
  turns_count: ColumnType<number, never, never>;
  /** Wants more or fewer turns than the round robin gives (shifts the recent count by one). */
  interest: ColumnType<Interest, Interest | undefined, Interest>;
  /** Paused through this day (inclusive): never proposed for an engagement starting by then. */
  paused_until: string | null;
  created_at: CreatedAt;
}

export type Interest = 'more' | 'fewer' | 'normal';

export interface TimeAwayTable {
  id: Generated<string>;
  team_id: string;
  user_id: string;
  starts_on: string;
  ends_on: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface PlanStepJson {
  offset: number;
  title: string;
}

export interface PlanTemplateTable {
  id: Generated<string>;
  team_id: string;
  name: string;
  version: number;
  is_default: Generated<boolean>;
  status_every: Generated<number>;
  steps: Json<PlanStepJson[]>;
  created_at: CreatedAt;
}

export type EngagementStatus = 'awaiting_owner' | 'active' | 'closed';

export interface EngagementTable {
  id: Generated<string>;
  team_id: string;
  number: number;
  client_name: string;
  channel_id: string;
  rotation_channel_id: string;
  starts_on: string;
  ends_on: string;
  template_id: string;
  delivery_lead_id: string | null;
  /** A channel shared with the client: only the client-safe kickoff and posted status updates go there. */
  client_channel_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The engagement channel was found shared with another organisation: internal messages go elsewhere. */
  channel_shared: Generated<boolean>;
  /** Steward has asked Slack whether the engagement channel is shared (existing ones are asked once). */
  channel_checked: Generated<boolean>;
  /** A first-time owner's buddy: someone who has owned one before. */
  buddy_id: ColumnType<string | null, string | null | undefined, string | null>;
  owner_id: string | null;
  status: ColumnType<EngagementStatus, EngagementStatus | undefined, EngagementStatus>;
  risk: ColumnType<'none' | 'flagged', 'none' | 'flagged' | undefined, 'none' | 'flagged'>;
  risk_note: string | null;
  notes: string | null;
  created_by: string;
  created_at: Timestamp;
  closed_at: Timestamp | null;
  /** The kickoff in the engagement channel, once posted: a change of owner updates it. */
  kickoff_ts: ColumnType<string | null, string | null | undefined, string | null>;
  /** The current owner's DM (the plan, Hand back), once posted. */
  owner_dm_channel_id: ColumnType<string | null, string | null | undefined, string | null>;
  owner_dm_ts: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the owner's Hand back window closes; cleared once the DM has been queued for its update. */
  hand_back_closes_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A turn: who owned which engagement from which day to which day (dates inclusive). */
export interface OwnershipPeriodTable {
  id: Generated<string>;
  team_id: string;
  engagement_id: string;
  owner_id: string;
  starts_on: string;
  ends_on: string;
  created_at: CreatedAt;
}

/** Who covers an owner's short time away on an engagement, for which days (cover, not a turn). */
export interface StandInTable {
  id: Generated<string>;
  team_id: string;
  engagement_id: string;
  owner_id: string;
  stand_in_id: string;
  starts_on: string;
  ends_on: string;
  created_at: CreatedAt;
}

export interface MilestoneTable {
  id: Generated<string>;
  team_id: string;
  engagement_id: string;
  position: number;
  kind: 'milestone' | 'status_update';
  title: string;
  offset_days: number;
  due_on: string;
  status: ColumnType<'open' | 'done', 'open' | 'done' | undefined, 'open' | 'done'>;
  done_by: string | null;
  done_at: Timestamp | null;
  snoozed_until: string | null;
}

export type ProposalOutcome =
  | 'pending'
  | 'approved'
  | 'passed'
  | 'declined'
  | 'overridden'
  | 'superseded'
  /** A handover a lead turned down: the current owner stays. */
  | 'dismissed';

export interface SkippedJson {
  userId: string;
  name: string;
  reason: string;
  text: string;
}

export interface ProposalTable {
  id: Generated<string>;
  team_id: string;
  engagement_id: string;
  kind: ColumnType<ProposalKind, ProposalKind | undefined, never>;
  /** null: nobody was eligible. */
  candidate_id: string | null;
  rank: number | null;
  reasons: Json<string[]>;
  skipped: Json<SkippedJson[]>;
  /** Why this proposal exists (e.g. a handover's cause). */
  why: string | null;
  outcome: ColumnType<ProposalOutcome, ProposalOutcome | undefined, ProposalOutcome>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  channel_id: string | null;
  message_ts: string | null;
  /** The buddy named for a first-time owner; null with a reason: nobody (or a lead chose none). */
  buddy_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why that buddy, or why none; null: no buddy line (the candidate has had a turn). */
  buddy_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** The lead who picked the buddy (or none) by hand. */
  buddy_chosen_by: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  /** A stand-in proposal: the owner it covers for, and the days (inclusive); null otherwise. */
  covers_owner_id: ColumnType<string | null, string | null | undefined, never>;
  covers_from: ColumnType<string | null, string | null | undefined, never>;
  covers_to: ColumnType<string | null, string | null | undefined, never>;
}

/** An owner for a new engagement, a new owner taking over, or a stand-in for a short absence. */
export type ProposalKind = 'owner' | 'handover' | 'stand-in';

export interface EventTable {
  id: Generated<string>;
  team_id: string;
  engagement_id: string | null;
  kind: string;
  /** null: Steward itself (a scheduled job). */
  actor_id: string | null;
  at: Timestamp;
  reason: string | null;
  data: Json<Record<string, unknown>>;
}

export interface OutboxTable {
  id: Generated<string>;
  team_id: string;
  idempotency_key: string;
  kind: string;
  engagement_id: string | null;
  channel_id: string;
  payload: Json<Record<string, unknown>>;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | 'sent' | 'failed' | undefined>;
  attempts: Generated<number>;
  not_before: Timestamp;
  claimed_until: Timestamp | null;
  sent_at: Timestamp | null;
  message_ts: string | null;
  last_error: string | null;
  created_at: Timestamp;
  /** Which sweep holds the claim (a sweep whose claim expired can't overwrite the new holder's outcome). */
  claimed_by: string | null;
  /** Set from the claim until the outcome is recorded: an earlier attempt may have reached Slack. */
  sending_since: Timestamp | null;
}

export type RiskLevel = 'low' | 'medium' | 'high';

export interface RiskTable {
  id: Generated<string>;
  team_id: string;
  engagement_id: string;
  title: string;
  likelihood: RiskLevel;
  impact: RiskLevel;
  owner_id: string | null;
  mitigation: string | null;
  status: ColumnType<'open' | 'resolved', 'open' | 'resolved' | undefined, 'open' | 'resolved'>;
  resolution: string | null;
  created_by: string;
  created_at: Timestamp;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  /** Set once a high-likelihood, high-impact risk was told to the leads. */
  leads_told_at: Timestamp | null;
}

/** What an owner learnt from a closed engagement: one per engagement. */
export interface RetrospectiveTable {
  id: Generated<string>;
  team_id: string;
  engagement_id: string;
  /** The plan template's name (any version): the next owner on the same plan reads it. */
  template_name: string;
  went_well: string;
  to_change: string;
  written_by: string;
  written_at: Timestamp;
}

/**
 * A channel Slack said was shared outside the organisation after Steward began posting there: the
 * outbox holds anything internal addressed to it.
 */
export interface SharedChannelTable {
  team_id: string;
  channel_id: string;
  shared_at: Timestamp;
}

/** Decisions a job takes once, whichever replica gets there first (the primary key decides). */
export interface JobMarkTable {
  team_id: string;
  mark: string;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export interface Database {
  teams: TeamTable;
  members: MemberTable;
  time_away: TimeAwayTable;
  plan_templates: PlanTemplateTable;
  engagements: EngagementTable;
  ownership_periods: OwnershipPeriodTable;
  stand_ins: StandInTable;
  milestones: MilestoneTable;
  proposals: ProposalTable;
  events: EventTable;
  outbox: OutboxTable;
  job_marks: JobMarkTable;
  risks: RiskTable;
  retrospectives: RetrospectiveTable;
  shared_channels: SharedChannelTable;
}

export type TeamRow = Selectable<TeamTable>;
export type MemberRow = Selectable<MemberTable>;
export type TimeAwayRow = Selectable<TimeAwayTable>;
export type PlanTemplateRow = Selectable<PlanTemplateTable>;
export type EngagementRow = Selectable<EngagementTable>;
export type OwnershipPeriodRow = Selectable<OwnershipPeriodTable>;
export type StandInRow = Selectable<StandInTable>;
export type MilestoneRow = Selectable<MilestoneTable>;
export type ProposalRow = Selectable<ProposalTable>;
export type EventRow = Selectable<EventTable>;
export type RetrospectiveRow = Selectable<RetrospectiveTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type RiskRow = Selectable<RiskTable>;
export type NewEngagement = Insertable<EngagementTable>;
export type EngagementUpdate = Updateable<EngagementTable>;
