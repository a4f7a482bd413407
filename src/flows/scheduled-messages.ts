// What Steward sends through the outbox, as facts. A flow writes one of these into the outbox; the
// delivery renders it (src/slack/blocks/) only when it posts, with the builders of the version that
// sends it. A payload holds only what its message shows, in its own words (never a table row), and is
// read back through the schema of its kind: a row queued by an older version that no longer parses is
// settled as failed, with a log line saying why, instead of rendering nonsense.
import { z } from 'zod';
import type { NewOutboxRow } from '../db/outbox.js';
import type { EngagementRow, MilestoneRow } from '../db/schema.js';
import type { LocalDate } from '../domain/calendar.js';

const id = z.string().min(1);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The little of an engagement a message shows. */
const engagementRef = z.object({
  id,
  number: z.number().int(),
  clientName: z.string(),
  channelId: id,
  ownerId: id.nullable(),
});
export type EngagementRef = z.infer<typeof engagementRef>;

const reminderItem = z.object({
  milestoneId: id,
  title: z.string(),
  dueOn: localDate,
  urgency: z.enum(['overdue', 'due-today', 'due-soon']),
  /** Business days late (overdue), 0 (today) or left (due soon). */
  businessDays: z.number().int(),
});
export type ReminderItem = z.infer<typeof reminderItem>;

/** The day's one reminder in an engagement's channel, with its buttons. */
const reminderMessage = z.object({
  type: z.literal('reminder'),
  day: localDate,
  engagement: engagementRef,
  items: z.array(reminderItem),
  /** Someone stands in for the owner today: the reminder is theirs. */
  standIn: z.object({ userId: id, until: localDate }).nullable().optional(),
});
export type ReminderMessage = z.infer<typeof reminderMessage>;

/** The owner's DM on the day a weekly client status update is due. */
const statusUpdatePrompt = z.object({
  type: z.literal('status-update'),
  day: localDate,
  engagement: engagementRef,
  milestoneId: id,
  title: z.string(),
  /** Sent to a stand-in: the owner they stand in for. */
  standingInFor: id.nullable().optional(),
});
export type StatusUpdatePrompt = z.infer<typeof statusUpdatePrompt>;

const escalationItem = z.object({
  engagement: engagementRef,
  /** Who acts for the owner today, when someone stands in. */
  standInId: id.nullable().optional(),
  milestoneId: id,
  title: z.string(),
  dueOn: localDate,
  businessDaysLate: z.number().int(),
});
export type EscalationItem = z.infer<typeof escalationItem>;

/** A lead's DM about milestones newly overdue by more than two business days. */
const escalationMessage = z.object({
  type: z.literal('escalation'),
  day: localDate,
  leadId: id,
  items: z.array(escalationItem),
  /** A long list is split over several messages: this is message `part` of `parts` (1-based). */
  part: z.number().int().positive(),
  parts: z.number().int().positive(),
  /** Sent to a stand-in (not a lead) about the engagements they cover: no lead's buttons. */
  toStandIn: z.boolean().optional(),
  /** Engagements closed since it was sent: their items keep no buttons (set by an update). */
  closed: z.array(id).optional(),
});
export type EscalationMessage = z.infer<typeof escalationMessage>;

/** An escalation DM brought up to date once engagements it names have closed. */
const escalationUpdate = z.object({
  type: z.literal('escalation-update'),
  /** The escalation's message, in the row's channel. */
  ts: id,
  escalation: escalationMessage,
  /** Every engagement it names that is closed now. */
  closed: z.array(id),
});

const proposalKind = z.enum(['owner', 'handover', 'stand-in']);

const nudgeItem = z.object({
  proposalId: id,
  kind: proposalKind,
  engagement: engagementRef.extend({ startsOn: localDate }),
  candidateId: id.nullable(),
  /** The local day the proposal was made. */
  since: localDate,
  /** Where the proposal's buttons are. */
  rotationChannelId: id,
});
export type NudgeItem = z.infer<typeof nudgeItem>;

/** A lead's DM listing the proposals still waiting for a decision. */
const proposalNudge = z.object({
  type: z.literal('nudge'),
  day: localDate,
  leadId: id,
  items: z.array(nudgeItem),
});
export type ProposalNudge = z.infer<typeof proposalNudge>;

