/**
 * A merchant reads the store through the PrestaShop Webservice (the simulator, over http://, so
 * the connection works but warns): a wrong address is explained on its field, the test shows the
 * success and the warning, the profile is saved, and the send page lists the store's statuses.
 * Runs after app.spec.ts on the same backend (files run in name order, one worker).
 */
import { expect, test } from '@playwright/test'
import {
  env,
  fillConnectif,
  LONG,
  openSendPage,
  saveProfile,
  shot,
  startNewProfile,
} from './e2e-helpers'

const PROFILE = 'Webservice store'

test('creates a Webservice profile, sees the http:// warning and the store statuses', async ({
  page,
}) => {
  const dialog = await startNewProfile(page, PROFILE)

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
    .fill('PURCHASE_SENDER_E2E_WS_KEY')
  await fillConnectif(dialog)

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

  const card = await saveProfile(page, dialog, PROFILE)
  // The card names the shop read through the Webservice (its name · its web address), not the
  // Webservice's address; and the variable the key is read from (browser mode saves none).
  await expect(card.getByTestId('profile-store')).toContainText(/\S · \S/, LONG)
  await expect(card).not.toContainText(env('E2E_WS_URL'))
  await expect(card).toContainText('Webservice key: from variable PURCHASE_SENDER_E2E_WS_KEY')
  await shot(page, 'ws-02-profiles')

  // The send page reads the statuses through the Webservice.
  await openSendPage(page, PROFILE)
  await expect(page.getByText(/^[1-9]\d* orders between .*\.$/)).toBeVisible(LONG)
  await expect(page.getByRole('group', { name: 'Validated / paid' })).toBeVisible()
  await expect(page.getByRole('checkbox').first()).toBeVisible()
  await shot(page, 'ws-03-send-page-statuses')
})
