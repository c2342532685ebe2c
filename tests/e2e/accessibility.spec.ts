/**
 * Every screen and dialog passes axe-core (axe-check.ts: WCAG 2.1 A and AA, and the structure
 * best practices), in English and in Spanish: the send page with its errors, its Advanced
 * section and its confirmation, the progress window while it sends, its cancel confirmation and
 * once finished, the history, a sending's page and its order detail, a sending that does not exist, the profiles,
 * the profile editor's page with a target, a passed and a failed connection test, its validation
 * errors and its discard confirmation, the new profile's page, the schedule settings, the delete confirmation, and the page
 * opened without its token.
 *
 * One page per language walks through them all. Its profile is saved through the API and sends to
 * its own Connectif account (e2e-backend.ts), so nothing it sends is "already sent" for the other
 * specs; it is deleted at the end (its sendings stay in the history, under its name). A sending
 * is paced at ten requests a minute, so its progress window can be checked while it sends, and
 * cancelled (not slower: the cancelled sending holds the profile's store connection until its
 * next request is due, and the profiles page tests that connection).
 */
import { DateTime } from 'luxon'
import { expect, test, type Page } from '@playwright/test'
import { MAX_RATE_LIMIT } from '../../preload/contract'
import { expectNoAxeViolations } from './axe-check'
import {
  callApi,
  databaseProfile,
  env,
  LONG,
  saveProfileThroughApi,
  typeDate,
  uiText,
  type Language,
} from './e2e-helpers'

const PROFILE = 'Accessible store'

let profileId = 0

