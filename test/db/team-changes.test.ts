// Postgres tells every replica which team changed (a trigger's NOTIFY), so that what a replica keeps
// of a team in memory never outlives a change made anywhere: by another replica, or by hand.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamCache } from '../../src/db/team-cache.js';
import { listenForTeamChanges, type TeamChangeListener } from '../../src/db/team-changes.js';
import type { NewEngagementContext } from '../../src/db/teams.js';
import { newEngagementForm } from '../../src/flows/overview.js';
import { createLogger } from '../../src/logger.js';
import { asLead, clock, expectOk, flowDeps, seedTeam, TEAM } from '../support/builders.js';
import { useTestDatabase } from '../support/db.js';

const database = useTestDatabase();
const time = clock('2026-12-01T10:00:00Z');
const quiet = createLogger({ level: 'silent' });

let listener: TeamChangeListener | undefined;
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
});

async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const stopAt = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Listens as a replica does, writing down what it hears. */
async function listen() {
  const heard: string[] = [];
  const states: ('listening' | 'lost')[] = [];
  listener = listenForTeamChanges(
    database.url,
    {
      changed: (teamId) => heard.push(teamId),
      listening: () => states.push('listening'),
      lost: () => states.push('lost'),
    },
    quiet,
    { retryMs: { first: 20, longest: 100 } },
  );
  await until('listening', () => states.includes('listening'));
  return { heard, states };
}

const addTeam = (id: string) => sql`insert into teams (id) values (${id})`.execute(database.db);

describe('team change notices', () => {
  it('name the team whose settings, people or plan templates changed, once the change commits', async () => {
    const { heard } = await listen();
    await addTeam('T0SETTINGS');
    await sql`update teams set time_zone = 'Europe/Berlin' where id = 'T0SETTINGS'`.execute(database.db);
    await seedTeam(flowDeps(database.db, time.now), ['ana']);
    await sql`delete from plan_templates where team_id = ${TEAM}`.execute(database.db);
    await until('every change heard', () => heard.filter((t) => t === TEAM).length >= 2);
    expect(new Set(heard)).toEqual(new Set(['T0SETTINGS', TEAM]));
  });

  it('say nothing of a change rolled back', async () => {
    const { heard } = await listen();
    await database.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into teams (id) values ('T0UNDONE')`.execute(trx);
        throw new Error('undo');
      })
      .catch(() => {});
    await addTeam('T0DONE');
    // Notices arrive in commit order: once the later one is here, the undone one never will be.
    await until('the committed change', () => heard.includes('T0DONE'));
    expect(heard).toEqual(['T0DONE']);
  });

  it('say when listening stopped, and listen again once the database is back', async () => {
    const { heard, states } = await listen();
    await sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query = 'listen steward_team_changed'`.execute(database.db);
    await until('listening again', () => states.join(' ') === 'listening lost listening');
    await addTeam('T0AFTER');
    await until('the change after', () => heard.includes('T0AFTER'));
  });
});

describe('the new-engagement form, kept between requests', () => {
  it('is read from memory until Postgres says the team changed', async () => {
    const formFacts = new TeamCache<NewEngagementContext>();
    listener = listenForTeamChanges(
      database.url,
      {
        changed: (teamId) => formFacts.forget(teamId),
        listening: () => formFacts.setLive(true),
        lost: () => formFacts.setLive(false),
      },
      quiet,
    );
    const deps = { ...flowDeps(database.db, time.now), formFacts };
    await seedTeam(deps, ['ana']);
    const templates = async () =>
      expectOk(await newEngagementForm(deps, asLead)).templates.map((t) => t.name);
    await until('the form kept', async () => {
      await templates();
      // A change Postgres does not announce (its triggers off) shows whether the form came from memory.
      await database.db.connection().execute(async (connection) => {
        await sql`set session_replication_role = replica`.execute(connection);
        await sql`update plan_templates set name = 'Renamed quietly' where team_id = ${TEAM}`.execute(
          connection,
        );
        await sql`set session_replication_role = origin`.execute(connection);
      });
      const kept = (await templates())[0] === 'Standard 4-week plan';
      await sql`update plan_templates set name = 'Standard 4-week plan' where team_id = ${TEAM}`.execute(
        database.db,
      );
      return kept;
    });
    // Another replica (here, a plain write) adds a template: the next form shows it.
    await sql`
      insert into plan_templates (team_id, name, version, is_default, status_every, steps)
      values (${TEAM}, 'Express 2-week plan', 1, false, 0, '[]'::jsonb)`.execute(database.db);
    await until('the new template', async () => (await templates()).includes('Express 2-week plan'));
  });
});
