import type { Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// The buddy a proposal names for a first-time owner, and why: what the leads see is what approval
// records. `buddy_reason` null: no buddy line (the candidate has had a turn). `buddy_chosen_by`: a
// lead picked the buddy (or none) by hand, which a later pick of another owner keeps.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('proposals')
    .addColumn('buddy_id', 'text')
    .addColumn('buddy_reason', 'text')
    .addColumn('buddy_chosen_by', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('proposals')
    .dropColumn('buddy_id')
    .dropColumn('buddy_reason')
    .dropColumn('buddy_chosen_by')
    .execute();
}
