import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { Db } from './connect.js';

// Any fixed number: every Steward process migrating the same database takes this lock first.
const MIGRATION_LOCK = 7_260_115_001;

/** migrations/ beside src/, whether running the TypeScript (tsx) or the compiled dist/ tree. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Loads `migrations/*.ts|js` by file name; the name (its ISO timestamp) orders them. */
export class MigrationFolder implements MigrationProvider {
  constructor(private readonly dir: string = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'));
    const migrations: Record<string, Migration> = {};
    for (const file of files.sort()) {
      const name = file.replace(/\.(ts|js)$/, '');
      // Relative to this file, spelled as a pattern a bundler can follow: npm start's bundle
      // carries every migration in the folder.
      migrations[name] = (
        this.dir === MIGRATIONS_DIR
          ? await import(`../../migrations/${file}`)
          : await import(pathToFileURL(path.join(this.dir, file)).href)
      ) as Migration;
    }
    return migrations;
  }
}

/** Changes whenever a migration is added, removed, renamed or edited. */
export async function migrationsKey(dir: string = MIGRATIONS_DIR): Promise<string> {
  const hash = createHash('sha256');
  for (const file of (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f)).sort())
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(dir, file)))
      .update('\0');
  return hash.digest('hex');
}

export interface MigrateOutcome {
  applied: string[];
}

/**
 * Applies pending migrations under a session advisory lock, so replicas starting together take
 * turns: the first applies, the others find nothing left to do. Kysely's own lock table would
 * also serialise them, but the advisory lock covers our pre-checks too and never leaves a row behind.
 */
export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      const migrator = new Migrator({ db: conn, provider: new MigrationFolder() });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return {
        applied: (results ?? [])
          .filter((r: MigrationResult) => r.status === 'Success')
          .map((r) => r.migrationName),
      };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}

/** Readiness: the database answers and no migration is pending. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new MigrationFolder() });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
