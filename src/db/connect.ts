import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { prepareSchemaTemplate, startEmbeddedPostgres, type Schema } from './embedded-server.js';
import { migrateToLatest, migrationsKey } from './migrate.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: 'postgres' | 'embedded';
  /** A Postgres URL other processes on this machine can use (the embedded one is served on loopback). */
  readonly url: string;
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `cannot reach the database at ${redactUrl(url)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'DatabaseUnreachableError';
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = 'redacted';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

// `date` as the calendar date it is (pg would make a Date at local midnight), bigint counts and ids
// as exact values: counts become numbers, ids stay strings.
const DATE_OID = 1082;
const DATE_ARRAY_OID = 1182;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
function typeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === DATE_OID) return (v) => v;
  if (oid === DATE_ARRAY_OID) return (v) => (v === '{}' ? [] : v.slice(1, -1).split(','));
  if (oid === NUMERIC_OID) return (v) => Number(v);
  if (oid === INT8_OID) return (v) => v;
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

export interface ConnectOptions {
  /** A Postgres URL; absent → the embedded database in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  /**
   * A new embedded database starts with Steward's tables, copied from a template migrated at
   * `npm install` (`prepareEmbeddedTemplate`) where there is one for these migrations; otherwise
   * empty, for the migrations to create them. `npm start` asks for it.
   */
  migrated?: boolean;
}

/** Connects to Postgres, or starts the embedded database and connects to it the same way. */
export async function openDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openEmbedded(options.dataDir ?? './data', options.poolSize ?? 10, {
    migrated: options.migrated ?? false,
  });
}

/** Steward's tables, as the migrations make them: what a migrated template holds. */
async function migratedSchema(): Promise<Schema> {
  return {
    key: await migrationsKey(),
    async apply(url) {
      const handle = await connectPostgres(url, 1);
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
    },
  };
}

/** Makes the embedded database's template of the current migrations, unless there is one. */
export async function prepareEmbeddedTemplate(): Promise<void> {
  await prepareSchemaTemplate(await migratedSchema());
}

export async function connectPostgres(
  url: string,
  poolSize = 10,
  kind: 'postgres' | 'embedded' = 'postgres',
) {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
    connectionTimeoutMillis: 10_000,
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnreachableError(url, error);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind, url, close: () => db.destroy() } satisfies DatabaseHandle;
}

/**
 * The embedded default: a PostgreSQL server of Steward's own, its files in `dataDir/postgres`,
 * started as a child process on a loopback port and stopped with Steward (see embedded-server.ts).
 * `memory://` is a throwaway one, removed on close (tests, benchmarks, the page test).
 *
 * Only one process runs the server of a data directory, so the first takes a lock file naming its
 * address; a second Steward process on the same directory (`npm run job` beside a running
 * `npm start`) connects to that address instead.
 */
export async function openEmbedded(
  dataDir: string,
  poolSize = 10,
  options: { migrated?: boolean } = {},
): Promise<DatabaseHandle> {
  const throwaway = dataDir === 'memory://';
  let lock: EmbeddedLock | undefined;
  if (!throwaway) {
    await mkdir(dataDir, { recursive: true });
    const taken = await takeLock(path.join(dataDir, 'steward.lock'));
    if ('servedAt' in taken) return connectPostgres(taken.servedAt, poolSize, 'embedded');
    lock = taken;
  }
  try {
    const server = await startEmbeddedPostgres({
      ...(throwaway ? {} : { clusterDir: path.join(path.resolve(dataDir), 'postgres') }),
      ...(options.migrated ? { schema: await migratedSchema() } : {}),
    });
    try {
      await lock?.announce(server.url);
      const handle = await connectPostgres(server.url, poolSize, 'embedded');
      return {
        ...handle,
        async close() {
          await handle.close();
          await server.stop();
          await lock?.release();
        },
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

interface EmbeddedLock {
  announce(url: string): Promise<void>;
  release(): Promise<void>;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function takeLock(file: string): Promise<EmbeddedLock | { servedAt: string }> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      // It will hold the server's address, password included: for this user's eyes only.
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, url: null }));
      await handle.close();
      return {
        announce: (url) => writeLock(file, { pid: process.pid, url }),
        release: () => rm(file, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readLock(file);
    if (!holder && attempt < 20) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // being written right now
      continue;
    }
    if (holder && isAlive(holder.pid)) {
      if (holder.url) return { servedAt: holder.url };
      await new Promise((resolve) => setTimeout(resolve, 200)); // it is still starting up
      continue;
    }
    await rm(file, { force: true }); // left by a process that died: take over
  }
  throw new Error(
    `the embedded database in ${path.dirname(file)} is held by another process that never finished starting`,
  );
}

async function readLock(file: string): Promise<{ pid: number; url: string | null } | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as { pid: number; url: string | null };
  } catch {
    return undefined;
  }
}

async function writeLock(file: string, content: { pid: number; url: string }): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  await handle.writeFile(JSON.stringify(content));
  await handle.close();
}
