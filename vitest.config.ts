import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Browser tests need Debian's Chromium; .ci/run installs it, a laptop may not have it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserTests = existsSync(CHROMIUM);
if (!browserTests && !process.env.PINTU_BROWSER_SKIP_SAID) {
  // One visible line instead of tests that silently vanish (the config is read once per project: say it once).
  process.env.PINTU_BROWSER_SKIP_SAID = '1';
  // eslint-disable-next-line no-console -- the one line that says the browser tests did not run
  console.warn(
    `browser tests (test/e2e) skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a screen or a worker does next; 1 s (the default) is too short on a loaded CI box.
    expect: { poll: { timeout: 10_000 } },
    // Each integration file gets its own database and Redis prefix, so files run in parallel safely.
    fileParallelism: true,
    projects: [
      {
        // Pure code: no PostgreSQL, no Redis, no browser (`npm run test:unit`).
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // Everything that talks to PostgreSQL and Redis; the global setup builds one migrated template database.
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', ...(browserTests ? [] : ['test/e2e/**'])],
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/one-statement-per-connection.ts'],
        },
      },
    ],
  },
});
