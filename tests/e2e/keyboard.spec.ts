/**
 * Keyboard alone (issue 16): after the page opens, every step is a key press (Tab, Shift+Tab,
 * Enter, Space, arrows, Escape, typing), never a click, a fill or a focus; locators only look.
 * A whole sending: the profile, the dates typed into the date fields, a status group and a status
 * toggled with Space, the Advanced section's switches and rate, the confirmation, the progress
 * window to the end and closed with Escape (the focus back on the page), then the history's
 * report download, the sending's page and an order's detail from the grid. And the profile editor's page: opened,
 * filled and saved, opened again and left with its Cancel button, the profile deleted. The focus is always visible:
 * checked at each kind of control.
 *
 * Its profile is saved through the API and sends a few days' orders to its own Connectif account
 * (e2e-backend.ts), so nothing it sends is "already sent" for the other specs.
 */
import { DateTime } from 'luxon'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { formatDay } from '../../renderer/i18n/locale-format'
import {
  callApi,
  databaseProfile,
  dayKeys,
  env,
  LONG,
  pressKeys,
  saveProfileThroughApi,
} from './e2e-helpers'

const PROFILE = 'Keyboard store'
const EDITED = 'Keyboard editor store'

let profileId = 0

test.beforeAll(async ({ request }) => {
  profileId = await saveProfileThroughApi(
    request,
    databaseProfile(PROFILE, { keyEnv: 'PURCHASE_SENDER_E2E_CONNECTIF_KEYBOARD_KEY' }),
  )
})

test.afterAll(async ({ request }) => {
  if (profileId > 0) await callApi(request, 'profiles:delete', { id: profileId })
})

/*
 * What the functions below use in the page: the specs are type-checked without the DOM's types
 * (tsconfig.json covers main/ too), so just these, for this module alone.
 */
interface PageElement {
  closest(selector: string): PageElement | null
  querySelector(selector: string): PageElement | null
  contains(other: PageElement | null): boolean
}
declare const document: { readonly activeElement: PageElement | null; readonly body: PageElement }
declare function getComputedStyle(element: PageElement): {
  readonly outlineStyle: string
  readonly outlineWidth: string
  readonly borderTopWidth: string
}

/** Whether `target` has the focus now. */
function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => (element as unknown) === document.activeElement)
}

/** Whether the focus is inside `scope` (a dialog). */
function focusInside(scope: Locator): Promise<boolean> {
  return scope.evaluate((element) =>
    (element as unknown as PageElement).contains(document.activeElement),
  )
}

/** Presses Tab (Shift+Tab when `back`) until `target` has the focus. */
async function tabTo(page: Page, target: Locator, back = false): Promise<void> {
  await expect(target).toBeAttached()
  for (let presses = 0; presses < 60; presses++) {
    if (await isFocused(target)) return
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  }
  await expect(target).toBeFocused({ timeout: 1 })
}

/**
 * The focused control shows it: a 2 px outline on it, or on the MUI control it is the hidden
 * input of (a checkbox's, a switch's, a radio's `.Mui-focusVisible` root) or the chart it is the
 * keyboard layer of; a field (text, select, date) by its border, 2 px thick while focused.
 */
async function expectVisibleFocus(page: Page, what: string): Promise<void> {
  const ring = await page.evaluate(() => {
    const focused = document.activeElement
    if (!focused || focused === document.body) return false
    const shown =
      focused.closest('.Mui-focusVisible') ?? focused.closest('.MuiChartsSurface-root') ?? focused
    const style = getComputedStyle(shown)
    const border = focused.closest('.Mui-focused')?.querySelector('fieldset')
    return (
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) ||
      (border != null && parseFloat(getComputedStyle(border).borderTopWidth) >= 2)
    )
  })
  expect(ring, `${what}: nothing has the focus, or it does not show`).toBe(true)
}

/**
 * Types a day into a date field reached with Tab, its sections in the field's order (month, day,
 * year; the month as its number); the field writes it as the sentences do.
 */
async function typeDay(page: Page, label: string, day: DateTime): Promise<void> {
  const field = page.getByRole('group', { name: label })
  await tabTo(page, field.getByRole('spinbutton').first())
  // The page offers a range at first: its day is cleared (every section, then Backspace) first.
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Backspace')
  await pressKeys(page, dayKeys(day, 'en'))
  await expect(field.locator('input')).toHaveValue(formatDay('en', day.toISODate() ?? ''))
}

