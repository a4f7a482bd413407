// The owner's retrospective once an engagement is closed: what went well, what to change. Kept with
// the plan's name, shown in the engagement's history and to the next owner on the same plan.
import { findEngagement, lockEngagement } from '../db/engagements.js';
import { recordEvent } from '../db/events.js';
import { findMember } from '../db/members.js';
import { findRetrospective, insertRetrospective, templateNameOf } from '../db/retrospectives.js';
import type { EngagementRow } from '../db/schema.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Db } from '../db/connect.js';
import { inTransaction, type Actor, type FlowDeps } from './context.js';

export const RETROSPECTIVE_TEXT_MAX = 2000;

export type RetrospectiveField = 'wentWell' | 'toChange';

export interface RetrospectiveTarget {
  readonly id: string;
  readonly number: number;
  readonly clientName: string;
}

/** Why the retrospective can't be written at all: asked when the button is clicked and again on Save. */
export type RetrospectiveAccessFailure =
  'unknown-engagement' | 'not-closed' | 'not-owner-or-lead' | 'already-written';

/** Why a submitted retrospective was not saved: nothing was. */
export type WriteRetrospectiveFailure =
  RetrospectiveAccessFailure | 'missing-went-well' | 'missing-to-change' | 'too-long';

async function mayWrite(
  db: Db,
  actor: Actor,
  engagement: EngagementRow | undefined,
): Promise<Result<RetrospectiveTarget, RetrospectiveAccessFailure>> {
  if (!engagement) return fail('unknown-engagement', 'That engagement no longer exists.');
  if (engagement.status !== 'closed')
    return fail(
      'not-closed',
      `Engagement #${engagement.number} is still open: its retrospective comes once it closes.`,
    );
  if (engagement.owner_id !== actor.userId) {
    const member = await findMember(db, actor.teamId, actor.userId);
    if (!member?.is_lead)
      return fail('not-owner-or-lead', "Only the engagement's owner or a lead can write its retrospective.");
  }
  const written = await findRetrospective(db, engagement.id);
  if (written)
    return fail(
      'already-written',
      `The retrospective of #${engagement.number} was already written by <@${written.written_by}>; \`/engagement history #${engagement.number}\` shows it.`,
    );
  return ok({ id: engagement.id, number: engagement.number, clientName: engagement.client_name });
}

/** Whether the person may write the retrospective: asked before the modal opens. */
export async function retrospectiveTarget(
  deps: FlowDeps,
  actor: Actor,
  engagementId: string,
): Promise<Result<RetrospectiveTarget, RetrospectiveAccessFailure>> {
  return mayWrite(deps.db, actor, await findEngagement(deps.db, actor.teamId, engagementId));
}

/** Saves the retrospective (once per engagement), recorded in the audit trail. */
export async function writeRetrospective(
  deps: FlowDeps,
  actor: Actor,
  input: { engagementId: string; wentWell: string; toChange: string },
): Promise<Result<RetrospectiveTarget, WriteRetrospectiveFailure>> {
  const wentWell = input.wentWell.trim();
  const toChange = input.toChange.trim();
  if (wentWell === '') return fail('missing-went-well', 'Say what went well, even briefly.', 'wentWell');
  if (toChange === '')
    return fail('missing-to-change', 'Say what you would change, even briefly.', 'toChange');
  for (const [field, text] of [
    ['wentWell', wentWell],
    ['toChange', toChange],
  ] as const) {
    if (text.length > RETROSPECTIVE_TEXT_MAX)
      return fail('too-long', `Keep it to ${RETROSPECTIVE_TEXT_MAX} characters.`, field);
  }
  return inTransaction(deps.db, async (trx) => {
    const engagement = await lockEngagement(trx, actor.teamId, input.engagementId);
    const allowed = await mayWrite(trx, actor, engagement);
    if (!allowed.ok) return allowed;
    const now = deps.now();
    await insertRetrospective(trx, {
      teamId: actor.teamId,
      engagementId: engagement!.id,
      templateName: (await templateNameOf(trx, engagement!.template_id)) ?? '',
      wentWell,
      toChange,
      writtenBy: actor.userId,
      writtenAt: now,
    });
    await recordEvent(trx, {
      teamId: actor.teamId,
      engagementId: engagement!.id,
      kind: 'retrospective.written',
      actorId: actor.userId,
      at: now,
      data: { wentWell, toChange },
    });
    return allowed;
  });
}
