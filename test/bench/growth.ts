// Cost as the work grows: the same work at 1× and at 10× its data, as a ratio of times, so that
// growth worse than linear (a ratio above 10) shows, and a ratio near 1 says the work does not
// depend on that data at all.
//
//   npx tsx test/bench/growth.ts        # also a suite of `npm run bench`
//
// - ranking: a proposal as the flow makes it, for a team of 100 members with 10,000 past
//   engagements, then 1,000 members with 100,000;
// - reminder planning: one tick's plan for a team of 1,000 active engagements, then 10,000;
// - the fairness and exposure report: 10 members, 10,000 ownership periods over ten years and
//   1,000 time-away records, then 100 members, 100,000 and 10,000 (the report bench's size).
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { planRemindersTick } from '../../src/jobs/reminders.js';
import { createLogger } from '../../src/logger.js';
import { measure as rank, seed as seedHistory } from './proposal.js';
import { seedTeam, TICK } from './reminder-sweep.js';
import { measure as report, seed as seedReport } from './report.js';
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

async function reporting(scale: number): Promise<number> {
  const handle = await freshPostgres();
  try {
    const size = { members: 10 * scale, periods: 10_000 * scale, timeAway: 1_000 * scale };
    await seedReport(handle, size);
    return percentile(await report(handle, size.members, 30), 50);
  } finally {
    await handle.close();
  }
}

export async function bench(): Promise<Figure[]> {
  const [rank1, rank10] = [await ranking(1), await ranking(10)];
  const [plan1, plan10] = [await planning(1), await planning(10)];
  const [report1, report10] = [await reporting(1), await reporting(10)];
  return [
    figure(
      rank10 / rank1,
      `growth, ranking (Postgres): 10× the team and its history takes ${(rank10 / rank1).toFixed(1)}× the time ` +
        `(p50 ${ms(rank1)} for 100 members and 10,000 past engagements, ${ms(rank10)} for 1,000 and 100,000; linear would be 10)`,
    ),
    figure(
      plan10.ms / plan1.ms,
      `growth, reminder planning (Postgres): 10× the active engagements takes ${(plan10.ms / plan1.ms).toFixed(1)}× the time ` +
        `(${ms(plan1.ms)} for 1,000, ${plan1.written} messages; ${ms(plan10.ms)} for 10,000, ${plan10.written} messages; linear would be 10)`,
    ),
    figure(
      report10 / report1,
      `growth, report (Postgres): 10× the team and its history takes ${(report10 / report1).toFixed(1)}× the time ` +
        `(p50 ${ms(report1)} for 10 members, 10,000 ownership periods and 1,000 time-away records; ` +
        `${ms(report10)} for 100, 100,000 and 10,000; linear would be 10)`,
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await bench())
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
