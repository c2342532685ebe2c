/**
 * The real app in browser mode against the real engine (see global-setup.ts): a merchant creates
 * a profile, checks the date rules, sends with progress, sees the same range's orders already
 * sent, sends them again in background, downloads a report and switches the UI to Spanish. Screenshots of each step go to test-results/screenshots/.
 */
import { readFileSync } from 'node:fs'
import { DateTime } from 'luxon'
import { expect, test, type Locator, type Page } from '@playwright/test'
import {
  clearStatuses,
  confirmSending,
  env,
  fillConnectif,
  fillDatabase,
  LONG,
  newProfileDialog,
  openAdvanced,
  reviewSending,
  saveProfile,
  selectAllStatuses,
  shot,
  typeDate,
} from './e2e-helpers'

const REPORT_HEADER =
  'order_id,order_reference,order_date,customer_email,total,result,http_status,error_code,message,response,attempts,sent_at,target,preparing'
const PROFILE = 'Main store'

test.describe.configure({ mode: 'serial' })

let page: Page

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ acceptDownloads: true })
  page = await context.newPage()
  await page.goto(env('E2E_URL'))
  await expect(page.getByRole('heading', { name: 'Purchase Sender', level: 1 })).toBeVisible()
})

test.afterAll(async () => {
  await page.context().close()
})

test('creates a profile with environment variable names and tests both connections', async () => {
  const dialog = await newProfileDialog(page)

  // Validation: saving an empty form explains every field that is missing.
  await dialog.getByRole('button', { name: 'Save profile' }).click()
  await expect(dialog.getByText('Give the profile a name.')).toBeVisible()
  await expect(
    dialog.getByText('Name the variable that holds the Connectif API key.'),
  ).toBeVisible()

  await dialog.getByRole('textbox', { name: 'Profile name', exact: true }).fill(PROFILE)
  await fillDatabase(dialog)
  await fillConnectif(dialog)

  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const results = dialog.getByRole('region', { name: 'Connection test' })
  await expect(results.getByRole('alert').filter({ hasText: 'Store' })).toContainText(
    'Connected: PrestaShop',
    LONG,
  )
  await expect(results.getByRole('alert').filter({ hasText: 'Connectif' })).toContainText(
    'accepts the API key',
  )
  await shot(page, '01-profile-editor')

  const card = await saveProfile(page, dialog, PROFILE)
  await expect(card).toBeVisible()
  await card.getByRole('button', { name: `Test connection of ${PROFILE}` }).click()
  await expect(card.getByRole('alert').filter({ hasText: 'Store:' })).toContainText(
    'Connected: PrestaShop',
    LONG,
  )
  await expect(card.getByRole('alert').filter({ hasText: 'Connectif:' })).toContainText(
    'accepts the API key',
  )
  await shot(page, '02-profiles')
})

async function openSendPage(): Promise<void> {
  await page.getByRole('tab', { name: 'Send orders' }).click()
  await expect(page.getByRole('combobox', { name: 'Profile' })).toContainText(PROFILE)
  await expect(
    page.getByText(/The range may cover at most one year and cannot start before/),
  ).toBeVisible(LONG)
}

test('shows the date rules while the merchant picks', async () => {
  await openSendPage()
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  const review = page.getByRole('button', { name: 'Review and send' })

  await typeDate(page, 'Start date', today.minus({ years: 6 }))
  // Said once, under the field.
  await expect(page.getByText(/The start date is more than 5 years ago/)).toHaveCount(1, LONG)
  await expect(review).toBeDisabled()
  await shot(page, '03-send-page-five-year-rule')

  await typeDate(page, 'Start date', today.minus({ months: 18 }))
  await typeDate(page, 'End date', today.minus({ days: 1 }))
  await expect(page.getByText(/The range covers more than one year/)).toHaveCount(1, LONG)
  await expect(page.getByText(/The start date is more than 5 years ago/)).toHaveCount(0)
  await expect(review).toBeDisabled()
  await shot(page, '04-send-page-one-year-rule')
})

