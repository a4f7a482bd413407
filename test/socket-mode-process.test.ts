// Socket Mode as it is started in production: `src/main.ts` as its own process with an app-level
// token. /readyz says whether envelopes can arrive (503 before the first connection and while it is
// down, 200 once open); the log says once that Slack cannot be reached and once that it is back;
// SIGTERM closes the socket and the process exits 0.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../src/sandbox/slack-emulator.js';
import { useTestDatabase } from './support/db.js';

const tsx = path.resolve('node_modules/.bin/tsx');
const APP_TOKEN = 'xapp-1-A0APP-process-test';
const database = useTestDatabase();

let log = () => '';

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const status = async (url: string) => (await fetch(`${url}/readyz`)).status;

describe('a Socket Mode process', () => {
  let emulator: SlackEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('is ready only while connected, says so once each way, and exits 0 on SIGTERM', async () => {
    emulator = await SlackEmulator.start({
      signingSecret: 'unused-in-socket-mode',
      socketMode: { appToken: APP_TOKEN },
    });
    const socket = emulator.socketMode!;
    // Slack cannot be reached when the process starts: it must not claim to be ready.
    socket.setReachable(false);
    const child = spawn(tsx, ['src/main.ts'], {
      env: {
        PATH: process.env.PATH!,
        DATABASE_URL: database.url,
        SLACK_API_URL: emulator.apiUrl,
        SLACK_BOT_TOKEN: emulator.identity.botToken,
        SLACK_APP_TOKEN: APP_TOKEN,
        PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    log = () => output;
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      let url = '';
      await until('the process to listen', () => {
        const line = output.split('\n').find((l) => l.includes('steward is running'));
        if (line) url = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
        return url !== '';
      });
      const saying = (pattern: RegExp) => output.split('\n').filter((l) => pattern.test(l)).length;

      expect(await status(url)).toBe(503);
      await until('the unreachable line', () => saying(/Slack cannot be reached/) > 0);

      socket.setReachable(true);
      await socket.waitForConnections(1, 20_000);
      await until('ready', async () => (await status(url)) === 200);

      socket.setReachable(false);
      await until('not ready while down', async () => (await status(url)) === 503);
      await until('the second unreachable line', () => saying(/Slack cannot be reached/) === 2);
      socket.setReachable(true);
      await until('ready again', async () => (await status(url)) === 200);
      await until('the second back line', () => saying(/Slack reached again/) === 2);
      expect(saying(/Slack cannot be reached/)).toBe(2);

      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      await until('the socket to close', () => socket.connections === 0, 5_000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
