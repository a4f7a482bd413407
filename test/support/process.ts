// Steward as its own process, as it runs in production: `src/main.ts`, or a job from the command
// line, with nothing but its environment. Run by node itself with tsx as a loader (as `npm start`
// does), so that a signal reaches the app and a kill leaves no process behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

export interface StewardProcess {
  readonly child: ChildProcess;
  /** Everything it wrote, stdout and stderr together. */
  output(): string;
  /** Its log lines that match. */
  linesSaying(pattern: RegExp): string[];
  /** Resolves with the exit code once it has exited. */
  readonly exit: Promise<number | null>;
  /** Resolves with `http://127.0.0.1:<port>` once it logs that it is running. */
  readonly listening: Promise<string>;
}

/** Processes started here are killed after each test, whatever happened in it. */
export function useProcesses(): { start(env: NodeJS.ProcessEnv, args?: string[]): StewardProcess } {
  const started: StewardProcess[] = [];
  afterEach(async () => {
    const left = started.splice(0).filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of left) p.child.kill('SIGKILL');
    await Promise.all(left.map((p) => p.exit));
  });
  return {
    start(env, args = ['src/main.ts']) {
      const p = startProcess(env, args);
      started.push(p);
      return p;
    },
  };
}

function startProcess(env: NodeJS.ProcessEnv, args: string[]): StewardProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('steward is running'));
      if (line) resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
    void exit.then((code) => reject(new Error(`it exited (${code}) before listening:\n${output}`)));
  });
  // Nobody may wait on it (a job): an exit is then no error of its own.
  listening.catch(() => {});
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    linesSaying: (pattern) => output.split('\n').filter((l) => pattern.test(l)),
    exit,
    listening,
  };
}

/**
 * Polls `check` until it gives a value (or true); fails with `what` after `ms`. A process on a busy
 * machine is slow, so tests wait on what they need to see, never for a fixed time.
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves like `promise`, or fails with `what` after `ms`. */
export function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
