// The risk register: Add risk from a reminder or App Home, resolve with a note. Risks are
// internal: they go to the owner, the leads and the rotation channel (through the outbox, whose guard
// keeps them out of any channel a client can read).
import type { Db } from '../db/connect.js';
import { findEngagement, lockEngagement } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { enqueue } from '../db/outbox.js';
import { findMember, listMembers } from '../db/members.js';
import { findRisk, insertRisk, listOpenRisks, markLeadsTold, resolveRiskRow } from '../db/risks.js';
import type { EngagementRow, RiskLevel, RiskRow } from '../db/schema.js';
import { fail, ok, type Result } from '../domain/result.js';
import { inTransaction, requireOwnerOrLead, type Actor, type FlowDeps } from './context.js';
import type { QueuedMessage } from './delivery.js';
import { outboxKey, toOutboxRows, type OutboxEntry, type RiskNotice } from './scheduled-messages.js';

export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high'];
export const RISK_TITLE_MAX = 150;
export const RISK_TEXT_MAX = 2000;

export interface RiskView {
  readonly id: string;
  readonly engagementId: string;
  readonly title: string;
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
  readonly ownerId: string | null;
  readonly mitigation: string | null;
  readonly status: 'open' | 'resolved';
  readonly resolution: string | null;
}

/** The little of an engagement a risk message shows. */
export interface RiskEngagement {
  readonly id: string;
  readonly number: number;
  readonly clientName: string;
  readonly ownerId: string | null;
  readonly rotationChannelId: string;
}

export const riskView = (r: RiskRow): RiskView => ({
  id: r.id,
  engagementId: r.engagement_id,
  title: r.title,
  likelihood: r.likelihood,
  impact: r.impact,
  ownerId: r.owner_id,
  mitigation: r.mitigation,
  status: r.status,
  resolution: r.resolution,
});

const riskEngagement = (e: EngagementRow): RiskEngagement => ({
  id: e.id,
  number: e.number,
  clientName: e.client_name,
  ownerId: e.owner_id,
  rotationChannelId: e.rotation_channel_id,
});

export const isHighHigh = (r: Pick<RiskView, 'likelihood' | 'impact'>): boolean =>
  r.likelihood === 'high' && r.impact === 'high';

export interface RiskChange {
  readonly risk: RiskView;
  readonly engagement: RiskEngagement;
  /** The engagement's open risks after the change, for the owner's DM. */
  readonly register: readonly RiskView[];
  /** Leads told: a high/high risk, told once. */
  readonly tellLeads: readonly string[];
  /** The notices queued (rotation channel, owner, leads), to send at once. */
  readonly toSend: readonly QueuedMessage[];
}

/**
 * Queues what a change to the register tells: the rotation channel a line (an added risk), the
 * owner the register as it now stands, each lead in `leads` of a high/high risk, and the person named
 * to watch an added risk. Through the
 * outbox like every message, so each is sent once and none can reach a channel a client reads.
 */
async function queueRiskNotices(
  trx: Db,
  teamId: string,
  by: string,
  change: 'added' | 'resolved',
  facts: Pick<RiskChange, 'risk' | 'engagement' | 'register'>,
  leads: readonly string[],
): Promise<QueuedMessage[]> {
  const notice = (audience: RiskNotice['audience']): RiskNotice => ({
    type: 'risk-notice',
    audience,
    change,
    by,
    risk: facts.risk,
    engagement: facts.engagement,
    register: audience === 'owner' ? [...facts.register] : [],
  });
  const entries: OutboxEntry[] = [];
  const add = (audience: string, channelId: string, message: RiskNotice) =>
    entries.push({
      teamId,
      key: outboxKey.riskNotice(facts.risk.id, change, audience),
      channelId,
      engagementId: facts.engagement.id,
      message,
      expiresAt: null,
    });
  if (change === 'added') add('rotation', facts.engagement.rotationChannelId, notice('rotation'));
  if (facts.engagement.ownerId) add('owner', facts.engagement.ownerId, notice('owner'));
  for (const leadId of leads) add(`lead:${leadId}`, leadId, notice('lead'));
  // Whoever was named to watch the risk hears it was put on them (the owner and the author know).
  const watcher = facts.risk.ownerId;
  if (change === 'added' && watcher && watcher !== facts.engagement.ownerId && watcher !== by)
    add(`watcher:${watcher}`, watcher, notice('watcher'));
  await enqueue(trx, toOutboxRows(entries));
  return entries.map((e) => ({ teamId: e.teamId, key: e.key }));
}

