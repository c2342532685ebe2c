/**
 * The one page that sends (#/send): the date presets (the store's own first and last orders
 * among them), the statuses grouped as PrestaShop sees them with their orders and the running
 * total, the Advanced section, the confirmation with the orders it will skip by reason and its
 * warning for statuses that are not validated, zero orders refused with the reason, a profile
 * whose store or Connectif key is refused said as it is picked (with the way to the profile), and
 * the entries kept across tabs, then reset once a sending starts. Its profiles are saved through
 * the browser-mode API; the one that sends uses accessibility.spec.ts's own Connectif account
 * (e2e-backend.ts), so the other specs' "already sent" counts are untouched.
 */
import { DateTime } from 'luxon'
import { expect, test, type Page } from '@playwright/test'
import { formatDay } from '../../renderer/i18n/locale-format'
import {
  callApi,
  clearStatuses,
  confirmSending,
  databaseProfile,
  env,
  LONG,
  openAdvanced,
  openSendPage,
  reviewSending,
  saveProfileThroughApi,
  shot,
  typeDate,
  uiText,
} from './e2e-helpers'

const PROFILE = 'Send page store'
const WRONG_PASSWORD = 'Send page wrong password'
const REFUSED_KEY = 'Send page refused key'
const t = uiText('en')

test.describe.configure({ mode: 'serial' })

let page: Page
let profileId = 0
const saved: number[] = []