/** What the confirmation says: orders to send, and those left out as already sent. */
interface SummaryCounts {
  readonly toSend: number
  readonly alreadySent: number
}

async function summaryCounts(dialog: Locator): Promise<SummaryCounts> {
  const toSend = dialog.getByTestId('orders-to-send')
  await expect(toSend).toHaveText(/^\d+$/, LONG)
  const alreadySent = dialog.getByTestId('orders-already-sent')
  return {
    toSend: Number(await toSend.textContent()),
    alreadySent: (await alreadySent.count()) === 0 ? 0 : Number(await alreadySent.textContent()),
  }
}

/** Orders of the range the first sending had to send. */
let firstTotal = 0

/** Picks the range and every status, sets the rate, and opens the confirmation. */
async function chooseRangeAndStatuses(
  rate: string,
): Promise<{ readonly dialog: Locator; readonly summary: SummaryCounts }> {
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  await typeDate(page, 'Start date', today.minus({ days: 250 }))
  await typeDate(page, 'End date', today.minus({ days: 1 }))
  await expect(page.getByTestId('selected-total')).toBeVisible(LONG)

  // No status picked: nothing to send, and the page says why.
  await clearStatuses(page)
  await expect(page.getByTestId('send-blocker')).toHaveText(
    'Nothing to send: no order status is selected.',
  )
  await expect(page.getByRole('button', { name: 'Review and send' })).toBeDisabled()
  await selectAllStatuses(page)
  await expect(page.getByRole('checkbox').first()).toBeChecked()
  await shot(page, '05-send-page-statuses')

  await openAdvanced(page)
  await expect(
    page.getByRole('switch', { name: 'Do not trigger Connectif\'s "On purchase" workflows' }),
  ).toBeChecked()
  await expect(page.getByRole('switch', { name: 'Skip orders already sent' })).toBeChecked()
  await page.getByLabel('Connectif rate limit (requests per minute)').fill(rate)
  await shot(page, '06-send-page-advanced')
  const dialog = await reviewSending(page)
  return { dialog, summary: await summaryCounts(dialog) }
}

