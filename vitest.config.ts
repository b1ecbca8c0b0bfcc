import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // MikroORM 7 needs the Node 20 shim in every worker (see server/compat/node20.mjs).
    execArgv: ['--import', './server/compat/node20.mjs'],
  },
});
