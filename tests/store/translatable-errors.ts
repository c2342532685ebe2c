import i18next, { type i18n } from 'i18next'
import { expect } from 'vitest'
import en from '../../renderer/i18n/en.json'
import es from '../../renderer/i18n/es.json'
import { errorText } from '../../renderer/i18n/error-text'
import { localParams } from '../../renderer/i18n/local-params'
import { STORE_ERROR_VARIANTS, StoreError } from '../../main/core/store/store-errors'

/**
 * Checks a thrown StoreError can be shown in the user's language: its params are exactly those of
 * one of its code's sentences (STORE_ERROR_VARIANTS), that sentence has its own translation in
 * English and Spanish, and the English translation filled with the params is the error's message.
 */

export const TRANSLATIONS = { en, es } as const
export type Language = keyof typeof TRANSLATIONS

export function translator(language: Language): i18n {
  const instance = i18next.createInstance()
  void instance.init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  return instance
}

const translators = { en: translator('en'), es: translator('es') }

/** The `errors` key a StoreError's sentence is translated under, plural suffix included. */
export function translationKey(
  language: Language,
  code: string,
  params: Readonly<Record<string, string>>,
): string {
  const reason = params['reason'] ?? ''
  const count = params['count']
  const plural =
    count === undefined ? '' : `_${new Intl.PluralRules(language).select(Number(count))}`
  return `store_${code}${reason === '' ? '' : `_${reason}`}${plural}`
}

export interface TranslatableOptions {
  /** Off where the English translation words the sentence better than the message does. */
  readonly englishIsMessage?: boolean
}

export function expectTranslatable(error: unknown, options: TranslatableOptions = {}): void {
  expect(error).toBeInstanceOf(StoreError)
  const { code, message, params } = error as StoreError
  const variants: Readonly<Record<string, readonly string[]>> = STORE_ERROR_VARIANTS[code]
  const reason = params['reason'] ?? ''
  expect(Object.keys(variants), `${code}: reason "${reason}"`).toContain(reason)
  const names = Object.keys(params).filter((name) => name !== 'reason')
  expect(names.sort(), `${code}_${reason} params`).toEqual([...(variants[reason] ?? [])].sort())
  for (const language of ['en', 'es'] as const) {
    const key = translationKey(language, code, params)
    const errors: Readonly<Record<string, string>> = TRANSLATIONS[language].errors
    expect(Object.keys(errors), `${language}: errors.${key}`).toContain(key)
    const { t } = translators[language]
    const text = errorText(t, { code: `store_${code}`, message, params })
    // Its days and targets as the screens say them (a day in the locale's format).
    expect(text).toBe(t(`errors.${key}`, { ...localParams(t, params) }))
    expect(text).not.toContain('{{')
    if (language === 'en' && options.englishIsMessage !== false) expect(text).toBe(message)
    if (language === 'es') expect(text).not.toBe(message)
  }
}
