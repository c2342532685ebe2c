/**
 * A sending's own page (#/sendings/<id>): a merchant opens a sending with failed orders from the
 * history, filters its orders by result, searches one customer's, reads the JSON one order sent
 * and Connectif's answer, and retries the failed orders once their contacts exist; then cancels a
 * sending half-way and resumes it from the history to completed. Its own profile and its own
 * Connectif simulator (e2e-backend.ts: every other customer unknown there), changed mid-test
 * through a test-only control (connectif-control.ts), so the other specs' history is untouched.
 */
import { expect, test, type Locator, type Page } from '@playwright/test'
import { CONNECTIF_CONTROL_HEADER } from './connectif-control'
import {
  confirmSending,
  env,
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

const PROFILE = 'Failing store'

test.describe.configure({ mode: 'serial' })

let page: Page

/** Asks the spec's Connectif simulator to change (see connectif-control.ts). */
async function connectif(path: '/latency' | '/contacts', body: object = {}): Promise<void> {
  const response = await fetch(`${env('E2E_CONNECTIF_CONTROL_URL')}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [CONNECTIF_CONTROL_HEADER]: env('E2E_CONNECTIF_CONTROL_TOKEN'),
    },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(204)
}

test.beforeAll(async ({ browser }) => {
  page = await (await browser.newContext()).newPage()
})

test.afterAll(async () => {
  await connectif('/latency', { ms: 0 })
  await page.context().close()
})

/** A screenshot from the page's top (the app bar is sticky: a full-page shot shows it where it is). */
async function snap(name: string, options: { readonly fullPage?: boolean } = {}): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)')
  await shot(page, name, options)
}

/** A count of a sending's header or progress window, as a number. */
async function count(scope: Locator, name: string): Promise<number> {
  const value = scope.getByRole('group', { name, exact: true }).getByRole('definition')
  await expect(value).toHaveText(/^\d+$/)
  return Number(await value.textContent())
}

/** Sends the profile's orders with progress and gives the sending's id and progress window. */
async function sendWithProgress(options: {
  readonly createContacts: boolean
  readonly skipSent: boolean
}): Promise<{ readonly id: number; readonly dialog: Locator }> {
  await openSendPage(page, PROFILE)
  await selectAllStatuses(page)
  await openAdvanced(page)
  await page.getByLabel('Connectif rate limit (requests per minute)').fill('6000')
  await page
    .getByRole('switch', { name: 'Create missing contacts' })
    .setChecked(options.createContacts)
  await page.getByRole('switch', { name: 'Skip orders already sent' }).setChecked(options.skipSent)
  const confirmation = await reviewSending(page)
  await expect(confirmation.getByTestId('orders-to-send')).toHaveText(/^[1-9]\d*$/, LONG)
  await confirmSending(confirmation, 'progress')
  const dialog = page.getByRole('dialog', { name: /^Sending #\d+/ })
  const title = (await dialog.getByRole('heading').first().textContent()) ?? ''
  const id = Number(/#(\d+)/.exec(title)?.[1])
  expect(id).toBeGreaterThan(0)
  return { id, dialog }
}

test("opens a sending with failures from the history, finds its failed orders, shows one's JSON and retries them", async () => {
  const editor = await startNewProfile(page, PROFILE)
  await fillDatabase(editor)
  await editor
    .getByRole('textbox', { name: 'Connectif API URL', exact: true })
    .fill(env('E2E_PAGES_CONNECTIF_URL'))
  await editor
    .getByRole('textbox', { name: 'Connectif API key environment variable', exact: true })
    .fill('PURCHASE_SENDER_E2E_CONNECTIF_PAGES_KEY')
  await saveProfile(page, editor, PROFILE)

  // Without creating the contacts Connectif lacks, their customers' orders fail.
  const { id, dialog } = await sendWithProgress({ createContacts: false, skipSent: true })
  await expect(
    dialog.getByRole('heading', { name: `Sending #${id} completed with errors` }),
  ).toBeVisible(LONG)
  await expect(
    dialog.getByRole('status').filter({ hasText: /^Completed with errors: / }),
  ).toBeVisible()
  await dialog.getByRole('button', { name: 'Go to history and report' }).click()

  // The history's row opens the sending's page, at its own address.
  const table = page.getByRole('table', { name: 'Sending history' })
  await table.getByRole('link', { name: `Open sending #${id}` }).click()
  await expect(page).toHaveURL(new RegExp(`#/sendings/${id}$`))
  const header = page.getByRole('region', { name: `Sending #${id}` })
  await expect(header.getByText('Completed with errors', { exact: true })).toBeVisible()
  await expect(header.getByText(PROFILE, { exact: true })).toBeVisible()
  const failed = await count(header, 'Failed')
  expect(failed).toBeGreaterThan(0)
  expect(await count(header, 'Created')).toBeGreaterThan(0)
  await expect(
    page.getByRole('figure', { name: 'Results over time' }).locator('svg').first(),
  ).toBeVisible()
  const orders = page.getByRole('region', { name: 'Orders', exact: true })
  const grid = orders.getByRole('grid', { name: `Orders of sending #${id}` })
  const rows = grid.locator('[role="row"][data-id]')
  await expect(rows.first()).toBeVisible()
  await snap('sending-page-01-opened')

  // Only the failed orders, paged by main: all of them in all, Connectif's reason on each.
  await page.getByRole('group', { name: 'Result' }).getByRole('button', { name: 'Failed' }).click()
  const results = grid.locator('[role="gridcell"][data-field="result"]')
  await expect(orders.getByText(new RegExp(`^1–\\d+ of ${failed}$`))).toBeVisible()
  await expect(results.filter({ hasNotText: 'Failed' })).toHaveCount(0)
  await expect(results).toHaveCount(Math.min(failed, 25))
  await expect(
    grid.locator('[role="gridcell"][data-field="errorCode"]').filter({ hasNotText: 'E0101' }),
  ).toHaveCount(0)
  await snap('sending-page-02-failed')

  // One customer's orders, by e-mail.
  const email = (await rows.first().locator('[data-field="customerEmail"]').textContent()) ?? ''
  expect(email).toContain('@')
  await page.getByRole('searchbox', { name: 'Search orders' }).fill(email)
  const emails = grid.locator('[role="gridcell"][data-field="customerEmail"]')
  await expect(emails.filter({ hasNotText: email })).toHaveCount(0)
  await expect(emails.first()).toHaveText(email)

  // What one order sent, exactly, and what Connectif answered.
  await rows
    .first()
    .getByRole('button', { name: /^Show order \d+$/ })
    .click()
  const detail = page.getByRole('dialog', { name: /^Order \d+ \(/ })
  const purchase = detail.getByRole('figure', { name: 'The order, as a Connectif purchase' })
  await expect(purchase).toContainText('"purchaseId": ')
  await expect(purchase).toContainText(`"contactEmail": "${email}"`)
  await expect(detail.getByRole('figure', { name: 'Answer as received' })).toContainText('E0101')
  await snap('sending-page-03-order', { fullPage: false })
  await detail.getByRole('button', { name: 'Close' }).click()
  await expect(detail).toBeHidden()

  // The contacts now exist in Connectif: retrying the failed orders creates them.
  await connectif('/contacts')
  await header.getByRole('button', { name: 'Retry failed orders' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'being sent again' })).toBeVisible()
  await expect(header.getByText('Completed', { exact: true })).toBeVisible(LONG)
  expect(await count(header, 'Failed')).toBe(0)
  await expect(header.getByRole('button', { name: 'Retry failed orders' })).toHaveCount(0)
  // The grid follows: the search's customer has no failed order left, only created ones.
  await expect(orders.getByText('No order matches.')).toBeVisible()
  await page.getByRole('group', { name: 'Result' }).getByRole('button', { name: 'Created' }).click()
  await expect(emails.first()).toHaveText(email)
  await page.getByRole('searchbox', { name: 'Search orders' }).fill('')
  const created = await count(header, 'Created')
  await expect(orders.getByText(`1–25 of ${created}`, { exact: true })).toBeVisible()
  await snap('sending-page-04-retried')

  // The address works by itself, and back returns to the history.
  await page.goBack()
  await expect(table).toBeVisible()
  await page.goForward()
  await expect(header).toBeVisible()
})

