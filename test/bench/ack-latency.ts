import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);
// Ack latency of `/engagement new` (ack, then views.open to the Slack emulator) against a bare Bolt
// app whose only listener acks, under the same load: signed requests at a fixed concurrency.
//
//   npx tsx test/bench/ack-latency.ts        # also a suite of `npm run bench`
//   ACK_REQUESTS=1000 ACK_CONCURRENCY=10 npx tsx test/bench/ack-latency.ts
//   ACK_PROFILE=/tmp/prof npx tsx test/bench/ack-latency.ts   # CPU profiles of both apps
//
// Each app runs in a child process of its own, as in production: ours through startSteward (the
// composition root, logging at `info` as it does by default) on a fresh Postgres database, the bare
// one with the same receiver (ExpressReceiver) and nothing else. This process plays Slack: the
// emulator signs the requests, times each until its HTTP response (the ack Slack waits 3 s for),
// and answers ours' views.open. Both apps take their requests in alternating rounds, so that the
// noise of a shared machine falls on both alike; between rounds, what ours set off after its acks
// is let finish, so that no round pays for the one before.
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSteward } from '../../src/main.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { COMMAND } from '../../src/slack/ids.js';
import { figure, freshPostgres, ms, percentile, type Figure } from './support.js';

const REQUESTS = Number(process.env.ACK_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.ACK_CONCURRENCY ?? 20);
// Another subcommand for a look apart, e.g. ACK_TEXT=help (answered in the ack, nothing after it).
const TEXT = process.env.ACK_TEXT ?? 'new';
const LOG_LEVEL = process.env.ACK_LOG_LEVEL ?? 'info';
const ROUNDS = 4;
const WARM_UP = 100;
const TARGET_RATIO = 1.3;
const TARGET_P99_MS = 100;

const SECRET = 'bench-signing-secret';
const LEAD = 'U0LEAD';
const ROTATION = 'C0ROTATION';

type Role = 'steward' | 'bare';
type FromApp = { type: 'started'; port: number };

// ---- the child: one app, alone in its process ---------------------------------------------------

async function serveSteward(apiUrl: string, botToken: string, databaseUrl: string): Promise<number> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL,
  });
  const logger = createLogger({ level: config.logLevel });
  const steward = await startSteward(config, {
    logger,
    schedule: false,
    now: () => new Date('2026-12-01T10:00:00Z'),
  });
  return steward.port;
}

async function serveBare(botToken: string): Promise<number> {
  const receiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events' });
  // botId and botUserId given: no auth.test on the first request (see STACK-NOTES).
  const app = new App({ token: botToken, botId: 'B0BOT', botUserId: 'U0BOT', receiver, logLevel: LogLevel.ERROR });
  app.command(COMMAND, async ({ ack }) => {
    await ack();
  });
  const server = await receiver.start(0);
  return (server.address() as AddressInfo).port;
}

async function serve(role: Role, args: string[]): Promise<void> {
  const [apiUrl, botToken, databaseUrl] = args as [string, string, string];
  const port = role === 'steward' ? await serveSteward(apiUrl, botToken, databaseUrl) : await serveBare(botToken);
  // The bench ends it (an exit, not death by signal, so that a --cpu-prof profile gets written);
  // if the bench dies, don't linger.
  process.once('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'started', port } satisfies FromApp);
}

// ---- the parent: Slack and the people sending commands ------------------------------------------

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
}

async function spawnApp(role: Role, args: string[]): Promise<Child> {
  const child = fork(fileURLToPath(import.meta.url), ['--app', role, ...args], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.ACK_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.ACK_PROFILE}/${role}`] : []),
    ],
    // The app's JSON log lines go nowhere, as cheaply as to a container's log pipe; errors show.
    stdio: ['ignore', process.env.ACK_APP_LOG ? (require('node:fs') as typeof import('node:fs')).openSync(`${process.env.ACK_APP_LOG}.${role}`, 'w') : 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${role} app exited with ${code} before it listened`)));
    child.on('message', (m: FromApp) => m.type === 'started' && resolve(m.port));
  });
  child.removeAllListeners('exit');
  return { process: child, url: `http://127.0.0.1:${port}/slack/events` };
}

async function stop(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  await exited;
}

async function until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const stopAt = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Sample {
  acks: number[];
  /** From sending the command to views.open reaching the emulator (ours only). */
  opened: number[];
  failures: string[];
  wallMs: number;
}

const emptySample = (): Sample => ({ acks: [], opened: [], failures: [], wallMs: 0 });

