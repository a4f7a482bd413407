// The deployment shape: several replicas in HTTP mode behind a load balancer, on one Postgres, each
// with its own cron. Three real bot processes here share one database and one emulated Slack;
// requests are spread across them, and the reminder tick fires in three processes at once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackEmulator, type EmulatedMessage } from '../src/sandbox/slack-emulator.js';
import { ACTIONS, COMMAND } from '../src/slack/ids.js';
import { testDatabaseKind, useTestDatabase } from './support/db.js';

const tsx = path.resolve('node_modules/.bin/tsx');
const SIGNING_SECRET = 'replica-test-signing-secret';
const LEAD = 'U0LEAD';
const MEMBERS = ['U0ANA', 'U0BEN', 'U0CAT', 'U0DAN'];
const ROTATION = 'C0ROTATION';
const CLIENTS = ['C0ACME', 'C0BETA', 'C0GAMMA', 'C0DELTA', 'C0EPSILON', 'C0ZETA'];

const database = useTestDatabase();

interface Replica {
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
  output: () => string;
}

function env(emulator: SlackEmulator): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH!,
    DATABASE_URL: database.url,
    SLACK_API_URL: emulator.apiUrl,
    SLACK_BOT_TOKEN: emulator.identity.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: '0',
    LOG_LEVEL: 'info',
  };
}

/** Starts `src/main.ts` as its own process and waits for the line that says where it listens. */
function startReplica(emulator: SlackEmulator): Promise<Replica> {
  const child = spawn(tsx, ['src/main.ts'], { env: env(emulator), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a replica did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.includes('steward is running')) continue;
        const { port } = JSON.parse(line) as { port: number };
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${port}`, exit, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((code) => reject(new Error(`a replica exited (${code}):\n${output}`)));
  });
}

function runJob(emulator: SlackEmulator, at: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(tsx, ['src/cli/job.ts', 'reminders', '--at', at], {
    env: { ...env(emulator), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

async function until<T>(what: string, check: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const buttonValue = (message: EmulatedMessage, actionId: string): string | undefined => {
  for (const block of message.blocks ?? []) {
    const elements = (block as { elements?: { action_id?: string; value?: string }[] }).elements ?? [];
    const found = elements.find((e) => e.action_id === actionId);
    if (found) return found.value;
  }
  return undefined;
};

/** The next business day after today (the replicas read the real clock). */
function nextMonday(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + ((8 - day.getUTCDay()) % 7 || 7));
  return day.toISOString().slice(0, 10);
}

describe.runIf(testDatabaseKind() === 'postgres')('three replicas on one Postgres', () => {
  const started: Replica[] = [];
  let emulator: SlackEmulator | undefined;

  afterEach(async () => {
    for (const r of started) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await emulator?.close();
  });

  it('serve requests spread across them and send each reminder once when all fire the tick', async () => {
    emulator = await SlackEmulator.start({
      signingSecret: SIGNING_SECRET,
      ackTimeoutMs: 10_000,
      users: [
        { id: LEAD, name: 'lee', realName: 'Lee Lead', isAdmin: true },
        ...MEMBERS.map((id) => ({ id, name: id.slice(2).toLowerCase(), realName: id.slice(2) })),
      ],
      channels: [
        { id: ROTATION, name: 'rotation' },
        ...CLIENTS.map((id) => ({ id, name: id.slice(2).toLowerCase() })),
      ],
    });
    const slack = emulator;
    started.push(...(await Promise.all([startReplica(slack), startReplica(slack), startReplica(slack)])));
    const replicas = [...started];

    // A load balancer's round robin: each request goes to the next replica.
    let turn = 0;
    const nextReplica = () => {
      const replica = replicas[turn++ % replicas.length]!;
      slack.setBotUrl(`${replica.url}/slack/events`);
      return replica;
    };
    const command = async (userId: string, text: string) => {
      nextReplica();
      const reply = await slack.slashCommand(userId, ROTATION, COMMAND, text);
      expect(reply.status).toBe(200);
      return reply;
    };

    await command(LEAD, `team add ${MEMBERS.map((id) => `<@${id}|${id.slice(2).toLowerCase()}>`).join(' ')}`);
    const start = nextMonday();
    // One engagement at a time, as a lead would: each approval weighs on the next proposal.
    for (const channel of CLIENTS) {
      await command(LEAD, 'new');
      const modal = await until('the new-engagement modal', () => slack.openViews(LEAD).at(-1));
      nextReplica();
      const submitted = await slack.submitView(LEAD, modal.id, {
        client: `Client ${channel}`,
        channel,
        start,
      });
      expect(submitted.responseAction).toBeUndefined();
      const proposal = await until('its proposal', () =>
        slack.messages(ROTATION).find((m) => buttonValue(m, ACTIONS.approveOwner) !== undefined),
      );
      nextReplica();
      await slack.clickButton(
        LEAD,
        { channelId: ROTATION, ts: proposal.ts },
        ACTIONS.approveOwner,
        buttonValue(proposal, ACTIONS.approveOwner),
      );
      await until('the approval', () =>
        buttonValue(slack.message(ROTATION, proposal.ts)!, ACTIONS.approveOwner) === undefined
          ? true
          : undefined,
      );
    }
    const kickoffs = () =>
      CLIENTS.map((c) => slack.messages(c).filter((m) => /Owner:/.test(JSON.stringify(m.blocks))).length);
    await until('a kickoff in every engagement channel', () =>
      kickoffs().every((n) => n === 1) ? true : undefined,
    );

    // Cron in every replica: the same reminder tick fired in three processes at once.
    const before = CLIENTS.map((c) => slack.messages(c).length);
    const runs = await Promise.all([0, 1, 2].map(() => runJob(slack, `${start}T09:00:00Z`)));
    for (const run of runs) expect(run.code, run.output).toBe(0);
    CLIENTS.forEach((channel, i) => {
      const reminders = slack.messages(channel).slice(before[i]);
      expect(reminders, `reminders in ${channel}`).toHaveLength(1);
      expect(buttonValue(reminders[0]!, ACTIONS.markDone)).toBeDefined();
    });
    const outbox = await database.db.selectFrom('outbox').select(['status']).execute();
    expect(outbox.every((row) => row.status === 'sent')).toBe(true);

    // Every replica is healthy, and each one drains and exits 0 on SIGTERM.
    for (const replica of replicas) {
      expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${replica.url}/readyz`)).status).toBe(200);
    }
    for (const replica of replicas) replica.child.kill('SIGTERM');
    const codes = await Promise.all(replicas.map((r) => r.exit));
    expect(codes).toEqual([0, 0, 0]);
  }, 120_000);
});
