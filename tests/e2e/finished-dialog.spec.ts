/**
 * What a finished sending says (issue 19, "The merchant's flow"): its progress window is titled by
 * how it ended, counts its orders created, already in Connectif, skipped and failed, the contacts
 * and products it created, and groups its skipped and failed orders by reason, each group a link
 * to the sending's page showing only those orders (a chip says which, and removes it); the page
 * shows the same reasons and created counts. A key Connectif refuses after "Send with progress"
 * ends in a window titled as a failure that says the 401 once.
 *
 * The sending goes to this spec's own Connectif account on the main simulator (e2e-backend.ts),
 * which lacks every other customer and every third product; the refused one names
 * sending-page.spec.ts's key against the main simulator, which does not know it (401). Both
 * profiles are saved and removed through the API.
 */
import { expect, test, type Locator, type Page } from '@playwright/test'
import { expectNoAxeViolations } from './axe-check'
import {
  callApi,
  confirmSending,
  databaseProfile,
  env,
  LONG,
  openAdvanced,
  openSendPage,
  reviewSending,
  saveProfileThroughApi,
  selectAllStatuses,
  shot,
} from './e2e-helpers'

const PROFILE = 'Outcome store'
const REFUSED = 'Outcome refused key'

test.describe.configure({ mode: 'serial' })

let page: Page
const profileIds: number[] = []

