import { randomBytes } from 'node:crypto';
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