test.beforeAll(async ({ request }) => {
  profileId = await saveProfileThroughApi(
    request,
    databaseProfile(PROFILE, { keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_A11Y_KEY' }),
  )
})

test.afterAll(async ({ request }) => {
  if (profileId > 0) await callApi(request, 'profiles:delete', { id: profileId })
})

const LANGUAGES: readonly Language[] = ['en', 'es']

/** What a walk through the screens in one language needs. */
interface Walk {
  readonly page: Page
  readonly t: ReturnType<typeof uiText>
  readonly language: Language
  /** Runs axe on the screen as it is. */
  readonly check: (screen: string) => Promise<void>
}

for (const language of LANGUAGES) {
  test(`every screen and dialog passes axe, in ${language}`, async ({ page }) => {
    // Some thirty screens, each scanned: past the default three minutes on a busy machine.
    test.slow()
    const t = uiText(language)
    const walk: Walk = {
      page,
      t,
      language,
      check: (screen) => expectNoAxeViolations(page, `${screen} (${language})`),
    }

    // The theme then turns transitions off: each screen is ready for axe as soon as it shows.
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.goto(env('E2E_URL'))
    // Named by its visible code first (label in name), then the language's own name.
    await page.getByRole('button', { name: new RegExp(`^${language.toUpperCase()} \\(`) }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', language)

    const sendingId = await walkTheSendPage(walk)
    await walkTheSending(walk, sendingId)
    await walkTheProfiles(walk)

    // Opened without its token, the page cannot reach the engine, and says so.
    await page.goto(new URL('/', env('E2E_URL')).href)
    await expect(
      page.getByRole('heading', { level: 1, name: t('app.noBridgeTitle') }),
    ).toBeVisible()
    await walk.check('page without its engine')
  })
}

/**
 * The send page, with its errors (a date rule broken, no status, an invalid rate limit), its
 * Advanced section and its confirmation, then the progress window of a sending it starts.
 */
async function walkTheSendPage({ page, t, language, check }: Walk): Promise<number> {
  await page.getByRole('tab', { name: t('nav.send') }).click()
  await page.getByRole('combobox', { name: t('wizard.profile') }).click()
  await page.getByRole('option', { name: PROFILE }).click()
  await expect(page.getByTestId('selected-total')).toBeVisible(LONG)
  await check('send page')

  // A start more than five years ago is refused where it is typed, once.
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  await typeDate(page, t('wizard.from'), today.minus({ years: 6 }), language)
  const tooOld = t('rules.from_over_five_years_ago').split(':')[0] ?? ''
  await expect(page.getByText(tooOld)).toHaveCount(1, LONG)
  await expect(page.getByTestId('send-blocker')).toHaveText(t('sendPage.blocked.dates'))
  await check('send page, with a date rule broken')
  // Three months: a couple of dozen orders, that take minutes at the pace below (it is cancelled).
  await typeDate(page, t('wizard.from'), today.minus({ days: 90 }), language)
  await typeDate(page, t('wizard.to'), today.minus({ days: 1 }), language)
  await expect(page.getByTestId('selected-total')).toBeVisible(LONG)

  // No status: nothing to send, and why; the weekly chart's numbers.
  const groups = (['validated', 'notPaid', 'cancelled'] as const).map((group) =>
    page
      .getByRole('group', { name: t(`sendPage.groups.${group}`), exact: true })
      .getByRole('checkbox')
      .first(),
  )
  // A group's box picks it whole: a group partly picked is ticked whole, then unticked.
  for (const group of groups) {
    await group.check()
    await group.uncheck()
  }
  await expect(page.getByTestId('send-blocker')).toHaveText(t('sendPage.blocked.no_states'))
  const showTable = page.getByRole('button', { name: t('wizard.weeklyShowTable') })
  await expect(showTable).toBeVisible(LONG)
  await showTable.click()
  await expect(page.getByRole('table', { name: t('wizard.weeklyTitle') })).toBeVisible()
  await check('send page, no status chosen, with the weekly numbers')
  for (const group of groups) await group.check()

  // Advanced: an invalid rate limit is explained; then ten requests a minute.
  await page.getByRole('button', { name: new RegExp(`^${t('sendPage.advanced.title')}`) }).click()
  const rate = page.getByRole('textbox', { name: t('wizard.rateLimit') })
  await rate.fill('0')
  await expect(page.getByText(t('wizard.rateLimitInvalid', { max: MAX_RATE_LIMIT }))).toBeVisible()
  await check('send page, Advanced with an invalid rate limit')
  await rate.fill('10')
  await page.getByRole('switch', { name: t('wizard.createContacts') }).setChecked(false)
  await page.getByRole('switch', { name: t('wizard.createProducts') }).setChecked(false)
  // The other walk sent the same orders: send them again.
  await page.getByRole('switch', { name: t('wizard.skipSent') }).setChecked(false)

  // The confirmation: the summary, the skips by reason, the statuses not validated accepted.
  await page.getByRole('button', { name: t('sendPage.review') }).click()
  const confirmation = page.getByRole('dialog', { name: t('sendPage.confirm.title') })
  await expect(confirmation.getByTestId('orders-to-send')).toHaveText(/^[1-9]\d*$/, LONG)
  await expect(confirmation.getByText(t('sendPage.confirm.skipsChecking'))).toHaveCount(0, LONG)
  await expect(confirmation.getByTestId('not-validated-warning')).toBeVisible()
  await check('send page, confirmation')
  await confirmation
    .getByRole('checkbox', { name: t('sendPage.confirm.notValidatedAccept') })
    .check()
  await confirmation.getByRole('button', { name: t('wizard.modeProgress'), exact: true }).click()

  // The progress window while it sends, its cancel confirmation, and once it is cancelled.
  const progress = page.getByRole('dialog', { name: /#\d+/ })
  await expect(progress).toBeVisible()
  const title = (await progress.getByRole('heading').first().textContent()) ?? ''
  const sendingId = Number(/#(\d+)/.exec(title)?.[1])
  expect(sendingId).toBeGreaterThan(0)
  await expect(progress.getByRole('progressbar', { name: t('progress.bar') })).toBeVisible()
  await check('progress window, sending')
  await progress.getByRole('button', { name: t('progress.cancel') }).click()
  const confirm = page.getByRole('dialog', { name: t('progress.cancelTitle') })
  await expect(confirm).toBeVisible()
  await check('progress window, cancel confirmation')
  await confirm.getByRole('button', { name: t('progress.confirmCancel') }).click()
  await expect(
    progress.getByRole('heading', { name: t('outcome.title.cancelled', { id: sendingId }) }),
  ).toBeVisible(LONG)
  await check('progress window, finished')
  await progress.getByRole('button', { name: t('progress.openReport') }).click()
  return sendingId
}

/** The history, the sending's page and its order detail, and a sending that does not exist. */
async function walkTheSending({ page, t, check }: Walk, sendingId: number): Promise<void> {
  const history = page.getByRole('table', { name: t('history.title') })
  await expect(history).toBeVisible()
  await expect(
    history.getByRole('row', { name: t('history.row', { id: sendingId }) }),
  ).toBeVisible()
  await check('history')

  // The sending's page, and what one order sent.
  await history.getByRole('link', { name: t('history.open', { id: sendingId }) }).click()
  const grid = page.getByRole('grid', { name: t('sendingPage.grid', { id: sendingId }) })
  const rows = grid.locator('[role="row"][data-id]')
  await expect(rows.first()).toBeVisible(LONG)
  await check('sending page')
  // The order's id is not known here: its texts are matched with \d+ in its place.
  await rows
    .first()
    .getByRole('button', { name: new RegExp(`^${t('sendingPage.showOrder', { id: '\\d+' })}$`) })
    .click()
  const detail = page.getByRole('dialog', {
    name: new RegExp(`^${t('sendingPage.detailTitleShort', { id: '\\d+' })}`),
  })
  await expect(detail.getByRole('heading').first()).toBeVisible()
  await expect(detail.getByRole('progressbar')).toHaveCount(0, LONG)
  await check('order detail')
  await detail.getByRole('button', { name: t('common.close'), exact: true }).click()
  await expect(detail).toBeHidden()

  // A sending that does not exist.
  await page.evaluate('window.location.hash = "#/sendings/999999"')
  await expect(page.getByText(t('sendingPage.notFoundTitle', { id: 999999 }))).toBeVisible(LONG)
  await check('sending not found')
}

/** The profiles, the profile editor, the schedule settings and the delete confirmation. */
async function walkTheProfiles({ page, t, check }: Walk): Promise<void> {
  await page.getByRole('tab', { name: t('nav.profiles') }).click()
  const card = page.getByRole('article', { name: PROFILE })
  await expect(card).toBeVisible()
  await card.getByRole('button', { name: t('profiles.testNamed', { name: PROFILE }) }).click()
  await expect(card.getByRole('alert').first()).toBeVisible(LONG)
  await expect(card.getByRole('progressbar')).toHaveCount(0, LONG)
  await check('profiles, connection tested')

  // The editor: a target, a passed and a failed connection test, validation errors (the editor's
  // Database fields; the new profile's form below shows the Webservice ones).
  await card.getByRole('button', { name: t('profiles.editNamed', { name: PROFILE }) }).click()
  const editor = page.getByRole('form', { name: t('profile.editTitle', { name: PROFILE }) })
  await expect(editor).toBeVisible()
  // The targets editor: a new target serves everything and has no key, which the form refuses.
  await editor.getByRole('button', { name: t('targets.add') }).click()
  const target = editor.getByRole('group', { name: t('targets.title', { number: 1 }) })
  await expect(target).toBeVisible()
  await editor.getByRole('button', { name: t('profile.save') }).click()
  await expect(target.getByText(t('targets.errors.keyEnvRequired'))).toBeVisible()
  await check('profile editor, a target with validation errors')
  await target.getByRole('button', { name: t('targets.remove', { number: 1 }) }).click()
  await expect(target).toHaveCount(0)
  await editor.getByRole('button', { name: t('profile.test') }).click()
  const results = editor.getByRole('region', { name: t('profile.testResults') })
  await expect(results.getByRole('alert').first()).toBeVisible(LONG)
  await check('profile editor, connection tested')
  await editor
    .getByRole('textbox', { name: t('profile.passwordEnv'), exact: true })
    .fill('PURCHASE_SENDER_E2E_DB_WRONG_PASSWORD')
  await editor.getByRole('button', { name: t('profile.test') }).click()
  await expect(
    results.getByRole('alert').filter({ hasText: t('profile.storeCheck') }),
  ).toContainText(env('E2E_DB_USER'), LONG)
  // Its result stays while the form is refused.
  await editor.getByRole('textbox', { name: t('profile.name'), exact: true }).fill('')
  await editor.getByRole('button', { name: t('profile.save') }).click()
  await expect(editor.getByText(t('profile.errors.name'))).toBeVisible()
  await check('profile editor, a failed connection test and validation errors')
  // Its changes are not thrown away without asking.
  await editor.getByRole('button', { name: t('common.cancel') }).click()
  const discard = page.getByRole('dialog', { name: t('profile.leaveTitle') })
  await expect(discard).toBeVisible()
  await check('profile editor, discard the changes confirmation')
  await discard.getByRole('button', { name: t('profile.discardChanges') }).click()
  await expect(editor).toBeHidden()

  // A new profile's form, reading the store through its Webservice.
  await page.getByRole('button', { name: t('profiles.new') }).click()
  const form = page.getByRole('form', { name: t('profile.newTitle') })
  await form.getByRole('radio', { name: t('profile.sourceWebservice') }).check()
  await expect(form.getByRole('note', { name: t('profile.wsKeyHelpTitle') })).toBeVisible()
  await check('new profile, Webservice')
  await form.getByRole('button', { name: t('common.cancel') }).click()
  await page
    .getByRole('dialog', { name: t('profile.leaveTitle') })
    .getByRole('button', { name: t('profile.discardChanges') })
    .click()
  await expect(form).toBeHidden()

  // The schedule settings.
  await card.getByRole('button', { name: t('schedule.buttonNamed', { name: PROFILE }) }).click()
  const schedule = page.getByRole('dialog', { name: t('schedule.title', { name: PROFILE }) })
  await expect(schedule.getByRole('checkbox').first()).toBeVisible(LONG)
  await check('schedule settings')
  await schedule.getByRole('button', { name: t('common.cancel') }).click()
  await expect(schedule).toBeHidden()

  // History and privacy: keeping payloads for some days, and forgetting a customer.
  await page.getByRole('radio', { name: t('privacy.keepDays') }).check()
  await expect(page.getByRole('textbox', { name: t('privacy.days') })).toBeVisible()
  await check('privacy settings, keeping payloads for some days')
  await page.getByRole('radio', { name: t('privacy.keepAlways') }).check()
  await page.getByRole('button', { name: t('privacy.forgetButton') }).click()
  const forget = page.getByRole('dialog', { name: t('privacy.forgetTitle') })
  await expect(forget).toBeVisible()
  await check('forget a customer confirmation')
  await forget.getByRole('button', { name: t('common.cancel') }).click()
  await expect(forget).toBeHidden()

  // Exporting profiles.
  await page.getByRole('button', { name: t('profileFile.export') }).click()
  const exporting = page.getByRole('dialog', { name: t('profileFile.exportTitle') })
  await expect(exporting).toBeVisible()
  await check('export profiles')
  await exporting.getByRole('button', { name: t('common.cancel') }).click()
  await expect(exporting).toBeHidden()

  // Help and diagnostics.
  await page.getByRole('button', { name: t('help.open') }).click()
  const help = page.getByRole('dialog', { name: t('help.title') })
  await expect(help.getByRole('heading', { name: t('help.problems') })).toBeVisible(LONG)
  await check('help and diagnostics')
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()

  // The delete confirmation (the profile stays: afterAll deletes it).
  await card.getByRole('button', { name: t('profiles.deleteNamed', { name: PROFILE }) }).click()
  const remove = page.getByRole('dialog', { name: t('profiles.deleteTitle') })
  await expect(remove).toBeVisible()
  await check('delete profile confirmation')
  await remove.getByRole('button', { name: t('common.cancel') }).click()
  await expect(remove).toBeHidden()
}
