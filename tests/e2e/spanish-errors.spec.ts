/**
 * Errors reach the screens as a code and its parameters, and the screens say them in the user's
 * language: a database that refuses the password, and a routing target serving a language the
 * store does not have, are explained in Spanish once the merchant switches the app to Spanish;
 * the days of a broken date rule are written as the date fields write them, never as ISO dates.
 * The profiles are saved through the browser-mode API (the profile form is app.spec.ts's).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import { expect, test, type Page } from '@playwright/test'
import {
  databaseProfile,
  env,
  LONG,
  openSendPage,
  saveProfileThroughApi,
  selectAllStatuses,
  shot,
  typeDate,
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
  await openSendPage(page, 'German target')
  await selectAllStatuses(page)
  const alert = page.getByRole('alert').filter({ hasText: 'serves the language "de"' })
  await expect(alert).toBeVisible(LONG)
  // The target is named by what it serves, never by its label (lang=de).
  await expect(alert).toContainText('Target 1 (German, any currency)')
  await expect(alert).not.toContainText('lang=')

  await switchToSpanish(page)
  const spanish = page.getByRole('alert').filter({ hasText: /"de"/ })
  await expect(spanish).toContainText(
    (es.rules['target_unknown_language'] ?? '').split('{{')[0] as string,
  )
  await expect(spanish).toContainText('El destino 1 (alemán, cualquier moneda)')
  await expect(page.getByRole('alert').filter({ hasText: 'serves the language' })).toHaveCount(0)
  await shot(page, 'spanish-02-unknown-language')
})

test('a broken date rule says its days as the date fields write them, in Spanish', async ({
  page,
  request,
}) => {
  await saveProfileThroughApi(request, databaseProfile('Fechas'))
  await page.goto(env('E2E_URL'))
  await switchToSpanish(page)
  await page.getByRole('tab', { name: 'Enviar pedidos' }).click()
  const profile = page.getByRole('combobox', { name: 'Perfil' })
  await profile.click()
  await page.getByRole('option', { name: 'Fechas', exact: true }).click()
  await expect(profile).toContainText('Fechas')
  await expect(page.getByText(/no puede empezar antes del \d{1,2}\/\d{1,2}\/\d{4} /)).toBeVisible(
    LONG,
  )
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  // typeDate checks the field shows the day as the sentences write it (5/12/2020).
  await typeDate(page, 'Fecha de inicio', today.minus({ years: 6 }), 'es')
  // Said under the field it concerns.
  const broken = page.getByText(/hace más de 5 años/)
  await expect(broken).toBeVisible(LONG)
  await expect(broken).toContainText(/no puede ser anterior al \d{1,2}\/\d{1,2}\/\d{4}\./)
  await expect(broken).not.toContainText(/\d{4}-\d{2}-\d{2}/)
  await shot(page, 'spanish-03-date-rule')
})
