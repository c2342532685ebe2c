/**
 * What the end-to-end specs do alike: read the backend's settings (set by global-setup.ts), take
 * screenshots, type dates, and the steps of a profile and of the send wizard they share. Not a spec
 * (playwright.config.ts runs `*.spec.ts` only).
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import { expect, type Locator, type Page } from '@playwright/test'

const SHOTS = path.resolve('test-results', 'screenshots')

/** For what waits on the store or on a sending. */
export const LONG = { timeout: 120_000 }

export function env(name: string): string {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set: run through playwright.config.ts`)
  return value
}

/** A full-page screenshot in test-results/screenshots/ (or of the window alone: a dialog). */
export async function shot(
  page: Page,
  name: string,
  options: { readonly fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({
    path: path.join(SHOTS, `${name}.png`),
    fullPage: options.fullPage ?? true,
  })
}

/**
 * Types a day into an MUI date field (sections: month, day, year in en-US), as a person does:
 * into the focused month section, checking the field shows the day (and typing it again when a
 * re-render took the first keystrokes, as it can on a loaded machine).
 */
export async function typeDate(page: Page, label: string, day: DateTime): Promise<void> {
  const group = page.getByRole('group', { name: label })
  const month = group.getByRole('spinbutton', { name: 'Month' })
  const shown = group.locator('input')
  for (let attempt = 1; ; attempt++) {
    await month.click()
    await expect(month).toBeFocused()
    await page.keyboard.type(day.toFormat('MMddyyyy'), { delay: 30 })
    try {
      await expect(shown).toHaveValue(day.toFormat('MM/dd/yyyy'), { timeout: 2_000 })
      return
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
}

/** Opens the form of a new profile, on the profiles tab. */
export async function newProfileDialog(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Store profiles' }).click()
  await page.getByRole('button', { name: 'New profile' }).click()
  return page.getByRole('dialog', { name: 'New store profile' })
}

/** Opens the app on a new page and the form of a new profile, and names the profile. */
export async function startNewProfile(page: Page, name: string): Promise<Locator> {
  await page.goto(env('E2E_URL'))
  const dialog = await newProfileDialog(page)
  await dialog.getByRole('textbox', { name: 'Profile name', exact: true }).fill(name)
  return dialog
}

/** Fills in the test store's database, its password named by a variable (browser mode). */
export async function fillDatabase(dialog: Locator): Promise<void> {
  await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill(env('E2E_DB_HOST'))
  await dialog.getByRole('textbox', { name: 'Port', exact: true }).fill(env('E2E_DB_PORT'))
  await dialog.getByRole('textbox', { name: 'Database', exact: true }).fill(env('E2E_DB_NAME'))
  await dialog.getByRole('textbox', { name: 'User', exact: true }).fill(env('E2E_DB_USER'))
  await dialog
    .getByRole('textbox', { name: 'Database password environment variable', exact: true })
    .fill('PURCHASE_SENDER_E2E_DB_PASSWORD')
}

/** Fills in the simulated Connectif account, its key named by a variable (browser mode). */
export async function fillConnectif(dialog: Locator): Promise<void> {
  await dialog
    .getByRole('textbox', { name: 'Connectif API URL', exact: true })
    .fill(env('E2E_CONNECTIF_URL'))
  await dialog
    .getByRole('textbox', { name: 'Connectif API key environment variable', exact: true })
    .fill('PURCHASE_SENDER_E2E_CONNECTIF_KEY')
}

/** Saves the profile of the form, which closes, and gives the profile's card. */
export async function saveProfile(page: Page, dialog: Locator, name: string): Promise<Locator> {
  await dialog.getByRole('button', { name: 'Save profile' }).click()
  await expect(dialog).toBeHidden()
  return page.getByRole('article', { name })
}

/**
 * Opens the send wizard on a profile, picks the last 250 days up to yesterday and goes on to the
 * statuses; answers the wizard's Next button.
 */
export async function openWizardAtStatuses(page: Page, profile: string): Promise<Locator> {
  await page.getByRole('tab', { name: 'Send purchases' }).click()
  await page.getByRole('combobox', { name: 'Profile' }).click()
  await page.getByRole('option', { name: profile }).click()
  await page.getByRole('button', { name: 'Next' }).click()
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  await typeDate(page, 'Start date', today.minus({ days: 250 }))
  await typeDate(page, 'End date', today.minus({ days: 1 }))
  const next = page.getByRole('button', { name: 'Next' })
  await expect(next).toBeEnabled(LONG)
  await next.click()
  return next
}
