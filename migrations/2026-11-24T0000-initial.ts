import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code, so it means the same thing forever.
// Every table is scoped by the Slack team (workspace) id.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('reminder_time', 'text', (c) => c.notNull().defaultTo('09:00'))
    .addColumn('holiday_region', 'text')
    .addColumn('extra_holidays', sql`date[]`, (c) => c.notNull().defaultTo(sql`'{}'::date[]`))
    .addColumn('rotation_channel_id', 'text')
    .addColumn('propose_days_ahead', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('in_rotation', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_lead', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('capacity', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(2)
        .check(sql`capacity >= 0`),
    )
    .addColumn('rotation_order', 'integer', (c) => c.notNull())
    .addColumn('ownerships_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('members_pkey', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('time_away')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'time_away_member_fk',
      ['team_id', 'user_id'],
      'members',
      ['team_id', 'user_id'],
      (c) => c.onDelete('cascade'),
    )
    .addCheckConstraint('time_away_dates_ordered', sql`ends_on >= starts_on`)
    .execute();
  await db.schema
    .createIndex('time_away_by_member')
    .on('time_away')
    .columns(['team_id', 'user_id', 'ends_on'])
    .execute();

  await db.schema
    .createTable('plan_templates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status_every', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('steps', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('plan_templates_version_unique', ['team_id', 'name', 'version'])
    .execute();

  await db.schema
    .createTable('engagements')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('client_name', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('rotation_channel_id', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('template_id', 'bigint', (c) => c.notNull().references('plan_templates.id'))
    .addColumn('delivery_lead_id', 'text')
    .addColumn('owner_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('awaiting_owner'))
    .addColumn('risk', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('risk_note', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addCheckConstraint('engagements_status_known', sql`status in ('awaiting_owner', 'active', 'closed')`)
    .addCheckConstraint('engagements_risk_known', sql`risk in ('none', 'flagged')`)
    .addCheckConstraint('engagements_dates_ordered', sql`ends_on >= starts_on`)
    .addCheckConstraint(
      'engagements_owner_not_delivery_lead',
      sql`owner_id is null or owner_id is distinct from delivery_lead_id`,
    )
    .addUniqueConstraint('engagements_number_unique', ['team_id', 'number'])
    .execute();
  // One open engagement per channel; the database holds the line even if two modals race.
  await db.schema
    .createIndex('engagements_open_channel_unique')
    .on('engagements')
    .columns(['team_id', 'channel_id'])
    .unique()
    .where(sql.ref('status'), '<>', 'closed')
    .execute();
  await db.schema
    .createIndex('engagements_by_team_status')
    .on('engagements')
    .columns(['team_id', 'status', 'starts_on'])
    .execute();
  await db.schema
    .createIndex('engagements_by_team_start')
    .on('engagements')
    .columns(['team_id', 'starts_on'])
    .execute();
  await db.schema
    .createIndex('engagements_by_owner')
    .on('engagements')
    .columns(['team_id', 'owner_id', 'starts_on'])
    .execute();

  // Each member's running total of ownerships (the rotation's last tie-break), kept by the database
  // itself so that no code path can forget it and no ranking has to count a team's whole history.
  await sql`
    create function engagements_count_ownerships() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.owner_id is not null
         and (tg_op = 'DELETE' or old.owner_id is distinct from new.owner_id) then
        update members set ownerships_count = ownerships_count - 1
        where team_id = old.team_id and user_id = old.owner_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.owner_id is not null
         and (tg_op = 'INSERT' or old.owner_id is distinct from new.owner_id) then
        update members set ownerships_count = ownerships_count + 1
        where team_id = new.team_id and user_id = new.owner_id;
      end if;
      return null;
    end;
    $$`.execute(db);
  await sql`
    create trigger engagements_count_ownerships after insert or delete or update of owner_id on engagements
    for each row execute function engagements_count_ownerships()`.execute(db);

  await db.schema
    .createTable('milestones')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint', (c) => c.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('offset_days', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'timestamptz')
    .addColumn('snoozed_until', 'date')
    .addCheckConstraint('milestones_kind_known', sql`kind in ('milestone', 'status_update')`)
    .addCheckConstraint('milestones_status_known', sql`status in ('open', 'done')`)
    .addUniqueConstraint('milestones_position_unique', ['engagement_id', 'position'])
    .execute();
  await db.schema
    .createIndex('milestones_open_by_due')
    .on('milestones')
    .columns(['team_id', 'due_on'])
    .where(sql.ref('status'), '=', 'open')
    .execute();

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint', (c) => c.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('owner'))
    .addColumn('candidate_id', 'text')
    .addColumn('rank', 'integer')
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('skipped', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('why', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .addColumn('channel_id', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('proposals_kind_known', sql`kind in ('owner', 'handover')`)
    .addCheckConstraint(
      'proposals_outcome_known',
      sql`outcome in ('pending', 'approved', 'passed', 'declined', 'overridden', 'superseded', 'dismissed')`,
    )
    .execute();
  // At most one open proposal per engagement: double clicks and retries cannot fork the decision.
  await db.schema
    .createIndex('proposals_one_pending')
    .on('proposals')
    .column('engagement_id')
    .unique()
    .where(sql.ref('outcome'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('proposals_by_engagement')
    .on('proposals')
    .columns(['engagement_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('proposals_pending_by_team')
    .on('proposals')
    .columns(['team_id', 'created_at'])
    .where(sql.ref('outcome'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex('events_by_engagement')
    .on('events')
    .columns(['team_id', 'engagement_id', 'id'])
    .execute();
  // The audit trail is append-only: the database refuses to rewrite history.
  await sql`
    create function events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'events are append-only';
    end;
    $$`.execute(db);
  await sql`
    create trigger events_append_only before update or delete on events
    for each row execute function events_append_only()`.execute(db);

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_before', 'timestamptz', (c) => c.notNull())
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_ts', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('outbox_status_known', sql`status in ('pending', 'sent', 'failed')`)
    .addUniqueConstraint('outbox_idempotency_unique', ['team_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('outbox_pending')
    .on('outbox')
    .columns(['not_before', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbox',
    'events',
    'proposals',
    'milestones',
    'engagements',
    'plan_templates',
    'time_away',
    'members',
    'teams',
  ]) {
    await db.schema.dropTable(table).ifExists().cascade().execute();
  }
  await sql`drop function if exists events_append_only()`.execute(db);
  await sql`drop function if exists engagements_count_ownerships()`.execute(db);
}
