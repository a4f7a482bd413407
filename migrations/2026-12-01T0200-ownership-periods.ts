import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// Turns become ownership periods: who owned which engagement from which day to which day. An
// approval starts one; a takeover ends the old owner's and starts the new owner's on its day; a
// hand-back within the first business day leaves none. Until now the history was read off
// `engagements.owner_id`, so a member who handed an engagement over lost the turn, and a member
// who took one over was credited with its original start.
//
// Also here, because the rotation needs them at once:
// - members' `interest` (more, fewer or normal turns) and `paused_until` (last day of a pause);
// - stand-ins: who covers an owner's short time away, for which days (not a turn);
// - an engagement's optional client channel (shared with the client), and whether its own channel
//   was found shared with another organisation (then reminders go to the owner's DM meanwhile);
// - the standard plan in real words, as a new version for teams still on the placeholder one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ownership_periods')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint', (c) => c.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('ownership_periods_dates_ordered', sql`ends_on >= starts_on`)
    .execute();
  await db.schema
    .createIndex('ownership_periods_by_team_start')
    .on('ownership_periods')
    .columns(['team_id', 'starts_on'])
    .execute();
  await db.schema
    .createIndex('ownership_periods_by_owner')
    .on('ownership_periods')
    .columns(['team_id', 'owner_id', 'starts_on'])
    .execute();
  await db.schema
    .createIndex('ownership_periods_by_engagement')
    .on('ownership_periods')
    .columns(['engagement_id', 'starts_on'])
    .execute();

  await db.schema
    .createTable('stand_ins')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint', (c) => c.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('stand_in_id', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('stand_ins_dates_ordered', sql`ends_on >= starts_on`)
    .addCheckConstraint('stand_ins_not_the_owner', sql`stand_in_id <> owner_id`)
    .execute();
  await db.schema
    .createIndex('stand_ins_by_engagement')
    .on('stand_ins')
    .columns(['engagement_id', 'starts_on'])
    .execute();
  await db.schema
    .createIndex('stand_ins_by_team')
    .on('stand_ins')
    .columns(['team_id', 'stand_in_id', 'ends_on'])
    .execute();

  await db.schema
    .alterTable('members')
    .addColumn('interest', 'text', (c) =>
      c
        .notNull()
        .defaultTo('normal')
        .check(sql`interest in ('more', 'fewer', 'normal')`),
    )
    .execute();
  await db.schema.alterTable('members').addColumn('paused_until', 'date').execute();
  await db.schema.alterTable('members').renameColumn('ownerships_count', 'turns_count').execute();

  await db.schema.alterTable('engagements').addColumn('client_channel_id', 'text').execute();
  await db.schema
    .alterTable('engagements')
    .addColumn('channel_shared', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // Existing engagements were created before Steward asked Slack about channels: checked once later.
  await db.schema
    .alterTable('engagements')
    .addColumn('channel_checked', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  // Periods from the audit trail: each approval, override or takeover starts one for its owner on
  // the later of its (local) day and the engagement's start; the next one ends it the day before.
  // An owner who handed it back (within a business day, as the rule allowed) had no turn.
  await sql`
    with taken as (
      select ev.id, ev.team_id, ev.engagement_id, ev.data->>'ownerId' as owner_id,
             greatest(e.starts_on, (ev.at at time zone t.time_zone)::date) as from_day,
             e.ends_on, e.status, e.closed_at, t.time_zone
      from events ev
      join engagements e on e.id = ev.engagement_id
      join teams t on t.id = e.team_id
      where ev.kind in ('approved', 'overridden', 'reassigned') and ev.data->>'ownerId' is not null
    ), ordered as (
      select taken.*,
             lead(from_day) over (partition by engagement_id order by id) as next_from,
             lead(id) over (partition by engagement_id order by id) as next_id
      from taken
    )
    insert into ownership_periods (team_id, engagement_id, owner_id, starts_on, ends_on)
    select team_id, engagement_id, owner_id, from_day,
           least(ends_on,
                 coalesce(next_from - 1, ends_on),
                 coalesce((closed_at at time zone time_zone)::date, ends_on))
    from ordered o
    where not exists (
            select 1 from events d
            where d.engagement_id = o.engagement_id and d.kind = 'declined' and d.actor_id = o.owner_id
              and d.id > o.id and (o.next_id is null or d.id < o.next_id))
      and least(ends_on,
                coalesce(next_from - 1, ends_on),
                coalesce((closed_at at time zone time_zone)::date, ends_on)) >= from_day`.execute(db);
  // Owners with no recorded approval (data from before the audit trail): their whole engagement.
  await sql`
    insert into ownership_periods (team_id, engagement_id, owner_id, starts_on, ends_on)
    select e.team_id, e.id, e.owner_id, e.starts_on,
           greatest(e.starts_on, least(e.ends_on, coalesce((e.closed_at at time zone t.time_zone)::date, e.ends_on)))
    from engagements e join teams t on t.id = e.team_id
    where e.owner_id is not null
      and not exists (select 1 from ownership_periods p where p.engagement_id = e.id and p.owner_id = e.owner_id)`.execute(
    db,
  );

  // Each member's lifetime turns, kept by the database from the periods (the rotation's last
  // tie-break), so no ranking counts a team's whole history and no code path can forget it.
  await sql`drop trigger if exists engagements_count_ownerships on engagements`.execute(db);
  await sql`drop function if exists engagements_count_ownerships()`.execute(db);
  await sql`
    create function ownership_periods_count_turns() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update members set turns_count = turns_count - 1
        where team_id = old.team_id and user_id = old.owner_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update members set turns_count = turns_count + 1
        where team_id = new.team_id and user_id = new.owner_id;
      end if;
      return null;
    end;
    $$`.execute(db);
  await sql`
    create trigger ownership_periods_count_turns after insert or delete or update of owner_id, team_id
    on ownership_periods for each row execute function ownership_periods_count_turns()`.execute(db);
  await sql`
    update members m set turns_count = (
      select count(*) from ownership_periods p where p.team_id = m.team_id and p.owner_id = m.user_id)`.execute(
    db,
  );

  // The standard plan in the team's real words (no "A and B" placeholders): a new version, so
  // engagements started on the old one keep it.
  await sql`
    insert into plan_templates (team_id, name, version, is_default, status_every, steps)
    select t.team_id, t.name, t.version + 1, t.is_default, t.status_every, ${JSON.stringify([
      { offset: 0, title: 'Kickoff with the client; scope and inputs confirmed' },
      { offset: 3, title: 'Client inputs received' },
      { offset: 4, title: 'Plan and risk register shared (breakdown, sequencing, risks)' },
      { offset: 9, title: 'Implementation complete; status update sent' },
      { offset: 14, title: 'Client acceptance test passed' },
      { offset: 19, title: 'Go-live and handover to the client' },
      { offset: 20, title: 'Retrospective; engagement closed' },
    ])}::jsonb
    from plan_templates t
    where t.name = 'Standard 4-week plan'
      and t.steps::text like '%(A and B)%'
      and not exists (select 1 from plan_templates n
                      where n.team_id = t.team_id and n.name = t.name and n.version > t.version)`.execute(db);
  await sql`
    update plan_templates old set is_default = false
    where old.is_default and exists (select 1 from plan_templates n
                                     where n.team_id = old.team_id and n.name = old.name and n.version > old.version)`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists ownership_periods_count_turns on ownership_periods`.execute(db);
  await sql`drop function if exists ownership_periods_count_turns()`.execute(db);
  await db.schema.dropTable('stand_ins').ifExists().execute();
  await db.schema.dropTable('ownership_periods').ifExists().execute();
  await db.schema.alterTable('engagements').dropColumn('channel_checked').execute();
  await db.schema.alterTable('engagements').dropColumn('channel_shared').execute();
  await db.schema.alterTable('engagements').dropColumn('client_channel_id').execute();
  await db.schema.alterTable('members').renameColumn('turns_count', 'ownerships_count').execute();
  await db.schema.alterTable('members').dropColumn('paused_until').execute();
  await db.schema.alterTable('members').dropColumn('interest').execute();
}
