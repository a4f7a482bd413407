// The deployment shape: several replicas on one Postgres, each with its own cron. Real bot processes
// here share one database and one emulated Slack, in both modes: over HTTP a load balancer's round
// robin sends each request to the next replica; in Socket Mode every replica opens its own
// connection and Slack spreads the envelopes over them. Each approval is sent to two replicas at
// once (Slack sending it again while the first is still at work), and the reminder tick fires in
// every replica at once: each decision and each reminder still happens once.
import { afterEach, describe, expect, it } from 'vitest';
import { listEvents } from '../src/db/events.js';
import { SlackEmulator, type EmulatedMessage } from '../src/sandbox/slack-emulator.js';
import { ACTIONS, COMMAND } from '../src/slack/ids.js';
import type { SlackMode } from './support/app.js';
import { testDatabaseKind, useTestDatabase } from './support/db.js';
import { until, useProcesses, within, type StewardProcess } from './support/process.js';

const SIGNING_SECRET = 'replica-test-signing-secret';
const APP_TOKEN = 'xapp-1-A0APP-replica-test';
const TEAM = 'T0001';
const LEAD = 'U0LEAD';
const MEMBERS = ['U0ANA', 'U0BEN', 'U0CAT', 'U0DAN'];
const ROTATION = 'C0ROTATION';
const ALL_CLIENTS = ['C0ACME', 'C0BETA', 'C0GAMMA', 'C0DELTA', 'C0EPSILON', 'C0ZETA'];
/** Starting a process is slow on a busy machine; the waits end as soon as what they wait for holds. */
const START_MS = 90_000;

const database = useTestDatabase();
const processes = useProcesses();

interface Replica {
  readonly process: StewardProcess;
  readonly url: string;
}

function env(emulator: SlackEmulator, mode: SlackMode): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: database.url,
    SLACK_API_URL: emulator.apiUrl,
    SLACK_BOT_TOKEN: emulator.identity.botToken,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    PORT: '0',
    LOG_LEVEL: 'info',
  };
}

