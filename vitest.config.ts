import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Browser tests need Debian's Chromium; .ci/run installs it, a laptop may not have it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: existsSync(CHROMIUM) ? [] : ['test/e2e/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a screen or a worker does next; 1 s (the default) is too short on a loaded CI box.
    expect: { poll: { timeout: 10_000 } },
    // Each file gets its own database and Redis prefix, so files run in parallel safely.
    fileParallelism: true,
  },
});
