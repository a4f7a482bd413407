import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { openEmbedded } from '../../src/db/connect.js';
import { prepareSchemaTemplate, startEmbeddedPostgres, type Schema } from '../../src/db/embedded-server.js';
import { testDatabaseKind } from '../support/db.js';

describe.runIf(testDatabaseKind() === 'embedded')('the embedded database', () => {
  it('is opened by one process; a second one on the same data directory connects to the first', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'steward-embedded-'));
    const first = await openEmbedded(dataDir, 2);
    try {
      await sql`create table notes (body text)`.execute(first.db);
      const second = await openEmbedded(dataDir, 2);
      expect(second.url).toBe(first.url);
      await sql`insert into notes values ('seen by both')`.execute(second.db);
      await second.close();
      const rows = await sql<{ body: string }>`select body from notes`.execute(first.db);
      expect(rows.rows).toEqual([{ body: 'seen by both' }]);
    } finally {
      await first.close();
      expect(existsSync(path.join(dataDir, 'steward.lock'))).toBe(false);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps concurrent connections apart: transactions and parameterised queries interleave safely', async () => {
    const handle = await openEmbedded('memory://', 6);
    try {
      await sql`create table tally (worker int, n int)`.execute(handle.db);
      const errors: unknown[] = [];
      const worker = async (id: number) => {
        for (let i = 0; i < 40; i++) {
          try {
            if (id % 2 === 0) {
              await handle.db.transaction().execute(async (trx) => {
                await sql`insert into tally values (${id}, ${i})`.execute(trx);
                await sql`select count(*) from tally where worker = ${id}`.execute(trx);
              });
            } else {
              await sql`select ${id}::int + ${i}::int as sum`.execute(handle.db);
            }
          } catch (error) {
            errors.push(error);
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
      expect(errors).toEqual([]);
      const rows = await sql<{ n: string }>`select count(*) as n from tally`.execute(handle.db);
      expect(Number(rows.rows[0]?.n)).toBe(3 * 40);
    } finally {
      await handle.close();
    }
  }, 60_000);

  it('starts a new data directory from the template of its schema where one was prepared, from the empty one otherwise; an existing one is left as it is', async () => {
    // Two data directories, as two checkouts would have.
    const first = await mkdtemp(path.join(tmpdir(), 'steward-embedded-'));
    const second = await mkdtemp(path.join(tmpdir(), 'steward-embedded-'));
    const tables = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>(
          `select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
        );
        return rows.map((r) => r.name);
      } finally {
        await client.end();
      }
    };
    const schema = (key: string, table: string): Schema => ({
      key,
      async apply(url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`create table ${table} (id int)`);
        await client.end();
      },
    });
    const key = `test-${randomBytes(8).toString('hex')}`;
    const prepared = schema(key, 'prepared_table');
    let template: string | undefined;
    try {
      template = await prepareSchemaTemplate(prepared);
      expect(await prepareSchemaTemplate(prepared)).toBe(template); // made once

      const fromTemplate = await startEmbeddedPostgres({
        clusterDir: path.join(first, 'postgres'),
        schema: prepared,
      });
      expect(await tables(fromTemplate.url)).toEqual(['prepared_table']);
      await client(fromTemplate.url, `insert into prepared_table values (1)`);
      await fromTemplate.stop();

      // Other migrations: never the template of these.
      const other = schema(`test-${randomBytes(8).toString('hex')}`, 'other_table');
      const empty = await startEmbeddedPostgres({
        clusterDir: path.join(second, 'postgres'),
        schema: other,
      });
      expect(await tables(empty.url)).toEqual([]);
      await empty.stop();

      // Reopened, a cluster keeps what it holds whatever template exists now.
      const reopened = await startEmbeddedPostgres({
        clusterDir: path.join(first, 'postgres'),
        schema: other,
      });
      expect(await tables(reopened.url)).toEqual(['prepared_table']);
      expect(await rowCount(reopened.url, 'prepared_table')).toBe(1);
      await reopened.stop();
    } finally {
      if (template) await rm(template, { recursive: true, force: true });
      await rm(first, { recursive: true, force: true });
      await rm(second, { recursive: true, force: true });
    }
  }, 120_000);
});

async function client(url: string, query: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

async function rowCount(url: string, table: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}