export interface NewRiskInput {
  readonly engagementId: string;
  readonly title: string;
  readonly likelihood: string;
  readonly impact: string;
  /** The risk's owner; absent → the engagement's owner. */
  readonly ownerId?: string | null;
  readonly mitigation?: string | null;
}

export type RiskField = 'title' | 'likelihood' | 'impact' | 'owner' | 'mitigation' | 'note';

async function openEngagement(trx: Db, actor: Actor, engagementId: string, doing: string) {
  const engagement = await lockEngagement(trx, actor.teamId, engagementId);
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  if (engagement.status === 'closed')
    return fail('engagement-closed', `Engagement #${engagement.number} is closed.`);
  const allowed = await requireOwnerOrLead(trx, actor, engagement, doing);
  if (!allowed.ok) return allowed;
  return ok(engagement);
}

/** Who may touch an engagement's risks, and whether it is still open. */
export type RiskAccessFailure = 'unknown-engagement' | 'engagement-closed' | 'not-owner-or-lead';
export type AddRiskFailure =
  | RiskAccessFailure
  | 'missing-title'
  | 'title-too-long'
  | 'bad-likelihood'
  | 'bad-impact'
  | 'mitigation-too-long'
  | 'owner-not-on-team';
export type ResolveRiskFailure = RiskAccessFailure | 'unknown-risk' | 'already-resolved';

/** Whether the person may add a risk to the engagement: asked before the modal opens. */
export async function mayAddRisk(
  deps: FlowDeps,
  actor: Actor,
  engagementId: string,
): Promise<Result<RiskEngagement, RiskAccessFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const engagement = await openEngagement(trx, actor, engagementId, 'add a risk');
    return engagement.ok ? ok(riskEngagement(engagement.value)) : engagement;
  });
}

/** **Add risk**: the owner or a lead adds a risk to an open engagement's register. */
export async function addRisk(
  deps: FlowDeps,
  actor: Actor,
  input: NewRiskInput,
): Promise<Result<RiskChange, AddRiskFailure>> {
  const title = input.title.trim();
  if (title === '') return fail('missing-title', 'Say what the risk is.', 'title');
  if (title.length > RISK_TITLE_MAX)
    return fail('title-too-long', `Keep the title to ${RISK_TITLE_MAX} characters.`, 'title');
  const likelihood = RISK_LEVELS.find((l) => l === input.likelihood);
  if (!likelihood) return fail('bad-likelihood', 'Pick low, medium or high.', 'likelihood');
  const impact = RISK_LEVELS.find((l) => l === input.impact);
  if (!impact) return fail('bad-impact', 'Pick low, medium or high.', 'impact');
  const mitigation = input.mitigation?.trim() || null;
  if ((mitigation ?? '').length > RISK_TEXT_MAX)
    return fail('mitigation-too-long', `Keep the mitigation to ${RISK_TEXT_MAX} characters.`, 'mitigation');

  return inTransaction(deps.db, async (trx) => {
    const opened = await openEngagement(trx, actor, input.engagementId, 'add a risk');
    if (!opened.ok) return opened;
    const engagement = opened.value;
    const ownerId = input.ownerId || engagement.owner_id;
    if (ownerId && ownerId !== engagement.owner_id) {
      const member = await findMember(trx, actor.teamId, ownerId);
      if (!member || !(member.in_rotation || member.is_lead)) {
        return fail('owner-not-on-team', "Pick someone on the team as the risk's owner.", 'owner');
      }
    }
    const now = deps.now();
    const risk = await insertRisk(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      title,
      likelihood,
      impact,
      ownerId: ownerId ?? null,
      mitigation,
      createdBy: actor.userId,
      createdAt: now,
    });
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement.id,
      kind: 'risk.added',
      actorId: actor.userId,
      at: now,
      data: { riskId: risk.id, title, likelihood, impact, ownerId: ownerId ?? null },
    });
    let tellLeads: string[] = [];
    if (isHighHigh(risk) && (await markLeadsTold(trx, risk.id, now))) {
      tellLeads = (await listMembers(trx, actor.teamId)).filter((m) => m.is_lead).map((m) => m.user_id);
    }
    const register = (await listOpenRisks(trx, actor.teamId, [engagement.id])).map(riskView);
    const facts = { risk: riskView(risk), engagement: riskEngagement(engagement), register };
    const toSend = await queueRiskNotices(trx, actor.teamId, actor.userId, 'added', facts, tellLeads);
    return ok({ ...facts, tellLeads, toSend });
  });
}

