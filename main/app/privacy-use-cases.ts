/**
 * Keeping the history small and erasing a customer, for every entry point:
 *
 * - Retention: an app setting kept in the history (off by default) removes the payloads and
 *   Connectif's answers of sendings finished more than N days ago; results and counts stay. It
 *   runs when the app starts, after each sync (the app's schedules, the command line's `sync`)
 *   and when it is saved. Each run is recorded with the bytes of the database file and its WAL
 *   before and after (HistoryStore.applyRetention).
 * - Erasing a customer at their request (`forget --email`, the app's Privacy section): every
 *   order row with that e-mail loses the e-mail, its payload and answer, in the file too
 *   (HistoryStore.forgetCustomer). Neither Connectif nor the store is touched.
 */
import { totalBytes } from '../core/history/history-maintenance'
import type { CustomerForgotten, MaintenanceRunView, RetentionView } from '../../preload/contract'
import { RETENTION_DAYS } from '../../preload/contract'
import type { MaintenanceRun } from '../core/history/history-store'
import type { AppContext } from './app-context'
import { AppError } from './app-errors'

/** The key of the setting in the history's `app_settings`. */
export const RETENTION_SETTING = 'history.retentionDays'

/** An address: something, one @, something; no spaces. The store's own may be odd, so no more. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/

export function maintenanceRunView(run: MaintenanceRun): MaintenanceRunView {
  return {
    at: run.ranAt,
    days: run.days,
    sendings: run.sendings,
    orders: run.orders,
    bytesBefore: run.bytesBefore,
    bytesAfter: run.bytesAfter,
    vacuumed: run.vacuumed,
  }
}

function isRetentionDays(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= RETENTION_DAYS.min &&
    value <= RETENTION_DAYS.max
  )
}

/** The days payloads and answers are kept; null when they are kept for ever. */
export function retentionDays(context: AppContext): number | null {
  const value = context.history.setting(RETENTION_SETTING)
  if (value === undefined || value === null) return null
  if (isRetentionDays(value)) return value
  // Written by hand or by a newer app: kept for ever rather than guessed.
  context.log(`Ignoring the history setting ${RETENTION_SETTING}: ${JSON.stringify(value)}`)
  return null
}

export function retentionView(context: AppContext): RetentionView {
  const last = context.history.lastMaintenanceRun('retention')
  return {
    days: retentionDays(context),
    historyBytes: totalBytes(context.history.historyBytes()),
    lastRun: last === null ? null : maintenanceRunView(last),
  }
}

/**
 * Saves how many days payloads and answers are kept (null: for ever), and applies it at once.
 * AppError 'retention_days_invalid' outside 1 to 3650 days (the contract checks it too).
 */
export function saveRetention(context: AppContext, days: number | null): RetentionView {
  if (days !== null && !isRetentionDays(days))
    throw new AppError(
      'retention_days_invalid',
      `Payloads and answers are kept ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max} days, or for ever; ${String(days)} is not allowed.`,
      { days: String(days), min: String(RETENTION_DAYS.min), max: String(RETENTION_DAYS.max) },
    )
  context.history.saveSetting(RETENTION_SETTING, days)
  if (days !== null) context.history.applyRetention(days)
  return retentionView(context)
}

/**
 * Applies the retention setting when it is on: at start-up and after a sync. Never throws (the
 * history is only tidied up): a failure is logged and the next run tries again.
 */
export function applyRetentionIfSet(context: AppContext): MaintenanceRun | null {
  try {
    const days = retentionDays(context)
    return days === null ? null : context.history.applyRetention(days)
  } catch (error) {
    context.log('Removing the old payloads and answers of the history failed', error)
    return null
  }
}

/** The address trimmed; AppError 'forget_email_invalid' for something that is not one. */
export function checkForgetEmail(email: string): string {
  const address = email.trim()
  if (!EMAIL_PATTERN.test(address) || address.length > 320)
    throw new AppError(
      'forget_email_invalid',
      `"${address}" is not an e-mail address: give the customer's address, such as ana@example.com.`,
      { email: address },
    )
  return address
}

/**
 * Erases a customer from the history. AppError 'forget_email_invalid' for something that is not
 * an address; HistoryError 'sending_in_progress' (reason `forget`) while a sending runs.
 */
export function forgetCustomer(context: AppContext, email: string): CustomerForgotten {
  const address = checkForgetEmail(email)
  const outcome = context.history.forgetCustomer(address)
  if (!outcome.walEmptied)
    context.log(
      'After erasing a customer, another process kept the history WAL from being emptied; it is emptied at its next checkpoint.',
    )
  return {
    email: address,
    orders: outcome.orders,
    pendingSkipped: outcome.pendingSkipped,
    run: maintenanceRunView(outcome.run),
  }
}
