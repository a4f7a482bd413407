// Resident memory of a Steward process: idle after start-up, and at its peak during (and right after)
// a reminders sweep of a few thousand engagements, on Postgres and on the embedded database.
//
//   npx tsx test/bench/memory.ts            # also a suite of `npm run bench`
//
// Steward runs in a child process of its own, started as `npm start` starts it (startSteward, under
// tsx, logging at `info`), with the cron off so that nothing runs unasked. This process plays Slack
// (the emulator, no rate limit: memory does not depend on it) and seeds the database through the
// URL the child serves it on (the embedded one is served on loopback), so that the child's memory is
// the app's alone. Memory is summed over the child and its descendants: on the embedded database,
// the PostgreSQL server it runs. The embedded database is measured twice: started in a new data
// directory and reopened, which is what every later start does.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { webApi } from '@slack/bolt';
import { sql } from 'kysely';
import { slackDelivery } from '../../src/slack/delivery.js';
import { loadConfig } from '../../src/config.js';
import { connectPostgres } from '../../src/db/connect.js';
import { runJob } from '../../src/jobs/schedule.js';
import { createLogger } from '../../src/logger.js';
import { startSteward } from '../../src/main.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { figure, freshPostgres, mb, treeMemory, type Figure, type TreeMemory } from './support.js';
import { LEAD, OWNERS, seedTeam, TICK } from './reminder-sweep.js';

const ENGAGEMENTS = 5000;
const BUDGET_MB = 512;
const TEAM = 'T0MEMORY';
const SECRET = 'bench-signing-secret';
/** How long a started process is left alone before its idle memory is read. */
const SETTLE_MS = 2000;

type ToChild = { type: 'sweep' };
type FromChild =
  | { type: 'started'; databaseUrl: string; readyMs: number; rss: number; heap: number }
  | {
      type: 'swept';
      sent: number;
      sweepMs: number;
      peak: number;
      rss: number;
      /** After a full garbage collection: what the sweep left behind. */
      rssAfterGc: number;
      heapAfterGc: number;
    };

// ---- the child: Steward, alone in its process ----------------------------------------------------

async function child(apiUrl: string, botToken: string, database: string): Promise<void> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    ...(database.startsWith('postgres') ? { DATABASE_URL: database } : { DATA_DIR: database }),
    PORT: '0',
    LOG_LEVEL: 'info',
  });
  const logger = createLogger({ level: config.logLevel });
  const steward = await startSteward(config, { logger, schedule: false, now: () => new Date(TICK) });
  // performance.now() counts from the process's start: module loading included.
  const readyMs = performance.now();
  const send = (message: FromChild) => process.send!(message);
  const shutdown = () => void steward.stop().finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.on('disconnect', shutdown);
  process.on('message', (message: ToChild) => {
    if (message.type !== 'sweep') return;
    void (async () => {
      let peak = process.memoryUsage.rss();
      const sampling = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
      const at = new Date(TICK);
      const client = new webApi.WebClient(botToken, { slackApiUrl: apiUrl });
      const t0 = performance.now();
      const report = await runJob('reminders', at, {
        db: steward.database.db,
        deliver: slackDelivery(client, logger),
        logger,
        now: () => at,
      });
      const sweepMs = performance.now() - t0;
      clearInterval(sampling);
      const rss = process.memoryUsage.rss();
      (globalThis as { gc?: () => void }).gc?.();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = process.memoryUsage();
      send({
        type: 'swept',
        sent: report.sending.sent,
        sweepMs,
        peak: Math.max(peak, rss),
        rss,
        rssAfterGc: after.rss,
        heapAfterGc: after.heapUsed,
      });
    })();
  });
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const { rss, heapUsed } = process.memoryUsage();
  send({ type: 'started', databaseUrl: steward.database.url, readyMs, rss, heap: heapUsed });
}

// ---- the parent ----------------------------------------------------------------------------------

interface Run {
  started: Extract<FromChild, { type: 'started' }>;
  /** Over all of Steward's processes (the embedded PostgreSQL server's included), once idle. */
  idle: TreeMemory;
  swept?: Extract<FromChild, { type: 'swept' }>;
  /** The peak over all of Steward's processes during the sweep. */
  sweepPeak?: TreeMemory;
}