/** The risk a Resolve button names, if the person may resolve it (asked before the modal opens). */
export async function riskToResolve(
  deps: FlowDeps,
  actor: Actor,
  riskId: string,
): Promise<Result<RiskView, ResolveRiskFailure>> {
  return inTransaction(deps.db, async (trx) => {
    const risk = await findRisk(trx, actor.teamId, riskId);
    if (!risk) return fail('unknown-risk', 'That risk no longer exists.');
    if (risk.status === 'resolved') return fail('already-resolved', `"${risk.title}" is already resolved.`);
    const opened = await openEngagement(trx, actor, risk.engagement_id, 'resolve a risk');
    return opened.ok ? ok(riskView(risk)) : opened;
  });
}

/**
 * The register a risk belongs to as it now stands (its engagement's open risks), for a register DM
 * that went stale; nothing when the risk or its engagement is gone.
 */
export async function registerOfRisk(
  deps: FlowDeps,
  actor: Actor,
  riskId: string,
): Promise<Pick<RiskChange, 'engagement' | 'register'> | null> {
  const risk = await findRisk(deps.db, actor.teamId, riskId);
  const engagement = risk ? await findEngagement(deps.db, actor.teamId, risk.engagement_id) : undefined;
  if (!engagement) return null;
  const register = (await listOpenRisks(deps.db, actor.teamId, [engagement.id])).map(riskView);
  return { engagement: riskEngagement(engagement), register };
}

/** Resolves a risk with a note (what happened to it): the owner or a lead. */
export async function resolveRisk(
  deps: FlowDeps,
  actor: Actor,
  input: { riskId: string; note: string },
): Promise<Result<RiskChange, ResolveRiskFailure | 'missing-note' | 'note-too-long'>> {
  const note = input.note.trim();
  if (note === '') return fail('missing-note', 'Say how it was resolved.', 'note');
  if (note.length > RISK_TEXT_MAX)
    return fail('note-too-long', `Keep the note to ${RISK_TEXT_MAX} characters.`, 'note');
  return inTransaction(deps.db, async (trx) => {
    const found = await findRisk(trx, actor.teamId, input.riskId);
    if (!found) return fail('unknown-risk', 'That risk no longer exists.');
    const opened = await openEngagement(trx, actor, found.engagement_id, 'resolve a risk');
    if (!opened.ok) return opened;
    const now = deps.now();
    if (!(await resolveRiskRow(trx, found.id, { by: actor.userId, at: now, note }))) {
      return fail('already-resolved', `"${found.title}" is already resolved.`);
    }
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: found.engagement_id,
      kind: 'risk.resolved',
      actorId: actor.userId,
      at: now,
      reason: note,
      data: { riskId: found.id, title: found.title },
    });
    const register = (await listOpenRisks(trx, actor.teamId, [found.engagement_id])).map(riskView);
    const facts = {
      risk: { ...riskView(found), status: 'resolved' as const, resolution: note },
      engagement: riskEngagement(opened.value),
      register,
    };
    const toSend = await queueRiskNotices(trx, actor.teamId, actor.userId, 'resolved', facts, []);
    return ok({ ...facts, tellLeads: [], toSend });
  });
}
