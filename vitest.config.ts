import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Playwright specs (tests/e2e/**/*.spec.ts) belong to Playwright's runner, not vitest.
    // The renderer's component tests (tests/renderer/*.test.tsx) pick happy-dom per file with a
    // `// @vitest-environment happy-dom` docblock; every other file runs on plain Node.
    include: ['tests/**/*.test.{ts,tsx}'],
    // Provides a MariaDB/MySQL server (local, TEST_MYSQL_URL, or a throwaway mariadbd).
    globalSetup: 'tests/support/global-setup.ts',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // better-sqlite3 and mysql2 hold native handles and sockets: processes isolate them more
    // reliably than worker threads.
    pool: 'forks',
    // Three forks for 2 cores: many files spend much of their time waiting on I/O (MariaDB, the
    // simulators over HTTP, spawned command lines), and a third fork keeps both cores busy
    // meanwhile (measured on 2 cores: 210 s with 2 forks, 107 s with 3).
    maxWorkers: 3,
  },
})
