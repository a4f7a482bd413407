import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { slackDelivery } from '../../src/slack/delivery.js';
import { JOB_NAMES, SCHEDULE, startScheduler } from '../../src/jobs/schedule.js';
import { testDatabaseKind, useTestDatabase } from '../support/db.js';
import { emptyJobTables, silentLogger, useSlack } from './support.js';

const database = useTestDatabase();
emptyJobTables(database);
const slack = useSlack();

describe('the schedule', () => {
  it('has a valid cron line for every job', () => {
    expect(Object.keys(SCHEDULE).sort()).toEqual([...JOB_NAMES].sort());
    for (const line of Object.values(SCHEDULE)) expect(cron.validate(line)).toBe(true);
  });

  it('starts and stops cleanly', async () => {
    const scheduler = startScheduler({
      db: database.db,
      deliver: slackDelivery(slack.client(), silentLogger),
      logger: silentLogger,
      now: () => new Date(),
    });
    await expect(scheduler.stop()).resolves.toBeUndefined();
    // Stopping twice is harmless (main.ts may be told to stop by two signals).
    await expect(scheduler.stop()).resolves.toBeUndefined();
  });
});

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');

async function jobCommand(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(tsx, ['src/cli/job.ts', ...args], {
      env: { PATH: process.env.PATH!, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Refused before the database or Slack is touched, so once is enough. Every malformed argument
// is specified in test/cli/job-args.test.ts; here, that the process says it in one line and exits 2.
describe.runIf(testDatabaseKind() === 'embedded').concurrent('npm run job', () => {
  it('refuses an unknown job with one clear line and exit 2', async () => {
    const result = await jobCommand(['nudges']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^steward: unknown job "nudges": the jobs are reminders and proposals$/),
    ]);
  }, 60_000);

  it('says so when there is no Slack to send to', async () => {
    const result = await jobCommand(['reminders'], { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^steward: SLACK_BOT_TOKEN is not set/);
  }, 60_000);
});
