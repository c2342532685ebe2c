/**
 * A merchant reads the store through the PrestaShop Webservice (the simulator, over http://, so
 * the connection works but warns): a wrong address is explained on its field, the test shows the
 * success and the warning, the profile is saved, and the send wizard lists the store's statuses.
 * Runs after app.spec.ts on the same backend (files run in name order, one worker).
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import { expect, test, type Page } from '@playwright/test'

const SHOTS = path.resolve('test-results', 'screenshots')
const PROFILE = 'Webservice store'
const LONG = { timeout: 120_000 }

function env(name: string): string {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set: run through playwright.config.ts`)
  return value
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

async function typeDate(page: Page, label: string, day: DateTime): Promise<void> {
  const group = page.getByRole('group', { name: label })
  await group.getByRole('spinbutton', { name: 'Month' }).click()
  await page.keyboard.type(day.toFormat('MMddyyyy'), { delay: 30 })
}

test('creates a Webservice profile, sees the http:// warning and the store statuses', async ({
  page,
}) => {
  await page.goto(env('E2E_URL'))
  await page.getByRole('tab', { name: 'Store profiles' }).click()
  await page.getByRole('button', { name: 'New profile' }).click()
  const dialog = page.getByRole('dialog', { name: 'New store profile' })

  await dialog.getByRole('textbox', { name: 'Profile name', exact: true }).fill(PROFILE)
  await dialog.getByRole('radio', { name: 'PrestaShop Webservice' }).check()
  await expect(dialog.getByRole('textbox', { name: 'Host', exact: true })).toHaveCount(0)
  const help = dialog.getByRole('note', { name: 'Where to get the Webservice key' })
  await expect(help).toContainText('Advanced Parameters > Webservice')
  await expect(help).toContainText('View (GET)')
  await expect(help).toContainText('order_details')

  const address = dialog.getByRole('textbox', { name: 'Shop address', exact: true })
  await address.fill('ftp://shop.example.test')
  await dialog
    .getByRole('textbox', { name: 'Webservice key environment variable', exact: true })
    .fill('E2E_WS_KEY')
  await dialog
    .getByRole('textbox', { name: 'Connectif API URL', exact: true })
    .fill(env('E2E_CONNECTIF_URL'))
  await dialog
    .getByRole('textbox', { name: 'Connectif API key environment variable', exact: true })
    .fill('E2E_CONNECTIF_KEY')

  // A wrong address is explained on its field, by main's own check.
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(address).toHaveAccessibleDescription(/is not an http:\/\/ or https:\/\/ address/)

  await address.fill(env('E2E_WS_URL'))
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const results = dialog.getByRole('region', { name: 'Connection test' })
  await expect(results.getByRole('alert').filter({ hasText: 'Connected: PrestaShop' })).toBeVisible(
    LONG,
  )
  await expect(results.getByRole('alert').filter({ hasText: 'is an http:// address' })).toHaveClass(
    /MuiAlert-.*[wW]arning/,
  )
  await expect(results.getByRole('alert').filter({ hasText: 'Connectif' })).toContainText(
    'accepts the API key',
  )
  await results.scrollIntoViewIfNeeded()
  await shot(page, 'ws-01-profile-editor')

  await dialog.getByRole('button', { name: 'Save profile' }).click()
  await expect(dialog).toBeHidden()
  const card = page.getByRole('article', { name: PROFILE })
  await expect(card).toContainText(`Webservice ${env('E2E_WS_URL')}`)
  await expect(card).toContainText('Webservice key: saved')
  await shot(page, 'ws-02-profiles')

  // The wizard reads the statuses through the Webservice.
  await page.getByRole('tab', { name: 'Send purchases' }).click()
  await page.getByRole('combobox', { name: 'Profile' }).click()
  await page.getByRole('option', { name: PROFILE }).click()
  await page.getByRole('button', { name: 'Next' }).click()
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  await typeDate(page, 'Start date', today.minus({ days: 250 }))
  await typeDate(page, 'End date', today.minus({ days: 1 }))
  const next = page.getByRole('button', { name: 'Next' })
  await expect(next).toBeEnabled(LONG)
  await next.click()
  await expect(
    page.getByText(/^[1-9]\d* orders between .* Choose the statuses to send:/),
  ).toBeVisible(LONG)
  await expect(page.getByRole('checkbox').first()).toBeVisible()
  await shot(page, 'ws-03-wizard-statuses')
})
