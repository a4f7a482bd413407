// Ack latency of `/engagement new` (ack, then views.open to the Slack emulator) against a bare Bolt
// app that acks and opens the same modal with views.open (the baseline), and against one that only
// acks, under the same load: signed requests at a fixed concurrency.
//
//   npx tsx test/bench/ack-latency.ts        # also a suite of `npm run bench`
//   ACK_REQUESTS=1000 ACK_CONCURRENCY=10 npx tsx test/bench/ack-latency.ts
//   ACK_TEXT=help ACK_LOG_LEVEL=warn npx tsx test/bench/ack-latency.ts   # another subcommand, quieter logs
//   ACK_PROFILE=/tmp/prof npx tsx test/bench/ack-latency.ts             # CPU profiles of both apps
//   ACK_FIRST_NEW=1 npx tsx test/bench/ack-latency.ts                   # a team's first `new`
//
// Each app runs in a child process of its own, as in production: ours through startSteward (the
// composition root, logging at `info` as it does by default) on a fresh Postgres database, for a
// team in use (a lead, two people and a first engagement, which made the channel the team's
// rotation channel), the bare one with the same receiver (ExpressReceiver) and nothing else. Ours
// keeps the form's facts in memory after the warm-up's first request (until the team changes, which
// it does not here), so the rounds measure a form opened again; the first after a change pays a
// query. This process plays Slack: the emulator signs the requests, times each until its HTTP
// response (the ack Slack waits 3 s for), and answers ours' views.open. The apps take their requests in alternating rounds, so that the
// noise of a shared machine falls on both alike; after each of ours' rounds, what it set off after
// its acks is let finish, so that no round pays for the one before.
//
// With CONCURRENCY requests always outstanding (a closed loop), both apps run flat out, and an ack
// waits behind the work of the requests ahead of it: the latency is about CONCURRENCY times the CPU
// a request costs, which is why that cost is printed too. The open-loop rounds (requests sent at a
// fixed rate, whatever the answers) show the latency when the app is not saturated.
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSteward } from '../../src/main.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import type { ModalView } from '../../src/slack/blocks/kit.js';
import { COMMAND } from '../../src/slack/ids.js';
import { figure, freshPostgres, ms, percentile, type Figure } from './support.js';

const REQUESTS = Number(process.env.ACK_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.ACK_CONCURRENCY ?? 20);
const ROUNDS = 4;
const WARM_UP = 100;
/** The open loop: requests per second, far above any team's use, and how many. */
const OPEN_RATE = 50;
const OPEN_REQUESTS = 500;
const TEXT = process.env.ACK_TEXT ?? 'new';
/** Measure a team's very first `new` (no rotation channel yet: ours asks Slack about the channel first). */
const FIRST_NEW = process.env.ACK_FIRST_NEW === '1';
const LOG_LEVEL = process.env.ACK_LOG_LEVEL ?? 'info';
const TARGET_RATIO = 1.3;
const TARGET_P99_MS = 100;

const SECRET = 'bench-signing-secret';
const LEAD = 'U0LEAD';
const ROTATION = 'C0ROTATION';
const ACME = 'C0ACME';

/** Ours; a bare Bolt app that acks and opens the same modal (the baseline); one that only acks. */
type Role = 'steward' | 'bare-modal' | 'bare';
type ToApp = { type: 'cpu' };
type FromApp = { type: 'started'; port: number } | { type: 'cpu'; micros: number };

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
  const steward = await startSteward(config, {
    logger: createLogger({ level: config.logLevel }),
    schedule: false,
    now: () => new Date('2026-12-01T10:00:00Z'),
  });
  return steward.port;
}

async function serveBare(apiUrl: string, botToken: string, view?: string): Promise<number> {
  const receiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: '/slack/events' });
  // botId and botUserId given: no auth.test on the first request (see STACK-NOTES).
  const app = new App({
    token: botToken,
    botId: 'B0BOT',
    botUserId: 'U0BOT',
    receiver,
    clientOptions: { slackApiUrl: apiUrl },
    logLevel: LogLevel.ERROR,
  });
  const modal = view === undefined ? undefined : (JSON.parse(view) as ModalView);
  app.command(COMMAND, async ({ ack, body, client }) => {
    await ack();
    if (modal) await client.views.open({ trigger_id: body.trigger_id, view: modal });
  });
  const server = await receiver.start(0);
  return (server.address() as AddressInfo).port;
}

