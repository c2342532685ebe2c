import type { TFunction } from 'i18next'

// In its own module so that Node tests can use it without the DOM this one needs.
export { ruleMessage } from '../i18n/rule-message'
// Dates and numbers in the UI language's locale.
export {
  formatBytes,
  formatDate,
  formatDateTime,
  formatDay,
  formatDayRange,
  formatNumber,
  formatShortDay,
  isIsoDay,
} from '../i18n/locale-format'

/** A Connectif account of a routed sending: a target's label, the main account, or none. */
export function accountName(t: TFunction, target: string): string {
  if (target === 'main') return t('accounts.main')
  if (target === '') return t('accounts.none')
  return target
}

export function formatDuration(t: TFunction, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const total = Math.max(0, Math.round(seconds))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const rest = total % 60
  if (hours > 0) return t('duration.hours', { hours, minutes })
  if (minutes > 0) return t('duration.minutes', { minutes, seconds: rest })
  return t('duration.seconds', { seconds: rest })
}
