import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/server/testing/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database cloned from a migrated template (see testing/db.ts).
    fileParallelism: true,
    // Vitest's default (cores − 1) is a single worker on CI's two cores; two measured 583 s
    // instead of 743 s on PGlite and 394 s instead of 610 s on PostgreSQL (docs/development.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