async function serve(role: Role, args: string[]): Promise<void> {
  const [apiUrl, botToken, databaseUrl] = args as [string, string, string];
  // The baseline's modal is the one ours opened, passed in as JSON where ours takes its database.
  const port =
    role === 'steward'
      ? await serveSteward(apiUrl, botToken, databaseUrl)
      : await serveBare(apiUrl, botToken, role === 'bare-modal' ? databaseUrl : undefined);
  const send = (message: FromApp) => process.send!(message);
  process.on('message', (message: ToApp) => {
    if (message.type !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    send({ type: 'cpu', micros: user + system });
  });
  // The bench ends it (an exit, not death by signal, so that a --cpu-prof profile gets written);
  // if the bench dies, don't linger.
  process.once('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
  send({ type: 'started', port });
}

// ---- the parent: Slack and the people sending commands ------------------------------------------

interface Child {
  readonly role: Role;
  readonly process: ChildProcess;
  readonly url: string;
}

async function spawnApp(role: Role, args: string[]): Promise<Child> {
  const profile = process.env.ACK_PROFILE;
  const child = fork(fileURLToPath(import.meta.url), ['--app', role, ...args], {
    execArgv: ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}/${role}`] : [])],
    // The app's JSON log lines go nowhere, as cheaply as to a container's log pipe; errors show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${role} app exited with ${code} before it listened`)));
    child.on('message', (m: FromApp) => m.type === 'started' && resolve(m.port));
  });
  child.removeAllListeners('exit');
  return { role, process: child, url: `http://127.0.0.1:${port}/slack/events` };
}

/** CPU time the child has used so far, in ms. */
function cpuOf(child: Child): Promise<number> {
  return new Promise((resolve) => {
    const listener = (m: FromApp) => {
      if (m.type !== 'cpu') return;
      child.process.off('message', listener);
      resolve(m.micros / 1000);
    };
    child.process.on('message', listener);
    child.process.send({ type: 'cpu' } satisfies ToApp);
  });
}

