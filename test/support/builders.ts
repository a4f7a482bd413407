import { beforeEach } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { FlowDeps } from '../../src/flows/context.js';
import { addToRotation } from '../../src/flows/manage-team.js';
import { recognizePerson, type TeamDefaults } from '../../src/flows/set-up-team.js';

import { CHANNELS, PEOPLE, TEAM_ID } from './people.js';

export const TEAM = TEAM_ID;
export const LEAD = PEOPLE.lead;
export const ROTATION_CHANNEL = CHANNELS.rotation;

export const DEFAULTS: TeamDefaults = { timeZone: 'UTC', reminderTime: '09:00' };

/** A settable clock: flows read time only through `deps.now`. Every test starts at `iso`. */
export function clock(iso: string) {
  let current = new Date(iso);
  beforeEach(() => {
    current = new Date(iso);
  });
  return {
    now: () => current,
    set(next: string) {
      current = new Date(next);
    },
  };
}

export function flowDeps(db: Db, now: () => Date): FlowDeps & { defaults: TeamDefaults } {
  return { db, now, defaults: DEFAULTS };
}

/** A team with a lead (a workspace admin, not in the rotation) and members in the rotation, in this order. */
export async function seedTeam(deps: FlowDeps & { defaults: TeamDefaults }, memberNames: readonly string[]) {
  await recognizePerson(deps, TEAM, { userId: LEAD, name: 'Lee Lead', isWorkspaceAdmin: true });
  const people = memberNames.map((name) => ({ userId: `U${name.toUpperCase()}`, name }));
  const added = await addToRotation(deps, { teamId: TEAM, userId: LEAD }, people);
  if (!added.ok) throw new Error(added.message);
  return Object.fromEntries(people.map((p) => [p.name, p.userId])) as Record<string, string>;
}

export const asLead = { teamId: TEAM, userId: LEAD };
export const as = (userId: string) => ({ teamId: TEAM, userId });

/** Unwraps a flow result in a test, failing with the flow's own message. */
export function expectOk<T>(
  result: { ok: true; value: T } | { ok: false; message: string; code: string },
): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.value;
}
