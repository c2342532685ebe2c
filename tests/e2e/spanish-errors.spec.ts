/**
 * Errors reach the screens as a code and its parameters, and the screens say them in the user's
 * language: a database that refuses the password, and a routing target serving a language the
 * store does not have, are explained in Spanish once the merchant switches the app to Spanish.
 * The profiles are saved through the browser-mode API (the profile form is app.spec.ts's).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import {
  databaseProfile,
  env,
  LONG,
  openWizardAtStatuses,
  saveProfileThroughApi,
  shot,
} from './e2e-helpers'

const es = JSON.parse(readFileSync(path.resolve('renderer', 'i18n', 'es.json'), 'utf8')) as {
  errors: Record<string, string>
  rules: Record<string, string>
}

async function switchToSpanish(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Español' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
}

test.afterEach(async ({ page }) => {
  // The language is remembered by the page: leave the next spec in English.
  await page.evaluate('window.localStorage.removeItem("purchase-sender.language")')
})

test('a database that refuses the password is explained in Spanish', async ({ page, request }) => {
  await saveProfileThroughApi(
    request,
    databaseProfile('Wrong password', { passwordEnv: 'PURCHASE_SENDER_E2E_DB_WRONG_PASSWORD' }),
  )
  await page.goto(env('E2E_URL'))
  await page.getByRole('tab', { name: 'Store profiles' }).click()
  await page.getByRole('button', { name: 'Test connection of Wrong password' }).click()
  const card = page.getByRole('article', { name: 'Wrong password' })
  await expect(card).toContainText('The database refused the user', LONG)

  await switchToSpanish(page)
  const spanish = (es.errors['store_access_denied_db_user'] ?? '').replace(
    '{{user}}',
    env('E2E_DB_USER'),
  )
  await expect(card).toContainText(spanish)
  await expect(card).not.toContainText('The database refused the user')
  await shot(page, 'spanish-01-wrong-password')
})

test('a target serving a language the store lacks is refused in Spanish', async ({
  page,
  request,
}) => {
  const german = {
    id: 'de',
    apiUrl: env('E2E_CONNECTIF_URL'),
    keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_USD_KEY',
    languages: ['de'],
    currencies: [],
    shopIds: [],
  }
  await saveProfileThroughApi(request, databaseProfile('German target', { targets: [german] }))
  await page.goto(env('E2E_URL'))
  const next = await openWizardAtStatuses(page, 'German target')
  await page.getByRole('button', { name: 'Select all' }).click(LONG)
  await next.click()
  await next.click()
  const alert = page.getByRole('alert').filter({ hasText: 'serves the language "de"' })
  await expect(alert).toBeVisible(LONG)

  await switchToSpanish(page)
  const spanish = page.getByRole('alert').filter({ hasText: /"de"/ })
  await expect(spanish).toContainText(
    (es.rules['target_unknown_language'] ?? '').split('{{')[0] as string,
  )
  await expect(page.getByRole('alert').filter({ hasText: 'serves the language' })).toHaveCount(0)
  await shot(page, 'spanish-02-unknown-language')
})
