import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// An engagement's retrospective, written by its owner once it is closed: what went well, what to
// change. One per engagement. The template's name is kept with it so that the next owner of an
// engagement on the same plan (any version) can read it.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retrospectives')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint', (c) =>
      c.notNull().unique().references('engagements.id').onDelete('cascade'),
    )
    .addColumn('template_name', 'text', (c) => c.notNull())
    .addColumn('went_well', 'text', (c) => c.notNull())
    .addColumn('to_change', 'text', (c) => c.notNull())
    .addColumn('written_by', 'text', (c) => c.notNull())
    .addColumn('written_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('retrospectives_by_template')
    .on('retrospectives')
    .columns(['team_id', 'template_name', 'written_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('retrospectives').ifExists().execute();
}
