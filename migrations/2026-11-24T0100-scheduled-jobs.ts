import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// What the scheduled jobs need beyond the initial outbox:
// - `job_marks`: decisions a job takes once and must never take again, whichever replica gets there
//   first (a team's reminders planned for a local day, a milestone escalated, a handover proposed for
//   a stretch of time away). The primary key is the guard: a second replica's insert waits for the
//   first one's transaction and then finds the mark taken.
// - `outbox.claimed_by`: which sweep holds a claim, so a sweep whose claim expired (and was taken over)
//   cannot overwrite the new holder's outcome.
// - `outbox.sending_since`: set from the claim until the outcome is recorded. A claimer finding it
//   set knows an earlier attempt may have reached Slack and looks for the message before posting.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_marks')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('mark', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('job_marks_pkey', ['team_id', 'mark'])
    .execute();

  await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('sending_since', 'timestamptz').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('sending_since').execute();
  await db.schema.alterTable('outbox').dropColumn('claimed_by').execute();
  await db.schema.dropTable('job_marks').ifExists().execute();
}
