import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connectPostgres } from '../../src/db/connect.js';
import { migrateToLatest, pendingMigrations } from '../../src/db/migrate.js';
import { testDatabaseKind, workerDatabaseUrl } from '../support/db.js';

describe('migrations', () => {
  it('leave nothing pending on the test database', async () => {
    const handle = await connectPostgres(workerDatabaseUrl(), 2);
    try {
      expect(await pendingMigrations(handle.db)).toEqual([]);
      expect(await migrateToLatest(handle.db)).toEqual({ applied: [] });
    } finally {
      await handle.close();
    }
  });

  it.runIf(testDatabaseKind() === 'postgres')(
    'create the schema on an empty database, and two processes migrating at once is harmless',
    async () => {
      const adminUrl = process.env.TEST_DATABASE_URL!;
      const name = `steward_migrate_${randomBytes(4).toString('hex')}`;
      const admin = await connectPostgres(adminUrl, 1);
      await sql`create database ${sql.id(name)}`.execute(admin.db);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const [a, b] = await Promise.all([
        connectPostgres(url.toString(), 2),
        connectPostgres(url.toString(), 2),
      ]);
      try {
        const results = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
        // One process applied everything; the other waited on the lock and found nothing to do.
        expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
        expect(results.filter((r) => r.applied.length === 0)).toHaveLength(1);
        expect(await pendingMigrations(a.db)).toEqual([]);
        const tables = await sql<{ table_name: string }>`
          select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
          a.db,
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(
          expect.arrayContaining([
            'engagements',
            'events',
            'members',
            'milestones',
            'outbox',
            'plan_templates',
            'proposals',
            'teams',
            'time_away',
          ]),
        );
        expect(await migrateToLatest(b.db)).toEqual({ applied: [] });
      } finally {
        await a.close();
        await b.close();
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
        await admin.close();
      }
    },
    // Every migration on a new database, twice over, with the whole suite running beside it: a
    // loaded machine has taken over 20 s. Not a speed test.
    120_000,
  );
});
