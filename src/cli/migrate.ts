// `npm run migrate`: applies pending migrations to the configured database and exits.
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';

try {
  const config = loadConfig(process.env);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    const { applied } = await migrateToLatest(database.db);
    process.stdout.write(
      applied.length > 0
        ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n`
        : 'the database is up to date\n',
    );
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError)
    for (const problem of error.problems) process.stderr.write(`steward: ${problem}\n`);
  else process.stderr.write(`steward: ${(error as Error).message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
