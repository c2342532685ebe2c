import type { TFunction } from 'i18next'

/**
 * The language a `t` speaks (`en`, `es`): the one i18next used for a key every language has.
 * Helpers that only receive `t` (error texts, account names) say dates and language names in
 * that same language, so a sentence and the values put in it never mix two locales.
 */
export function languageOf(t: TFunction): string {
  const details: unknown = t('accounts.main', { returnDetails: true })
  const used =
    typeof details === 'object' && details !== null && 'usedLng' in details
      ? details.usedLng
      : undefined
  return typeof used === 'string' && used !== '' ? used : 'en'
}
