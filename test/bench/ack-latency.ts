// Ack latency of `/engagement new`: a few hundred signed requests at a fixed concurrency against the
// real app over HTTP, with the Slack emulator answering the Web API. Not a test: run it and read it.
//
//   npx tsx test/bench/ack-latency.ts                      # embedded database (PGlite, in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx test/bench/ack-latency.ts
//   REQUESTS=400 CONCURRENCY=20 npx tsx test/bench/ack-latency.ts
//
// The app runs in a child process of its own, as in production; this process plays Slack (the
// emulator, which signs the requests and answers the Web API) and the people sending commands. The
// ack is the HTTP response Slack waits for (3 s limit). What the command sets off after it
// (recognising the person, reading the team's templates, views.open) is measured apart: "modal open".
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { createSlackApp } from '../../src/slack/app.js';
import { COMMAND } from '../../src/slack/ids.js';

const REQUESTS = Number(process.env.REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const WARM_UP = 40;
// Another subcommand for comparison, e.g. TEXT=help (answered in the ack, nothing after it).
const TEXT = process.env.TEXT ?? 'new';
const SECRET = 'bench-signing-secret';
const LEAD = 'U0LEAD';
const ROTATION = 'C0ROTATION';

type ToApp = { type: 'idle' } | { type: 'stop' };
type FromApp = { type: 'started'; port: number; database: string } | { type: 'idle' } | { type: 'stopped' };

/** The child: the app alone, on its own database, talking to the emulator in the parent. */
async function serveApp(apiUrl: string, botToken: string) {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const app = await createSlackApp({
    config: {
      slack: { mode: 'http', botToken, signingSecret: SECRET },
      slackApiUrl: apiUrl,
      databaseUrl: process.env.DATABASE_URL,
      dataDir: 'memory://',
      port: 0,
      defaultTimeZone: 'UTC',
      defaultReminderTime: '09:00',
      logLevel: 'warn',
    },
    db: database.db,
    logger: createLogger({ level: 'warn' }),
    now: () => new Date('2026-12-01T10:00:00Z'),
    readiness: async () => ({ ready: true }),
  });
  const { port } = await app.start();
  const send = (message: FromApp) => process.send!(message);
  process.on('message', (message: ToApp) => {
    if (message.type === 'idle') void app.idle().then(() => send({ type: 'idle' }));
    if (message.type === 'stop') {
      void (async () => {
        await app.stop();
        await database.close();
        send({ type: 'stopped' });
        process.exit(0);
      })();
    }
  });
  // If the bench dies, don't linger.
  process.on('disconnect', () => process.exit(1));
  send({ type: 'started', port, database: database.kind });
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

const summary = (label: string, values: number[]) => {
  if (values.length === 0) return `${label.padEnd(12)} n=   0`;
  const sorted = [...values].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${label.padEnd(12)} n=${String(sorted.length).padStart(4)}  p50 ${f(percentile(sorted, 50))} ms  p90 ${f(percentile(sorted, 90))} ms  p99 ${f(percentile(sorted, 99))} ms  max ${f(sorted.at(-1)!)} ms`;
};

function ask(child: ChildProcess, message: ToApp, answer: FromApp['type']): Promise<FromApp> {
  return new Promise((resolve) => {
    const listener = (reply: FromApp) => {
      if (reply.type !== answer) return;
      child.off('message', listener);
      resolve(reply);
    };
    child.on('message', listener);
    child.send(message);
  });
}

async function main() {
  const emulator = await SlackEmulator.start({
    signingSecret: SECRET,
    users: [
      { id: LEAD, name: 'lee', realName: 'Lee Lead', isAdmin: true },
      { id: 'U0ANA', name: 'ana' },
      { id: 'U0BEN', name: 'ben' },
    ],
    channels: [{ id: ROTATION, name: 'eng-rotation' }],
  });
  const child = fork(fileURLToPath(import.meta.url), ['--app', emulator.apiUrl, emulator.identity.botToken], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    ],
  });
  const started = await new Promise<Extract<FromApp, { type: 'started' }>>((resolve) =>
    child.on('message', (m: FromApp) => m.type === 'started' && resolve(m)),
  );
  emulator.setBotUrl(`http://127.0.0.1:${started.port}/slack/events`);
  const idle = () => ask(child, { type: 'idle' }, 'idle');

  await emulator.slashCommand(LEAD, ROTATION, COMMAND, 'team add <@U0ANA|ana> <@U0BEN|ben>');
  await idle();

  const run = async (count: number) => {
    const acks: number[] = [];
    const startedAt = new Map<string, number>();
    const failures: string[] = [];
    let next = 0;
    const wallStart = performance.now();
    const worker = async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        const at = Date.now();
        const reply = await emulator.slashCommand(LEAD, ROTATION, COMMAND, TEXT);
        acks.push(performance.now() - t0);
        startedAt.set(reply.triggerId, at);
        if (reply.status !== 200)
          failures.push(`HTTP ${reply.status}${reply.timedOut ? ' (timed out)' : ''}`);
      }
    };
    emulator.calls.length = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const wallMs = performance.now() - wallStart;
    await idle();
    const opened = emulator
      .callsTo('views.open')
      .filter((c) => c.response.ok === true && startedAt.has(String(c.args.trigger_id)))
      .map((c) => c.at - startedAt.get(String(c.args.trigger_id))!);
    return { acks, opened, failures, wallMs };
  };

  await run(WARM_UP);
  const { acks, opened, failures, wallMs } = await run(REQUESTS);
  console.log(
    `/engagement ${TEXT}: ${REQUESTS} signed requests, ${CONCURRENCY} at a time; app in its own process on the ${started.database} database; Node ${process.version}`,
  );
  console.log(summary('ack', acks));
  console.log(summary('modal open', opened));
  console.log(
    `throughput   ${((REQUESTS / wallMs) * 1000).toFixed(0)} requests/s; failures: ${failures.length}`,
  );
  if (failures.length > 0) console.log(failures.slice(0, 5).join('\n'));

  await ask(child, { type: 'stop' }, 'stopped');
  await emulator.close();
}

if (process.argv[2] === '--app') await serveApp(process.argv[3]!, process.argv[4]!);
else await main();
