import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// Where the messages that go stale are, so that they can be updated when what they show changes: the
// kickoff in the engagement channel, the owner's DM with its Hand back button and when that button's
// window closes. Earlier reminders are found through the outbox rows that sent them.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('engagements')
    .addColumn('kickoff_ts', 'text')
    .addColumn('owner_dm_channel_id', 'text')
    .addColumn('owner_dm_ts', 'text')
    .addColumn('hand_back_closes_at', 'timestamptz')
    .execute();
  // The job looks every minute for windows that have closed: only the few still open are indexed.
  await db.schema
    .createIndex('engagements_hand_back_closing')
    .on('engagements')
    .column('hand_back_closes_at')
    .where(sql.ref('hand_back_closes_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('outbox_by_engagement_kind')
    .on('outbox')
    .columns(['engagement_id', 'kind'])
    .where(sql.ref('engagement_id'), 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_by_engagement_kind').execute();
  await db.schema.dropIndex('engagements_hand_back_closing').execute();
  await db.schema
    .alterTable('engagements')
    .dropColumn('kickoff_ts')
    .dropColumn('owner_dm_channel_id')
    .dropColumn('owner_dm_ts')
    .dropColumn('hand_back_closes_at')
    .execute();
}