test.beforeAll(async ({ browser, request }) => {
  profileIds.push(
    await saveProfileThroughApi(
      request,
      databaseProfile(PROFILE, { keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_OUTCOME_KEY' }),
    ),
  )
  profileIds.push(
    await saveProfileThroughApi(
      request,
      databaseProfile(REFUSED, { keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_PAGES_KEY' }),
    ),
  )
  page = await (await browser.newContext()).newPage()
  await page.goto(env('E2E_URL'))
})

test.afterAll(async ({ request }) => {
  await page.context().close()
  for (const id of profileIds) await callApi(request, 'profiles:delete', { id })
})

/** A count of a group of tiles, as a number. */
async function count(scope: Locator, name: string): Promise<number> {
  const value = scope.getByRole('group', { name, exact: true }).getByRole('definition')
  await expect(value).toHaveText(/^\d+$/)
  return Number(await value.textContent())
}

/** The number a reason's link starts with ("4 orders of deleted customers"). */
async function ordersOf(link: Locator): Promise<number> {
  return Number(/^(\d+) /.exec((await link.textContent()) ?? '')?.[1])
}

/** Sends every order of the profile's last 12 months with progress, and gives its window. */
async function sendWithProgress(
  profile: string,
  options: { readonly createContacts: boolean; readonly createProducts: boolean },
): Promise<{ readonly id: number; readonly dialog: Locator }> {
  await openSendPage(page, profile)
  await selectAllStatuses(page)
  await openAdvanced(page)
  await page.getByLabel('Connectif rate limit (requests per minute)').fill('6000')
  await page
    .getByRole('switch', { name: 'Create missing contacts' })
    .setChecked(options.createContacts)
  await page
    .getByRole('switch', { name: 'Create missing products' })
    .setChecked(options.createProducts)
  await page.getByRole('switch', { name: 'Skip orders already sent' }).setChecked(false)
  await confirmSending(await reviewSending(page), 'progress')
  const dialog = page.getByRole('dialog', { name: /^Sending #\d+/ })
  const title = (await dialog.getByRole('heading').first().textContent()) ?? ''
  const id = Number(/#(\d+)/.exec(title)?.[1])
  expect(id).toBeGreaterThan(0)
  return { id, dialog }
}

test('the finished window counts what happened, groups the reasons, and links to them', async () => {
  const { id, dialog } = await sendWithProgress(PROFILE, {
    createContacts: true,
    createProducts: false,
  })
  await expect(
    dialog.getByRole('heading', { name: `Sending #${id} completed with errors` }),
  ).toBeVisible(LONG)
  expect(await count(dialog, 'Orders created')).toBeGreaterThan(0)
  expect(await count(dialog, 'Already in Connectif')).toBe(0)
  const skipped = await count(dialog, 'Skipped')
  const failed = await count(dialog, 'Failed')
  expect(skipped).toBeGreaterThan(0)
  expect(failed).toBeGreaterThan(0)
  // Half the customers were missing: created; products were not to be created.
  expect(await count(dialog, 'Contacts created')).toBeGreaterThan(0)
  expect(await count(dialog, 'Products created')).toBe(0)

  // Every skipped order under one reason, the failed ones under Connectif's E0102.
  const skippedReasons = dialog
    .getByRole('region', { name: 'Skipped orders, by reason' })
    .getByRole('link')
  expect(await skippedReasons.count()).toBeGreaterThan(0)
  let total = 0
  for (const link of await skippedReasons.all()) total += await ordersOf(link)
  expect(total).toBe(skipped)
  const failedReason = dialog
    .getByRole('region', { name: 'Failed orders, by reason' })
    .getByRole('link')
  await expect(failedReason).toHaveText(
    new RegExp(`^${failed} orders? with products missing from Connectif's catalogue$`),
  )
  await expect(failedReason).toHaveAttribute('href', `#/sendings/${id}?result=failed&reason=E0102`)
  await shot(page, 'finished-01-dialog')
  await expectNoAxeViolations(page, 'finished progress window with reasons')

  // A reason opens the sending's page showing only its orders, with a chip that says which.
  const first = skippedReasons.first()
  const reasonText = (await first.textContent()) ?? ''
  const reasonOrders = await ordersOf(first)
  await first.click()
  await expect(dialog).toBeHidden()
  await expect(page).toHaveURL(new RegExp(`#/sendings/${id}\\?result=skipped&reason=\\w+$`))
  await expect(page.getByText(`Showing only: ${reasonText}`)).toBeVisible()
  const grid = page.getByRole('grid', { name: `Orders of sending #${id}` })
  const rows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') })
  await expect(rows).toHaveCount(Math.min(reasonOrders, 25), LONG)
  for (const row of await rows.all()) await expect(row.getByText('Skipped')).toBeVisible()

  // The page says the same, and what the sending created.
  const outcome = page.getByRole('region', { name: 'Why orders were skipped or failed' })
  await expect(outcome.getByRole('link', { name: reasonText })).toBeVisible()
  expect(await count(outcome, 'Contacts created')).toBeGreaterThan(0)
  await shot(page, 'finished-02-sending-page-filtered')
  await expectNoAxeViolations(page, 'sending page filtered to a reason')
  // In Spanish, in agreement.
  await page.getByRole('button', { name: 'ES (Español)' }).click()
  await expect(
    page.getByRole('region', { name: 'Por qué se omitieron o fallaron pedidos' }),
  ).toBeVisible()
  await expect(page.getByText(/^Mostrando solo: \d+ pedidos? /)).toBeVisible()
  await expectNoAxeViolations(page, 'sending page filtered to a reason (es)')
  await page.getByRole('button', { name: 'EN (English)' }).click()

  // Another reason from the page, then every order again.
  await outcome
    .getByRole('link', { name: /with products missing from Connectif's catalogue$/ })
    .click()
  await expect(page).toHaveURL(new RegExp(`#/sendings/${id}\\?result=failed&reason=E0102$`))
  await expect(rows).toHaveCount(Math.min(failed, 25), LONG)
  await page.getByRole('button', { name: 'Show every order' }).click()
  await expect(page).toHaveURL(new RegExp(`#/sendings/${id}$`))
  await expect(page.getByText(/^Showing only: /)).toHaveCount(0)
})

test('a key Connectif refuses ends in a window titled as a failure, saying the 401 once', async () => {
  const { id, dialog } = await sendWithProgress(REFUSED, {
    createContacts: false,
    createProducts: false,
  })
  await expect(dialog.getByRole('heading', { name: `Sending #${id} failed` })).toBeVisible(LONG)
  const said = dialog.getByText(/Connectif refused the API key \(401\)/)
  await expect(said).toHaveCount(1)
  expect(((await dialog.textContent()) ?? '').split('(401)')).toHaveLength(2)
  await shot(page, 'finished-03-refused-key')
  await expectNoAxeViolations(page, 'failed progress window')
  await dialog.getByRole('button', { name: 'Close' }).click()
})
