import { sql, type Kysely } from 'kysely';

// Frozen in time: a migration never imports application code.
//
// The risk register: an engagement has any number of risks (title, likelihood, impact, owner,
// mitigation), each open until resolved with a note. `leads_told_at` is set once when a
// high-likelihood, high-impact risk is told to the leads, so they hear of it once.
//
// Engagements flagged under the old single flag become one open risk each, titled with the flag's
// note, so nothing flagged is forgotten. The old `risk` and `risk_note` columns stay (this only
// adds), so a release still running during a rolling deploy keeps working.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'bigint', (c) => c.notNull().references('engagements.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('likelihood', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('mitigation', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('resolution', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('leads_told_at', 'timestamptz')
    .addCheckConstraint('risks_likelihood_known', sql`likelihood in ('low', 'medium', 'high')`)
    .addCheckConstraint('risks_impact_known', sql`impact in ('low', 'medium', 'high')`)
    .addCheckConstraint('risks_status_known', sql`status in ('open', 'resolved')`)
    .addCheckConstraint('risks_title_present', sql`length(btrim(title)) > 0`)
    .execute();
  await db.schema
    .createIndex('risks_by_engagement')
    .on('risks')
    .columns(['team_id', 'engagement_id', 'id'])
    .execute();
  await db.schema
    .createIndex('risks_open_by_team')
    .on('risks')
    .columns(['team_id', 'engagement_id'])
    .where(sql.ref('status'), '=', 'open')
    .execute();
  await copyFlaggedEngagements(db);
}

/** Each engagement under the old flag becomes an open risk, told by whoever flagged it, when. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function copyFlaggedEngagements(db: Kysely<any>): Promise<void> {
  await sql`
    insert into risks (team_id, engagement_id, title, likelihood, impact, owner_id, mitigation,
                       created_by, created_at)
    select e.team_id, e.id,
           coalesce(nullif(btrim(left(e.risk_note, 150)), ''), 'Flagged at risk (no note given)'),
           'medium', 'medium', e.owner_id, null,
           coalesce(flagged.actor_id, e.owner_id, e.created_by),
           coalesce(flagged.at, e.created_at)
    from engagements e
    left join lateral (
      select actor_id, at from events
      where events.team_id = e.team_id and events.engagement_id = e.id and events.kind = 'risk.flagged'
      order by events.id desc limit 1
    ) flagged on true
    where e.risk = 'flagged'
      and not exists (select 1 from risks r where r.engagement_id = e.id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('risks').ifExists().execute();
}