async function stop(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  await exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const stopAt = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Sample {
  acks: number[];
  /** From sending the command to views.open reaching the emulator (ours, `new` only). */
  opened: number[];
  failures: string[];
  wallMs: number;
  cpuMs: number;
}

const emptySample = (): Sample => ({ acks: [], opened: [], failures: [], wallMs: 0, cpuMs: 0 });

type Load = { kind: 'closed'; concurrency: number } | { kind: 'open'; perSecond: number };

/**
 * `count` commands to one app, under `load`. For ours' `new`, waits for the views.open each one sets
 * off, so that the next round does not pay for this one's work after its acks.
 */
async function round(
  emulator: SlackEmulator,
  app: Child,
  count: number,
  load: Load,
  into: Sample,
): Promise<void> {
  const opens = (app.role === 'steward' && TEXT === 'new') || app.role === 'bare-modal';
  emulator.setBotUrl(app.url);
  emulator.calls.length = 0;
  const sentAt = new Map<string, number>();
  const one = async () => {
    const at = Date.now();
    const t0 = performance.now();
    const reply = await emulator.slashCommand(LEAD, ROTATION, COMMAND, TEXT);
    into.acks.push(performance.now() - t0);
    sentAt.set(reply.triggerId, at);
    if (reply.status !== 200)
      into.failures.push(`HTTP ${reply.status}${reply.timedOut ? ' (timed out)' : ''}`);
  };
  const cpuBefore = await cpuOf(app);
  const started = performance.now();
  if (load.kind === 'closed') {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: load.concurrency }, worker));
  } else {
    const sent: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const wait = started + (i * 1000) / load.perSecond - performance.now();
      if (wait > 0) await sleep(wait);
      sent.push(one());
    }
    await Promise.all(sent);
  }
  into.wallMs += performance.now() - started;
  if (opens) {
    await until('every views.open of the round', () => emulator.callsTo('views.open').length >= count);
    for (const call of emulator.callsTo('views.open')) {
      const at = sentAt.get(String(call.args.trigger_id));
      if (call.response.ok === true && at !== undefined) into.opened.push(call.at - at);
      else into.failures.push(`views.open: ${String(call.response.error)}`);
    }
  }
  into.cpuMs += (await cpuOf(app)) - cpuBefore;
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
    channels: [
      { id: ROTATION, name: 'eng-rotation' },
      { id: ACME, name: 'acme' },
    ],
  });
  let ours: Child | undefined;
  let baseline: Child | undefined;
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
    if (!FIRST_NEW) {
      // A team in use: its first engagement made this channel its rotation channel, so `new` opens
      // the form without first asking Slack whether the channel is shared outside.
      emulator.calls.length = 0;
      await emulator.slashCommand(LEAD, ROTATION, COMMAND, 'new');
      await until('the form to open', () => emulator.callsTo('views.open').length > 0);
      const form = emulator.openViews(LEAD).at(-1)!;
      await emulator.submitView(LEAD, form.id, { client: 'Acme', channel: ACME });
      await until('the first proposal', () => emulator.messages(ROTATION).length > 0);
    }
    // The baseline opens the very modal ours opens.
    emulator.calls.length = 0;
    await emulator.slashCommand(LEAD, ROTATION, COMMAND, 'new');
    await until('the form to open', () => emulator.callsTo('views.open').length > 0);
    const view = JSON.stringify(emulator.callsTo('views.open')[0]!.args.view);
    baseline = await spawnApp('bare-modal', [emulator.apiUrl, botToken, view]);

    const apps = [ours, baseline, bare];
    const closed: Load = { kind: 'closed', concurrency: CONCURRENCY };
    const open: Load = { kind: 'open', perSecond: OPEN_RATE };
    for (const app of apps) await round(emulator, app, WARM_UP, closed, emptySample());
    const samples = {
      closed: { steward: emptySample(), 'bare-modal': emptySample(), bare: emptySample() },
      open: { steward: emptySample(), 'bare-modal': emptySample(), bare: emptySample() },
    };
    for (let i = 0; i < ROUNDS; i++) {
      // Each round starts with another app, so that none always goes first.
      const order = [...apps.slice(i % apps.length), ...apps.slice(0, i % apps.length)];
      for (const app of order) {
        await round(emulator, app, Math.ceil(REQUESTS / ROUNDS), closed, samples.closed[app.role]);
        await round(emulator, app, Math.ceil(OPEN_REQUESTS / ROUNDS), open, samples.open[app.role]);
      }
    }

    const { steward: s, 'bare-modal': m, bare: b } = samples.closed;
    const o = spread(s.acks);
    const base = spread(m.acks);
    const ackOnly = spread(b.acks);
    const opened = spread(s.opened);
    const baseOpened = spread(m.opened);
    const rate = (x: Sample) => ((x.acks.length / x.wallMs) * 1000).toFixed(0);
    const cpu = (x: Sample) => x.cpuMs / x.acks.length;
    const failures = [s, m, b, ...Object.values(samples.open)].flatMap((x) => x.failures);
    const oo = spread(samples.open.steward.acks);
    const om = spread(samples.open['bare-modal'].acks);
    return [
      figure(
        o.p99 / base.p99,
        `ack latency, /engagement ${TEXT} vs a bare Bolt app that acks and opens the same modal (views.open): ` +
          `p99 ${ms(o.p99)} vs ${ms(base.p99)}, p50 ${ms(o.p50)} vs ${ms(base.p50)} (${s.acks.length} signed requests each, ` +
          `${CONCURRENCY} at a time, in ${ROUNDS} rotating rounds; each app in its own process; ours on Postgres; target ≤ ${TARGET_RATIO})`,
      ),
      figure(
        o.p99 / TARGET_P99_MS,
        `  /engagement ${TEXT} ack p99 ${ms(o.p99)} (max ${ms(o.max)}) against the ${TARGET_P99_MS} ms target; ` +
          `modal opened (views.open at the emulator) p50 ${ms(opened.p50)} vs ${ms(baseOpened.p50)}, ` +
          `p99 ${ms(opened.p99)} vs ${ms(baseOpened.p99)}; ${rate(s)} vs ${rate(m)} requests/s; ${failures.length} failed` +
          (failures.length > 0 ? ` (${failures.slice(0, 3).join('; ')})` : ''),
      ),
      figure(
        cpu(s) / cpu(m),
        `  CPU per request, ours (ack and all it sets off) vs the baseline: ${ms(cpu(s))} vs ${ms(cpu(m))} ` +
          `(a bare ack alone: ${ms(cpu(b))}); ${CONCURRENCY} at a time keeps each saturated, so an ack queues ` +
          `behind about ${CONCURRENCY} requests' work`,
      ),
      figure(
        o.p99 / ackOnly.p99,
        `  the same against a bare Bolt app that only acks: p99 ${ms(o.p99)} vs ${ms(ackOnly.p99)}, ` +
          `p50 ${ms(o.p50)} vs ${ms(ackOnly.p50)}; ${rate(s)} vs ${rate(b)} requests/s`,
      ),
      figure(
        oo.p99 / om.p99,
        `  unsaturated, ${OPEN_RATE} requests/s sent whatever the answers: p99 ${ms(oo.p99)} vs ${ms(om.p99)}, ` +
          `p50 ${ms(oo.p50)} vs ${ms(om.p50)} (${samples.open.steward.acks.length} requests each)`,
      ),
    ];
  } finally {
    await Promise.all([stop(ours), stop(baseline), stop(bare)]);
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
