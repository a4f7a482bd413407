// `/engagement history #n`: an engagement's story, read from the audit trail, a page at a time.
// Skip reasons, time away and risks are in it, so only the team's members and leads may read it.
import { listEngagementEventsPage } from '../db/events.js';
import { findEngagement, findEngagementByNumber } from '../db/engagements.js';
import { findMember } from '../db/members.js';
import { fail, ok, type Result } from '../domain/result.js';
import { requireTeam, type Actor, type FlowDeps } from './context.js';

/** Entries per page: each is one line, so a page stays far inside a message's limits. */
export const HISTORY_PAGE = 15;

export interface HistoryEntry {
  readonly id: string;
  readonly kind: string;
  /** null: Steward itself. */
  readonly actorId: string | null;
  readonly at: Date;
  readonly reason: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface HistoryPage {
  readonly engagement: { readonly id: string; readonly number: number; readonly clientName: string };
  readonly timeZone: string;
  readonly entries: readonly HistoryEntry[];
  /** The last entry's id when more follow (the Show more button's cursor), else null. */
  readonly moreAfter: string | null;
  /** Whether this is the first page. */
  readonly first: boolean;
}

export type HistoryTarget = { readonly number: number } | { readonly engagementId: string };

export async function engagementHistory(
  deps: FlowDeps,
  actor: Actor,
  target: HistoryTarget,
  afterId = '0',
): Promise<Result<HistoryPage, 'unknown-team' | 'not-on-team' | 'unknown-engagement'>> {
  const team = await requireTeam(deps.db, actor.teamId);
  if (!team.ok) return team;
  const member = await findMember(deps.db, actor.teamId, actor.userId);
  if (!member || !(member.in_rotation || member.is_lead)) {
    return fail('not-on-team', "An engagement's history is for the team's members and leads.");
  }
  const engagement =
    'number' in target
      ? await findEngagementByNumber(deps.db, actor.teamId, target.number)
      : await findEngagement(deps.db, actor.teamId, target.engagementId);
  if (!engagement) {
    return fail(
      'unknown-engagement',
      'number' in target ? `There is no engagement #${target.number}.` : 'That engagement no longer exists.',
    );
  }
  const after = /^\d+$/.test(afterId) ? afterId : '0';
  const rows = await listEngagementEventsPage(deps.db, actor.teamId, engagement.id, {
    afterId: after,
    limit: HISTORY_PAGE + 1,
  });
  const entries = rows.slice(0, HISTORY_PAGE).map((r) => ({
    id: r.id,
    kind: r.kind,
    actorId: r.actor_id,
    at: r.at,
    reason: r.reason,
    data: r.data,
  }));
  return ok({
    engagement: { id: engagement.id, number: engagement.number, clientName: engagement.client_name },
    timeZone: team.value.time_zone,
    entries,
    moreAfter: rows.length > HISTORY_PAGE ? entries.at(-1)!.id : null,
    first: after === '0',
  });
}
