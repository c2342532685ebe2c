/**
 * Nothing of a running sending is lost (issue 19): a sending started in the background shows in
 * the app bar, whose button opens its progress; "Continue in background" closes it and the
 * history's row and the sending's page open it again; the history counts its duration as it runs.
 * A sending Connectif refused the key of fails with its error in sight in the row, no Resume nor
 * Retry but what to correct and a link to the profile; once the profile is saved again, Resume is
 * offered. axe checks the history with both rows, in English and Spanish.
 *
 * The running sending goes to this spec's own Connectif account (e2e-backend.ts) at one request
 * a minute, so it runs until afterAll cancels it (the limiter's wait is cut short at once); the
 * refused one names sending-page.spec.ts's key against the main simulator, which does not know it
 * (401). Both profiles are saved and removed through the API.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { expectNoAxeViolations } from './axe-check'
import {
  callApi,
  databaseProfile,
  env,
  LONG,
  saveProfileThroughApi,
  shot,
  uiText,
} from './e2e-helpers'

/** The app's texts, so a change of wording changes nothing here. */
const t = uiText('en')
const es = uiText('es')
const SLOW = 'Running store'
const REFUSED = 'Refused key store'

test.describe.configure({ mode: 'serial' })

let page: Page
const profileIds: number[] = []
let slowSending = 0

/** Starts a background sending of every order of the store's statuses, through the API. */
async function startInBackground(
  request: APIRequestContext,
  profileId: number,
  rateLimit: number,
): Promise<number> {
  const lookup = await callApi<{
    states: readonly { id: number }[]
    orderDays: { first: string; last: string } | null
  }>(request, 'store:lookup', { profileId })
  expect(lookup.orderDays).not.toBeNull()
  const days = lookup.orderDays as { first: string; last: string }
  const rules = await callApi<{ earliestStart: string; today: string }>(request, 'sending:rules', {
    profileId,
  })
  const from = days.first > rules.earliestStart ? days.first : rules.earliestStart
  const limits = await callApi<{ latestEnd: string | null; today: string }>(
    request,
    'sending:rules',
    { profileId, from },
  )
  const ends = [days.last, rules.today, limits.latestEnd ?? rules.today].sort()
  const started = await callApi<{ sendingId: number }>(request, 'sending:start', {
    profileId,
    from,
    to: ends[0],
    stateIds: lookup.states.map((state) => state.id),
    mode: 'background',
    options: {
      triggerWorkflows: false,
      createContacts: false,
      createProducts: false,
      rateLimit,
      skipSent: false,
    },
  })
  return started.sendingId
}

