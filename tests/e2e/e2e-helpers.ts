/**
 * What the end-to-end specs do alike: read the backend's settings (set by global-setup.ts), take
 * screenshots, type dates, read the app's texts in either language, save profiles through the
 * browser-mode API, and the steps of a profile and of the send page they share. Not a spec
 * (playwright.config.ts runs `*.spec.ts` only).
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { DateTime } from 'luxon'
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { dayFieldFormat, formatDay } from '../../renderer/i18n/locale-format'
import { uiText, type Language } from '../support/ui-text'

export { uiText, type Language }

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
 * The keys a person presses to write `day` into a date field of the UI's `language`, its sections
 * in the field's order (month, day, year in English; day, month, year in Spanish): digits, and
 * the month (written "Jan") as its number without a leading 0 (a 0 typed first into a month
 * written in letters is lost in Chromium), then → when that number could go on (1, for 10–12).
 */
export function dayKeys(day: DateTime, language: Language): string[] {
  return (dayFieldFormat(language).match(/d+|M+|y+/g) ?? []).flatMap((token) => {
    if (token.startsWith('y')) return [...day.toFormat('yyyy')]
    if (token.startsWith('d')) return [...day.toFormat('dd')]
    if (token.length < 3) return [...day.toFormat('MM')]
    return day.month === 1 ? ['1', 'ArrowRight'] : [...String(day.month)]
  })
}

/**
 * Types a day into an MUI date field, as a person does (dayKeys), into its focused first section,
 * checking the field shows the day as the sentences write it (and typing it again when a
 * re-render took the first keystrokes, as it can on a loaded machine).
 */
export async function typeDate(
  page: Page,
  label: string,
  day: DateTime,
  language: Language = 'en',
): Promise<void> {
  const group = page.getByRole('group', { name: label })
  const first = group.getByRole('spinbutton').first()
  const shown = group.locator('input')
  for (let attempt = 1; ; attempt++) {
    await first.click()
    await expect(first).toBeFocused()
    // The page offers a range at first: the day shown is cleared (every section, then
    // Backspace), as a person retyping it does.
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.press('Backspace')
    await pressKeys(page, dayKeys(day, language))
    try {
      await expect(shown).toHaveValue(formatDay(language, day.toISODate() ?? ''), {
        timeout: 2_000,
      })
      return
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
}

/** Presses keys one by one, at a typing pace. */
export async function pressKeys(page: Page, keys: readonly string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key, { delay: 30 })
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

/**
 * Opens the form of a new profile from the profiles tab: its page (`#/profiles/new`), whose form
 * is named by the page's title.
 */
export async function newProfileDialog(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Store profiles' }).click()
  await page.getByRole('button', { name: 'New profile' }).click()
  const form = page.getByRole('form', { name: 'New store profile' })
  await expect(form).toBeVisible()
  return form
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

/** Saves the profile of the form, whose page goes back to the profiles, and gives its card. */
export async function saveProfile(page: Page, dialog: Locator, name: string): Promise<Locator> {
  await dialog.getByRole('button', { name: 'Save profile' }).click()
  await expect(dialog).toBeHidden()
  await expect(page).toHaveURL(/#\/profiles$/)
  return page.getByRole('article', { name })
}

/**
 * Opens the send page on a profile and picks the last 12 months (its preset: the test store's
 * orders are of the last 200 days); resolves once the statuses show their orders in that range.
 */
export async function openSendPage(page: Page, profile: string): Promise<void> {
  await page.getByRole('tab', { name: 'Send orders' }).click()
  const select = page.getByRole('combobox', { name: 'Profile' })
  if (!((await select.textContent()) ?? '').includes(profile)) {
    await select.click()
    await page.getByRole('option', { name: profile, exact: true }).click()
  }
  await expect(select).toContainText(profile)
  const lastYear = page.getByRole('button', { name: 'Last 12 months' })
  await lastYear.click(LONG)
  await expect(lastYear).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('selected-total')).toBeVisible(LONG)
}

/** Ticks every status of the send page, group by group ("All validated statuses (…)"…). */
export async function selectAllStatuses(page: Page): Promise<void> {
  const groups = page.getByRole('checkbox', { name: /^All .* statuses/ })
  await expect(groups.first()).toBeVisible(LONG)
  for (const group of await groups.all()) await group.check()
}

/**
 * Unticks every status of the send page: a group's box picks the whole group, so a group partly
 * picked (mixed) is ticked whole first, then unticked.
 */
export async function clearStatuses(page: Page): Promise<void> {
  const groups = page.getByRole('checkbox', { name: /^All .* statuses/ })
  await expect(groups.first()).toBeVisible(LONG)
  for (const group of await groups.all()) {
    await group.check()
    await group.uncheck()
  }
}

/** Opens the send page's Advanced section (workflows, contacts, products, already sent, rate). */
export async function openAdvanced(page: Page): Promise<void> {
  const advanced = page.getByRole('button', { name: /^Advanced/ })
  if ((await advanced.getAttribute('aria-expanded')) !== 'true') await advanced.click()
  await expect(advanced).toHaveAttribute('aria-expanded', 'true')
}

/** Opens the send page's confirmation, once it can send, and gives it with its summary read. */
export async function reviewSending(page: Page): Promise<Locator> {
  const review = page.getByRole('button', { name: 'Review and send' })
  await expect(review).toBeEnabled(LONG)
  await review.click()
  const dialog = page.getByRole('dialog', { name: 'Confirm the sending' })
  await expect(dialog.getByTestId('orders-to-send')).toHaveText(/^\d+$/, LONG)
  return dialog
}

/**
 * Starts the sending from the confirmation: accepts sending statuses that are not validated when
 * it asks, and clicks "Send with progress" or "Send in background".
 */
export async function confirmSending(
  dialog: Locator,
  mode: 'progress' | 'background' = 'progress',
): Promise<void> {
  const accept = dialog.getByRole('checkbox', { name: 'Send them as purchases anyway' })
  if ((await accept.count()) > 0) await accept.check()
  await dialog
    .getByRole('button', {
      name: mode === 'progress' ? 'Send with progress' : 'Send in background',
      exact: true,
    })
    .click()
}
