import { defineConfig } from 'vitest/config';

// The suite runs on the embedded database always, and on a real Postgres too when
// TEST_DATABASE_URL is set (CI sets it). Each project gets one database per worker.
export const MAX_WORKERS = 2;

const databases = ['embedded', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

// Tests that never touch the database run once, in the embedded project.
const databaseFree = [
  'test/domain/**',
  'test/sandbox/emulator-files.test.ts',
  'test/sandbox/socket-mode.test.ts',
  'test/sandbox/emulator/**',
  'test/sandbox/seed.test.ts',
  'test/sandbox/page/**',
  'test/sandbox/restart.test.ts',
  'test/config.test.ts',
  'test/logger.test.ts',
  'test/dockerfile.test.ts',
  'test/manifest.test.ts',
  'test/slack/blocks/**',
  'test/slack/commands/parse.test.ts',
  'test/slack/bolt-logger.test.ts',
];

export default defineConfig({
  test: {
    maxWorkers: MAX_WORKERS,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: databases.map((database) => ({
      extends: true,
      test: {
        name: database,
        include: ['test/**/*.test.ts'],
        globalSetup: ['test/support/global-setup.ts'],
        env: { STEWARD_TEST_DATABASE: database },
        ...(database === 'postgres' ? { exclude: databaseFree } : {}),
      },
    })),
  },
});
