/**
 * The packaged app as a user gets it (Linux, electron-builder's unpacked folder): it starts, opens
 * its window on the app:// page under the CSP, reports itself packaged, and renders the three main
 * screens. Needs the packed app and a display (xvfb-run): see playwright.packaged.config.ts.
 *
 * Playwright's `_electron` passes --inspect to the app, which the shipped fuse
 * (enableNodeCliInspectArguments: false) refuses: the workflow packs this build with
 * .github/electron-builder.packaged-test.yml, which differs from the shipped configuration only by
 * that fuse and its output folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test'

const root = path.resolve(import.meta.dirname, '../..')
const executable = path.resolve(
  root,
  process.env['PACKAGED_APP'] ?? 'dist-packaged-test/linux-unpacked/purchase-sender',
)

test.describe.configure({ mode: 'serial' })

let app: ElectronApplication
let window: Page
let home: string

test.beforeAll(async () => {
  expect(existsSync(executable), `packaged app at ${executable}`).toBe(true)
  home = mkdtempSync(path.join(tmpdir(), 'ps-packaged-'))
  app = await electron.launch({
    executablePath: executable,
    args: ['--lang=en-US'],
    env: {
      ...process.env,
      LANG: 'en_US.UTF-8',
      PURCHASE_SENDER_HOME: home,
      // No update check against GitHub from a test run.
      PURCHASE_SENDER_DISABLE_UPDATES: '1',
    },
  })
  window = await app.firstWindow()
})

test.afterAll(async () => {
  await app?.close()
  if (home) rmSync(home, { recursive: true, force: true })
})

test('opens its window on the app:// page, packaged', async () => {
  await window.waitForLoadState('domcontentloaded')
  expect(window.url()).toBe('app://purchase-sender/index.html')
  const packaged = await app.evaluate(({ app: electronApp }) => electronApp.isPackaged)
  expect(packaged).toBe(true)
  await expect(window.getByRole('heading', { name: 'Purchase Sender', level: 1 })).toBeVisible()
  // The renderer runs sandboxed with only the contract's bridge.
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  )
  expect(
    await window.evaluate(() => typeof (globalThis as { purchaseSender?: unknown }).purchaseSender),
  ).toBe('object')
})

test('renders the main screens', async () => {
  await window.getByRole('tab', { name: 'Store profiles' }).click()
  await expect(window.getByRole('button', { name: 'New profile' })).toBeVisible()
  // The history opened (SQLite through the better-sqlite3 rebuilt for Electron, from app.asar.unpacked).
  await expect(window.getByText('No profiles yet', { exact: false })).toBeVisible()

  await window.getByRole('tab', { name: 'Send orders' }).click()
  await expect(window.getByText('Create a store profile first', { exact: false })).toBeVisible()

  await window.getByRole('tab', { name: 'Sending history' }).click()
  await expect(window.getByText('No sendings yet.')).toBeVisible()
  await window.screenshot({ path: path.join(root, 'test-results/packaged/history.png') })
})
