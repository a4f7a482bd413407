import type { TestProject } from 'vitest/node';
import { MAX_WORKERS } from '../../vitest.config.js';
import { startTestDatabases } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One migrated, empty database URL per worker (index = VITEST_POOL_ID − 1). */
    databaseUrls: string[];
  }
}

export default async function setup(project: TestProject) {
  const kind = project.name === 'postgres' ? 'postgres' : 'embedded';
  const databases = await startTestDatabases(kind, MAX_WORKERS);
  project.provide('databaseUrls', databases.urls);
  return () => databases.stop();
}
