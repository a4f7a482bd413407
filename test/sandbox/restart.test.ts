// A sandbox restart resumes where it was: the database keeps its state, and so do the channels,
// the DMs and the clock, kept in the data directory beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startSteward } from '../../src/main.js';
import { testDatabaseKind } from '../support/db.js';

const START = new Date('2026-12-07T08:00:00Z');

interface State {
  clock: { now: string };
  messages: Record<string, { text: string }[]>;
  ephemerals: { text: string }[];
}

describe.runIf(testDatabaseKind() === 'embedded')('the sandbox across a restart', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'steward-sandbox-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const logger = createLogger({ level: 'silent' });
  const api = (port: number, action: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${port}/sandbox/api/${action}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    }).then((r) => r.json() as Promise<State>);

  it('keeps the channels, the DMs and the clock', async () => {
    const first = await startSteward(config, { logger, now: () => START, schedule: false });
    await api(first.port, 'command', {
      userId: 'U0ANA',
      channelId: 'C0ROTATION',
      text: '/engagement team add @ben',
    });
    await api(first.port, 'command', { userId: 'U0ANA', channelId: 'C0ACME', text: 'Hello Acme' });
    // The clock moves once the bot has answered: the reply to the command is there, not an error
    // from a response_url that expired while the clock jumped a day.
    await api(first.port, 'advance-clock', {});
    const before = await api(first.port, 'state');
    expect(before.ephemerals.map((e) => e.text).join('\n')).toMatch(/ben/i);
    expect(before.ephemerals.map((e) => e.text).join('\n')).not.toMatch(/went wrong/);
    await first.stop();

    const second = await startSteward(config, { logger, schedule: false });
    try {
      const after = await api(second.port, 'state');
      expect(after.messages.C0ACME?.map((m) => m.text)).toEqual(['Hello Acme']);
      expect(after.ephemerals.map((e) => e.text)).toEqual(before.ephemerals.map((e) => e.text));
      expect(after.ephemerals.length).toBeGreaterThan(0);
      // The clock goes on from where it stood, never back to today.
      expect(Date.parse(after.clock.now)).toBeGreaterThanOrEqual(Date.parse(before.clock.now));
      expect(Date.parse(after.clock.now) - Date.parse(before.clock.now)).toBeLessThan(60 * 60_000);
    } finally {
      await second.stop();
    }
  }, 180_000);
});