/** A lead's nudge to an owner about the engagement's overdue milestones (a DM, once a day at most). */
const ownerNudge = z.object({
  type: z.literal('owner-nudge'),
  day: localDate,
  leadId: id,
  /** Sent to the stand-in covering that day: the owner they stand in for. */
  standingInFor: id.nullable().default(null),
  engagement: engagementRef,
  items: z.array(z.object({ milestoneId: id, title: z.string(), dueOn: localDate })),
});
export type OwnerNudge = z.infer<typeof ownerNudge>;

/**
 * An engagement closed: all its milestones done, or a lead closed it. Told to its channel, the
 * rotation channel, its owner (with a Write retrospective button) and each lead but the one who did it.
 */
const engagementClosed = z.object({
  type: z.literal('engagement-closed'),
  engagement: engagementRef,
  audience: z.enum(['channel', 'rotation', 'owner', 'lead']),
  how: z.enum(['completed', 'closed']),
  /** Who closed it (a lead) or marked the last milestone done; null: Steward. */
  by: id.nullable(),
  /** A lead's reason; never shown in the engagement channel. */
  reason: z.string().nullable(),
  closedOn: localDate,
});
export type EngagementClosed = z.infer<typeof engagementClosed>;

/** An engagement as the team's messages and answers show it. */
const engagementView = engagementRef.extend({
  rotationChannelId: id,
  deliveryLeadId: id.nullable(),
  startsOn: localDate,
  endsOn: localDate,
});
export type EngagementView = z.infer<typeof engagementView>;

export const PROPOSAL_OUTCOMES = [
  'pending',
  'approved',
  'passed',
  'declined',
  'overridden',
  'superseded',
  'dismissed',
] as const;

/** What a proposal message shows: the proposal, its engagement, the candidate, reasons and skips. */
export const proposalView = z.object({
  proposal: z.object({
    id,
    kind: proposalKind,
    /** Why this proposal exists (a handover's cause, a re-proposal's). */
    why: z.string().nullable(),
    outcome: z.enum(PROPOSAL_OUTCOMES),
    decidedBy: id.nullable(),
    decisionNote: z.string().nullable(),
    /** Where its message is in Slack, once posted. */
    message: z.object({ channelId: id, ts: id }).nullable(),
  }),
  engagement: engagementView,
  /** null: nobody was eligible. */
  candidate: z.object({ userId: id, name: z.string() }).nullable(),
  reasons: z.array(z.string()),
  skipped: z.array(z.object({ userId: id, name: z.string(), reason: z.string(), text: z.string() })),
  /** A stand-in proposal's cover: the owner away and the days (inclusive) someone acts for them. */
  cover: z.object({ ownerId: id, from: localDate, to: localDate }).nullable().optional(),
  /** A first-time owner's buddy (`userId` null: none, and why); null: no buddy line. */
  buddy: z.object({ userId: id.nullable(), reason: z.string() }).nullable().default(null),
  /** The notes from the form: internal, for the leads (null where the message could reach a client). */
  notes: z.string().nullable().default(null),
});
export type ProposalView = z.infer<typeof proposalView>;
export type ProposalOutcome = ProposalView['proposal']['outcome'];

/** A proposal in the rotation channel: an owner for a new engagement, a re-proposal or a handover. */
const proposalPost = z.object({ type: z.literal('proposal'), view: proposalView });
export type ProposalPost = z.infer<typeof proposalPost>;

/** Takes the buttons off a proposal the job has replaced, so nobody decides a stale one. */
const proposalRetired = z.object({
  type: z.literal('proposal-retired'),
  view: proposalView,
  ts: id,
  note: z.string(),
});
export type ProposalRetired = z.infer<typeof proposalRetired>;

/** An open proposal as it now reads, its buttons kept (a lead picked another buddy). */
const proposalUpdate = z.object({ type: z.literal('proposal-update'), view: proposalView, ts: id });
export type ProposalUpdate = z.infer<typeof proposalUpdate>;

/** The plan as a buddy's DM shows it. */
const planItem = z.object({ title: z.string(), dueOn: localDate });

