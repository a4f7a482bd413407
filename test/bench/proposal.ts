// Ranking a team of 1,000 members with 100,000 past ownership periods and 500 pending proposals:
// the whole proposal as a flow does it (loading members, ownerships, tentative turns, time away and
// turn counts from periods, then the pure ranking), timed end to end.
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { findTeam } from '../../src/db/teams.js';
import { addDays } from '../../src/domain/calendar.js';
import { rankTeamFor } from '../../src/flows/proposing.js';
import { ensureTeam } from '../../src/flows/set-up-team.js';
import { figure, freshEmbedded, freshPostgres, ms, percentile, type Figure } from './support.js';

const MEMBERS = 1_000;
const PAST_ENGAGEMENTS = 100_000;
/** For the full team; a smaller one gets as many per member, so that someone is still free. */
const PENDING_PROPOSALS = 500;
const SAMPLES = 200;
const TARGET_P99_MS = 50;

export async function seed(
  handle: DatabaseHandle,
  size: { members: number; past: number } = { members: MEMBERS, past: PAST_ENGAGEMENTS },
): Promise<void> {
  const { db } = handle;
  const { members: MEMBERS, past: PAST_ENGAGEMENTS } = size;
  const pending = Math.round((PENDING_PROPOSALS * MEMBERS) / 1_000);
  await ensureTeam(db, { id: 'TBENCH' }, { timeZone: 'Europe/Berlin', reminderTime: '09:00' });
  await sql`
    insert into members (team_id, user_id, name, in_rotation, capacity, rotation_order)
    select 'TBENCH', 'U' || lpad(i::text, 5, '0'), 'Member ' || i, true, 2, i
    from generate_series(1, ${MEMBERS}) as i`.execute(db);
  // Five years of history, newest ones still open: starts spread evenly, four weeks each.
  await sql`
    insert into engagements (team_id, number, client_name, channel_id, rotation_channel_id, starts_on, ends_on,
                             template_id, owner_id, status, created_by, created_at)
    select 'TBENCH', i, 'Client ' || i, 'CENG' || i, 'CROT',
           date '2021-11-15' + (i * 1825 / ${PAST_ENGAGEMENTS}),
           date '2021-11-15' + (i * 1825 / ${PAST_ENGAGEMENTS}) + 28,
           (select id from plan_templates where team_id = 'TBENCH' limit 1),
           'U' || lpad((1 + (i * 7919) % ${MEMBERS})::text, 5, '0'),
           case when date '2021-11-15' + (i * 1825 / ${PAST_ENGAGEMENTS}) + 28 < date '2026-12-01' then 'closed' else 'active' end,
           'UBENCH', now()
    from generate_series(1, ${PAST_ENGAGEMENTS}) as i`.execute(db);
  // One turn per engagement, as approvals leave them (the trigger keeps members' lifetime counts).
  await sql`
    insert into ownership_periods (team_id, engagement_id, owner_id, starts_on, ends_on)
    select team_id, id, owner_id, starts_on, ends_on from engagements where team_id = 'TBENCH'`.execute(db);
  // Next months' engagements planned in a batch, each proposed and awaiting a lead.
  await sql`
    insert into engagements (team_id, number, client_name, channel_id, rotation_channel_id, starts_on, ends_on,
                             template_id, status, created_by, created_at)
    select 'TBENCH', ${PAST_ENGAGEMENTS} + i, 'Planned ' || i, 'CPLAN' || i, 'CROT',
           date '2026-12-07' + (i % 60), date '2026-12-07' + (i % 60) + 28,
           (select id from plan_templates where team_id = 'TBENCH' limit 1), 'awaiting_owner', 'UBENCH', now()
    from generate_series(1, ${pending}) as i`.execute(db);
  await sql`
    insert into proposals (team_id, engagement_id, kind, candidate_id, rank, created_at)
    select 'TBENCH', e.id, 'owner', 'U' || lpad((1 + (e.number * 31) % ${MEMBERS})::text, 5, '0'), 1, now()
    from engagements e where e.team_id = 'TBENCH' and e.status = 'awaiting_owner'`.execute(db);
  await sql`
    insert into time_away (team_id, user_id, starts_on, ends_on, created_by)
    select 'TBENCH', 'U' || lpad(i::text, 5, '0'), date '2026-12-14' + (i % 20), date '2026-12-14' + (i % 20) + 4, 'UBENCH'
    from generate_series(1, ${MEMBERS}, 10) as i`.execute(db);
  await sql`vacuum analyze`.execute(db);
}

export async function measure(
  handle: DatabaseHandle,
  members = MEMBERS,
  samples = SAMPLES,
): Promise<number[]> {
  const team = (await findTeam(handle.db, 'TBENCH'))!;
  const times: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const startsOn = addDays('2026-12-07', 7 * (i % 8));
    const window = {
      startsOn,
      endsOn: addDays(startsOn, 28),
      deliveryLeadId: `U${String(1 + (i % members)).padStart(5, '0')}`,
    };
    const started = performance.now();
    const proposal = await rankTeamFor(handle.db, team, window, []);
    const elapsed = performance.now() - started;
    if (proposal.kind !== 'proposed') throw new Error('the benchmark team should always have a candidate');
    if (i >= 20) times.push(elapsed); // the first runs warm caches and the JIT
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
          p99 / TARGET_P99_MS,
          `proposal (${label}): ${MEMBERS} members, ${PAST_ENGAGEMENTS} past ownership periods, ${PENDING_PROPOSALS} pending proposals: p50 ${ms(p50)}, p99 ${ms(p99)} (target p99 < ${TARGET_P99_MS} ms)`,
        ),
      );
    } finally {
      await handle.close();
    }
  }
  return figures;
}