test('a whole sending by keyboard alone, then its report, page and an order', async ({ page }) => {
  await page.goto(env('E2E_URL'))
  await expect(page.getByRole('heading', { name: 'Send orders to Connectif' })).toBeVisible()

  // 1. Profile: the list opens with the arrow key, typing finds the profile, Enter picks it.
  const profile = page.getByRole('combobox', { name: 'Profile' })
  await tabTo(page, profile)
  await expectVisibleFocus(page, 'profile list')
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('listbox')).toBeVisible()
  // Type-ahead: its first word (a space would pick the focused option).
  await page.keyboard.type(PROFILE.split(' ')[0] ?? '', { delay: 20 })
  await expect(page.getByRole('option', { name: PROFILE })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('listbox')).toBeHidden()
  await expect(profile).toHaveText(PROFILE)

  // 2. Dates, typed: past the presets, into the start and end dates.
  const today = DateTime.now().setZone('Europe/Madrid').startOf('day')
  const thisYear = page.getByRole('button', { name: 'This year' })
  await tabTo(page, thisYear)
  await expectVisibleFocus(page, 'date preset')
  await typeDay(page, 'Start date', today.minus({ days: 30 }))
  await typeDay(page, 'End date', today.minus({ days: 1 }))

  // 3. Statuses: a whole group with Space, then one status off and on again.
  const validated = page
    .getByRole('group', { name: 'Validated / paid' })
    .getByRole('checkbox', { name: /^All / })
  await tabTo(page, validated)
  await expectVisibleFocus(page, 'status group')
  if (!(await validated.isChecked())) await page.keyboard.press('Space')
  await expect(validated).toBeChecked()
  const first = page
    .getByRole('group', { name: 'Validated / paid' })
    .getByRole('checkbox', { name: /orders?$/ })
    .first()
  await tabTo(page, first)
  await expectVisibleFocus(page, 'status checkbox')
  await page.keyboard.press('Space')
  await expect(first).not.toBeChecked()
  await page.keyboard.press('Space')
  await expect(first).toBeChecked()
  // The weekly chart is a stop too (its arrows go from bar to bar), its focus shown around it.
  const chart = page.getByRole('figure', { name: 'Orders per week, by status' })
  await tabTo(page, chart.locator('[tabindex="0"]').first())
  await expectVisibleFocus(page, 'weekly chart')

  // 4. Advanced, opened with Enter: switches with Space, the rate typed.
  const advanced = page.getByRole('button', { name: /^Advanced/ })
  await tabTo(page, advanced)
  await expectVisibleFocus(page, 'Advanced')
  await page.keyboard.press('Enter')
  await expect(advanced).toHaveAttribute('aria-expanded', 'true')
  for (const name of ['Create missing contacts', 'Create missing products']) {
    const option = page.getByRole('switch', { name })
    await tabTo(page, option)
    await expectVisibleFocus(page, name)
    await page.keyboard.press('Space')
    await expect(option).not.toBeChecked()
  }
  const rate = page.getByRole('textbox', { name: 'Connectif rate limit (requests per minute)' })
  await tabTo(page, rate)
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type('6000')
  await expect(rate).toHaveValue('6000')

  // 5. The confirmation, and the sending with its progress window.
  const review = page.getByRole('button', { name: 'Review and send' })
  await expect(review).toBeEnabled(LONG)
  await tabTo(page, review)
  await expectVisibleFocus(page, 'Review and send')
  await page.keyboard.press('Enter')
  const confirmation = page.getByRole('dialog', { name: 'Confirm the sending' })
  await expect(confirmation.getByTestId('orders-to-send')).toHaveText(/^[1-9]\d*$/, LONG)
  expect(await focusInside(confirmation)).toBe(true)
  const confirm = confirmation.getByRole('button', { name: 'Send with progress', exact: true })
  await tabTo(page, confirm)
  await expectVisibleFocus(page, 'Send with progress')
  await page.keyboard.press('Enter')
  const progress = page.getByRole('dialog', { name: /^Sending #\d+/ })
  await expect(progress).toBeVisible()
  // The focus moved into the window.
  expect(await focusInside(progress)).toBe(true)
  const finished = progress.getByRole('heading', { name: /^Sending #\d+ completed/ })
  await expect(finished).toBeVisible(LONG)
  const sendingId = Number(/#(\d+)/.exec((await finished.textContent()) ?? '')?.[1])
  expect(sendingId).toBeGreaterThan(0)
  await expect(progress.getByRole('status').filter({ hasText: /^Completed/ })).toBeVisible()
  await tabTo(page, progress.getByRole('button', { name: 'Go to history and report' }))
  await expectVisibleFocus(page, 'progress window button')
  // Escape closes it; the focus goes back to the send page, at its top (it starts again).
  await page.keyboard.press('Escape')
  await expect(progress).toBeHidden()
  await expect(page.getByRole('region', { name: 'Profile' })).toBeFocused()

  // 6. The history, through the navigation's tabs (arrows move, Enter opens).
  await tabTo(page, page.getByRole('tab', { name: 'Send orders' }), true)
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('tab', { name: 'Sending history' })).toBeFocused()
  await expectVisibleFocus(page, 'navigation tab')
  await page.keyboard.press('Enter')
  const history = page.getByRole('table', { name: 'Sending history' })
  const row = history.getByRole('row', { name: `Sending #${sendingId}` })
  await expect(row.getByText('Completed')).toBeVisible(LONG)
  // The row's actions are one menu button: Enter opens it on its first item, the arrows move.
  const actions = row.getByRole('button', { name: `Actions for sending #${sendingId}` })
  await tabTo(page, actions)
  await expectVisibleFocus(page, 'row actions')
  await page.keyboard.press('Enter')
  const download = page.getByRole('menuitem', {
    name: `Download the report of sending #${sendingId}`,
  })
  await expect(page.getByRole('menuitem').first()).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(download).toBeFocused()
  const [report] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
  expect(report.suggestedFilename()).toMatch(new RegExp(`_sending-${sendingId}\\.csv$`))
  // The menu closed, its button has the focus back.
  await expect(actions).toBeFocused()

  // 7. The sending's page, and an order's detail from the grid; Escape gives the focus back.
  const open = row.getByRole('link', { name: `Open sending #${sendingId}` })
  await tabTo(page, open, true)
  await expectVisibleFocus(page, 'sending link')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: `Sending #${sendingId}`, level: 2 })).toBeVisible()
  const grid = page.getByRole('grid', { name: `Orders of sending #${sendingId}` })
  const show = grid.getByRole('button', { name: /^Show order \d+$/ }).first()
  await expect(show).toBeVisible(LONG)
  // The grid is one stop: its first column's header, then the arrows go from cell to cell.
  await tabTo(page, grid.getByRole('columnheader').first())
  await expectVisibleFocus(page, 'grid header')
  await page.keyboard.press('ArrowDown')
  await expect(show).toBeFocused()
  await expectVisibleFocus(page, 'order detail button')
  await page.keyboard.press('Enter')
  const detail = page.getByRole('dialog')
  await expect(detail).toBeVisible()
  expect(await focusInside(detail)).toBe(true)
  await page.keyboard.press('Escape')
  await expect(detail).toBeHidden()
  await expect(show).toBeFocused()
})

