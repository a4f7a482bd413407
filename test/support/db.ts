import { sql } from 'kysely';
import { afterAll, beforeEach, inject } from 'vitest';
import { connectPostgres, type Db, type DatabaseHandle } from '../../src/db/connect.js';

/**
 * Every table the migrations made, read from the database itself so a new table is emptied too
 * (a list kept by hand once missed one). Kysely's own bookkeeping stays.
 */
async function appTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_%'
  `.execute(db);
  return rows.map((r) => r.tablename);
}

/** This worker's database URL: its own, migrated once for the run. */
export function workerDatabaseUrl(): string {
  const urls = inject('databaseUrls');
  const index = Number(process.env.VITEST_POOL_ID ?? '1') - 1;
  const url = urls[index % urls.length];
  if (!url) throw new Error('no test database: is test/support/global-setup.ts in the vitest config?');
  return url;
}

export function testDatabaseKind(): 'embedded' | 'postgres' {
  return process.env.STEWARD_TEST_DATABASE === 'postgres' ? 'postgres' : 'embedded';
}

/**
 * A connection to this worker's database, emptied before each test. Files in one worker run one
 * after another, so emptying is safe; workers have databases of their own.
 */
export function useTestDatabase(): { readonly db: Db; readonly url: string } {
  let handle: DatabaseHandle | undefined;
  let tables: string[] | undefined;
  const url = workerDatabaseUrl();
  beforeEach(async () => {
    handle ??= await connectPostgres(url, 4, testDatabaseKind() === 'postgres' ? 'postgres' : 'embedded');
    tables ??= await appTables(handle.db);
    await sql`truncate ${sql.join(tables.map((t) => sql.table(t)))} restart identity cascade`.execute(
      handle.db,
    );
  });
  afterAll(async () => {
    await handle?.close();
  });
  return {
    get db() {
      if (!handle) throw new Error('the test database is ready only inside tests and hooks');
      return handle.db;
    },
    url,
  };
}
