import { defineConfig } from '@playwright/test'

/**
 * The packaged Linux app (electron-builder's `linux-unpacked` folder) driven by Playwright's
 * `_electron` under xvfb: run by the release workflow (.github/workflows/release.yml) after
 * packing, never by `npm test` (the root playwright.config.ts only reads tests/e2e, vitest only
 * `*.test.ts`). It lives here, not at the root, so the root tsconfig (tests/**) and lint cover it.
 *
 *   xvfb-run -a npx playwright test -c tests/packaged/playwright.packaged.config.ts
 *
 * PACKAGED_APP names the executable (default: dist-packaged-test/linux-unpacked/purchase-sender).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/packaged',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
})