test('the profile editor by keyboard alone: new, saved, dismissed, deleted', async ({ page }) => {
  await page.goto(env('E2E_URL'))
  const sendTab = page.getByRole('tab', { name: 'Send orders' })
  await tabTo(page, sendTab)
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByRole('tab', { name: 'Store profiles' })).toBeFocused()
  await page.keyboard.press('Enter')

  const create = page.getByRole('button', { name: 'New profile' })
  await tabTo(page, create)
  await page.keyboard.press('Enter')
  const editor = page.getByRole('form', { name: 'New store profile' })
  await expect(editor).toBeVisible()
  // The page opens on the new profile's name.
  await expect(editor.getByRole('textbox', { name: 'Profile name', exact: true })).toBeFocused()

  const fields: readonly [string, string][] = [
    ['Profile name', EDITED],
    ['Host', env('E2E_DB_HOST')],
    ['Port', env('E2E_DB_PORT')],
    ['Database', env('E2E_DB_NAME')],
    ['User', env('E2E_DB_USER')],
    ['Database password environment variable', 'PURCHASE_SENDER_E2E_DB_PASSWORD'],
    ['Connectif API URL', env('E2E_CONNECTIF_URL')],
    ['Connectif API key environment variable', 'PURCHASE_SENDER_E2E_CONNECTIF_KEYBOARD_KEY'],
  ]
  for (const [label, value] of fields) {
    const field = editor.getByRole('textbox', { name: label, exact: true })
    await tabTo(page, field)
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type(value)
    await expect(field).toHaveValue(value)
  }
  const save = editor.getByRole('button', { name: 'Save profile' })
  await tabTo(page, save)
  await expectVisibleFocus(page, 'Save profile')
  await page.keyboard.press('Enter')
  await expect(editor).toBeHidden()
  // Back where the editor was opened from.
  await expect(create).toBeFocused()

  // Its connection tested from its card: the focus back on the button once it answered.
  const card = page.getByRole('article', { name: EDITED })
  const test = card.getByRole('button', { name: `Test connection of ${EDITED}` })
  await tabTo(page, test)
  await page.keyboard.press('Enter')
  await expect(card.getByRole('alert').filter({ hasText: 'Store:' })).toContainText(
    'Connected: PrestaShop',
    LONG,
  )
  await expect(test).toBeFocused()

  // Opened again, left with Cancel: the focus back on its button.
  const edit = card.getByRole('button', { name: `Edit ${EDITED}` })
  await tabTo(page, edit)
  await expectVisibleFocus(page, 'edit button')
  await page.keyboard.press('Enter')
  const again = page.getByRole('form', { name: `Edit "${EDITED}"` })
  await expect(again).toBeVisible()
  expect(await focusInside(again)).toBe(true)
  await tabTo(page, again.getByRole('button', { name: 'Cancel' }))
  await expectVisibleFocus(page, 'Cancel')
  await page.keyboard.press('Enter')
  await expect(again).toBeHidden()
  await expect(edit).toBeFocused()

  // Deleted: its card goes, the focus goes to the page's New profile button.
  await tabTo(page, card.getByRole('button', { name: `Delete ${EDITED}` }))
  await page.keyboard.press('Enter')
  const confirm = page.getByRole('dialog', { name: 'Delete this profile?' })
  await expect(confirm).toBeVisible()
  await tabTo(page, confirm.getByRole('button', { name: 'Delete', exact: true }))
  await page.keyboard.press('Enter')
  await expect(card).toBeHidden()
  await expect(create).toBeFocused()
})