/**
 * `count` commands, CONCURRENCY at a time, to one app. With `opens`, waits for the views.open each
 * one sets off, so that the next round does not pay for this one's work after its acks.
 */
async function round(
  emulator: SlackEmulator,
  app: Child,
  count: number,
  into: Sample,
  opens: boolean,
): Promise<void> {
  emulator.setBotUrl(app.url);
  emulator.calls.length = 0;
  const sentAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const at = Date.now();
      const t0 = performance.now();
      const reply = await emulator.slashCommand(LEAD, ROTATION, COMMAND, TEXT);
      into.acks.push(performance.now() - t0);
      sentAt.set(reply.triggerId, at);
      if (reply.status !== 200) into.failures.push(`HTTP ${reply.status}${reply.timedOut ? ' (timed out)' : ''}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  into.wallMs += performance.now() - started;
  if (!opens) return;
  await until('every views.open of the round', () => emulator.callsTo('views.open').length >= count);
  for (const call of emulator.callsTo('views.open')) {
    const at = sentAt.get(String(call.args.trigger_id));
    if (call.response.ok === true && at !== undefined) into.opened.push(call.at - at);
    else into.failures.push(`views.open: ${String(call.response.error)}`);
  }
}

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
};

export async function bench(): Promise<Figure[]> {
  const database = await freshPostgres();
  const emulator = await SlackEmulator.start({
    signingSecret: SECRET,
    users: [
      { id: LEAD, name: 'lee', realName: 'Lee Lead', isAdmin: true },
      { id: 'U0ANA', name: 'ana' },
      { id: 'U0BEN', name: 'ben' },
    ],
    channels: [{ id: ROTATION, name: 'eng-rotation' }],
  });
  let ours: Child | undefined;
  let bare: Child | undefined;
  try {
    const { botToken } = emulator.identity;
    [ours, bare] = await Promise.all([
      spawnApp('steward', [emulator.apiUrl, botToken, database.url]),
      spawnApp('bare', [emulator.apiUrl, botToken]),
    ]);

    // A team with a lead and two people, so that `new` opens the form.
    emulator.setBotUrl(ours.url);
    emulator.calls.length = 0;
    await emulator.slashCommand(LEAD, ROTATION, COMMAND, 'team add <@U0ANA|ana> <@U0BEN|ben>');
    await until('the team to be set up', () => emulator.callsTo('response_url').length > 0);

    await round(emulator, ours, WARM_UP, emptySample(), TEXT === 'new');
    await round(emulator, bare, WARM_UP, emptySample(), false);
    const samples = { ours: emptySample(), bare: emptySample() };
    const perRound = Math.ceil(REQUESTS / ROUNDS);
    for (let i = 0; i < ROUNDS; i++) {
      // bare, ours, ours, bare, …: neither always goes first.
      const order = i % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
      for (const which of order) {
        const app = which === 'ours' ? ours : bare;
        await round(emulator, app, perRound, samples[which], which === 'ours' && TEXT === 'new');
      }
    }

    const o = spread(samples.ours.acks);
    const b = spread(samples.bare.acks);
    const opened = spread(samples.ours.opened);
    const rate = (s: Sample) => ((s.acks.length / s.wallMs) * 1000).toFixed(0);
    const failures = [...samples.ours.failures, ...samples.bare.failures];
    return [
      figure(
        o.p99 / b.p99,
        `ack latency, /engagement ${TEXT} vs a bare Bolt app that only acks: p99 ${ms(o.p99)} vs ${ms(b.p99)}, ` +
          `p50 ${ms(o.p50)} vs ${ms(b.p50)} (${samples.ours.acks.length} signed requests each, ${CONCURRENCY} at a time, ` +
          `in ${ROUNDS} alternating rounds; each app in its own process; ours on Postgres; target ≤ ${TARGET_RATIO})`,
      ),
      figure(
        o.p99 / TARGET_P99_MS,
        `  /engagement ${TEXT} ack p99 ${ms(o.p99)} (max ${ms(o.max)}) against the ${TARGET_P99_MS} ms target; ` +
          `its modal opened (views.open at the emulator) p50 ${ms(opened.p50)}, p99 ${ms(opened.p99)}; ` +
          `${rate(samples.ours)} vs ${rate(samples.bare)} requests/s; ${failures.length} failed${failures.length > 0 ? ` (${failures.slice(0, 3).join('; ')})` : ''}`,
      ),
    ];
  } finally {
    await Promise.all([stop(ours), stop(bare)]);
    await emulator.close();
    await database.close();
  }
}

if (process.argv[2] === '--app') await serve(process.argv[3] as Role, process.argv.slice(4));
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await bench())
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