/** A buddy's DM: whose first turn they back up, on which engagement, with its plan. */
const buddyNotice = z.object({
  type: z.literal('buddy'),
  engagement: engagementRef.extend({
    deliveryLeadId: id.nullable(),
    startsOn: localDate,
    endsOn: localDate,
  }),
  ownerId: id,
  buddyId: id,
  /** The lead who approved the owner or picked the buddy. */
  by: id.nullable(),
  reason: z.string(),
  plan: z.array(planItem),
});
export type BuddyNotice = z.infer<typeof buddyNotice>;

/** A lead changed an owner's buddy: the owner hears who it is now, a former buddy that they are free. */
const buddyChanged = z.object({
  type: z.literal('buddy-changed'),
  engagement: engagementRef,
  to: z.enum(['owner', 'former-buddy']),
  buddyId: id.nullable(),
  by: id,
});
export type BuddyChanged = z.infer<typeof buddyChanged>;

/** A milestone marked done since a reminder showed it: who marked it, on which local day. */
const doneItem = z.object({ milestoneId: id, by: id.nullable(), on: localDate });
export type DoneItem = z.infer<typeof doneItem>;

/**
 * An earlier reminder as it should now read: its done items without buttons, and no buttons at all
 * once the engagement is closed. Rendered whole from the reminder it updates, so a later update
 * (another item done) never brings back what an earlier one took away.
 */
const reminderUpdate = z.object({
  type: z.literal('reminder-update'),
  /** The reminder's message, in the row's channel. */
  ts: id,
  reminder: reminderMessage,
  done: z.array(doneItem),
  /** Items still to do whose due date moved since (the plan was shifted): their date now. */
  moved: z.array(z.object({ milestoneId: id, dueOn: localDate })).optional(),
  /** The local day the engagement closed, or null while it is open. */
  closedOn: localDate.nullable(),
  /** Its owner now, when no longer the one it named (null: being chosen, after a hand-back). */
  owner: z.object({ id: id.nullable() }).optional(),
});
export type ReminderUpdate = z.infer<typeof reminderUpdate>;

/**
 * The status-day DM once this week's update is settled: its Draft the update and Mark done buttons go,
 * and it says who posted it and where (or who marked it done without posting it through Steward).
 */
const statusUpdateDone = z.object({
  type: z.literal('status-update-done'),
  /** The prompt's message, in the row's channel. */
  ts: id,
  prompt: statusUpdatePrompt,
  by: id.nullable(),
  on: localDate,
  /** Where the update went; null: marked done, nothing posted. */
  postedIn: z.object({ channelId: id, toClient: z.boolean() }).nullable(),
  /** The engagement closed before the update was sent: nothing is due any more (`on` is the day). */
  engagementClosed: z.boolean().optional(),
});
export type StatusUpdateDone = z.infer<typeof statusUpdateDone>;

/** The engagement as the messages about its new owner show it. */
const decidedEngagement = engagementRef.omit({ ownerId: true }).extend({
  /** Shared with the client: it gets no kickoff until a lead names an internal channel. */
  channelShared: z.boolean(),
  deliveryLeadId: id.nullable(),
  startsOn: localDate,
  endsOn: localDate,
  /** The form's notes: for the owner's DM alone (the kickoff's payload never holds them). */
  notes: z.string().nullable(),
});

/**
 * An owner decided, as the owner's DM and the kickoff tell it: who, approved by whom, taking over
 * from whom, the plan, a first-time owner's buddy, and what the last owner on the same plan learnt.
 */
const ownerNews = z.object({
  engagement: decidedEngagement,
  ownerId: id,
  decidedBy: id,
  previousOwnerId: id.nullable(),
  milestones: z.array(z.object({ title: z.string(), dueOn: localDate, status: z.enum(['open', 'done']) })),
  buddyId: id.nullable(),
  lastRetrospective: z
    .object({
      number: z.number().int(),
      clientName: z.string(),
      writtenBy: id,
      wentWell: z.string(),
      toChange: z.string(),
    })
    .nullable(),
});
export type OwnerNews = z.infer<typeof ownerNews>;

/** The new owner's DM, with Hand back; where it lands is kept, for its button to go later. */
const ownerDm = z.object({ type: z.literal('owner-dm'), news: ownerNews });

