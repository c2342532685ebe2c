import type { TFunction } from 'i18next'

// In its own module so that Node tests can use it without the DOM this one needs.
export { ruleMessage } from '../i18n/rule-message'

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

export function formatDateTime(language: string, iso: string | null): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(language, { dateStyle: 'short', timeStyle: 'short' })
}

export function formatDay(language: string, day: string): string {
  const [year, month, date] = day.split('-').map(Number)
  if (!year || !month || !date) return day
  return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString(language, {
    dateStyle: 'medium',
    timeZone: 'UTC',
  })
}

export function formatNumber(language: string, value: number): string {
  return value.toLocaleString(language)
}
