// Every Slack id Steward's messages and modals use, in one place: listeners, builders and tests
// all refer to these, so renaming one can't break a button silently.

export const COMMAND = '/engagement';

export const ACTIONS = {
  // Proposal messages (rotation channel; leads only).
  approveOwner: 'proposal.approve',
  proposeNext: 'proposal.next',
  chooseOwner: 'proposal.choose',
  keepOwner: 'proposal.keep_owner',
  // Stand-in proposals (rotation channel; leads only).
  approveStandIn: 'stand_in.approve',
  passOverStandIn: 'stand_in.pass',
  declineStandIn: 'stand_in.decline',
  chooseStandIn: 'stand_in.choose',
  // The owner's DM after approval.
  handBack: 'ownership.hand_back',
  // Reminder messages (engagement channel; owner or lead).
  markDone: 'milestone.done',
  snooze: 'milestone.snooze',
  // Add risk (reminders, App Home); its id predates the register and stays for buttons already posted.
  flagRisk: 'engagement.flag_risk',
  // The owner's risk register (DM) and App Home: Resolve.
  resolveRisk: 'risk.resolve',
  // The question before a lead removes herself (an ephemeral answer to `lead remove`).
  confirmLeadRemoval: 'leads.remove_confirmed',
  cancelLeadRemoval: 'leads.remove_cancelled',
  // `/engagement report`: the next page of a long report.
  reportMore: 'report.more',
  // App Home.
  homeNewEngagement: 'home.new_engagement',
  homeReport: 'home.report',
  homeRefresh: 'home.refresh',
  // App Home's "Waiting on you": the next items of a long list.
  homeWaitingMore: 'home.waiting_more',
  // A lead's buttons on an escalation DM, App Home and an opened engagement.
  openEngagement: 'lead.open_engagement',
  nudgeOwner: 'lead.nudge_owner',
  proposeHandover: 'lead.propose_handover',
  // `/engagement list` and `load`: the next page.
  listMore: 'list.more',
  loadMore: 'load.more',
  // `/engagement history #n`: the next page.
  historyMore: 'history.more',
  // `/engagement close #n`: the lead's confirmation; the owner's DM once it is closed.
  confirmClose: 'engagement.close_confirmed',
  cancelClose: 'engagement.close_cancelled',
  writeRetrospective: 'engagement.write_retrospective',
  // `/engagement templates` (leads).
  templateNew: 'template.new',
  templateEdit: 'template.edit',
  // Shift plan (reminders, App Home; owner or lead): value the engagement id.
  shiftPlan: 'plan.shift',
  // After the holidays or time zone changed (leads): re-date open milestones off non-business days.
  redateMilestones: 'plan.redate',
  // The owner's status-day DM: open the drafted client status update (value: the status milestone id).
  statusDraft: 'status.draft',
} as const;

export const VIEWS = {
  newEngagement: 'engagement.new',
  chooseOwner: 'proposal.choose_owner',
  confirmOverride: 'proposal.confirm_override',
  chooseStandIn: 'stand_in.choose',
  handBack: 'ownership.hand_back',
  addRisk: 'engagement.add_risk',
  resolveRisk: 'risk.resolve',
  template: 'plan.template',
  retrospective: 'engagement.retrospective',
  shiftPlan: 'plan.shift',
  statusUpdate: 'status.update',
} as const;

/** Block and action ids of the new-engagement modal's inputs. */
export const NEW_ENGAGEMENT_FIELDS = {
  client: { block: 'client', action: 'client_name' },
  channel: { block: 'channel', action: 'channel_id' },
  clientChannel: { block: 'client_channel', action: 'client_channel_id' },
  start: { block: 'start', action: 'start_date' },
  template: { block: 'template', action: 'template_id' },
  deliveryLead: { block: 'delivery_lead', action: 'delivery_lead_id' },
  notes: { block: 'notes', action: 'notes' },
} as const;

/** Message metadata event type on everything a job sends, so a retry can find what was sent. */
export const OUTBOX_METADATA_EVENT = 'steward_outbox';

/** The choose-someone-else modal of a proposal. */
export const CHOOSE_OWNER_FIELDS = {
  owner: { block: 'owner', action: 'owner_id' },
  reason: { block: 'reason', action: 'reason' },
} as const;

/** The choose-someone-else modal of a stand-in proposal. */
export const CHOOSE_STAND_IN_FIELDS = {
  standIn: { block: 'stand_in', action: 'stand_in_id' },
  reason: { block: 'reason', action: 'reason' },
} as const;

/** The owner's hand-back modal. */
export const HAND_BACK_FIELDS = {
  reason: { block: 'reason', action: 'reason' },
} as const;

/** The add-risk modal (from a reminder or App Home). */
export const RISK_FIELDS = {
  title: { block: 'risk_title', action: 'title' },
  likelihood: { block: 'risk_likelihood', action: 'likelihood' },
  impact: { block: 'risk_impact', action: 'impact' },
  owner: { block: 'risk_owner', action: 'owner_id' },
  mitigation: { block: 'risk_mitigation', action: 'mitigation' },
} as const;

/** The resolve-risk modal. */
export const RESOLVE_RISK_FIELDS = {
  note: { block: 'resolution', action: 'note' },
} as const;

/** The plan-template editor. */
export const TEMPLATE_FIELDS = {
  name: { block: 'template_name', action: 'name' },
  milestones: { block: 'template_milestones', action: 'milestones' },
  statusEvery: { block: 'template_status_every', action: 'status_every' },
} as const;

/** The shift-plan modal. */
export const SHIFT_FIELDS = {
  milestone: { block: 'shift_from', action: 'milestone_id' },
  days: { block: 'shift_days', action: 'days' },
} as const;

/** The retrospective modal. */
export const RETROSPECTIVE_FIELDS = {
  wentWell: { block: 'went_well', action: 'went_well' },
  toChange: { block: 'to_change', action: 'to_change' },
} as const;

/** The status-update modal. */
export const STATUS_FIELDS = {
  text: { block: 'status_text', action: 'text' },
} as const;