/**
 * The engagement channel hears of its owner: the kickoff for a first one (where it lands is kept, for
 * later updates), a note naming the new owner after a hand-back or takeover.
 */
const kickoffPost = z.object({ type: z.literal('kickoff'), news: ownerNews });

/** The owner's DM with its plan as it now stands (a shift moved the dates); the rest as it was. */
const ownerDmPlan = z.object({
  type: z.literal('owner-dm-plan'),
  /** The DM, in the row's channel. */
  ts: id,
  engagement: engagementRef,
  plan: ownerNews.shape.milestones,
});
export type OwnerDmPlan = z.infer<typeof ownerDmPlan>;

/** The previous owner's DM once a handover is approved: released, and by whom replaced. */
const ownerReleased = z.object({
  type: z.literal('owner-released'),
  engagement: engagementRef.pick({ id: true, number: true, clientName: true }),
  newOwnerId: id,
});
export type OwnerReleased = z.infer<typeof ownerReleased>;

/** The engagement channel's kickoff, brought up to date with who owns it now (null: being chosen). */
const kickoffUpdate = z.object({
  type: z.literal('kickoff-update'),
  ts: id,
  engagement: engagementRef.extend({
    deliveryLeadId: id.nullable(),
    startsOn: localDate,
    endsOn: localDate,
  }),
  /** The open milestones, as the kickoff lists them. */
  plan: z.array(z.object({ title: z.string(), dueOn: localDate })),
});
export type KickoffUpdate = z.infer<typeof kickoffUpdate>;

/** The owner's DM loses its Hand back button once the window has closed, with a line saying why. */
const handBackClosed = z.object({
  type: z.literal('hand-back-closed'),
  ts: id,
  engagement: engagementRef,
  /** The last local day a hand-back was possible. */
  closedOn: localDate,
  /** Someone took it over (a handover approved) that day: it is no longer theirs. */
  takenOverBy: id.optional(),
});
export type HandBackClosed = z.infer<typeof handBackClosed>;

/**
 * The rotation channel's offer after a lead changed the team's holidays or time zone and open
 * milestones now fall on days off: any lead re-dates them with one click.
 */
const redateOffered = z.object({
  type: z.literal('redate-offer'),
  /** The lead who changed the calendar. */
  changedBy: id,
  milestones: z.number().int().positive(),
  engagements: z.number().int().positive(),
});
export type RedateOffered = z.infer<typeof redateOffered>;

/** The offer once a lead re-dated (from it, App Home or their own answer): no button left. */
const redateOfferDone = z.object({
  type: z.literal('redate-offer-done'),
  ts: id,
  offer: redateOffered,
  by: id,
  on: localDate,
  /** The engagement channels told of their new dates. */
  channelIds: z.array(id),
});
export type RedateOfferDone = z.infer<typeof redateOfferDone>;

const milestoneMove = z.object({ title: z.string(), from: localDate, to: localDate });

/**
 * The engagement channel's one line after its plan moved: a shift by the owner or a lead (the client
 * was late), or a lead's re-dating off days that became non-business days.
 */
const planChanged = z.object({
  type: z.literal('plan-changed'),
  engagement: engagementRef,
  change: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('shifted'),
      by: id,
      days: z.number().int(),
      /** The milestone the shift starts from. */
      from: z.string(),
      /** Its new due date (absent from lines queued before it was kept). */
      fromDueOn: localDate.optional(),
      endsOn: localDate,
    }),
    z.object({ kind: z.literal('redated'), by: id, moves: z.array(milestoneMove), endsOn: localDate }),
  ]),
});
export type PlanChanged = z.infer<typeof planChanged>;

/** The stand-in's DM once a lead approves the cover: whose engagement, which days, what falls due. */
const standInAsked = z.object({
  type: z.literal('stand-in-asked'),
  engagement: engagementRef,
  ownerId: id,
  from: localDate,
  to: localDate,
  approvedBy: id.nullable(),
  /** Open milestones due on the covered days. */
  due: z.array(z.object({ title: z.string(), dueOn: localDate })),
  notes: z.string().nullable(),
});
export type StandInAsked = z.infer<typeof standInAsked>;

