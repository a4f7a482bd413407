// `npm run job -- <reminders|proposals> [--at 2026-12-07T09:00:00Z]`: runs one tick of a scheduled job
// as if it fired at that moment (default: now) against the configured database and Slack, sends what it
// planned, and exits. Safe to run while replicas run, or twice: each message is sent once.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { JOB_NAMES, runJob, type JobName, type JobReport } from '../jobs/schedule.js';
import { createLogger } from '../logger.js';
import { slackDelivery } from '../slack/delivery.js';

const USAGE = `usage: npm run job -- <${JOB_NAMES.join('|')}> [--at 2026-12-07T09:00:00Z]`;

/** The job and its moment, or the one line that says what is wrong. */
export function parseJobArgs(
  args: readonly string[],
  now: Date,
): { job: JobName; at: Date } | { problem: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { at: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    // parseArgs's own messages speak of positionals and '--'; say it in this command's words.
    const { code, message } = error as { code?: string; message: string };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      return { problem: `--at needs a moment, e.g. --at 2026-12-07T09:00:00Z (${USAGE})` };
    }
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? message;
    return { problem: `unknown option ${option} (${USAGE})` };
  }
  const [job, extra] = parsed.positionals;
  const atText = parsed.values.at;
  if (extra !== undefined) return { problem: `one job at a time, got ${job} and ${extra} (${USAGE})` };
  if (job === undefined) return { problem: `which job? ${USAGE}` };
  if (!(JOB_NAMES as readonly string[]).includes(job)) {
    return { problem: `unknown job "${job}": the jobs are ${JOB_NAMES.join(' and ')}` };
  }
  if (atText === undefined) return { job: job as JobName, at: now };
  // An instant needs its offset: a bare local time would mean the machine's zone, not the team's.
  const at = new Date(atText);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(atText) ||
    Number.isNaN(at.getTime())
  ) {
    return {
      problem: `--at must be an ISO instant with its offset, e.g. 2026-12-07T09:00:00Z (got "${atText}")`,
    };
  }
  return { job: job as JobName, at };
}

export function summary(report: JobReport): string {
  const planned = report.teams.filter((t) => t.outcome === 'planned').length;
  const s = report.sending;
  return (
    `${report.job} at ${report.at}: ${report.written} message(s) planned for ${planned} team(s); ` +
    `sent ${s.sent}, already in Slack ${s.alreadyPosted}, deferred ${s.deferred}, failed ${s.failed}, expired ${s.expired}`
  );
}

async function main(): Promise<number> {
  const parsed = parseJobArgs(process.argv.slice(2), new Date());
  if ('problem' in parsed) {
    process.stderr.write(`steward: ${parsed.problem}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`steward: ${problem}\n`);
    return 2;
  }
  if (config.slack.mode === 'sandbox') {
    process.stderr.write(
      'steward: SLACK_BOT_TOKEN is not set, so there is no Slack to send to (the sandbox runs its jobs inside npm start)\n',
    );
    return 2;
  }
  // Logs go to stderr: stdout carries the one-line summary.
  const logger = createLogger({ level: config.logLevel, destination: pino.destination(2) });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 4,
  });
  const stopping = new AbortController();
  // SIGTERM: finish the calls in flight, hand the rest back to the outbox, exit cleanly.
  process.once('SIGTERM', () => stopping.abort());
  process.once('SIGINT', () => stopping.abort());
  try {
    await migrateToLatest(database.db);
    const deliver = slackDelivery({ token: config.slack.botToken, slackApiUrl: config.slackApiUrl }, logger);
    const report = await runJob(
      parsed.job,
      parsed.at,
      { db: database.db, deliver, logger, now: () => parsed.at },
      { signal: stopping.signal },
    );
    process.stdout.write(`${summary(report)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`steward: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
