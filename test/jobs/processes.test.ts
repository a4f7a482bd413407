// Separate OS processes running `npm run job` against one database and one emulated Slack: what
// replicas firing the same tick, or a replica killed mid-send, look like from the outside.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/db/outbox.js';
import { testDatabaseKind, useTestDatabase } from '../support/db.js';
import {
  bulkActiveEngagements,
  emptyJobTables,
  posted,
  seedJobsTeam,
  SIGNING_SECRET,
  TEAM,
  useSlack,
  userIdOf,
  type Slack,
} from './support.js';

const database = useTestDatabase();
emptyJobTables(database);
const slack = useSlack();

const tsx = path.resolve('node_modules/.bin/tsx');
const ENGAGEMENTS = 200;
const AT = '2026-12-07T09:00:00Z';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startJob(slackHandle: Slack, args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  // `npx tsx …`, minus npx's own start-up.
  const child = spawn(tsx, ['src/cli/job.ts', ...args], {
    env: {
      PATH: process.env.PATH!,
      DATABASE_URL: database.url,
      SLACK_API_URL: slackHandle.emulator.apiUrl,
      SLACK_BOT_TOKEN: slackHandle.emulator.identity.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: tsx runs the script in a child process, and a kill must reach that one.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exit };
}

async function seed(): Promise<void> {
  await seedJobsTeam(database.db, '2026-12-01T10:00:00Z');
  await bulkActiveEngagements(database.db, {
    count: ENGAGEMENTS,
    startsOn: '2026-12-07',
    owners: ['ana', 'ben', 'cat'].map(userIdOf),
    emulator: slack.emulator,
  });
}

function expectEachReminderOnce(): void {
  for (let n = 1; n <= ENGAGEMENTS; n++) {
    const messages = posted(slack, `CBULK${n}`);
    if (messages.length !== 1) throw new Error(`CBULK${n} has ${messages.length} reminders`);
  }
}

describe('job processes', () => {
  it.runIf(testDatabaseKind() === 'postgres')(
    'three processes on the same tick send each of 200 reminders exactly once',
    async () => {
      await seed();
      const runs = [0, 1, 2].map(() => startJob(slack, ['reminders', '--at', AT]));
      const exits = await Promise.all(runs.map((r) => r.exit));
      for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0 });
      // One process planned; all three sent a share.
      expect(exits.filter((e) => /200 message\(s\) planned for 1 team/.test(e.stdout))).toHaveLength(1);
      expectEachReminderOnce();
      const sent = slack.emulator.callsTo('chat.postMessage').filter((c) => c.status === 200);
      expect(sent).toHaveLength(ENGAGEMENTS);
      const rows = await listOutbox(database.db, TEAM);
      expect(rows).toHaveLength(ENGAGEMENTS);
      expect(rows.every((r) => r.status === 'sent' && r.message_ts !== null)).toBe(true);
      const shares = exits.map((e) => Number(/sent (\d+)/.exec(e.stdout)?.[1] ?? 0));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(ENGAGEMENTS);
    },
    120_000,
  );

  it('a sender killed mid-sweep loses nothing and doubles nothing when the job runs again', async () => {
    await seed();
    const first = startJob(slack, ['reminders', '--at', AT]);
    let posts = 0;
    // SIGKILL from inside the emulator's request handling: the process dies between posting messages and
    // recording them, the case the message metadata exists for.
    const stop = slack.emulator.onEvent((event) => {
      if (event.type === 'api_call' && event.call.method === 'chat.postMessage' && ++posts === 60) {
        process.kill(-first.child.pid!, 'SIGKILL');
      }
    });
    const killed = await first.exit;
    stop();
    expect(killed.signal).toBe('SIGKILL');
    const before = await listOutbox(database.db, TEAM);
    expect(before).toHaveLength(ENGAGEMENTS);
    const unsettled = before.filter((r) => r.status === 'pending').length;
    expect(unsettled).toBeGreaterThan(0);

    // The rerun waits for the dead process's claims to lapse, finds what it had posted, sends the rest.
    const rerun = await startJob(slack, ['reminders', '--at', AT]).exit;
    expect(rerun, rerun.stderr).toMatchObject({ code: 0 });
    expect(rerun.stdout).toMatch(/0 message\(s\) planned/);
    expectEachReminderOnce();
    const after = await listOutbox(database.db, TEAM);
    expect(after.every((r) => r.status === 'sent')).toBe(true);
    // Every message Slack holds is the one the outbox recorded.
    for (const row of after) {
      expect(posted(slack, row.channel_id).map((m) => m.ts)).toEqual([row.message_ts]);
    }
    const alreadyThere = Number(/already in Slack (\d+)/.exec(rerun.stdout)?.[1]);
    const sentAgain = Number(/sent (\d+)/.exec(rerun.stdout)?.[1]);
    expect(alreadyThere + sentAgain).toBe(unsettled);
    // What it had posted before dying was found by its metadata, not posted again.
    expect(alreadyThere).toBeGreaterThan(0);
  }, 120_000);
});
