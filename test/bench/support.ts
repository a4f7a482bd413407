import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { connectPostgres, openEmbedded, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** One printed figure: the ratio to its target or baseline comes first, so a glance down the column says it all. */
export interface Figure {
  readonly ratio: number | null;
  readonly text: string;
}

export const figure = (ratio: number | null, text: string): Figure => ({ ratio, text });

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;
export const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

export const BENCH_POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated Postgres database for one benchmark, dropped by `close()`. */
export async function freshPostgres(): Promise<DatabaseHandle> {
  const name = `steward_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), 10);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A fresh, migrated embedded database (in memory). */
export async function freshEmbedded(): Promise<DatabaseHandle> {
  const handle = await openEmbedded('memory://', 10);
  await migrateToLatest(handle.db);
  return handle;
}

export interface TreeMemory {
  /** Resident memory summed over the processes: pages they share (PostgreSQL's shared buffers) count in each. */
  readonly rss: number;
  /** Proportional: each shared page divided among the processes sharing it, so the sum is what they take together. */
  readonly pss: number;
  readonly processes: number;
  /** CPU time the processes used so far, their waited-for children's (initdb) included. */
  readonly cpuMs: number;
}

/** Memory of a process and all its descendants (the embedded PostgreSQL server and its workers), on Linux. */
export function treeMemory(root: number): TreeMemory {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the ppid is the second field after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      // utime, stime, cutime, cstime, in clock ticks (100 a second on Linux).
      cpu.set(Number(entry), [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let rss = 0;
  let pss = 0;
  let processes = 0;
  let cpuMs = 0;
  const visit = (pid: number) => {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      processes++;
      cpuMs += cpu.get(pid) ?? 0;
    } catch {
      // gone meanwhile
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return { rss, pss, processes, cpuMs };
}
