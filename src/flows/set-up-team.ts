import type { Db } from '../db/connect.js';
import { recordEvent } from '../db/events.js';
import { findMember, upsertMember } from '../db/members.js';
import type { MemberRow, TeamRow } from '../db/schema.js';
import { findTeam, insertPlanTemplate, insertTeamIfMissing } from '../db/teams.js';
import { STANDARD_PLAN } from '../domain/plan.js';
import { inTransaction, type FlowDeps } from './context.js';

export interface TeamDefaults {
  readonly timeZone: string;
  readonly reminderTime: string;
}

/** The team's row, created with the configured defaults and the standard plan the first time it is seen. */
export async function ensureTeam(
  db: Db,
  team: { id: string; name?: string | null },
  defaults: TeamDefaults,
): Promise<TeamRow> {
  const existing = await findTeam(db, team.id);
  if (existing) return existing;
  const created = await insertTeamIfMissing(db, {
    id: team.id,
    name: team.name ?? null,
    timeZone: defaults.timeZone,
    reminderTime: defaults.reminderTime,
  });
  if (created) await insertPlanTemplate(db, team.id, STANDARD_PLAN, true);
  return (await findTeam(db, team.id))!;
}

export interface SlackPerson {
  readonly userId: string;
  readonly name: string;
  /** Workspace admin or owner, as `users.info` reports it: a lead from the start. */
  readonly isWorkspaceAdmin?: boolean;
}

/**
 * Makes sure the person acting is known to Steward. Workspace admins and owners become leads the
 * first time they are seen; after that, leadership is whatever the leads decide.
 */
export async function recognizePerson(
  deps: FlowDeps & { defaults: TeamDefaults },
  teamId: string,
  person: SlackPerson,
): Promise<MemberRow> {
  return deps.db.transaction().execute(async (trx) => {
    await ensureTeam(trx, { id: teamId }, deps.defaults);
    const known = await findMember(trx, teamId, person.userId);
    if (known) {
      if (known.name === person.name) return known;
      return upsertMember(trx, { teamId, userId: person.userId, name: person.name });
    }
    const member = await upsertMember(trx, {
      teamId,
      userId: person.userId,
      name: person.name,
      isLead: person.isWorkspaceAdmin ?? false,
    });
    if (member.is_lead) {
      await recordEvent(trx, {
        teamId,
        kind: 'team.lead_added',
        actorId: null,
        at: deps.now(),
        reason: 'workspace admin or owner',
        data: { userId: person.userId },
      });
    }
    return member;
  });
}

/** For callers that only need the team to exist (e.g. the first command in a new workspace). */
export async function setUpTeam(deps: FlowDeps & { defaults: TeamDefaults }, teamId: string, name?: string) {
  return inTransaction(deps.db, async (trx) => ({
    ok: true,
    value: await ensureTeam(trx, { id: teamId, name: name ?? null }, deps.defaults),
  }));
}
