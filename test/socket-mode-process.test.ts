// Socket Mode as it is started in production: `src/main.ts` as its own process with an app-level
// token. /readyz says whether envelopes can arrive (503 before the first connection and while it is
// down, 200 once open); the log says once that Slack cannot be reached and once that it is back;
// /healthz and /metrics are served as in HTTP mode; envelopes Slack would not send are logged and
// acked and the process lives on; SIGTERM closes the socket and the process exits 0.
import { afterEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/sandbox/slack-emulator.js';
import { COMMAND } from '../src/slack/ids.js';
import { useTestDatabase } from './support/db.js';
import { until as waitUntil, useProcesses, within } from './support/process.js';

const APP_TOKEN = 'xapp-1-A0APP-process-test';
const LEAD = 'U0LEAD';
const ROTATION = 'C0ROTATION';
/** Starting a process is slow on a busy machine; the waits end as soon as what they wait for holds. */
const START_MS = 90_000;
const database = useTestDatabase();
const processes = useProcesses();

let log = () => '';

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  await waitUntil(what, check, ms).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${log()}`);
  });
}

const status = async (url: string, path = '/readyz') => (await fetch(`${url}${path}`)).status;

/** What Slack would never send, each with what the app must not do with it. */
const BAD_ENVELOPES = [
  { envelope_id: 'e-unknown', type: 'telepathy', payload: { type: 'x' } },
  { envelope_id: 'e-no-payload', type: 'events_api' },
  { envelope_id: 'e-no-event', type: 'events_api', payload: {} },
  { envelope_id: 'e-text', type: 'slash_commands', payload: 'hi' },
  { envelope_id: 'e-odd', type: 'interactive', payload: { type: 'odd' } },
  { envelope_id: 'e-bare', type: 'slash_commands', payload: { command: '/engagement' } },
];

describe('a Socket Mode process', () => {
  let emulator: SlackEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('is ready only while connected, says so once each way, serves health and metrics, lives through bad envelopes, and exits 0 on SIGTERM', async () => {
    emulator = await SlackEmulator.start({
      signingSecret: 'unused-in-socket-mode',
      socketMode: { appToken: APP_TOKEN },
      users: [{ id: LEAD, name: 'lee', realName: 'Lee Lead', isAdmin: true }],
      channels: [{ id: ROTATION, name: 'rotation' }],
    });
    const socket = emulator.socketMode!;
    // Slack cannot be reached when the process starts: it must not claim to be ready.
    socket.setReachable(false);
    const steward = processes.start({
      DATABASE_URL: database.url,
      SLACK_API_URL: emulator.apiUrl,
      SLACK_BOT_TOKEN: emulator.identity.botToken,
      SLACK_APP_TOKEN: APP_TOKEN,
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    log = steward.output;
    const url = await within('the process to listen', steward.listening, START_MS);
    const saying = (pattern: RegExp) => steward.linesSaying(pattern).length;

    expect(await status(url)).toBe(503);
    await until('the unreachable line', () => saying(/Slack cannot be reached/) > 0);

    socket.setReachable(true);
    await socket.waitForConnections(1, 40_000);
    await until('ready', async () => (await status(url)) === 200);

    socket.setReachable(false);
    await until('not ready while down', async () => (await status(url)) === 503);
    await until('the second unreachable line', () => saying(/Slack cannot be reached/) === 2);
    socket.setReachable(true);
    await until('ready again', async () => (await status(url)) === 200);
    await until('the second back line', () => saying(/Slack reached again/) === 2);
    expect(saying(/Slack cannot be reached/)).toBe(2);

    // Health and metrics, as in HTTP mode.
    expect(await status(url, '/healthz')).toBe(200);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^steward_outbox_pending 0$/m);

    // Bad input over the socket: each envelope acked and logged; the process lives on and answers.
    const warnings = () => steward.linesSaying(/"level":(40|50)/).length;
    const before = warnings();
    for (const envelope of BAD_ENVELOPES)
      expect(await socket.sendRaw(envelope), envelope.envelope_id).toMatchObject({ status: 200 });
    await socket.sendRaw('{"envelope_id": ');
    await until('a line for each', () => warnings() >= before + BAD_ENVELOPES.length + 1);
    expect(steward.child.exitCode).toBeNull();
    expect((await emulator.slashCommand(LEAD, ROTATION, COMMAND, 'help')).status).toBe(200);
    const slack = emulator;
    await until('the help', () => slack.ephemerals(LEAD).some((e) => e.text.includes('`/engagement new`')));
    expect(await status(url)).toBe(200);

    steward.child.kill('SIGTERM');
    expect(await within('the process to exit', steward.exit, 30_000)).toBe(0);
    await until('the socket to close', () => socket.connections === 0, 5_000);
  }, 180_000);
});