/** Starts `src/main.ts` as its own process and waits for the line that says where it listens. */
async function startReplica(emulator: SlackEmulator, mode: SlackMode): Promise<Replica> {
  const process = processes.start(env(emulator, mode));
  const url = await within('a replica to listen', process.listening, START_MS).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${process.output()}`);
  });
  return { process, url };
}

/** The reminder tick, fired from the command line as cron fires it in a replica. */
async function runJob(emulator: SlackEmulator, mode: SlackMode, at: string) {
  const job = processes.start({ ...env(emulator, mode), LOG_LEVEL: 'warn' }, [
    'src/cli/job.ts',
    'reminders',
    '--at',
    at,
  ]);
  return { code: await within('the reminder job', job.exit, START_MS), output: job.output() };
}

const buttonValue = (message: EmulatedMessage, actionId: string): string | undefined => {
  for (const block of message.blocks ?? []) {
    const elements = (block as { elements?: { action_id?: string; value?: string }[] }).elements ?? [];
    const found = elements.find((e) => e.action_id === actionId);
    if (found) return found.value;
  }
  return undefined;
};

/** Requests a replica handled, summed over listeners and outcomes, from its /metrics. */
async function requestsHandled(replica: Replica): Promise<{ ok: number; error: number }> {
  const response = await fetch(`${replica.url}/metrics`);
  expect(response.status).toBe(200);
  const counts = { ok: 0, error: 0 };
  for (const [, outcome, n] of (await response.text()).matchAll(
    /^steward_slack_requests_total\{[^}]*outcome="(ok|error)"[^}]*\} (\d+)$/gm,
  ))
    counts[outcome as 'ok' | 'error'] += Number(n);
  return counts;
}

/** The next business day after today (the replicas read the real clock). */
function nextMonday(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + ((8 - day.getUTCDay()) % 7 || 7));
  return day.toISOString().slice(0, 10);
}

const SHAPES = [
  { mode: 'http', name: 'HTTP behind a load balancer', replicas: 3, engagements: 4 },
  { mode: 'socket', name: 'Socket Mode', replicas: 2, engagements: 3 },
] as const satisfies readonly { mode: SlackMode; name: string; replicas: number; engagements: number }[];

describe.runIf(testDatabaseKind() === 'postgres').each(SHAPES)(
  '$replicas replicas in $name on one Postgres',
  ({ mode, replicas: count, engagements }) => {
    let emulator: SlackEmulator | undefined;

    afterEach(async () => {
      await emulator?.close();
      emulator = undefined;
    });

    it('spread the work, decide and remind once each, serve their health and metrics, and exit 0', async () => {
      const clients = ALL_CLIENTS.slice(0, engagements);
      emulator = await SlackEmulator.start({
        signingSecret: SIGNING_SECRET,
        ...(mode === 'socket' ? { socketMode: { appToken: APP_TOKEN } } : {}),
        teamId: TEAM,
        // Processes on a busy machine: Slack's 3 s is not what is tested here.
        ackTimeoutMs: 10_000,
        triggerLifetimeMs: 30_000,
        users: [
          { id: LEAD, name: 'lee', realName: 'Lee Lead', isAdmin: true },
          ...MEMBERS.map((id) => ({ id, name: id.slice(2).toLowerCase(), realName: id.slice(2) })),
        ],
        channels: [
          { id: ROTATION, name: 'rotation' },
          ...clients.map((id) => ({ id, name: id.slice(2).toLowerCase() })),
        ],
      });
      const slack = emulator;
      const socket = slack.socketMode;
      const replicas = await Promise.all(Array.from({ length: count }, () => startReplica(slack, mode)));
      // In Socket Mode a replica is ready once its connection is open.
      if (socket) await socket.waitForConnections(count, START_MS);
      for (const replica of replicas)
        await until(`${replica.url} ready`, async () => (await fetch(`${replica.url}/readyz`)).ok, START_MS);

      // What the replicas logged, to tell why a wait failed.
      const waitFor = <T>(what: string, check: Parameters<typeof until<T>>[1], ms?: number) =>
        until(what, check, ms ?? 45_000).catch((error: unknown) => {
          const logs = replicas.map((r, i) => `replica ${i + 1}:\n${r.process.output()}`).join('\n');
          const asked = slack.ephemerals(LEAD).map((e) => `the lead was told: ${e.text}`);
          throw new Error([(error as Error).message, logs, ...asked].join('\n'));
        });

      // Over HTTP, a load balancer's round robin picks the replica for each request; in Socket Mode
      // the emulator takes the connections in turn, as Slack spreads envelopes over them.
      let deliveries = 0;
      const toNextReplica = () => {
        if (!socket) slack.setBotUrl(`${replicas[deliveries % count]!.url}/slack/events`);
        deliveries += 1;
      };
      const command = async (userId: string, text: string) => {
        toNextReplica();
        const reply = await slack.slashCommand(userId, ROTATION, COMMAND, text);
        expect(reply.status).toBe(200);
        return reply;
      };

      await command(
        LEAD,
        `team add ${MEMBERS.map((id) => `<@${id}|${id.slice(2).toLowerCase()}>`).join(' ')}`,
      );
      // The answer comes once the work is done, after the ack.
      await waitFor('the team to be set up', () =>
        slack.ephemerals(LEAD).some((e) => e.text.startsWith('Added to the rotation')),
      );
      const start = nextMonday();
      // One engagement at a time, as a lead would: each approval weighs on the next proposal.
      for (const channel of clients) {
        await command(LEAD, 'new');
        const modal = await waitFor('the new-engagement modal', () => slack.openViews(LEAD).at(-1));
        toNextReplica();
        const submitted = await slack.submitView(LEAD, modal.id, {
          client: `Client ${channel}`,
          channel,
          start,
        });
        expect(submitted.responseAction).toBeUndefined();
        const proposal = await waitFor('its proposal', () =>
          slack.messages(ROTATION).find((m) => buttonValue(m, ACTIONS.approveOwner) !== undefined),
        );
        // The approval reaches one replica, and Slack sends it again to another before the first
        // has answered: both work on it at the same time.
        toNextReplica();
        const clicked = slack.clickButton(
          LEAD,
          { channelId: ROTATION, ts: proposal.ts },
          ACTIONS.approveOwner,
          buttonValue(proposal, ACTIONS.approveOwner),
        );
        toNextReplica();
        const again = slack.redeliver('timeout');
        const [first, second] = await Promise.all([clicked, again]);
        expect(first.status).toBe(200);
        expect(second.status).toBe(200);
        await waitFor(
          'the approval',
          () => buttonValue(slack.message(ROTATION, proposal.ts)!, ACTIONS.approveOwner) === undefined,
        );
      }
      if (socket) {
        expect(socket.envelopes).toHaveLength(deliveries);
        const retried = socket.envelopes.filter((e) => e.retry_attempt === 1);
        expect(retried).toHaveLength(engagements);
      }

      // Each decision once: one approval recorded per engagement, one kickoff per channel, one DM
      // per owner and engagement.
      const kickoffs = () =>
        clients.map((c) => slack.messages(c).filter((m) => /Owner:/.test(JSON.stringify(m.blocks))).length);
      await waitFor('a kickoff in every engagement channel', () => kickoffs().every((n) => n === 1));
      const events = await listEvents(database.db, TEAM);
      expect(events.filter((e) => e.kind === 'approved')).toHaveLength(engagements);
      // The owner's DM goes after the kickoff: wait for each, then see none came twice.
      const ownerDms = () =>
        MEMBERS.flatMap((id) =>
          slack.messages(id).filter((m) => m.botId && !m.threadTs && /You own/.test(JSON.stringify(m))),
        );
      await waitFor('an owner DM per engagement', () => ownerDms().length >= engagements);
      expect(ownerDms()).toHaveLength(engagements);

      // Every replica took its share of the requests, and each request was handled by one (a
      // request is counted once its work is done, which may be after its ack).
      const handled = await waitFor('every request counted', async () => {
        const counts = await Promise.all(replicas.map(requestsHandled));
        return counts.reduce((sum, c) => sum + c.ok + c.error, 0) >= deliveries ? counts : undefined;
      });
      for (const counts of handled) {
        expect(counts.ok).toBeGreaterThan(0);
        expect(counts.error).toBe(0);
      }
      expect(handled.reduce((sum, c) => sum + c.ok, 0)).toBe(deliveries);

      // Cron in every replica: the same reminder tick fired in each process at once.
      const before = clients.map((c) => slack.messages(c).length);
      const runs = await Promise.all(replicas.map(() => runJob(slack, mode, `${start}T09:00:00Z`)));
      for (const run of runs) expect(run.code, run.output).toBe(0);
      clients.forEach((channel, i) => {
        const reminders = slack.messages(channel).slice(before[i]);
        expect(reminders, `reminders in ${channel}`).toHaveLength(1);
        expect(buttonValue(reminders[0]!, ACTIONS.markDone)).toBeDefined();
      });
      const outbox = await database.db.selectFrom('outbox').select(['status']).execute();
      expect(outbox.every((row) => row.status === 'sent')).toBe(true);

      // Every replica is healthy and ready, and each one drains and exits 0 on SIGTERM.
      for (const replica of replicas) {
        expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
        expect((await fetch(`${replica.url}/readyz`)).status).toBe(200);
      }
      for (const replica of replicas) replica.process.child.kill('SIGTERM');
      const codes = await Promise.all(
        replicas.map((r) => within('a replica to exit', r.process.exit, 30_000)),
      );
      expect(codes).toEqual(replicas.map(() => 0));
      if (socket) await until('the sockets to close', () => socket.connections === 0, 5_000);
    }, 240_000);
  },
);
