import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../../src/db/connect.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-server.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface TestDatabases {
  urls: string[];
  stop(): Promise<void>;
}

/**
 * Migrated, empty databases for a test run, one per worker, so workers never see each other's rows:
 * each created from a migrated template and dropped afterwards. Embedded: on a throwaway server of
 * the embedded kind, started for the run; Postgres: on the server TEST_DATABASE_URL names.
 */
export async function startTestDatabases(
  kind: 'embedded' | 'postgres',
  count: number,
): Promise<TestDatabases> {
  if (kind === 'postgres') return startPostgres(process.env.TEST_DATABASE_URL!, count);
  const server = await startEmbeddedPostgres();
  try {
    const databases = await startPostgres(server.url, count);
    return { urls: databases.urls, stop: async () => (await databases.stop(), await server.stop()) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function startPostgres(adminUrl: string, count: number): Promise<TestDatabases> {
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
