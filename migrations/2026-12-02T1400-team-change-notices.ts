import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// Every change to a team's settings, its people or its plan templates says so on the
// `steward_team_changed` channel, with the team's id, once its transaction commits (Postgres sends a
// NOTIFY only then, and only once per transaction for the same payload). Each replica listens and
// drops what it kept in memory of that team: a change made anywhere, by any replica or by hand,
// reaches them all. A TRUNCATE, which row triggers never see, says '*': every team.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function notify_team_changed() returns trigger language plpgsql as $$
    begin
      -- A TRUNCATE may have touched every team: '*' says so.
      if tg_op = 'TRUNCATE' then
        perform pg_notify('steward_team_changed', '*');
        return null;
      end if;
      -- The trigger's argument names the column holding the team's id. A row moved to another
      -- team changed both (Postgres sends one notice per payload and transaction).
      if tg_op <> 'INSERT' then
        perform pg_notify('steward_team_changed', to_jsonb(old) ->> tg_argv[0]);
      end if;
      if tg_op <> 'DELETE' then
        perform pg_notify('steward_team_changed', to_jsonb(new) ->> tg_argv[0]);
      end if;
      return null;
    end $$`.execute(db);
  for (const [table, column] of [
    ['teams', 'id'],
    ['members', 'team_id'],
    ['plan_templates', 'team_id'],
  ] as const) {
    await sql`
      create trigger ${sql.raw(`${table}_notify_changed`)}
      after insert or update or delete on ${sql.table(table)}
      for each row execute function notify_team_changed(${sql.lit(column)})`.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_notify_truncated`)}
      after truncate on ${sql.table(table)}
      for each statement execute function notify_team_changed(${sql.lit(column)})`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['teams', 'members', 'plan_templates']) {
    for (const trigger of [`${table}_notify_changed`, `${table}_notify_truncated`]) {
      await sql`drop trigger if exists ${sql.raw(trigger)} on ${sql.table(table)}`.execute(db);
    }
  }
  await sql`drop function if exists notify_team_changed()`.execute(db);
}