function next<T extends FromChild['type']>(
  steward: ChildProcess,
  type: T,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the Steward process exited with ${code}`));
    const onMessage = (m: FromChild) => {
      if (m.type !== type) return;
      steward.off('exit', onExit).off('message', onMessage);
      resolve(m as Extract<FromChild, { type: T }>);
    };
    steward.on('message', onMessage).once('exit', onExit);
  });
}

/** Starts Steward on `database` (a Postgres URL or a data directory); with `sweep`, seeds and sweeps. */
async function measure(emulator: SlackEmulator, database: string, sweep: boolean): Promise<Run> {
  const steward = fork(
    fileURLToPath(import.meta.url),
    ['--child', emulator.apiUrl, emulator.identity.botToken, database],
    { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  try {
    const started = await next(steward, 'started');
    const idle = treeMemory(steward.pid!);
    if (!sweep) return { started, idle };
    // Seeded from here, over the child's own database URL: two connections beside its pool.
    const seeding = await connectPostgres(started.databaseUrl, 2);
    try {
      await seedTeam(seeding.db, TEAM, { perTeam: ENGAGEMENTS, late: 0.05 });
      await sql`analyze`.execute(seeding.db);
    } finally {
      await seeding.close();
    }
    let sweepPeak = treeMemory(steward.pid!);
    const sampling = setInterval(() => {
      const now = treeMemory(steward.pid!);
      if (now.rss > sweepPeak.rss) sweepPeak = now;
    }, 50);
    steward.send({ type: 'sweep' } satisfies ToChild);
    const swept = await next(steward, 'swept').finally(() => clearInterval(sampling));
    return { started, idle, swept, sweepPeak };
  } finally {
    const exited = new Promise((resolve) => steward.once('exit', resolve));
    steward.kill('SIGTERM');
    await exited;
  }
}

const both = (m: TreeMemory) => `${mb(m.rss)} RSS, ${mb(m.pss)} PSS`;

function line(label: string, run: Run): Figure {
  const { started, swept, idle: tree, sweepPeak } = run;
  const idle =
    `idle ${both(tree)} over ${tree.processes} processes (Node alone ${mb(started.rss)}, heap ${mb(started.heap)}; ` +
    `ready ${(started.readyMs / 1000).toFixed(1)} s after the process started, read ${SETTLE_MS / 1000} s later)`;
  if (!swept || !sweepPeak) return figure(tree.rss / (BUDGET_MB * 2 ** 20), `  memory (${label}): ${idle}`);
  return figure(
    sweepPeak.rss / (BUDGET_MB * 2 ** 20),
    `memory (${label}): ${idle}; a reminders sweep of ${ENGAGEMENTS} engagements (${swept.sent} messages ` +
      `in ${(swept.sweepMs / 1000).toFixed(1)} s): peak ${both(sweepPeak)} (Node alone ${mb(swept.peak)}), ` +
      `Node after a full GC ${mb(swept.rssAfterGc)} (heap ${mb(swept.heapAfterGc)}); ` +
      `ratio: the peak RSS over all processes against a ${BUDGET_MB} MB budget`,
  );
}

export async function bench(): Promise<Figure[]> {
  const emulator = await SlackEmulator.start({
    signingSecret: SECRET,
    users: [LEAD, ...OWNERS].map((id) => ({ id, name: id.toLowerCase() })),
    channels: [{ id: 'C0ROTATION', name: 'rotation' }],
  });
  // The engagements' channels, as seedTeam names them: C<prefix><number>.
  for (let n = 1; n <= ENGAGEMENTS; n++) {
    const prefix = n <= ENGAGEMENTS - Math.round(ENGAGEMENTS * 0.05) ? 'NEW' : 'LATE';
    emulator.addChannel({ id: `C${prefix}${n}`, name: `client-${n}` });
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-memory-'));
  const postgres = await freshPostgres();
  try {
    const onPostgres = await measure(emulator, postgres.url, true);
    const firstStart = await measure(emulator, dataDir, false);
    const reopened = await measure(emulator, dataDir, true);
    return [
      line('Postgres', onPostgres),
      line('embedded', reopened),
      line('embedded, the first start in a new data directory', firstStart),
    ];
  } finally {
    await postgres.close();
    await emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await bench())
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
