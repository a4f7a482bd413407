import { recordEvent } from '../db/events.js';
import { findMember, setCapacity, setInRotation, setLead, upsertMember } from '../db/members.js';
import type { Db } from '../db/connect.js';
import { fail, ok, type Result } from '../domain/result.js';
import { inTransaction, mention, requireLead, type Actor, type FlowDeps } from './context.js';

export interface Person {
  readonly userId: string;
  readonly name: string;
  /** Workspace admin or owner: a lead from the start, if Steward has not seen them before. */
  readonly isWorkspaceAdmin?: boolean;
}

export interface TeamChange {
  /** People whose status changed. */
  readonly changed: readonly Person[];
  /** People already in the requested state (nothing to do). */
  readonly unchanged: readonly Person[];
}

function needPeople(people: readonly Person[]): Result<never> | undefined {
  return people.length === 0 ? fail('no-people', 'Name at least one person, e.g. `@dana`.') : undefined;
}

/** `/engagement team add`: people join the rotation (added to the team if new). Leads only. */
export async function addToRotation(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
): Promise<Result<TeamChange>> {
  return changeTeam(deps, actor, people, 'change the team', async (trx, person) => {
    const member = await upsertMember(trx, {
      teamId: actor.teamId,
      userId: person.userId,
      name: person.name,
      isLead: person.isWorkspaceAdmin ?? false,
    });
    if (member.in_rotation) return false;
    await setInRotation(trx, actor.teamId, person.userId, true);
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'team.member_added',
      actorId: actor.userId,
      at: deps.now(),
      data: { userId: person.userId },
    });
    return true;
  });
}

/** `/engagement team remove`: people leave the rotation; engagements they own keep their owner. */
export async function removeFromRotation(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
): Promise<Result<TeamChange>> {
  return changeTeam(deps, actor, people, 'change the team', async (trx, person) => {
    const member = await findMember(trx, actor.teamId, person.userId);
    if (!member?.in_rotation) return false;
    await setInRotation(trx, actor.teamId, person.userId, false);
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: 'team.member_removed',
      actorId: actor.userId,
      at: deps.now(),
      data: { userId: person.userId },
    });
    return true;
  });
}

/**
 * `/engagement lead add`: leads approve owners and get escalations. Being a lead does not join the
 * rotation. A workspace admin or owner (as Slack says) may always make herself a lead again, so
 * nobody who runs the workspace can be locked out of Steward.
 */
export async function addLeads(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
): Promise<Result<TeamChange>> {
  const self = people.find((p) => p.userId === actor.userId);
  const onlySelf = people.every((p) => p.userId === actor.userId);
  const adminReturning = Boolean(self?.isWorkspaceAdmin) && onlySelf;
  return inTransaction(deps.db, (trx) =>
    applyToEach(trx, actor, people, adminReturning ? null : 'change the leads', async (person) => {
      const member = await upsertMember(trx, {
        teamId: actor.teamId,
        userId: person.userId,
        name: person.name,
      });
      if (member.is_lead) return false;
      await setLead(trx, actor.teamId, person.userId, true);
      await recordEvent(trx, {
        teamId: actor.teamId,
        kind: 'team.lead_added',
        actorId: actor.userId,
        at: deps.now(),
        data: { userId: person.userId, ...(adminReturning ? { asWorkspaceAdmin: true } : {}) },
      });
      return true;
    }),
  );
}

export async function removeLeads(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
): Promise<Result<TeamChange>> {
  return inTransaction(deps.db, async (trx) => {
    const result = await applyToEach(trx, actor, people, 'change the leads', async (person) => {
      const member = await findMember(trx, actor.teamId, person.userId);
      if (!member?.is_lead) return false;
      await setLead(trx, actor.teamId, person.userId, false);
      await recordEvent(trx, {
        teamId: actor.teamId,
        kind: 'team.lead_removed',
        actorId: actor.userId,
        at: deps.now(),
        data: { userId: person.userId },
      });
      return true;
    });
    if (!result.ok) return result;
    // Someone must be left to approve owners and hear escalations.
    const remaining = await trx
      .selectFrom('members')
      .select('user_id')
      .where('team_id', '=', actor.teamId)
      .where('is_lead', '=', true)
      .execute();
    if (remaining.length === 0)
      return fail('last-lead', 'A team needs at least one lead: add another lead first.');
    return result;
  });
}

async function changeTeam(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
  doing: string,
  apply: (trx: Db, person: Person) => Promise<boolean>,
): Promise<Result<TeamChange>> {
  return inTransaction(deps.db, (trx) =>
    applyToEach(trx, actor, people, doing, (person) => apply(trx, person)),
  );
}

/** `doing`: what only a lead may do, for the refusal; null when the actor needs not be a lead. */
async function applyToEach(
  trx: Db,
  actor: Actor,
  people: readonly Person[],
  doing: string | null,
  apply: (person: Person) => Promise<boolean>,
): Promise<Result<TeamChange>> {
  const none = needPeople(people);
  if (none) return none;
  if (doing !== null) {
    const lead = await requireLead(trx, actor, doing);
    if (!lead.ok) return lead;
  }
  const changed: Person[] = [];
  const unchanged: Person[] = [];
  const seen = new Set<string>();
  for (const person of people) {
    if (seen.has(person.userId)) continue;
    seen.add(person.userId);
    ((await apply(person)) ? changed : unchanged).push(person);
  }
  return ok({ changed, unchanged });
}

/**
 * `/engagement team capacity @person N`: how many engagements overlapping a window a person may
 * own at once (0: never proposed). Leads only; the person must be on the team.
 */
export async function setMemberCapacity(
  deps: FlowDeps,
  actor: Actor,
  input: { userId: string; capacity: number },
): Promise<Result<{ name: string; capacity: number; previous: number }>> {
  if (!Number.isInteger(input.capacity) || input.capacity < 0) {
    return fail('bad-capacity', 'The capacity is a whole number, 0 or more.');
  }
  return inTransaction(deps.db, async (trx) => {
    const lead = await requireLead(trx, actor, "set someone's capacity");
    if (!lead.ok) return lead;
    const member = await findMember(trx, actor.teamId, input.userId);
    if (!member?.in_rotation) {
      return fail(
        'not-on-team',
        `${mention(input.userId)} is not in the rotation; add them with \`/engagement team add\` first.`,
      );
    }
    if (member.capacity !== input.capacity) {
      await setCapacity(trx, actor.teamId, input.userId, input.capacity);
      await recordEvent(trx, {
        teamId: actor.teamId,
        kind: 'team.capacity_set',
        actorId: actor.userId,
        at: deps.now(),
        data: { userId: input.userId, capacity: input.capacity, previous: member.capacity },
      });
    }
    return ok({ name: member.name, capacity: input.capacity, previous: member.capacity });
  });
}

export const describePeople = (people: readonly Person[]): string =>
  people.map((p) => mention(p.userId)).join(', ');
