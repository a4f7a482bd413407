import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDatabaseKind } from './support/db.js';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');

async function steward(script: string, env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(tsx, [script], {
      env: { PATH: process.env.PATH!, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the command line', () => {
  it.runIf(testDatabaseKind() === 'embedded')(
    'stops with one clear line naming a malformed DATABASE_URL',
    async () => {
      const result = await steward('src/main.ts', { DATABASE_URL: 'nonsense' });
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^steward: DATABASE_URL must be a Postgres URL/),
      ]);
    },
  );

  it.runIf(testDatabaseKind() === 'embedded')(
    'npm run migrate creates the embedded database and running it again is harmless',
    async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'steward-migrate-'));
      try {
        const first = await steward('src/cli/migrate.ts', { DATA_DIR: dataDir });
        expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^applied \d+ migration/) });
        const second = await steward('src/cli/migrate.ts', { DATA_DIR: dataDir });
        expect(second).toMatchObject({ code: 0, stdout: 'the database is up to date\n' });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it.runIf(testDatabaseKind() === 'embedded')(
    'npm start runs its bundle of the sources: migrations applied, the sandbox page served, SIGTERM ends it',
    async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'steward-start-'));
      const child = spawn(process.execPath, ['scripts/start.mjs'], {
        env: { PATH: process.env.PATH!, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        const address = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const found = /Steward sandbox[^:]*: (http:\/\/\S+)/.exec(out);
            if (found) resolve(found[1]!);
          });
          child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
        });
        const page = await fetch(address);
        expect(page.status).toBe(200);
        expect(await page.text()).toMatch(/<html/i);
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
