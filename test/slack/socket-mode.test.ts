// What Socket Mode adds to the shared specifications (which run in both modes): the connection goes
// through SLACK_API_URL with the app-level token; /readyz tells whether envelopes can arrive; the log
// says once that Slack cannot be reached and once that it is back; the bot reconnects by itself;
// stopping closes the socket; envelopes Slack would never send are logged and acked.
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/db/events.js';
import { APP_TOKEN, CHANNELS, mention, PEOPLE, TEAM_ID, useHarness, type Harness } from '../support/app.js';

async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const readyz = async (h: Harness) => {
  const res = await fetch(`${h.baseUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; detail?: string } };
};

const socketOf = (h: Harness) => h.emulator.socketMode!;

const linesSaying = (h: Harness, pattern: RegExp) => h.logs.filter((l) => pattern.test(String(l.msg)));

/** The bot still answers a command over the socket. */
async function stillAnswers(h: Harness) {
  const reply = await h.command(PEOPLE.lead, 'help');
  expect(reply.status).toBe(200);
  expect(h.lastEphemeral(PEOPLE.lead)).toContain('`/engagement new`');
}

describe('the Socket Mode connection', () => {
  const harness = useHarness({ mode: 'socket', metrics: true });

  it('is opened through SLACK_API_URL with the app-level token, and gets envelopes as Slack sends them', async () => {
    const h = harness.current;
    const [open, ...more] = h.emulator.callsTo('apps.connections.open');
    expect(more).toEqual([]);
    expect(open).toMatchObject({ token: APP_TOKEN, status: 200, response: { ok: true } });
    expect(socketOf(h).connections).toBe(1);

    await h.command(PEOPLE.lead, `team add ${mention(PEOPLE.ana)}`);
    await h.openHome(PEOPLE.ana);
    const [command, event] = socketOf(h).envelopes;
    expect(command).toMatchObject({
      type: 'slash_commands',
      envelope_id: expect.any(String),
      accepts_response_payload: true,
      payload: { command: '/engagement', user_id: PEOPLE.lead },
    });
    expect(event).toMatchObject({
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      payload: { type: 'event_callback', event: { type: 'app_home_opened', user: PEOPLE.ana } },
    });
    // Nothing came over HTTP: no signed request, no bot URL.
    expect(h.emulator.botUrl).toBeUndefined();
  });

  it('is ready once open, and serves /healthz and /metrics next to /readyz', async () => {
    const h = harness.current;
    expect(await readyz(h)).toEqual({ status: 200, body: { ready: true } });
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    const metrics = await fetch(`${h.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^steward_outbox_pending 0$/m);
  });

  it('reconnects by itself when Slack asks it to (refresh_requested) or just drops it', async () => {
    const h = harness.current;
    socketOf(h).disconnect('refresh_requested');
    await eventually(() => expect(h.emulator.callsTo('apps.connections.open')).toHaveLength(2), 'refreshed');
    await socketOf(h).waitForConnections(1);
    await eventually(async () => expect((await readyz(h)).status).toBe(200), 'ready after the refresh');
    await stillAnswers(h);

    socketOf(h).drop();
    expect(socketOf(h).connections).toBe(0);
    await eventually(async () => expect((await readyz(h)).status).toBe(503), 'not ready once dropped');
    await socketOf(h).waitForConnections(1);
    await eventually(async () => expect((await readyz(h)).status).toBe(200), 'ready again');
    await stillAnswers(h);
    // Routine reconnections are no news for operators.
    expect(linesSaying(h, /cannot be reached/)).toEqual([]);
  });

  it('closes the socket when stopped', async () => {
    const h = harness.current;
    await h.app.stop();
    await eventually(() => expect(socketOf(h).connections).toBe(0), 'socket closed');
    const after = await h.emulator.slashCommand(PEOPLE.lead, CHANNELS.rotation, '/engagement', 'help');
    expect(after).toMatchObject({ status: 0, error: 'no Socket Mode connection is open' });
    // It does not come back.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(socketOf(h).connections).toBe(0);
    expect(h.emulator.callsTo('apps.connections.open')).toHaveLength(1);
  });
});

describe('Socket Mode while Slack cannot be reached', () => {
  const harness = useHarness({ mode: 'socket', socketReconnectMs: 300 });

  it('is not ready, says so once, keeps trying, and says once when Slack is back', async () => {
    const h = harness.current;
    socketOf(h).setReachable(false);
    await eventually(async () => {
      const { status, body } = await readyz(h);
      expect(status).toBe(503);
      expect(body.detail).toMatch(/^Slack cannot be reached \(Socket Mode\)/);
    }, 'not ready');
    // Several attempts fail meanwhile; one line says so.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const attempts = h.emulator.calls.length;
    expect(linesSaying(h, /Slack cannot be reached/)).toHaveLength(1);
    expect(linesSaying(h, /Slack cannot be reached/)[0]).toMatchObject({ level: 40 });
    // Nothing else from the connection's retries reached the log at info or above.
    expect(h.logs.filter((l) => l.component === 'bolt-socket-mode' && Number(l.level) >= 30)).toEqual([]);

    socketOf(h).setReachable(true);
    await socketOf(h).waitForConnections(1, 20_000);
    await eventually(
      async () => expect(await readyz(h)).toEqual({ status: 200, body: { ready: true } }),
      'ready',
    );
    expect(linesSaying(h, /Slack reached again/)).toHaveLength(1);
    expect(linesSaying(h, /Slack cannot be reached/)).toHaveLength(1);
    expect(h.emulator.calls.length).toBeGreaterThanOrEqual(attempts);
    await stillAnswers(h);
  });
});

describe('envelopes Slack would not send', () => {
  const harness = useHarness({ mode: 'socket' });

  it.each([
    ['an unknown type', { envelope_id: 'e-unknown', type: 'telepathy', payload: { type: 'x' } }],
    ['an event without its payload', { envelope_id: 'e-no-payload', type: 'events_api' }],
    ['an event whose payload has no event', { envelope_id: 'e-no-event', type: 'events_api', payload: {} }],
    [
      'a slash command whose payload is not an object',
      { envelope_id: 'e-text', type: 'slash_commands', payload: 'hi' },
    ],
    [
      'an interaction of a type nobody listens to',
      { envelope_id: 'e-odd', type: 'interactive', payload: { type: 'odd' } },
    ],
    [
      'a slash command with none of the fields Slack sends',
      { envelope_id: 'e-bare', type: 'slash_commands', payload: { command: '/engagement' } },
    ],
  ])('acks %s, logs it, and keeps working', async (_what, envelope) => {
    const h = harness.current;
    const warnings = () => h.logs.filter((l) => Number(l.level) >= 40).length;
    const before = warnings();
    const reply = await socketOf(h).sendRaw(envelope);
    await h.app.idle();
    expect(reply).toMatchObject({ status: 200 });
    await eventually(() => expect(warnings()).toBeGreaterThan(before), 'logged');
    // Nothing was done with it.
    expect(await listEvents(h.db, TEAM_ID)).toEqual([]);
    expect(
      h.emulator.calls.filter((c) => c.method !== 'apps.connections.open' && c.method !== 'auth.test'),
    ).toEqual([]);
    await stillAnswers(h);
  });

  it('ignores a message that is not JSON, and keeps working', async () => {
    const h = harness.current;
    await socketOf(h).sendRaw('{"envelope_id": ');
    await eventually(() => expect(linesSaying(h, /not JSON/)).toHaveLength(1), 'logged');
    await stillAnswers(h);
  });
});
