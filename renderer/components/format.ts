import type { TFunction } from 'i18next'

// In its own module so that Node tests can use it without the DOM this one needs.
export { ruleMessage } from '../i18n/rule-message'
// Connectif accounts (a routing target's label) in plain words.
export { accountName, conditionName } from '../i18n/account-name'
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
