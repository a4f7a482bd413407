// Postgres tells every replica which team changed (a trigger's NOTIFY), so that what a replica keeps
// of a team in memory never outlives a change made anywhere: by another replica, or by hand.
import net from 'node:net';
import { sql, type RawBuilder } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamCache } from '../../src/db/team-cache.js';
import { EVERY_TEAM, listenForTeamChanges, type TeamChangeListener } from '../../src/db/team-changes.js';
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
  /** Runs one change alone and waits for what it is heard to say. */
  const change = async (query: RawBuilder<unknown>) => {
    heard.length = 0;
    await query.execute(database.db);
    // A marker after the change: notices arrive in commit order, so by then the change's are in.
    await sql`select pg_notify('steward_team_changed', 'marker')`.execute(database.db);
    await until('the marker', () => heard.includes('marker'));
    return heard.filter((teamId) => teamId !== 'marker');
  };
  return { heard, states, change };
}

/** Runs a write with the triggers off: a change Postgres does not announce. */
const quietly = (query: RawBuilder<unknown>) =>
  database.db.connection().execute(async (connection) => {
    await sql`set session_replication_role = replica`.execute(connection);
    try {
      await query.execute(connection);
    } finally {
      await sql`set session_replication_role = origin`.execute(connection);
    }
  });

describe('team change notices', () => {
  it('name the team whose settings changed, once the change commits', async () => {
    const { change } = await listen();
    expect(await change(sql`insert into teams (id) values ('T0A'), ('T0B')`)).toEqual(['T0A', 'T0B']);
    expect(await change(sql`update teams set time_zone = 'Europe/Berlin' where id = 'T0A'`)).toEqual(['T0A']);
    expect(await change(sql`delete from teams where id = 'T0B'`)).toEqual(['T0B']);
  });

  it('name the team whose people changed, and both teams of a person moved', async () => {
    const { change } = await listen();
    await change(sql`insert into teams (id) values ('T0A'), ('T0B')`);
    expect(
      await change(
        sql`insert into members (team_id, user_id, name, rotation_order) values ('T0A', 'U1', 'Ana', 1)`,
      ),
    ).toEqual(['T0A']);
    expect(await change(sql`update members set is_lead = true where user_id = 'U1'`)).toEqual(['T0A']);
    expect(await change(sql`update members set team_id = 'T0B' where user_id = 'U1'`)).toEqual([
      'T0A',
      'T0B',
    ]);
    expect(await change(sql`delete from members where user_id = 'U1'`)).toEqual(['T0B']);
  });

  it('name the team whose plan templates changed, and every team when a table is emptied', async () => {
    const { change } = await listen();
    await change(sql`insert into teams (id) values ('T0A')`);
    expect(
      await change(sql`
        insert into plan_templates (team_id, name, version, is_default, status_every, steps)
        values ('T0A', 'Express', 1, false, 0, '[]'::jsonb)`),
    ).toEqual(['T0A']);
    expect(await change(sql`update plan_templates set is_default = true where team_id = 'T0A'`)).toEqual([
      'T0A',
    ]);
    expect(await change(sql`delete from plan_templates where team_id = 'T0A'`)).toEqual(['T0A']);
    expect(await change(sql`truncate members cascade`)).toEqual([EVERY_TEAM]);
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
    await sql`insert into teams (id) values ('T0DONE')`.execute(database.db);
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
    await sql`insert into teams (id) values ('T0AFTER')`.execute(database.db);
    await until('the change after', () => heard.includes('T0AFTER'));
  });

  it('say when the connection went silent, found by the heartbeat, and listen again', async () => {
    // A connection that dies without a word (a NAT forgetting it, a failover): the proxy stops
    // passing anything on the connection it has, and lets new ones through.
    const target = new URL(database.url);
    const open = new Set<net.Socket>();
    const silenced = new Set<net.Socket>();
    const proxy = net.createServer((incoming) => {
      const outgoing = net.connect(Number(target.port || 5432), target.hostname);
      open.add(incoming);
      const pass = (from: net.Socket, to: net.Socket) =>
        from.on('data', (chunk) => {
          if (!silenced.has(incoming)) to.write(chunk);
        });
      pass(incoming, outgoing);
      pass(outgoing, incoming);
      const close = () => {
        open.delete(incoming);
        incoming.destroy();
        outgoing.destroy();
      };
      incoming.on('error', close).on('close', close);
      outgoing.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const via = new URL(database.url);
    via.hostname = '127.0.0.1';
    via.port = String((proxy.address() as net.AddressInfo).port);
    const states: string[] = [];
    const heard: string[] = [];
    try {
      listener = listenForTeamChanges(
        via.toString(),
        {
          changed: (teamId) => heard.push(teamId),
          listening: () => states.push('listening'),
          lost: () => states.push('lost'),
        },
        quiet,
        { retryMs: { first: 20, longest: 100 }, heartbeatMs: { every: 100, within: 500 } },
      );
      await until('listening', () => states.includes('listening'));
      const before = states.length;
      for (const socket of open) silenced.add(socket);
      await until('listening again', () => {
        const since = states.slice(before);
        return since.includes('lost') && since.at(-1) === 'listening';
      });
      await sql`insert into teams (id) values ('T0AFTER')`.execute(database.db);
      await until('the change after', () => heard.includes('T0AFTER'));
    } finally {
      await listener?.stop();
      listener = undefined;
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('stop at once, even while still connecting', async () => {
    const states: string[] = [];
    const connecting = listenForTeamChanges(
      database.url,
      { changed: () => {}, listening: () => states.push('listening'), lost: () => states.push('lost') },
      quiet,
    );
    await connecting.stop();
    expect(states).not.toContain('listening');
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
    // A change Postgres does not announce shows whether the form came from memory: read, rename the
    // template quietly, read again; the same name twice is the form kept.
    let renames = 0;
    await until('the form kept', async () => {
      const before = await templates();
      renames += 1;
      await quietly(sql`update plan_templates set name = ${`Renamed ${renames}`} where team_id = ${TEAM}`);
      return (await templates())[0] === before[0];
    });
    // Another replica (here, a plain write) adds a template: only its notice lets the form show it.
    await sql`
      insert into plan_templates (team_id, name, version, is_default, status_every, steps)
      values (${TEAM}, 'Express 2-week plan', 1, false, 0, '[]'::jsonb)`.execute(database.db);
    await until('the new template', async () => (await templates()).includes('Express 2-week plan'));
  });
});