test('sends with progress to the end and shows the summary', async () => {
  await openSendPage()
  const { dialog: confirmation, summary } = await chooseRangeAndStatuses('1200')
  expect(summary).toEqual({ toSend: expect.any(Number), alreadySent: 0 })
  expect(summary.toSend).toBeGreaterThan(0)
  firstTotal = summary.toSend
  // Every status picked: those not validated are sent only once the merchant accepts it.
  await expect(confirmation.getByTestId('not-validated-warning')).toBeVisible()
  await expect(
    confirmation.getByRole('region', { name: 'Orders that will be skipped' }).getByRole('listitem'),
  ).not.toHaveCount(0, LONG)
  await shot(page, '07-send-page-confirmation')
  await confirmSending(confirmation, 'progress')

  const dialog = page.getByRole('dialog', { name: /Sending #\d+/ })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('progressbar', { name: 'Sending progress' })).toBeVisible()
  await expect(dialog.getByRole('group', { name: 'Orders created', exact: true })).toBeVisible()
  await shot(page, '08-progress')
  await expect(dialog.getByRole('heading', { name: /Sending #\d+ completed/ })).toBeVisible(LONG)
  await expect(dialog.getByRole('status').filter({ hasText: /^Completed/ })).toBeVisible()
  await shot(page, '09-progress-finished')
  await dialog.getByRole('button', { name: 'Go to history and report' }).click()
  await expect(page.getByRole('table', { name: 'Sending history' })).toBeVisible()
})

test('sends in background and the history follows it to completed', async () => {
  await openSendPage()
  // The range was just sent: "Skip orders already sent" (on) leaves out what was created.
  const { dialog, summary } = await chooseRangeAndStatuses('600')
  expect(summary.alreadySent).toBeGreaterThan(0)
  expect(summary.toSend + summary.alreadySent).toBe(firstTotal)
  await expect(
    dialog.getByText(
      `${summary.alreadySent} orders of this range were already sent: they will be skipped and cost no request.`,
    ),
  ).toBeVisible()
  await shot(page, '10-send-page-already-sent')

  // Sent again all the same: Connectif answers that they already exist.
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await page.getByRole('switch', { name: 'Skip orders already sent' }).uncheck()
  const again = await reviewSending(page)
  await expect(again.getByTestId('orders-to-send')).toHaveText(String(firstTotal), LONG)
  await expect(again.getByTestId('orders-already-sent')).toHaveCount(0)
  await confirmSending(again, 'background')
  await expect(page.getByText(/Sending #\d+ started in the background/)).toBeVisible()
  await page.getByRole('tab', { name: 'Sending history' }).click()

  const table = page.getByRole('table', { name: 'Sending history' })
  // This spec's sendings (accessibility.spec.ts's, of another profile, may be there before).
  const rows = table.getByRole('row', { name: /^Sending #\d+$/ }).filter({ hasText: PROFILE })
  await expect(rows).toHaveCount(2)
  const newest = rows.first()
  await expect(newest.getByRole('cell', { name: 'Background' })).toBeVisible()
  await expect(newest.getByText(/Completed/)).toBeVisible(LONG)
  await expect(rows.nth(1).getByText(/Completed/)).toBeVisible()
  await shot(page, '11-history')
})

test('downloads the report of a sending with its rows', async () => {
  const table = page.getByRole('table', { name: 'Sending history' })
  // The newest sending sent its orders again: its report has rows. In its row's actions menu.
  await table
    .getByRole('button', { name: /^Actions for sending #\d+$/ })
    .first()
    .click()
  const item = page.getByRole('menuitem', { name: /^Download the report of sending #\d+$/ })
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()])
  expect(download.suggestedFilename()).toMatch(
    /^purchase-sender_main-store_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_sending-\d+\.csv$/,
  )
  // Streamed by the host from a one-use link: the token never goes into a download's address, and
  // the link opens nothing a second time.
  expect(download.url()).toMatch(/\/api\/reports\/\d+\.csv\?all=0&ticket=[\w-]+$/)
  const token = new URL(env('E2E_URL')).searchParams.get('token') ?? ''
  expect(token).not.toBe('')
  expect(download.url()).not.toContain(token)
  expect((await page.request.get(download.url())).status()).toBe(403)
  const file = await download.path()
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
  const lines = text.split('\r\n').filter((line) => line !== '')
  expect(lines[0]).toBe(REPORT_HEADER)
  expect(lines.length).toBeGreaterThan(1)
  expect(lines.slice(1).every((line) => /^\d+,/.test(line))).toBe(true)
  expect(text).toMatch(/already_exists|skipped|failed/)
})

test('switches to Spanish and remembers it', async () => {
  await page.getByRole('button', { name: 'Español' }).click()
  await expect(page.getByRole('tab', { name: 'Historial de envíos' })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Historial de envíos' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Actualizar' })).toBeVisible()
  // At 1280 px, in Spanish's longer words, each row's actions stay in sight: no sideways scroll
  // hides them.
  const viewport = page.viewportSize()
  await page.setViewportSize({ width: 1280, height: 800 })
  const actions = page
    .getByRole('table', { name: 'Historial de envíos' })
    .getByRole('button', { name: /^Acciones del envío #\d+$/ })
    .first()
  await expect(actions).toBeVisible()
  const box = await actions.boundingBox()
  expect(box).not.toBeNull()
  expect(box!.x).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width).toBeLessThanOrEqual(1280)
  await shot(page, '12-spanish-history-1280')
  if (viewport) await page.setViewportSize(viewport)
  await page.getByRole('tab', { name: 'Enviar pedidos' }).click()
  await expect(page.getByRole('heading', { name: 'Enviar pedidos a Connectif' })).toBeVisible()
  await shot(page, '12-spanish')
  await page.reload()
  await expect(page.getByRole('tab', { name: 'Perfiles de tienda' })).toBeVisible()
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('tab', { name: 'Store profiles' })).toBeVisible()
})

export type { Locator }