/** The owner's note: who stands in for them, which days; they stay the owner. */
const standInArranged = z.object({
  type: z.literal('stand-in-arranged'),
  engagement: engagementRef,
  standInId: id,
  from: localDate,
  to: localDate,
  approvedBy: id.nullable(),
});
export type StandInArranged = z.infer<typeof standInArranged>;

/** The owner is back early: the stand-in hears their cover ends (or never starts). */
const standInEnded = z.object({
  type: z.literal('stand-in-ended'),
  engagement: engagementRef,
  ownerId: id,
  /** The owner's first day back. */
  backOn: localDate,
  /** The cover had not started yet: it is called off. */
  calledOff: z.boolean(),
});
export type StandInEnded = z.infer<typeof standInEnded>;

// What a client channel is sent. These two carry only what the client may read, by construction:
// no engagement number, no delivery lead, no notes, risks, reasons or workload. They are the only
// kinds the outbox lets through to a channel a client can read (see CLIENT_SAFE_KINDS).

/** The client channel's kickoff summary: who runs the engagement and the plan's dates. */
const clientKickoff = z.object({
  type: z.literal('client-kickoff'),
  clientName: z.string(),
  ownerId: id,
  startsOn: localDate,
  endsOn: localDate,
  plan: z.array(z.object({ title: z.string(), dueOn: localDate })),
  /** Someone else runs it now (after a hand-back or a takeover): the plan is what is still ahead. */
  handover: z.boolean().default(false),
});
export type ClientKickoff = z.infer<typeof clientKickoff>;

/** The client channel's summary, brought up to date after the plan's dates changed (`ts`: the summary). */
const clientKickoffUpdate = z.object({
  type: z.literal('client-kickoff-update'),
  ts: id,
  kickoff: clientKickoff,
  /** The day the dates changed, shown under it. */
  updatedOn: localDate,
});
export type ClientKickoffUpdate = z.infer<typeof clientKickoffUpdate>;

/** A status update the owner wrote and posted, as the client reads it. */
const clientStatus = z.object({
  type: z.literal('client-status'),
  clientName: z.string(),
  ownerId: id,
  day: localDate,
  text: z.string().min(1),
});
export type ClientStatus = z.infer<typeof clientStatus>;

/** The rotation channel hears once that an engagement's channel is shared with the client. */
const channelShared = z.object({
  type: z.literal('channel-shared'),
  engagement: engagementRef,
  /** The shared channel, where nothing internal goes any more. */
  sharedChannelId: id,
});
export type ChannelShared = z.infer<typeof channelShared>;

/** Each lead hears by DM that the rotation channel is now shared with people outside. */
const rotationShared = z.object({
  type: z.literal('rotation-shared'),
  sharedChannelId: id,
});
export type RotationShared = z.infer<typeof rotationShared>;

/** A risk as the register shows it. */
const riskFacts = z.object({
  id,
  engagementId: id,
  title: z.string(),
  likelihood: z.enum(['low', 'medium', 'high']),
  impact: z.enum(['low', 'medium', 'high']),
  ownerId: id.nullable(),
  mitigation: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  resolution: z.string().nullable(),
});

/**
 * A change to an engagement's risk register, told to one audience: the rotation channel (a line,
 * when a risk is added), the owner (the register as it now stands) or a lead (a high/high risk).
 * Internal, like every risk: the outbox never lets it into a channel a client can read.
 */
const riskNotice = z.object({
  type: z.literal('risk-notice'),
  /** `watcher`: the person named as the risk's owner, when neither the engagement's owner nor its author. */
  audience: z.enum(['rotation', 'owner', 'lead', 'watcher']),
  change: z.enum(['added', 'resolved']),
  by: id,
  risk: riskFacts,
  engagement: z.object({
    id,
    number: z.number().int(),
    clientName: z.string(),
    ownerId: id.nullable(),
    rotationChannelId: id,
  }),
  /** The engagement's open risks after the change (the owner's register). */
  register: z.array(riskFacts),
});
export type RiskNotice = z.infer<typeof riskNotice>;

