import type { Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// Indexes for the exposure report, and a first-time owner's buddy, kept on the engagement: someone who has owned one before. Buddy turns
// in the exposure report are counted from engagements.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('engagements').addColumn('buddy_id', 'text').execute();
  await db.schema
    .createIndex('engagements_by_buddy')
    .on('engagements')
    .columns(['team_id', 'buddy_id', 'starts_on'])
    .execute();
  // The exposure report reads what overlaps a period: in a long history most rows ended before it,
  // so the end date is the selective bound.
  await db.schema
    .createIndex('ownership_periods_by_team_end')
    .on('ownership_periods')
    .columns(['team_id', 'ends_on'])
    .execute();
  await db.schema
    .createIndex('engagements_by_team_end')
    .on('engagements')
    .columns(['team_id', 'ends_on'])
    .execute();
  await db.schema
    .createIndex('milestones_by_team_due')
    .on('milestones')
    .columns(['team_id', 'due_on'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('milestones_by_team_due').ifExists().execute();
  await db.schema.dropIndex('engagements_by_team_end').ifExists().execute();
  await db.schema.dropIndex('ownership_periods_by_team_end').ifExists().execute();
  await db.schema.dropIndex('engagements_by_buddy').ifExists().execute();
  await db.schema.alterTable('engagements').dropColumn('buddy_id').execute();
}
