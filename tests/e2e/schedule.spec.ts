/**
 * A merchant sets a profile's automatic sending from its card, and the scheduled run shows in the
 * history and on the card. An hour is not waited for: the e2e backend runs the scheduler on a
 * clock this spec moves on through a test-only control (tests/e2e/scheduler-control.ts). Runs
 * after app.spec.ts on the same backend (files run in name order, one worker), and switches its
 * schedule off again so nothing fires later.
 */
import { expect, test } from '@playwright/test'
import {
  env,
  fillConnectif,
  fillDatabase,
  LONG,
  saveProfile,
  shot,
  startNewProfile,
} from './e2e-helpers'

const PROFILE = 'Scheduled store'
const MINUTE = 60_000

/** Moves the scheduler's clock on by `ms`, as if that much time had passed. */
async function advanceSchedulerClock(ms: number): Promise<void> {
  const response = await fetch(`${env('E2E_SCHEDULER_CONTROL_URL')}/advance`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-e2e-scheduler-token': env('E2E_SCHEDULER_CONTROL_TOKEN'),
    },
    body: JSON.stringify({ ms }),
  })
  expect(response.status).toBe(200)
}

test('a schedule set on a profile sends on its own, and the history shows it', async ({ page }) => {
  const editor = await startNewProfile(page, PROFILE)
  await fillDatabase(editor)
  await fillConnectif(editor)
  const card = await saveProfile(page, editor, PROFILE)
  await expect(card.getByText('Automatic sending: off')).toBeVisible()

  // Browser mode cannot open at login: the setting says so, switched off.
  const openAtLogin = page.getByRole('switch', { name: 'Open Purchase Sender when I log in' })
  await expect(openAtLogin).toBeDisabled()
  await expect(page.getByText(/Only the desktop app can open at login/)).toBeVisible()

  await card.getByRole('button', { name: `Automatic sending of ${PROFILE}` }).click()
  const dialog = page.getByRole('dialog', { name: `Automatic sending: ${PROFILE}` })
  await expect(dialog.getByRole('switch', { name: 'Send automatically' })).toBeChecked()
  await dialog.getByRole('radio', { name: 'Every few hours' }).check()
  await dialog.getByRole('textbox', { name: 'Every how many hours' }).fill('1')
  // A new profile has no default statuses: the store's are offered to tick.
  const statuses = dialog.getByRole('checkbox')
  await expect(statuses.first()).toBeVisible(LONG)
  for (const status of await statuses.all()) await status.check()
  await shot(page, 'schedule-01-dialog')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()

  await expect(card.getByText('Automatic sending: every hour')).toBeVisible()
  await expect(card.getByText(/^Next run: /)).toBeVisible()
  await expect(card.getByText('Not run yet')).toBeVisible()
  await shot(page, 'schedule-02-card')

  // An hour (and a minute) later on the scheduler's clock, the run is due.
  await advanceSchedulerClock(61 * MINUTE)

  await page.getByRole('tab', { name: 'Sending history' }).click()
  const table = page.getByRole('table', { name: 'Sending history' })
  const row = table.getByRole('row', { name: /^Sending #\d+$/ }).filter({ hasText: PROFILE })
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect(row).toHaveCount(1, { timeout: 2_000 })
  }).toPass(LONG)
  await expect(row.getByText('Scheduled', { exact: true })).toBeVisible()
  await expect(row.getByText(/Completed/)).toBeVisible(LONG)
  const sending = ((await row.getAttribute('aria-label')) ?? '').replace('Sending #', '')
  await shot(page, 'schedule-03-history')

  await page.getByRole('tab', { name: 'Store profiles' }).click()
  await expect(
    card.getByText(new RegExp(`^Last run: .*, sending #${sending}: Completed$`)),
  ).toBeVisible(LONG)
  await shot(page, 'schedule-04-last-run')

  // Switched off, it says so and has no next run.
  await card.getByRole('button', { name: `Automatic sending of ${PROFILE}` }).click()
  await dialog.getByRole('switch', { name: 'Send automatically' }).uncheck()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(card.getByText('Automatic sending: off')).toBeVisible()
  await expect(card.getByText(/^Next run: /)).toHaveCount(0)
})