/** Kinds that update a message already in Slack (`ts`) rather than post a new one. */
export const UPDATE_KINDS = [
  'proposal-retired',
  'proposal-update',
  'reminder-update',
  'kickoff-update',
  'hand-back-closed',
  'status-update-done',
  'redate-offer-done',
  'client-kickoff-update',
  'escalation-update',
  'owner-dm-plan',
] as const;
export type UpdateMessage = Extract<ScheduledMessage, { type: (typeof UPDATE_KINDS)[number] }>;
export const isUpdate = (m: ScheduledMessage): m is UpdateMessage =>
  (UPDATE_KINDS as readonly string[]).includes(m.type);

/** One schema per kind; the kind is also the outbox row's `kind`. */
const scheduledMessage = z.discriminatedUnion('type', [
  reminderMessage,
  statusUpdatePrompt,
  escalationMessage,
  proposalNudge,
  ownerNudge,
  engagementClosed,
  proposalPost,
  proposalRetired,
  proposalUpdate,
  buddyNotice,
  buddyChanged,
  reminderUpdate,
  kickoffUpdate,
  handBackClosed,
  statusUpdateDone,
  redateOffered,
  redateOfferDone,
  planChanged,
  standInAsked,
  standInArranged,
  standInEnded,
  clientKickoff,
  clientKickoffUpdate,
  clientStatus,
  channelShared,
  rotationShared,
  riskNotice,
  escalationUpdate,
  ownerDm,
  kickoffPost,
  ownerReleased,
  ownerDmPlan,
]);
export type ScheduledMessage = z.infer<typeof scheduledMessage>;
export type MessageKind = ScheduledMessage['type'];

/** What the outbox's `payload` column holds. */
const outboxPayload = z.object({
  message: scheduledMessage,
  /** ISO instant, or null: never stale. */
  expiresAt: z.string().nullable(),
});
export type OutboxPayload = z.infer<typeof outboxPayload>;

/**
 * Reads a queued payload back as the message its row's kind says it is, or says in a sentence why it
 * cannot (a payload an older version wrote, a kind this version does not know).
 */
export function readPayload(
  kind: string,
  payload: unknown,
): { ok: true; payload: OutboxPayload } | { ok: false; problem: string } {
  const parsed = outboxPayload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, problem: `unreadable ${kind} payload${where}: ${issue?.message ?? 'invalid'}` };
  }
  if (parsed.data.message.type !== kind) {
    return { ok: false, problem: `a ${kind} row holds a ${parsed.data.message.type} message` };
  }
  return { ok: true, payload: parsed.data };
}