test.beforeAll(async ({ browser, request }) => {
  page = await (await browser.newContext()).newPage()
  profileIds.push(
    await saveProfileThroughApi(
      request,
      databaseProfile(SLOW, { keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_RUNNING_KEY' }),
    ),
  )
  profileIds.push(
    await saveProfileThroughApi(
      request,
      databaseProfile(REFUSED, { keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_PAGES_KEY' }),
    ),
  )
})

test.afterAll(async ({ request }) => {
  if (slowSending > 0) {
    // Stopped if still running, so its profile can go.
    await callApi(request, 'sending:cancel', { sendingId: slowSending }).catch(() => undefined)
    await expect(async () => {
      const sending = await callApi<{ state: string }>(request, 'sending:get', {
        sendingId: slowSending,
      })
      expect(['running', 'queued']).not.toContain(sending.state)
    }).toPass(LONG)
  }
  for (const id of profileIds) await callApi(request, 'profiles:delete', { id })
  await page.context().close()
})

/** Closes the progress window with "Continue in background". */
async function continueInBackground(dialog: ReturnType<Page['getByRole']>): Promise<void> {
  await dialog.getByRole('button', { name: t('progress.continueInBackground') }).click()
  await expect(dialog).toBeHidden()
}

test('a sending in the background: the app bar says it runs, its progress opens from there, its row and its page', async ({
  request,
}) => {
  await page.goto(env('E2E_URL'))
  await expect(page.getByRole('tab', { name: t('nav.send') })).toBeVisible()
  // Nothing runs: nothing shows.
  await expect(page.getByTestId('running-sendings')).toHaveCount(0)

  // One request a minute: it runs until afterAll cancels it (the wait is cut short at once).
  slowSending = await startInBackground(request, profileIds[0] as number, 1)
  const badge = page.getByRole('button', {
    name: `${t('running.count_one', { count: 1 })} — ${t('running.showProgress')}`,
  })
  await expect(badge).toBeVisible(LONG)
  await shot(page, 'running-01-app-bar', { fullPage: false })

  // From the app bar.
  await badge.click()
  const dialog = page.getByRole('dialog', { name: t('progress.title', { id: slowSending }) })
  await expect(dialog).toBeVisible()
  await continueInBackground(dialog)

  // From its history row: a visible button, and its actions menu; its duration counts on.
  await page.getByRole('tab', { name: t('nav.history') }).click()
  const row = page
    .getByRole('table', { name: t('history.title') })
    .getByRole('row', { name: t('history.row', { id: slowSending }) })
  const duration = row.getByText(new RegExp(`${t('history.runningFor', { duration: '' })}\\d`))
  await expect(duration).toBeVisible()
  const before = await duration.textContent()
  await expect(duration).not.toHaveText(before ?? '', { timeout: 5_000 })
  await expect(row).not.toContainText(t('history.durationValue', { duration: '' }))
  await shot(page, 'running-02-history-row', { fullPage: false })
  await row.getByRole('button', { name: t('history.showProgressOf', { id: slowSending }) }).click()
  await expect(dialog).toBeVisible()
  await continueInBackground(dialog)
  await row.getByRole('button', { name: t('history.rowActions', { id: slowSending }) }).click()
  await page.getByRole('menuitem', { name: t('history.showProgress') }).click()
  await expect(dialog).toBeVisible()
  await continueInBackground(dialog)

  // From its page.
  await row.getByRole('link', { name: t('history.open', { id: slowSending }) }).click()
  const header = page.getByRole('region', { name: t('sendingPage.title', { id: slowSending }) })
  await header.getByRole('button', { name: t('history.showProgress') }).click()
  await expect(dialog).toBeVisible()
  await continueInBackground(dialog)
  await expect(badge).toBeVisible()
})

test('a key Connectif refused: the error in sight, no Resume nor Retry but the profile to correct, then Resume once it is saved', async ({
  request,
}) => {
  const refusedId = profileIds[1] as number
  const sendingId = await startInBackground(request, refusedId, 6000)
  await expect(async () => {
    const sending = await callApi<{ state: string }>(request, 'sending:get', { sendingId })
    expect(sending.state).toBe('failed')
  }).toPass(LONG)

  await page.getByRole('tab', { name: t('nav.history') }).click()
  const table = page.getByRole('table', { name: t('history.title') })
  const row = table.getByRole('row', { name: t('history.row', { id: sendingId }) })
  await expect(row.getByText(t('states.failed'), { exact: true })).toBeVisible()
  // What to correct, and where, with no hover.
  const note = row.getByRole('note', { name: t('fixFirst.label', { id: sendingId }) })
  await expect(note).toBeVisible()
  await expect(note).toContainText(t('fixFirst.connectif_key'))
  await expect(note.getByRole('link', { name: t('fixFirst.openProfile') })).toHaveAttribute(
    'href',
    `#/profiles/${refusedId}`,
  )
  // Connectif's own words, a press away.
  await row.getByRole('button', { name: t('history.seeError') }).click()
  await expect(row.getByText(/Connectif refused the API key \(401\)/)).toBeVisible()
  await row.getByRole('button', { name: t('history.rowActions', { id: sendingId }) }).click()
  const menu = page.getByRole('menu')
  await expect(menu.getByRole('menuitem', { name: t('fixFirst.openProfile') })).toBeVisible()
  await expect(menu.getByRole('menuitem', { name: t('history.resume') })).toHaveCount(0)
  await expect(menu.getByRole('menuitem', { name: t('history.retry') })).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(menu).toBeHidden()
  // The actions button's tooltip (shown while it has the focus) goes too.
  await page.getByRole('heading', { name: t('history.title') }).click()
  await expect(page.getByRole('tooltip')).toHaveCount(0)
  await shot(page, 'running-03-refused-key', { fullPage: false })
  await expectNoAxeViolations(page, 'history with a running and a refused sending (en)')
  await page.getByRole('button', { name: 'ES (Español)' }).click()
  const tabla = page.getByRole('table', { name: es('history.title') })
  await expect(
    tabla
      .getByRole('row', { name: es('history.row', { id: sendingId }) })
      .getByRole('note', { name: es('fixFirst.label', { id: sendingId }) }),
  ).toContainText(es('fixFirst.connectif_key'))
  await expect(
    tabla.getByText(new RegExp(`${es('history.runningFor', { duration: '' })}\\d`)),
  ).toBeVisible()
  await expectNoAxeViolations(page, 'history with a running and a refused sending (es)')
  await page.getByRole('button', { name: 'EN (English)' }).click()

  // Its page says the same, with no Resume.
  await row.getByRole('link', { name: t('history.open', { id: sendingId }) }).click()
  const header = page.getByRole('region', { name: t('sendingPage.title', { id: sendingId }) })
  const headerNote = header.getByRole('note', { name: t('fixFirst.label', { id: sendingId }) })
  await expect(headerNote).toBeVisible()
  await expect(header.getByRole('button', { name: t('history.resume') })).toHaveCount(0)
  await expectNoAxeViolations(page, 'the page of a sending with a refused key')

  // The profile saved with another key: Resume comes back.
  const saved = await callApi<{ id: number }>(request, 'profiles:save', {
    id: refusedId,
    profile: databaseProfile(REFUSED),
    secrets: {},
  })
  expect(saved.id).toBe(refusedId)
  await page.reload()
  await expect(header.getByRole('button', { name: t('history.resume') })).toBeVisible(LONG)
  await expect(headerNote).toHaveCount(0)
})
