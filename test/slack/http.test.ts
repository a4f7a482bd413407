// The HTTP contract: health and readiness, Slack's signatures checked (401 otherwise), and the ack
// of `/engagement new` sent before anything slow.
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeGracefully, healthServer } from '../../src/slack/http.js';
import { signSlackRequest } from '../../src/sandbox/slack-emulator.js';
import { CHANNELS, PEOPLE, SIGNING_SECRET, TEAM_ID, useHarness } from '../support/app.js';

const commandBody = new URLSearchParams({
  team_id: TEAM_ID,
  channel_id: CHANNELS.rotation,
  user_id: PEOPLE.lead,
  command: '/engagement',
  text: 'help',
  response_url: 'http://127.0.0.1:9/response',
  trigger_id: 'trigger',
}).toString();
const FORM = 'application/x-www-form-urlencoded' as const;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('health and readiness', () => {
  const harness = useHarness();

  it('answers /healthz and /readyz with 200 when up and ready', async () => {
    const h = harness.current;
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });
});

describe('readiness when the database is not ready', () => {
  const harness = useHarness({
    readiness: async () => ({ ready: false, detail: 'pending migrations: 0002' }),
  });

  it('answers /readyz with 503 and the detail, while /healthz stays 200', async () => {
    const h = harness.current;
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, detail: 'pending migrations: 0002' });
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('extra routes (the sandbox page)', () => {
  const harness = useHarness({
    routes: (router) =>
      router.get('/sandbox', (_req, res) => void res.type('text/plain').send('the sandbox page')),
  });

  it('serves them next to /slack/events', async () => {
    const res = await fetch(`${harness.current.baseUrl}/sandbox`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('the sandbox page');
  });
});

describe('the health server of Socket Mode', () => {
  it('answers /healthz, /readyz, /metrics, and 503 while stopping', async () => {
    let stopping = false;
    const registry = { contentType: 'text/plain; version=0.0.4', metrics: async () => 'steward_up 1\n' };
    const server = healthServer(
      async () => ({ ready: true }),
      () => stopping,
      { registry },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('steward_up 1\n');
    stopping = true;
    const draining = await fetch(`${base}/readyz`);
    expect([draining.status, await draining.json()]).toEqual([
      503,
      { ready: false, detail: 'shutting down' },
    ]);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    await closeGracefully(server);
    expect(server.listening).toBe(false);
  });
});

describe('request signatures', () => {
  const harness = useHarness();

  it('accepts a correctly signed request', async () => {
    const reply = await harness.current.emulator.deliver({ body: commandBody, contentType: FORM });
    expect(reply.status).toBe(200);
  });

  it('turns away an unsigned request with 401', async () => {
    const res = await fetch(`${harness.current.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: commandBody,
    });
    expect(res.status).toBe(401);
  });

  it('turns away a badly signed request with 401', async () => {
    const bad = signSlackRequest('not-the-secret', commandBody, nowSeconds());
    const reply = await harness.current.emulator.deliver({
      body: commandBody,
      contentType: FORM,
      signature: bad,
    });
    expect(reply.status).toBe(401);
  });

  it('turns away a body changed after signing with 401', async () => {
    const timestamp = nowSeconds();
    const signature = signSlackRequest(SIGNING_SECRET, commandBody, timestamp);
    const reply = await harness.current.emulator.deliver({
      body: commandBody.replace('help', 'load'),
      contentType: FORM,
      timestamp,
      signature,
    });
    expect(reply.status).toBe(401);
  });

  it('turns away a replayed request signed 6 minutes ago with 401', async () => {
    const reply = await harness.current.emulator.deliver({
      body: commandBody,
      contentType: FORM,
      timestamp: nowSeconds() - 6 * 60,
    });
    expect(reply.status).toBe(401);
    expect(harness.current.emulator.ephemerals(PEOPLE.lead)).toEqual([]);
  });
});

describe('the ack of /engagement new', () => {
  const SLOW_MS = 1500;
  const harness = useHarness({ delays: { 'users.info': SLOW_MS } });

  it('reaches Slack before the slow users.info, and the modal opens after it', async () => {
    const h = harness.current;
    const started = Date.now();
    // The lead has never been seen: recognising them needs users.info, which is slow.
    const reply = await h.emulator.slashCommand(PEOPLE.lead, CHANNELS.rotation, '/engagement', 'new');
    const ackedAfter = Date.now() - started;
    expect(reply.status).toBe(200);
    expect(ackedAfter).toBeLessThan(SLOW_MS / 3);
    expect(h.emulator.callsTo('views.open')).toEqual([]);

    await h.app.idle();
    const [opened] = h.emulator.callsTo('views.open');
    expect(opened?.response.ok).toBe(true);
    expect(opened!.at - started).toBeGreaterThanOrEqual(SLOW_MS - 50);
    expect(h.modal(PEOPLE.lead)?.callback_id).toBe('engagement.new');
  });
});

describe('stopping', () => {
  const harness = useHarness({ delays: { 'chat.postMessage': 600 } });

  it('finishes the work of requests already in flight, then refuses new ones', async () => {
    const h = harness.current;
    await h.emulator.slashCommand(
      PEOPLE.lead,
      CHANNELS.rotation,
      '/engagement',
      `team add <@${PEOPLE.ana}|ana>`,
    );
    await h.app.idle();
    await h.emulator.slashCommand(PEOPLE.lead, CHANNELS.rotation, '/engagement', 'new');
    await h.app.idle();
    const modal = h.modal(PEOPLE.lead)!;
    // Acked at once; the proposal (a slow chat.postMessage) is still on its way when stop() begins.
    const submitted = await h.emulator.submitView(PEOPLE.lead, modal.id, {
      client: 'Acme',
      channel: CHANNELS.acme,
    });
    expect(submitted.status).toBe(200);
    expect(h.proposals()).toEqual([]);
    await h.app.stop();
    expect(h.proposals()).toHaveLength(1);
    const after = await h.emulator.slashCommand(PEOPLE.lead, CHANNELS.rotation, '/engagement', 'help');
    expect(after.status).toBe(0);
    expect(after.error).toMatch(/ECONNREFUSED/);
  });
});
