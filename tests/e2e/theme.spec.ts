/**
 * Themes and language: the app opens dark on a system in dark mode, the app bar's theme menu
 * overrides it and the choice survives a reload; the document's `lang` follows EN/ES. Takes the
 * README's dark-theme screenshot (the send page's statuses, its own profile on the shared
 * backend) to test-results/screenshots/theme-dark.png.
 */
import { expect, test } from '@playwright/test'
import {
  env,
  fillConnectif,
  fillDatabase,
  openSendPage,
  saveProfile,
  shot,
  startNewProfile,
} from './e2e-helpers'

// CssBaseline paints the page in the scheme's background (renderer/theme/app-theme.ts).
const DARK_BACKGROUND = 'rgb(14, 18, 23)'
const LIGHT_BACKGROUND = 'rgb(244, 246, 249)'

test('follows the system dark scheme until switched, remembers the switch; lang follows EN/ES', async ({
  page,
}) => {
  // The schemes switch without an inline script or style the CSP would block.
  const blocked: string[] = []
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) blocked.push(message.text())
  })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.goto(env('E2E_URL'))
  const body = page.locator('body')
  const html = page.locator('html')
  await expect(body).toHaveCSS('background-color', DARK_BACKGROUND)
  await expect(html).toHaveCSS('color-scheme', 'dark')

  await page.getByRole('button', { name: 'Theme: As the system' }).click()
  await page.getByRole('menuitemradio', { name: 'Light' }).click()
  await expect(body).toHaveCSS('background-color', LIGHT_BACKGROUND)
  await page.reload()
  await expect(page.getByRole('button', { name: 'Theme: Light' })).toBeVisible()
  await expect(body).toHaveCSS('background-color', LIGHT_BACKGROUND)

  await expect(html).toHaveAttribute('lang', 'en')
  await page.getByRole('button', { name: /^ES\b/ }).click()
  await expect(html).toHaveAttribute('lang', 'es')
  await expect(page.getByRole('button', { name: 'Tema: Claro' })).toBeVisible()
  await page.reload()
  await expect(html).toHaveAttribute('lang', 'es')
  await page.getByRole('button', { name: /^EN\b/ }).click()
  await expect(html).toHaveAttribute('lang', 'en')

  // Back to the system's dark, for the screenshot.
  await page.getByRole('button', { name: 'Theme: Light' }).click()
  await page.getByRole('menuitemradio', { name: 'As the system' }).click()
  await expect(body).toHaveCSS('background-color', DARK_BACKGROUND)
  expect(blocked).toEqual([])
})

test('the dark theme with a store: the send page at its statuses', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.emulateMedia({ colorScheme: 'dark' })
  const dialog = await startNewProfile(page, 'Dark theme store')
  await fillDatabase(dialog)
  await fillConnectif(dialog)
  await saveProfile(page, dialog, 'Dark theme store')
  await openSendPage(page, 'Dark theme store')
  const chart = page.getByRole('figure', { name: 'Orders per week, by status' })
  await expect(chart.locator('svg').first()).toBeVisible()
  await expect(page.locator('body')).toHaveCSS('background-color', DARK_BACKGROUND)
  // The statuses and the weekly chart under them, no hover highlight.
  await page.mouse.move(0, 0)
  await page.evaluate('window.scrollTo(0, 280)')
  await shot(page, 'theme-dark', { fullPage: false })
})
