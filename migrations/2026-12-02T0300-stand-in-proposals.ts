import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// A stand-in is proposed and approved like an owner, for the days an owner is briefly away: the
// proposal says whose days (the owner it covers) and which ones.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('proposals').dropConstraint('proposals_kind_known').execute();
  await db.schema
    .alterTable('proposals')
    .addCheckConstraint('proposals_kind_known', sql`kind in ('owner', 'handover', 'stand-in')`)
    .execute();
  await db.schema
    .alterTable('proposals')
    .addColumn('covers_owner_id', 'text')
    .addColumn('covers_from', 'date')
    .addColumn('covers_to', 'date')
    .execute();
  await db.schema
    .alterTable('proposals')
    .addCheckConstraint(
      'proposals_stand_in_covers_days',
      sql`(kind = 'stand-in') = (covers_owner_id is not null and covers_from is not null and covers_to is not null and covers_to >= covers_from)`,
    )
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('proposals').where('kind', '=', 'stand-in').execute();
  await db.schema.alterTable('proposals').dropConstraint('proposals_stand_in_covers_days').execute();
  await db.schema
    .alterTable('proposals')
    .dropColumn('covers_owner_id')
    .dropColumn('covers_from')
    .dropColumn('covers_to')
    .execute();
  await db.schema.alterTable('proposals').dropConstraint('proposals_kind_known').execute();
  await db.schema
    .alterTable('proposals')
    .addCheckConstraint('proposals_kind_known', sql`kind in ('owner', 'handover')`)
    .execute();
}
