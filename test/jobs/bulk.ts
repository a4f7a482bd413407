// Engagements by the thousand, straight into the tables: the flows would take minutes. Free of vitest,
// so the benchmark can use it too.
import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.js';
import { findTeam, listPlanTemplates, toPlanTemplate } from '../../src/db/teams.js';
import { expandPlan } from '../../src/domain/plan.js';
import { calendarOf } from '../../src/flows/context.js';

export interface BulkEngagements {
  teamId: string;
  count: number;
  /** A business day of the team: the plan is dated from it with the team's default template. */
  startsOn: string;
  /** Taken in turn. */
  owners: readonly string[];
  createdBy: string;
  /** Channels are `C<prefix><number>`. */
  prefix?: string;
}

/** Inserts active engagements with their dated milestones; returns their channel ids. */
export async function insertActiveEngagements(db: Db, input: BulkEngagements): Promise<string[]> {
  const team = await findTeam(db, input.teamId);
  const [template] = await listPlanTemplates(db, input.teamId);
  if (!team || !template) throw new Error(`team ${input.teamId} is not set up`);
  const plan = expandPlan(toPlanTemplate(template), input.startsOn, calendarOf(team));
  const prefix = input.prefix ?? 'BULK';
  const last = await sql<{ n: number }>`
    select coalesce(max(number), 0)::int as n from engagements where team_id = ${input.teamId}`.execute(db);
  const first = Number(last.rows[0]!.n);
  const channels: string[] = [];
  for (let offset = 0; offset < input.count; offset += 500) {
    const size = Math.min(500, input.count - offset);
    const rows = Array.from({ length: size }, (_, i) => {
      const n = first + offset + i + 1;
      return {
        team_id: input.teamId,
        number: n,
        client_name: `Client ${n}`,
        channel_id: `C${prefix}${n}`,
        rotation_channel_id: team.rotation_channel_id ?? 'C0ROTATION',
        starts_on: plan.startsOn,
        ends_on: plan.endsOn,
        template_id: template.id,
        owner_id: input.owners[(offset + i) % input.owners.length]!,
        status: 'active' as const,
        created_by: input.createdBy,
        created_at: new Date(`${plan.startsOn}T00:00:00Z`),
      };
    });
    const inserted = await db.insertInto('engagements').values(rows).returning(['id']).execute();
    await db
      .insertInto('milestones')
      .values(
        inserted.flatMap(({ id }) =>
          plan.milestones.map((m) => ({
            team_id: input.teamId,
            engagement_id: id,
            position: m.position,
            kind: m.kind,
            title: m.title,
            offset_days: m.offset,
            due_on: m.dueOn,
          })),
        ),
      )
      .execute();
    channels.push(...rows.map((r) => r.channel_id));
  }
  return channels;
}
