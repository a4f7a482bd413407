import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openEmbedded } from '../../src/db/connect.js';
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
});