test('resumes a cancelled sending from the history, to completed', async () => {
  // Slow answers, so the sending can be cancelled half-way.
  await connectif('/latency', { ms: 2_000 })
  const { id, dialog } = await sendWithProgress({ createContacts: true, skipSent: false })
  await expect(async () => {
    expect(await count(dialog, 'Already existed')).toBeGreaterThan(0)
  }).toPass(LONG)
  await dialog.getByRole('button', { name: 'Cancel sending' }).click()
  await page
    .getByRole('dialog', { name: 'Cancel this sending?' })
    .getByRole('button', { name: 'Yes, cancel' })
    .click()
  await expect(dialog.getByRole('heading', { name: `Sending #${id} cancelled` })).toBeVisible(LONG)
  await expect(dialog.getByRole('status').filter({ hasText: /^Cancelled: / })).toBeVisible()
  expect(await count(dialog, 'Remaining')).toBeGreaterThan(0)
  await connectif('/latency', { ms: 0 })
  await dialog.getByRole('button', { name: 'Go to history and report' }).click()

  const row = page
    .getByRole('table', { name: 'Sending history' })
    .getByRole('row', { name: `Sending #${id}`, exact: true })
  await expect(row.getByText('Cancelled', { exact: true })).toBeVisible()
  // In the row's actions menu.
  const actions = row.getByRole('button', { name: `Actions for sending #${id}` })
  await actions.click()
  await page.getByRole('menuitem', { name: 'Resume' }).click()
  await expect(row.getByText('Completed', { exact: true })).toBeVisible(LONG)
  await actions.click()
  await expect(page.getByRole('menuitem', { name: 'Resume' })).toHaveCount(0)
  await page.keyboard.press('Escape')

  // Its page: every order answered, none left.
  await row.getByRole('link', { name: `Open sending #${id}` }).click()
  const header = page.getByRole('region', { name: `Sending #${id}` })
  await expect(header.getByText('Completed', { exact: true })).toBeVisible()
  expect(await count(header, 'Remaining')).toBe(0)
  expect(await count(header, 'Failed')).toBe(0)
  await snap('sending-page-05-resumed')
})
