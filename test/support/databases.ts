import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../src/db/connect.js';
import { serveEmbedded } from '../../src/db/embedded-server.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface TestDatabases {
  urls: string[];
  stop(): Promise<void>;
}

/**
 * Migrated, empty databases for a test run, one per worker, so workers never see each other's rows.
 * Embedded: one PGlite initialised and migrated once, then cloned per worker (initdb is the slow part).
 * Postgres: a fresh database per worker, created from a migrated template and dropped afterwards.
 */
export async function startTestDatabases(
  kind: 'embedded' | 'postgres',
  count: number,
): Promise<TestDatabases> {
  return kind === 'postgres' ? startPostgres(count) : startEmbedded(count);
}

async function startEmbedded(count: number): Promise<TestDatabases> {
  const { PGlite } = await import('@electric-sql/pglite');
  const servers: { stop(): Promise<void> }[] = [];
  const urls: string[] = [];
  const serve = async (db: InstanceType<typeof PGlite>) => {
    const server = await serveEmbedded(db, 32);
    urls.push(server.url);
    servers.push({ stop: async () => (await server.stop(), await db.close()) });
  };
  // initdb is the slow part: run it (and the migrations) once, then start the other workers' copies
  // from its files.
  const seed = await PGlite.create();
  await serve(seed);
  const migrator = await connectPostgres(urls[0]!, 2, 'embedded');
  await migrateToLatest(migrator.db);
  await migrator.close();
  const dump = count > 1 ? await seed.dumpDataDir('none') : undefined;
  for (let i = 1; i < count; i++) await serve(await PGlite.create({ loadDataDir: dump }));
  return { urls, stop: async () => void (await Promise.all(servers.map((s) => s.stop()))) };
}

async function startPostgres(count: number): Promise<TestDatabases> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `TEST_DATABASE_URL is set but Postgres does not answer there (${(error as Error).message}). ` +
        `Start it (e.g. pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) ` +
        `or unset TEST_DATABASE_URL to run on the embedded database only.`,
    );
  }
  const run = `steward_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const names = Array.from({ length: count }, (_, i) => `${run}_w${i + 1}`);
  const withDatabase = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  await admin.query(`create database ${run}`);
  const template = await connectPostgres(withDatabase(run), 2);
  await migrateToLatest(template.db);
  await template.close();
  for (const name of names) await admin.query(`create database ${name} template ${run}`);
  return {
    urls: names.map(withDatabase),
    async stop() {
      for (const name of [...names, run]) await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
