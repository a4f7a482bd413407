import { recordEvent } from '../db/events.js';
import { findMember, listLeads, setCapacity, setInRotation, setLead, upsertMember } from '../db/members.js';
import type { Db } from '../db/connect.js';
import { fail, ok, type Result } from '../domain/result.js';
import { inTransaction, mention, requireLead, type Actor, type FlowDeps } from './context.js';

export interface Person {
  readonly userId: string;
  readonly name: string;
  /** Workspace admin or owner: a lead from the start, if Steward has not seen them before. */
  readonly isWorkspaceAdmin?: boolean;
}

/** Why a change of the team or its leads was refused. */
export type TeamChangeFailure = 'no-people' | 'not-a-lead' | 'last-lead';
export type RemoveLeadsFailure = TeamChangeFailure | 'remove-self-unconfirmed';
export type CapacityFailure = 'bad-capacity' | 'not-a-lead' | 'not-on-team';

export interface TeamChange {
  /** People whose status changed. */
  readonly changed: readonly Person[];
  /** People already in the requested state (nothing to do). */
  readonly unchanged: readonly Person[];
}

function needPeople(people: readonly Person[]): Result<never, 'no-people'> | undefined {
  return people.length === 0 ? fail('no-people', 'Name at least one person, e.g. `@dana`.') : undefined;
}

/**
 * One kind of membership change: the flag it sets, what the refusal names, and the event it
 * records. The four team commands differ only in these, so they share one path.
 */
interface MembershipChange {
  readonly flag: 'in_rotation' | 'is_lead';
  readonly to: boolean;
  readonly doing: string;
  readonly event: 'team.member_added' | 'team.member_removed' | 'team.lead_added' | 'team.lead_removed';
}

const JOIN_ROTATION: MembershipChange = {
  flag: 'in_rotation',
  to: true,
  doing: 'change the team',
  event: 'team.member_added',
};
const LEAVE_ROTATION: MembershipChange = {
  flag: 'in_rotation',
  to: false,
  doing: 'change the team',
  event: 'team.member_removed',
};
const BECOME_LEAD: MembershipChange = {
  flag: 'is_lead',
  to: true,
  doing: 'change the leads',
  event: 'team.lead_added',
};
const STOP_LEADING: MembershipChange = {
  flag: 'is_lead',
  to: false,
  doing: 'change the leads',
  event: 'team.lead_removed',
};

/** `/engagement team add`: people join the rotation (added to the team if new). Leads only. */
export function addToRotation(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
): Promise<Result<TeamChange, TeamChangeFailure>> {
  return inTransaction(deps.db, (trx) => applyChange(trx, deps, actor, people, JOIN_ROTATION));
}

/** `/engagement team remove`: people leave the rotation; engagements they own keep their owner. */
export function removeFromRotation(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
): Promise<Result<TeamChange, TeamChangeFailure>> {
  return inTransaction(deps.db, (trx) => applyChange(trx, deps, actor, people, LEAVE_ROTATION));
}

/**
 * `/engagement lead add`: leads approve owners and get escalations. Being a lead does not join the
 * rotation. A workspace admin or owner (as Slack says) may always make herself a lead again, so
 * nobody who runs the workspace can be locked out of Steward.
 */
export function addLeads(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
): Promise<Result<TeamChange, TeamChangeFailure>> {
  const adminReturning =
    people.length > 0 && people.every((p) => p.userId === actor.userId && Boolean(p.isWorkspaceAdmin));
  return inTransaction(deps.db, (trx) =>
    applyChange(trx, deps, actor, people, BECOME_LEAD, adminReturning ? { asWorkspaceAdmin: true } : null),
  );
}

/**
 * `/engagement lead remove`: someone must be left to approve owners and hear escalations.
 * `askFirst`: a lead naming herself is the one change she can't take back herself (unless she runs
 * the workspace), so nothing changes and the answer is `remove-self-unconfirmed` until she says yes.
 */
export function removeLeads(
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
  { askFirst = false }: { askFirst?: boolean } = {},
): Promise<Result<TeamChange, RemoveLeadsFailure>> {
  return inTransaction(deps.db, async (trx) => {
    if (askFirst && people.some((p) => p.userId === actor.userId)) {
      // Someone who is not a lead is refused below as usual.
      const lead = await requireLead(trx, actor, STOP_LEADING.doing);
      if (lead.ok) return fail('remove-self-unconfirmed', 'Stop being a lead? Say yes to go ahead.');
    }
    const result = await applyChange(trx, deps, actor, people, STOP_LEADING);
    if (!result.ok) return result;
    if ((await listLeads(trx, actor.teamId)).length === 0)
      return fail('last-lead', 'A team needs at least one lead: add another lead first.');
    return result;
  });
}

/**
 * Applies one membership change to each person named once. `asWorkspaceAdmin`: the actor needs not
 * be a lead (a workspace admin making herself one again), and the event says why.
 */
async function applyChange(
  trx: Db,
  deps: FlowDeps,
  actor: Actor,
  people: readonly Person[],
  change: MembershipChange,
  asWorkspaceAdmin: { asWorkspaceAdmin: true } | null = null,
): Promise<Result<TeamChange, TeamChangeFailure>> {
  return applyToEach(trx, actor, people, asWorkspaceAdmin ? null : change.doing, async (person) => {
    // Joining the team or becoming a lead may be someone's first contact with Steward; a
    // workspace admin joining the rotation starts as a lead too.
    const member = change.to
      ? await upsertMember(trx, {
          teamId: actor.teamId,
          userId: person.userId,
          name: person.name,
          ...(change.flag === 'in_rotation' ? { isLead: person.isWorkspaceAdmin ?? false } : {}),
        })
      : await findMember(trx, actor.teamId, person.userId);
    if (!member || member[change.flag] === change.to) return false;
    if (change.flag === 'in_rotation') await setInRotation(trx, actor.teamId, person.userId, change.to);
    else await setLead(trx, actor.teamId, person.userId, change.to);
    await recordEvent(trx, {
      teamId: actor.teamId,
      kind: change.event,
      actorId: actor.userId,
      at: deps.now(),
      data: { userId: person.userId, ...asWorkspaceAdmin },
    });
    return true;
  });
}

/** `doing`: what only a lead may do, for the refusal; null when the actor needs not be a lead. */
async function applyToEach(
  trx: Db,
  actor: Actor,
  people: readonly Person[],
  doing: string | null,
  apply: (person: Person) => Promise<boolean>,
): Promise<Result<TeamChange, TeamChangeFailure>> {
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
): Promise<Result<{ name: string; capacity: number; previous: number }, CapacityFailure>> {
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
