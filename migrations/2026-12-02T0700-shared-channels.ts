import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// Channels Slack told Steward were shared with people outside the organisation after Steward began
// posting there (its `channel_shared` event). The outbox's guard reads them, so that nothing internal
// reaches a client through a channel that was the team's own when it was chosen. Slack's
// `channel_unshared` event, once no outside organisation is left, removes the row.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('shared_channels')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('shared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('shared_channels_pkey', ['team_id', 'channel_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('shared_channels').ifExists().execute();
}
