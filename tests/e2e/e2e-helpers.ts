/**
 * What the end-to-end specs do alike: read the backend's settings (set by global-setup.ts), take
 * screenshots, type dates, read the app's texts in either language, save profiles through the
 * browser-mode API, and the steps of a profile and of the send wizard they share. Not a spec
 * (playwright.config.ts runs `*.spec.ts` only).
 */
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'

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
 * Types a day into an MUI date field, as a person does: into its focused first section, in the
 * field's order (`format`: month, day, year in en-US, the default; `dd/MM/yyyy` in Spanish),
 * checking the field shows the day (and typing it again when a re-render took the first
 * keystrokes, as it can on a loaded machine).
 */
export async function typeDate(
  page: Page,
  label: string,
  day: DateTime,
  format = 'MM/dd/yyyy',
): Promise<void> {
  const group = page.getByRole('group', { name: label })
  const first = group.getByRole('spinbutton').first()
  const shown = group.locator('input')
  for (let attempt = 1; ; attempt++) {
    await first.click()
    await expect(first).toBeFocused()
    await page.keyboard.type(day.toFormat(format.replaceAll('/', '')), { delay: 30 })
    try {
      await expect(shown).toHaveValue(day.toFormat(format), { timeout: 2_000 })
      return
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
}

/** The app's two languages. */
export type Language = 'en' | 'es'

/**
 * The app's texts in a language (renderer/i18n/<language>.json), by key (`nav.profiles`), with
 * their `{{name}}` parameters filled in: for specs that walk the screens in either language.
 */
export function uiText(
  language: Language,
): (key: string, params?: Readonly<Record<string, string | number>>) => string {
  const texts = JSON.parse(
    readFileSync(path.resolve('renderer', 'i18n', `${language}.json`), 'utf8'),
  ) as unknown
  return (key, params = {}) => {
    let value = texts
    for (const part of key.split('.'))
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined
    if (typeof value !== 'string') throw new Error(`${language}.json has no text "${key}"`)
    return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    )
  }
}

/** A profile reading the test store's database, as the browser-mode API takes it. */
export function databaseProfile(
  name: string,
  options: {
    readonly passwordEnv?: string
    readonly keyEnv?: string
    readonly targets?: readonly unknown[]
  } = {},
): Record<string, unknown> {
  return {
    name,
    source: {
      kind: 'database',
      host: env('E2E_DB_HOST'),
      port: Number(env('E2E_DB_PORT')),
      user: env('E2E_DB_USER'),
      database: env('E2E_DB_NAME'),
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: options.passwordEnv ?? 'PURCHASE_SENDER_E2E_DB_PASSWORD',
    },
    connectif: {
      apiUrl: env('E2E_CONNECTIF_URL'),
      keyEnv: options.keyEnv ?? 'PURCHASE_SENDER_E2E_CONNECTIF_KEY',
      mainAccount: true,
      targets: options.targets ?? [],
    },
  }
}

/** Calls the browser-mode host's API, as the renderer does, and gives the call's data. */
export async function callApi<T>(
  request: APIRequestContext,
  channel: string,
  data: unknown,
): Promise<T> {
  const url = new URL(env('E2E_URL'))
  const response = await request.post(`${url.origin}/api/${channel}`, {
    headers: { 'x-purchase-sender-token': url.searchParams.get('token') ?? '' },
    data,
  })
  const result = (await response.json()) as { ok: boolean; data?: T; error?: { message: string } }
  expect(result.ok, result.error?.message).toBe(true)
  return result.data as T
}

/** Saves a new profile through the browser-mode API (without the form) and gives its id. */
export async function saveProfileThroughApi(
  request: APIRequestContext,
  profile: Record<string, unknown>,
): Promise<number> {
  const saved = await callApi<{ id: number }>(request, 'profiles:save', {
    id: null,
    profile,
    secrets: {},
  })
  return saved.id
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
