// The fairness and exposure report over 100 members, 100,000 ownership periods and 10,000 time-away
// records: the whole report as `/engagement report` answers a lead (on-time shares included, and
// the message's first page built), timed end to end.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { exposureReportFor } from '../../src/flows/exposure-report.js';
import { ensureTeam } from '../../src/flows/set-up-team.js';
import { reportMessage } from '../../src/slack/blocks/report.js';
import { figure, freshEmbedded, freshPostgres, ms, percentile, type Figure } from './support.js';

const MEMBERS = 100;
const PERIODS = 100_000;
const TIME_AWAY = 10_000;
const SAMPLES = 100;
const WARM_UP = 10;
const TARGET_P99_MS = 300;
/** Ten years of history up to the clock below; the report covers the last twelve months of it. */
const FIRST_DAY = '2016-12-01';
const NOW = new Date('2026-12-01T10:00:00Z');

/** How much history: the report bench's own size, or the growth bench's 1× and 10×. */
export interface ReportSize {
  readonly members: number;
  readonly periods: number;
  readonly timeAway: number;
}

const FULL: ReportSize = { members: MEMBERS, periods: PERIODS, timeAway: TIME_AWAY };

export async function seed(handle: DatabaseHandle, size: ReportSize = FULL): Promise<void> {
  const { db } = handle;
  await ensureTeam(db, { id: 'TBENCH' }, { timeZone: 'Europe/Berlin', reminderTime: '09:00' });
  await sql`
    insert into members (team_id, user_id, name, in_rotation, is_lead, capacity, rotation_order, created_at)
    select 'TBENCH', 'U' || lpad(i::text, 3, '0'), 'Member ' || i, true, i = 1, 2, i, ${FIRST_DAY}::date
    from generate_series(1, ${size.members}) as i`.execute(db);
  // Seeded in one transaction with triggers off: the per-row turn counters would rewrite the same
  // hundred member rows 100,000 times (the report does not read those counters).
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await seedHistory(trx, size);
  });
  await sql`vacuum analyze`.execute(db);
}

async function seedHistory(db: DatabaseHandle['db'], size: ReportSize): Promise<void> {
  // One engagement per period, starts spread evenly over the ten years, four weeks each, each with a
  // delivery lead; every tenth with a buddy (the report reads periods, so no handovers are needed).
  await sql`
    insert into engagements (team_id, number, client_name, channel_id, rotation_channel_id, starts_on, ends_on,
                             template_id, owner_id, delivery_lead_id, buddy_id, status, created_by, created_at)
    select 'TBENCH', i, 'Client ' || i, 'CENG' || i, 'CROT',
           ${FIRST_DAY}::date + (i * 3650 / ${size.periods}),
           ${FIRST_DAY}::date + (i * 3650 / ${size.periods}) + 27,
           (select id from plan_templates where team_id = 'TBENCH' limit 1),
           'U' || lpad((1 + (i * 37) % ${size.members})::text, 3, '0'),
           'U' || lpad((1 + (i * 37 + 1) % ${size.members})::text, 3, '0'),
           case when i % 10 = 0 then 'U' || lpad((1 + (i * 37 + 2) % ${size.members})::text, 3, '0') end,
           'closed', 'UBENCH', now()
    from generate_series(1, ${size.periods}) as i`.execute(db);
  await sql`
    insert into ownership_periods (team_id, engagement_id, owner_id, starts_on, ends_on)
    select team_id, id, owner_id, starts_on, ends_on from engagements where team_id = 'TBENCH'`.execute(db);
  // The plan's milestones for the last two years' engagements (the on-time share reads them).
  await sql`
    insert into milestones (team_id, engagement_id, position, kind, title, offset_days, due_on, status, done_at)
    select e.team_id, e.id, s.n, 'milestone', 'Step ' || s.n, s.n * 3, e.starts_on + s.n * 4,
           'done', (e.starts_on + s.n * 4 + (e.id % 3)::int - 1)::timestamp at time zone 'UTC' + interval '15 hours'
    from engagements e cross join generate_series(0, 6) as s(n)
    where e.team_id = 'TBENCH' and e.starts_on >= date '2024-12-01'`.execute(db);
  // A stand-in for the second week of every twentieth engagement.
  await sql`
    insert into stand_ins (team_id, engagement_id, owner_id, stand_in_id, starts_on, ends_on)
    select team_id, id, owner_id, 'U' || lpad((1 + (number * 37 + 3) % ${size.members})::text, 3, '0'),
           starts_on + 7, starts_on + 11
    from engagements where team_id = 'TBENCH' and number % 20 = 0`.execute(db);
  await sql`
    insert into time_away (team_id, user_id, starts_on, ends_on, created_by)
    select 'TBENCH', 'U' || lpad((1 + i % ${size.members})::text, 3, '0'),
           ${FIRST_DAY}::date + (i * 3650 / ${size.timeAway}), ${FIRST_DAY}::date + (i * 3650 / ${size.timeAway}) + 4, 'UBENCH'
    from generate_series(1, ${size.timeAway}) as i`.execute(db);
}

/** One report for the lead, as `/engagement report` answers: its time in ms. */
export async function sample(handle: DatabaseHandle, members = MEMBERS): Promise<number> {
  const started = performance.now();
  const report = await exposureReportFor(
    { db: handle.db, now: () => NOW },
    { teamId: 'TBENCH', userId: 'U001' },
  );
  if (!report.ok || report.value.members.length !== members)
    throw new Error('the report should cover every member');
  reportMessage(report.value);
  return performance.now() - started;
}

/** The first runs warm caches and the JIT, and are not counted. */
export const WARM_UP_RUNS = WARM_UP;

/** The report's times in ms, sorted, after a warm-up. */
export async function measure(
  handle: DatabaseHandle,
  members = MEMBERS,
  samples = SAMPLES,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples + WARM_UP; i++) {
    const elapsed = await sample(handle, members);
    if (i >= WARM_UP) times.push(elapsed);
  }
  return times.sort((a, b) => a - b);
}

export async function bench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [label, open] of [
    ['Postgres', freshPostgres],
    ['embedded', freshEmbedded],
  ] as const) {
    const handle = await open();
    try {
      await seed(handle);
      const times = await measure(handle);
      const p50 = percentile(times, 50);
      const p99 = percentile(times, 99);
      figures.push(
        figure(
          label === 'Postgres' ? p99 / TARGET_P99_MS : null,
          `report (${label}): ${MEMBERS} members, ${PERIODS} ownership periods, ${TIME_AWAY} time-away records: p50 ${ms(p50)}, p99 ${ms(p99)} (target p99 < ${TARGET_P99_MS} ms on Postgres)`,
        ),
      );
    } finally {
      await handle.close();
    }
  }
  return figures;
}