/** One row a flow asks the outbox to hold. */
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
  /** An owner's DM, the kickoff and a released owner's DM, once per decision (`change`: what decided it). */
  ownerDm: (engagementId: string, change: string) => `owner-dm:${engagementId}:${change}`,
  kickoff: (engagementId: string, change: string) => `kickoff:${engagementId}:${change}`,
  ownerReleased: (engagementId: string, change: string) => `owner-released:${engagementId}:${change}`,
  /** The owner's DM (its ts) brought up to date once per change of the plan's dates. */
  ownerDmPlan: (engagementId: string, dmTs: string, change: string) =>
    `owner-dm-plan:${engagementId}:${dmTs}:${change}`,
  /** Told once per engagement and shared channel. */
  channelShared: (engagementId: string, channelId: string) => `channel-shared:${engagementId}:${channelId}`,
  /** Each lead hears once of each time the rotation channel was shared. */
  rotationShared: (channelId: string, leadId: string, at: Date) =>
    `rotation-shared:${channelId}:${leadId}:${at.toISOString()}`,
  /** Each change to a risk, told once to each audience (`rotation`, `owner`, `lead:<id>`). */
  riskNotice: (riskId: string, change: 'added' | 'resolved', audience: string) =>
    `risk:${riskId}:${change}:${audience}`,
  /** The client channel hears of its engagement's kickoff once, and of each later owner once. */
  clientKickoff: (engagementId: string, change?: string) =>
    change ? `client-kickoff:${engagementId}:${change}` : `client-kickoff:${engagementId}`,
  /** The client channel's summary, updated once per change of the plan's dates (`change`: its event). */
  clientKickoffUpdate: (engagementId: string, change: string) =>
    `client-kickoff-update:${engagementId}:${change}`,
  /** One post of each status update the owner sends (`milestoneId`: the status milestone). */
  clientStatus: (engagementId: string, milestoneId: string) => `client-status:${engagementId}:${milestoneId}`,
  reminder: (engagementId: string, day: LocalDate) => `reminder:${engagementId}:${day}`,
  statusUpdate: (milestoneId: string) => `status-update:${milestoneId}`,
  /** The status-day DM (its key) loses its buttons once, when the update is posted or marked done. */
  statusUpdateDone: (promptKey: string) => `status-update-done:${promptKey}`,
  escalation: (leadId: string, day: LocalDate, part: number) => `escalation:${leadId}:${day}:${part}`,
  /** An escalation DM (its key) updated once per engagement of it that closes. */
  escalationUpdate: (escalationKey: string, engagementId: string) =>
    `escalation-update:${escalationKey}:${engagementId}`,
  proposal: (proposalId: string) => `proposal:${proposalId}`,
  proposalRetired: (proposalId: string) => `proposal-retired:${proposalId}`,
  nudge: (leadId: string, day: LocalDate) => `nudge:${leadId}:${day}`,
  /** An engagement's closing, told once to each audience (`channel`, `rotation`, `owner`, `lead:<id>`). */
  closed: (engagementId: string, audience: string) => `closed:${engagementId}:${audience}`,
  /** A lead's nudge to an engagement's owner: one a day, whichever lead asks. */
  ownerNudge: (engagementId: string, day: LocalDate) => `owner-nudge:${engagementId}:${day}`,
  /** One update of a reminder per milestone done since (`what`: its id), or `closed`. */
  reminderUpdate: (reminderKey: string, what: string) => `reminder-update:${reminderKey}:${what}`,
  /** One update of the kickoff per change of owner (`change`: what decided it). */
  kickoffUpdate: (engagementId: string, change: string) => `kickoff-update:${engagementId}:${change}`,
  /** A buddy's DM, once per pairing (`change`: what decided it). */
  buddy: (engagementId: string, buddyId: string, change: string) =>
    `buddy:${engagementId}:${buddyId}:${change}`,
  buddyChanged: (engagementId: string, to: string, change: string) =>
    `buddy-changed:${engagementId}:${to}:${change}`,
  /** An open proposal re-rendered after a lead's change (`change`: what changed). */
  proposalUpdate: (proposalId: string, change: string) => `proposal-update:${proposalId}:${change}`,
  /** One update of an owner's DM (its ts) when the hand-back window closes, or when taken over. */
  handBackClosed: (engagementId: string, dmTs: string, change?: string) =>
    change
      ? `hand-back-closed:${engagementId}:${dmTs}:${change}`
      : `hand-back-closed:${engagementId}:${dmTs}`,
  /** The rotation channel's re-date offer, once per change of the team's calendar (its audit event). */
  redateOffer: (settingsEventId: string) => `redate-offer:${settingsEventId}`,
  /** An offer (its key) loses its button once, when a lead re-dates. */
  redateOfferDone: (offerKey: string) => `redate-offer-done:${offerKey}`,
  /** One line per change of the plan, named by the audit event that records it. */
  planChanged: (engagementId: string, eventId: string) => `plan-changed:${engagementId}:${eventId}`,
  /** The stand-in's DM and the owner's note, once per approved stand-in proposal. */
  standInAsked: (proposalId: string) => `stand-in-asked:${proposalId}`,
  standInArranged: (proposalId: string) => `stand-in-arranged:${proposalId}`,
  /** One line to a stand-in whose cover ends early, per owner's return (its day). */
  standInEnded: (engagementId: string, standInId: string, backOn: LocalDate) =>
    `stand-in-ended:${engagementId}:${standInId}:${backOn}`,
} as const;

/** A milestone as the owner's DM and the kickoff list it. */
export const toPlanLine = (m: MilestoneRow): OwnerNews['milestones'][number] => ({
  title: m.title,
  dueOn: m.due_on,
  status: m.status,
});

export const toEngagementRef = (e: EngagementRow): EngagementRef => ({
  id: e.id,
  number: e.number,
  clientName: e.client_name,
  channelId: e.channel_id,
  ownerId: e.owner_id,
});