test.beforeAll(async ({ browser, request }) => {
  profileId = await saveProfileThroughApi(
    request,
    databaseProfile(PROFILE, { keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_A11Y_KEY' }),
  )
  saved.push(profileId)
  page = await (await browser.newContext()).newPage()
  await page.goto(env('E2E_URL'))
})

test.afterAll(async ({ request }) => {
  await page.context().close()
  for (const id of saved) await callApi(request, 'profiles:delete', { id })
})

interface Lookup {
  readonly orderDays: { readonly first: string; readonly last: string } | null
  readonly states: readonly { id: number; name: string; logable: boolean; cancelled: boolean }[]
}

const dayField = (label: string) => page.getByRole('group', { name: label }).locator('input')
/** A day as the date fields write it. */
const formatDayAs = (language: 'en' | 'es', day: DateTime) => formatDay(language, day.toISODate()!)

test('offers date presets, the store’s first and last orders among them', async ({ request }) => {
  await openSendPage(page, PROFILE)
  const presets = page.getByRole('group', { name: 'Quick ranges' })
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')

  await presets.getByRole('button', { name: 'This year' }).click()
  await expect(presets.getByRole('button', { name: 'This year' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(dayField('Start date')).toHaveValue(formatDayAs('en', today.startOf('year')))
  await expect(dayField('End date')).toHaveValue(formatDayAs('en', today))

  await presets.getByRole('button', { name: 'Last year' }).click()
  const lastYear = today.minus({ years: 1 })
  await expect(dayField('Start date')).toHaveValue(formatDayAs('en', lastYear.startOf('year')))
  await expect(dayField('End date')).toHaveValue(formatDayAs('en', lastYear.endOf('year')))

  // The store's own first and last orders: one preset when they fit in one range the rules
  // allow, else one from the first and one to the last, each clipped to one year and saying so.
  const lookup = await callApi<Lookup>(request, 'store:lookup', { profileId })
  expect(lookup.orderDays).not.toBeNull()
  const first = DateTime.fromISO(lookup.orderDays!.first)
  const last = DateTime.fromISO(lookup.orderDays!.last)
  const yearAfterFirst = first.plus({ years: 1 }).minus({ days: 1 })
  if (last <= yearAfterFirst) {
    await presets.getByRole('button', { name: 'All orders' }).click()
    await expect(dayField('Start date')).toHaveValue(formatDayAs('en', first))
    await expect(dayField('End date')).toHaveValue(formatDayAs('en', last))
    await expect(page.getByTestId('preset-clipped')).toHaveCount(0)
  } else {
    await presets.getByRole('button', { name: 'From the first order' }).click()
    await expect(dayField('Start date')).toHaveValue(formatDayAs('en', first))
    await expect(dayField('End date')).toHaveValue(formatDayAs('en', yearAfterFirst))
    await expect(page.getByTestId('preset-clipped')).toHaveText(
      t('sendPage.clipped.end_one_year', { day: formatDayAs('en', yearAfterFirst) }),
    )
    await presets.getByRole('button', { name: 'To the last order' }).click()
    const yearBeforeLast = last.minus({ years: 1 }).plus({ days: 1 })
    await expect(dayField('Start date')).toHaveValue(formatDayAs('en', yearBeforeLast))
    await expect(dayField('End date')).toHaveValue(formatDayAs('en', last))
    await expect(page.getByTestId('preset-clipped')).toHaveText(
      t('sendPage.clipped.start_one_year', { day: formatDayAs('en', yearBeforeLast) }),
    )
    await shot(page, 'send-page-01-preset-clipped')
  }

  // A day typed by hand leaves the presets; a broken rule is said once, under its field.
  await typeDate(page, 'Start date', today.minus({ years: 6 }))
  await expect(presets.getByRole('button', { pressed: true })).toHaveCount(0)
  await expect(page.getByText(/The start date is more than 5 years ago/)).toHaveCount(1, LONG)
  await expect(page.getByTestId('send-blocker')).toHaveText(t('sendPage.blocked.dates'))
  await expect(page.getByRole('button', { name: 'Review and send' })).toBeDisabled()
  await shot(page, 'send-page-02-date-rule')

  await presets.getByRole('button', { name: 'Last 12 months' }).click()
  await expect(dayField('Start date')).toHaveValue(
    formatDayAs('en', today.minus({ years: 1 }).plus({ days: 1 })),
  )
  await expect(page.getByText(/The start date is more than 5 years ago/)).toHaveCount(0, LONG)
})

test('groups the statuses with their orders, subtotals and the running total', async ({
  request,
}) => {
  await openSendPage(page, PROFILE)
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  const range = {
    from: today.minus({ years: 1 }).plus({ days: 1 }).toISODate(),
    to: today.toISODate(),
  }
  const lookup = await callApi<Lookup>(request, 'store:lookup', { profileId })
  const counts = await callApi<{ byState: Record<string, number> }>(request, 'store:count', {
    profileId,
    ...range,
  })
  const orders = (id: number) => counts.byState[String(id)] ?? 0
  const groups = {
    validated: lookup.states.filter((state) => state.logable),
    notPaid: lookup.states.filter((state) => !state.logable && !state.cancelled),
    cancelled: lookup.states.filter((state) => !state.logable && state.cancelled),
  }
  for (const [id, name] of [
    ['validated', 'Validated / paid'],
    ['notPaid', 'Not paid yet'],
    ['cancelled', 'Cancelled, refunded or in error'],
  ] as const) {
    const group = page.getByRole('group', { name, exact: true })
    await expect(group).toBeVisible()
    const subtotal = groups[id].reduce((sum, state) => sum + orders(state.id), 0)
    await expect(group.getByRole('checkbox', { name: /^All / })).toHaveAccessibleName(
      new RegExp(`\\(${subtotal} orders?\\)$`),
    )
  }
  // Each status with its orders; one without any says so.
  const paid = groups.validated.find((state) => orders(state.id) > 0)!
  await expect(page.getByRole('checkbox', { name: paid.name, exact: false }).first()).toBeVisible()
  await expect(
    page.getByRole('group', { name: 'Validated / paid' }).getByText(`${orders(paid.id)} order`, {
      exact: false,
    }),
  ).not.toHaveCount(0)
  await expect(page.getByText('No orders').first()).toBeVisible()

  // The running total follows what is ticked.
  const validatedBox = page
    .getByRole('group', { name: 'Validated / paid' })
    .getByRole('checkbox', { name: /^All / })
  await clearStatuses(page)
  await expect(page.getByTestId('selected-total')).toHaveText('0 orders selected')
  await validatedBox.check()
  const validatedTotal = groups.validated.reduce((sum, state) => sum + orders(state.id), 0)
  await expect(page.getByTestId('selected-total')).toHaveText(
    `${validatedTotal} order${validatedTotal === 1 ? '' : 's'} selected`,
  )
  await shot(page, 'send-page-03-statuses')
})

test('refuses to send zero orders and says why', async () => {
  await openSendPage(page, PROFILE)
  const review = page.getByRole('button', { name: 'Review and send' })
  await clearStatuses(page)
  await expect(page.getByTestId('send-blocker')).toHaveText(t('sendPage.blocked.no_states'))
  await expect(review).toBeDisabled()

  // A status without orders in the range: still nothing to send.
  const empty = page.getByRole('checkbox', { name: /No orders$/ }).first()
  await empty.check()
  await expect(page.getByTestId('selected-total')).toHaveText('0 orders selected')
  await expect(page.getByTestId('send-blocker')).toHaveText(t('sendPage.blocked.no_orders'))
  await expect(review).toBeDisabled()
  await shot(page, 'send-page-04-zero-orders')
  await empty.uncheck()
})

test('folds the options into Advanced and confirms with the expected skips by reason', async ({
  request,
}) => {
  await openSendPage(page, PROFILE)
  const advanced = page.getByRole('button', { name: /^Advanced/ })
  await expect(advanced).toHaveAttribute('aria-expanded', 'false')
  await expect(advanced).toContainText(t('sendPage.advanced.defaults'))
  await openAdvanced(page)
  await expect(page.getByRole('switch', { name: 'Skip orders already sent' })).toBeChecked()
  await page.getByRole('switch', { name: 'Create missing products' }).uncheck()
  await expect(advanced).toContainText('Products not created')
  await page.getByRole('switch', { name: 'Create missing products' }).check()

  const validated = page
    .getByRole('group', { name: 'Validated / paid' })
    .getByRole('checkbox', { name: /^All / })
  await validated.check()
  const dialog = await reviewSending(page)
  await expect(dialog.getByTestId('not-validated-warning')).toHaveCount(0)

  // Every order mapped as the engine maps it: its skips, by reason.
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  const lookup = await callApi<Lookup>(request, 'store:lookup', { profileId })
  const stateIds = lookup.states.filter((state) => state.logable).map((state) => state.id)
  const skips = await callApi<{ skipped: number; byReason: { code: string; orders: number }[] }>(
    request,
    'sending:expected-skips',
    {
      profileId,
      from: today.minus({ years: 1 }).plus({ days: 1 }).toISODate(),
      to: today.toISODate(),
      stateIds,
    },
  )
  const region = dialog.getByRole('region', { name: 'Orders that will be skipped' })
  if (skips.skipped === 0) await expect(region).toContainText(t('sendPage.confirm.skipsNone'), LONG)
  else {
    await expect(region.getByRole('listitem')).toHaveCount(skips.byReason.length, LONG)
    for (const [index, entry] of skips.byReason.entries())
      await expect(region.getByRole('listitem').nth(index)).toContainText(String(entry.orders))
  }
  await shot(page, 'send-page-05-confirmation', { fullPage: false })
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
})

test('asks before sending statuses that are not validated', async () => {
  await openSendPage(page, PROFILE)
  await page
    .getByRole('group', { name: 'Not paid yet' })
    .getByRole('checkbox', { name: /^All / })
    .check()
  const dialog = await reviewSending(page)
  const warning = dialog.getByTestId('not-validated-warning')
  await expect(warning).toContainText('not validated (paid)')
  const progress = dialog.getByRole('button', { name: 'Send with progress', exact: true })
  const background = dialog.getByRole('button', { name: 'Send in background', exact: true })
  await expect(progress).toBeDisabled()
  await expect(background).toBeDisabled()
  await warning.getByRole('checkbox', { name: 'Send them as purchases anyway' }).check()
  await expect(progress).toBeEnabled()
  await shot(page, 'send-page-06-not-validated', { fullPage: false })
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await page
    .getByRole('group', { name: 'Not paid yet' })
    .getByRole('checkbox', { name: /^All / })
    .uncheck()
})

test('says at once when the store or a Connectif key of the profile is refused', async ({
  request,
}) => {
  const wrong = await saveProfileThroughApi(
    request,
    databaseProfile(WRONG_PASSWORD, { passwordEnv: 'PURCHASE_SENDER_E2E_DB_WRONG_PASSWORD' }),
  )
  // A key Connectif does not know: the database password's value.
  const refused = await saveProfileThroughApi(
    request,
    databaseProfile(REFUSED_KEY, { keyEnv: 'PURCHASE_SENDER_E2E_DB_PASSWORD' }),
  )
  saved.push(wrong, refused)
  await page.reload()
  await page.getByRole('tab', { name: 'Send orders' }).click()
  const select = page.getByRole('combobox', { name: 'Profile' })

  await select.click()
  await page.getByRole('option', { name: REFUSED_KEY, exact: true }).click()
  const problems = page.getByTestId('profile-check-problems')
  await expect(problems).toContainText('Connectif (Main account)', LONG)
  // The page stays usable meanwhile: the statuses are read all the same.
  await expect(page.getByTestId('selected-total')).toBeVisible(LONG)

  await select.click()
  await page.getByRole('option', { name: WRONG_PASSWORD, exact: true }).click()
  await expect(page.getByText(t('sendPage.check.running'))).toBeVisible()
  await expect(problems).toContainText('The database refused the user', LONG)
  // Said once: not again where the statuses would be.
  await expect(page.getByText('The database refused the user')).toHaveCount(1)
  await shot(page, 'send-page-07-wrong-password')
  await problems.getByRole('link', { name: 'Open the profile' }).click()
  await expect(page).toHaveURL(new RegExp(`#/profiles/${wrong}$`))
})

test('keeps its entries across tabs, and starts again once a sending starts', async () => {
  await page.getByRole('tab', { name: 'Send orders' }).click()
  await openSendPage(page, PROFILE)
  await clearStatuses(page)
  const validated = page
    .getByRole('group', { name: 'Validated / paid' })
    .getByRole('checkbox', { name: /^All / })
  await validated.check()
  await openAdvanced(page)
  await page.getByLabel('Connectif rate limit (requests per minute)').fill('6000')
  const start = await dayField('Start date').inputValue()
  const total = await page.getByTestId('selected-total').textContent()

  await page.getByRole('tab', { name: 'Sending history' }).click()
  await expect(page.getByRole('heading', { name: 'Sending history' })).toBeVisible()
  await page.getByRole('tab', { name: 'Send orders' }).click()
  await expect(page.getByRole('combobox', { name: 'Profile' })).toContainText(PROFILE)
  await expect(dayField('Start date')).toHaveValue(start)
  await expect(validated).toBeChecked()
  await expect(page.getByTestId('selected-total')).toHaveText(total ?? '')
  await expect(page.getByLabel('Connectif rate limit (requests per minute)')).toHaveValue('6000')

  const dialog = await reviewSending(page)
  await confirmSending(dialog, 'background')
  await expect(page.getByText(/Sending #\d+ started in the background/)).toBeVisible(LONG)
  // A new sending starts from the profile's defaults and the last 12 months.
  await expect(page.getByRole('button', { name: 'Last 12 months' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(page.getByRole('button', { name: /^Advanced/ })).toContainText(
    t('sendPage.advanced.defaults'),
  )
})
