// What a newcomer meets: `npm start` with no Slack credentials on a new data directory, until the
// sandbox page is served; then the same directory started again, and its memory once idle. What
// `npm install` did before (its `prepare` script: the bundle, the embedded database's template) is
// done first and not timed.
//
//   npx tsx test/bench/first-start.ts        # also a suite of `npm run bench`
//
// Steward is started with the command line of `npm start` (package.json's script, without npm's
// own process), and its memory is summed over every process it runs: Node, and the embedded PostgreSQL
// server with its workers. RSS counts the pages they share (the server's shared buffers) once in each process;
// PSS divides them among the processes, so its sum is what Steward takes from the machine.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { figure, mb, treeMemory, type Figure, type TreeMemory } from './support.js';

const FIRST_START_MS = 2000;
const PEAK_MB = 450;
const IDLE_MB = 300;
/** How long a started Steward is left alone before its idle memory is read. */
const SETTLE_MS = 5000;

const SCRIPTS = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string; prepare: string };
  }
).scripts;
/** `npm start`'s command line (`node …`), from package.json; and `npm install`'s `prepare`. */
const START_ARGS = SCRIPTS.start.split(' ').slice(1);
const PREPARE_ARGS = SCRIPTS.prepare.split(' ').slice(1);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function prepare(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, PREPARE_ARGS, {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`prepare exited with ${code}`))));
  });
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Start {
  servedMs: number;
  /** CPU time of all of Steward's processes until the page was served: what the wall time is on an idle machine. */
  cpuMs: number;
  peak: TreeMemory;
  idle: TreeMemory;
  processes: number;
}

const max = (a: TreeMemory, b: TreeMemory): TreeMemory => ({
  rss: Math.max(a.rss, b.rss),
  pss: Math.max(a.pss, b.pss),
  processes: Math.max(a.processes, b.processes),
  cpuMs: Math.max(a.cpuMs, b.cpuMs),
});

async function start(dataDir: string): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const steward = spawn(process.execPath, START_ARGS, {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: os.tmpdir(), DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => steward.once('exit', resolve));
  let peak: TreeMemory = { rss: 0, pss: 0, processes: 0, cpuMs: 0 };
  const sample = () => (peak = max(peak, treeMemory(steward.pid!)));
  const sampling = setInterval(sample, 25);
  try {
    let servedMs: number | undefined;
    while (servedMs === undefined) {
      if (steward.exitCode !== null) throw new Error(`Steward exited with ${steward.exitCode}`);
      if (performance.now() - t0 > 120_000)
        throw new Error('Steward did not serve its page within 2 minutes');
      const page = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      if (page?.ok) servedMs = performance.now() - t0;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const { processes, cpuMs } = treeMemory(steward.pid!);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    sample();
    return { servedMs, cpuMs, peak, idle: treeMemory(steward.pid!), processes };
  } finally {
    clearInterval(sampling);
    steward.kill('SIGTERM');
    await exited;
  }
}

const both = (m: TreeMemory) => `${mb(m.rss)} RSS (${mb(m.pss)} PSS)`;

export async function bench(): Promise<Figure[]> {
  await prepare();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-first-start-'));
  try {
    const first = await start(dataDir);
    const again = await start(dataDir);
    return [
      figure(
        first.servedMs / FIRST_START_MS,
        `first start (npm start, a new data directory, to the sandbox page served): ${(first.servedMs / 1000).toFixed(2)} s ` +
          `against ${FIRST_START_MS / 1000} s, using ${(first.cpuMs / 1000).toFixed(2)} s of CPU over ${first.processes} processes ` +
          `(the wall time exceeds the CPU time only when other work shares the machine)`,
      ),
      figure(
        first.peak.rss / (PEAK_MB * 2 ** 20),
        `  first start's peak memory over all of Steward's processes: ${both(first.peak)} against ${PEAK_MB} MB`,
      ),
      figure(
        again.idle.rss / (IDLE_MB * 2 ** 20),
        `  reopened: served in ${(again.servedMs / 1000).toFixed(2)} s (CPU ${(again.cpuMs / 1000).toFixed(2)} s); idle ${both(again.idle)} against ${IDLE_MB} MB ` +
          `(read ${SETTLE_MS / 1000} s after the page was served); peak ${both(again.peak)}`,
      ),
    ];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await bench())
    console.log(`${f.ratio === null ? '   -  ' : f.ratio.toFixed(2).padStart(6)}  ${f.text}`);
  process.exit(0);
}
