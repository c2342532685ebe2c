/**
 * A merchant whose store takes dollars as well as euros routes the dollar orders to a second
 * Connectif account: a target is added in the profile form (its currency picked from the store's
 * list after Test connection), an overlapping target is refused on the target itself, each account's
 * key is tested, the send page's confirmation shows how the orders split across the accounts, and
 * the progress window counts per account. Its own profile on the shared backend (runs after
 * app.spec.ts, whose history counts are checked before this sending exists).
 */
import { expect, test } from '@playwright/test'
import {
  confirmSending,
  env,
  fillConnectif,
  fillDatabase,
  LONG,
  openAdvanced,
  openSendPage,
  reviewSending,
  saveProfile,
  selectAllStatuses,
  shot,
  startNewProfile,
} from './e2e-helpers'

const PROFILE = 'Routed store'

test('routes the dollar orders to a second account and shows the split before sending', async ({
  page,
}) => {
  const dialog = await startNewProfile(page, PROFILE)

  await fillDatabase(dialog)
  await fillConnectif(dialog)
  // The store's currencies become choices once the connection is tested.
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const results = dialog.getByRole('region', { name: 'Connection test' })
  await expect(results.getByRole('alert').filter({ hasText: 'Connected: PrestaShop' })).toBeVisible(
    LONG,
  )

  await dialog.getByRole('button', { name: 'Add a target' }).click()
  const first = dialog.getByRole('group', { name: /^Target 1/ })
  await first.getByRole('combobox', { name: 'Currencies' }).click()
  await page.getByRole('option', { name: /^USD/ }).click()
  await expect(first).toHaveAccessibleName('Target 1: USD, any language')
  await expect(first.getByRole('textbox', { name: 'API URL' })).toHaveValue(
    env('E2E_CONNECTIF_URL'),
  )
  await first
    .getByRole('textbox', { name: 'API key environment variable' })
    .fill('PURCHASE_SENDER_E2E_CONNECTIF_USD_KEY')

  // A second target for the same currency would overlap: main says so on both targets.
  await dialog.getByRole('button', { name: 'Add a target' }).click()
  const second = dialog.getByRole('group', { name: /^Target 2/ })
  const currencies = second.getByRole('combobox', { name: 'Currencies' })
  await currencies.fill('usd,')
  await expect(second).toHaveAccessibleName('Target 2: USD, any language')
  await second
    .getByRole('textbox', { name: 'API key environment variable' })
    .fill('PURCHASE_SENDER_E2E_CONNECTIF_USD_KEY')
  await dialog.getByRole('button', { name: 'Save profile' }).click()
  await expect(second.getByRole('alert')).toContainText('would both serve some orders')
  await expect(first.getByRole('alert')).toContainText('would both serve some orders')
  await shot(page, 'routing-01-overlap')
  await second.getByRole('button', { name: 'Remove target 2' }).click()
  await expect(dialog.getByRole('group', { name: /^Target 2/ })).toHaveCount(0)

  // The switch explains what happens to the orders no target serves.
  const toMain = dialog.getByRole('switch', {
    name: 'Send orders no target serves to the main account',
  })
  await expect(toMain).toBeChecked()
  await toMain.uncheck()
  await expect(dialog.getByText(/Off: orders no target serves are not sent/)).toBeVisible()
  await toMain.check()

  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(
    results.getByRole('alert').filter({ hasText: 'Connectif: USD, any language' }),
  ).toContainText('accepts the API key', LONG)
  await shot(page, 'routing-02-targets')
  const card = await saveProfile(page, dialog, PROFILE)
  // Browser mode saves no key: the card names the variable it is read from.
  await expect(card).toContainText(
    'USD, any language: key from variable PURCHASE_SENDER_E2E_CONNECTIF_USD_KEY',
  )
  await expect(card).toContainText('Other orders: main account')

  // The confirmation shows the split before anything is sent.
  await openSendPage(page, PROFILE)
  await selectAllStatuses(page)
  await openAdvanced(page)
  await page.getByLabel('Connectif rate limit (requests per minute)').fill('6000')
  // app.spec.ts sent these orders to the same main account: send them all again, so every
  // account's orders are counted and recorded.
  await page.getByRole('switch', { name: 'Skip orders already sent' }).uncheck()
  const confirmation = await reviewSending(page)
  const split = confirmation.getByTestId('orders-by-account')
  await expect(split).toHaveText(/^(USD, any language|Main account): \d+ orders? · /, LONG)
  await expect(split).toContainText(/USD, any language: [1-9]\d* orders?/)
  await expect(split).toContainText(/Main account: [1-9]\d* orders?/)
  const text = (await split.textContent()) ?? ''
  const total = [...text.matchAll(/: (\d+) orders?/g)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  )
  await expect(confirmation.getByTestId('orders-to-send')).toHaveText(String(total))
  await shot(page, 'routing-03-confirmation-split')

  // The progress window counts per account.
  await confirmSending(confirmation, 'progress')
  const progress = page.getByRole('dialog', { name: /Sending #\d+/ })
  await expect(progress.getByRole('heading', { name: /Sending #\d+ completed/ })).toBeVisible(LONG)
  const accounts = progress.getByRole('table', { name: 'By Connectif account' })
  await expect(accounts.getByRole('row', { name: 'USD, any language' })).toBeVisible()
  await expect(accounts.getByRole('row', { name: 'Main account' })).toBeVisible()
  await shot(page, 'routing-04-progress-by-account')
  await progress.getByRole('button', { name: 'Go to history and report' }).click()
  const table = page.getByRole('table', { name: 'Sending history' })
  await expect(table.getByRole('row', { name: /^Sending #\d+$/ }).first()).toContainText(
    '2 Connectif accounts',
  )
})
