// Cost as the work grows: the same work at 1× and at 10× its data, as a ratio of times, so that
// growth worse than linear (a ratio above 10) shows, and a ratio near 1 says the work does not
// depend on that data at all.
//
//   npx tsx test/bench/growth.ts        # also a suite of `npm run bench`
//   npx tsx test/bench/growth.ts report # one part: ranking, planning or report
//
// - ranking: a proposal as the flow makes it, for a team of 100 members with 10,000 past
//   engagements, then 1,000 members with 100,000;
// - reminder planning: one tick's plan for a team of 1,000 active engagements, then 10,000;
// - the fairness and exposure report: 10 members, 10,000 ownership periods over ten years and
//   1,000 time-away records, then 100 members, 100,000 and 10,000 (the report bench's size); every
//   other row the report reads (engagements with their delivery leads and buddies, stand-ins,
//   milestones) grows with them. Both are seeded first, then timed in turns, so that a change in
//   the machine's load between the two does not show as growth.
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { planRemindersTick } from '../../src/jobs/reminders.js';
import { createLogger } from '../../src/logger.js';
import { measure as rank, seed as seedHistory } from './proposal.js';
import { seedTeam, TICK } from './reminder-sweep.js';
import { sample as reportOnce, seed as seedReport, WARM_UP_RUNS } from './report.js';
import { figure, freshPostgres, ms, percentile, type Figure } from './support.js';

async function ranking(scale: number): Promise<number> {
  const handle = await freshPostgres();
  try {
    const members = 100 * scale;
    await seedHistory(handle, { members, past: 10_000 * scale });
    return percentile(await rank(handle, members, 100), 50);
  } finally {
    await handle.close();
  }
}

async function planning(scale: number): Promise<{ ms: number; written: number }> {
  const handle = await freshPostgres();
  try {
    await seedTeam(handle.db, 'T0GROWTH', { perTeam: 1000 * scale, late: 0.05 });
    await sql`analyze`.execute(handle.db);
    const started = performance.now();
    const ticks = await planRemindersTick(
      { db: handle.db, logger: createLogger({ level: 'silent' }) },
      new Date(TICK),
    );
    return { ms: performance.now() - started, written: ticks.reduce((n, t) => n + t.written, 0) };
  } finally {
    await handle.close();
  }
}

/** The report's p50 at 1× and at 10×, their samples taken in turns. */
async function reporting(samples = 30): Promise<[number, number]> {
  const scales = [1, 10].map((scale) => ({
    members: 10 * scale,
    periods: 10_000 * scale,
    timeAway: 1_000 * scale,
  }));
  const handles: DatabaseHandle[] = [];
  try {
    for (const size of scales) {
      const handle = await freshPostgres();
      handles.push(handle);
      await seedReport(handle, size);
    }
    const times: number[][] = scales.map(() => []);
    for (let i = 0; i < WARM_UP_RUNS + samples; i++) {
      for (const [k, size] of scales.entries()) {
        const elapsed = await reportOnce(handles[k]!, size.members);
        if (i >= WARM_UP_RUNS) times[k]!.push(elapsed);
      }
    }
    const [at1, at10] = times.map((t) => [...t].sort((a, b) => a - b));
    return [percentile(at1!, 50), percentile(at10!, 50)];
  } finally {
    for (const handle of handles) await handle.close();
  }
}

async function rankingGrowth(): Promise<Figure> {
  const [rank1, rank10] = [await ranking(1), await ranking(10)];
  return figure(
    rank10 / rank1,
    `growth, ranking (Postgres): 10× the team and its history takes ${(rank10 / rank1).toFixed(1)}× the time ` +
      `(p50 ${ms(rank1)} for 100 members and 10,000 past engagements, ${ms(rank10)} for 1,000 and 100,000; linear would be 10)`,
  );
}

async function planningGrowth(): Promise<Figure> {
  const [plan1, plan10] = [await planning(1), await planning(10)];
  return figure(
    plan10.ms / plan1.ms,
    `growth, reminder planning (Postgres): 10× the active engagements takes ${(plan10.ms / plan1.ms).toFixed(1)}× the time ` +
      `(${ms(plan1.ms)} for 1,000, ${plan1.written} messages; ${ms(plan10.ms)} for 10,000, ${plan10.written} messages; linear would be 10)`,
  );
}

async function reportGrowth(): Promise<Figure> {
  const [report1, report10] = await reporting();
  return figure(
    report10 / report1,
    `growth, report (Postgres): 10× the team and its history takes ${(report10 / report1).toFixed(1)}× the time ` +
      `(p50 ${ms(report1)} for 10 members, 10,000 ownership periods and 1,000 time-away records; ` +
      `${ms(report10)} for 100, 100,000 and 10,000, timed in turns; linear would be 10)`,
  );
}

const parts = { ranking: rankingGrowth, planning: planningGrowth, report: reportGrowth };

/** Every part, or only those named (`npx tsx test/bench/growth.ts report`). */
export async function bench(only: readonly string[] = []): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [name, run] of Object.entries(parts)) {
    if (only.length === 0 || only.includes(name)) figures.push(await run());
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await bench(process.argv.slice(2)))
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
