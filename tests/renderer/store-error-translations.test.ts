import { describe, expect, it } from 'vitest'
import { STORE_ERROR_VARIANTS } from '../../main/core/store/store-errors'
import type { StoreErrorCode } from '../../main/core/store/store-errors'
import { TRANSLATIONS, type Language } from '../store/translatable-errors'
import { APP_ERROR_KEYS } from './app-error-variants'

/**
 * Every sentence a StoreError can be thrown with (STORE_ERROR_VARIANTS, which the constructor's
 * types hold every throw to) has its translation in English and Spanish, and no translation uses
 * a `{{param}}` its throws do not give.
 */

const LANGUAGES: readonly Language[] = ['en', 'es']
const codes = Object.keys(STORE_ERROR_VARIANTS) as StoreErrorCode[]

function variantsOf(code: StoreErrorCode): Readonly<Record<string, readonly string[]>> {
  return STORE_ERROR_VARIANTS[code]
}

function errorsOf(language: Language): Readonly<Record<string, string>> {
  return TRANSLATIONS[language].errors
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((match) => match[1] ?? '')
}

/** The keys one sentence is translated under: itself, or one per plural form of the language. */
function keysOf(language: Language, code: StoreErrorCode, reason: string): string[] {
  const key = `store_${code}${reason === '' ? '' : `_${reason}`}`
  if (!variantsOf(code)[reason]?.includes('count')) return [key]
  return new Intl.PluralRules(language)
    .resolvedOptions()
    .pluralCategories.map((category) => `${key}_${category}`)
}

describe('store error translations', () => {
  it('cover the codes StoreErrorCode lists', () => {
    // The list is checked against the type by `satisfies`; this pins a few to catch a rename.
    expect(codes).toContain('host_unreachable')
    expect(codes).toContain('redirected')
  })

  for (const language of LANGUAGES) {
    describe(language, () => {
      const errors = errorsOf(language)

      it('have a general sentence for every code', () => {
        for (const code of codes) {
          const text = errors[`store_${code}`]
          expect(text, `errors.store_${code}`).toBeTypeOf('string')
          // Said when a reason has no sentence of its own: only the params every throw gives.
          const common = variantsOf(code)[''] ?? []
          for (const name of placeholders(text ?? ''))
            expect(common, `errors.store_${code}: {{${name}}}`).toContain(name)
        }
      })

      it('have a sentence for every reason, using only the params its throws give', () => {
        for (const code of codes) {
          for (const [reason, params] of Object.entries(variantsOf(code))) {
            for (const key of keysOf(language, code, reason)) {
              const text = errors[key]
              expect(text, `errors.${key}`).toBeTypeOf('string')
              expect(text, `errors.${key}`).not.toBe('')
              for (const name of placeholders(text ?? ''))
                expect(params, `errors.${key}: {{${name}}}`).toContain(name)
            }
          }
        }
      })

      it('have no sentence for a code or reason no error is thrown with', () => {
        const known = new Set(
          codes.flatMap((code) => [
            `store_${code}`,
            ...Object.keys(variantsOf(code)).flatMap((reason) => keysOf(language, code, reason)),
          ]),
        )
        // The other keys are the application layer's and the history's (app-error-variants.ts).
        const stray = Object.keys(errors).filter(
          (key) => !known.has(key) && (key.startsWith('store_') || !APP_ERROR_KEYS.has(key)),
        )
        expect(stray).toEqual([])
      })
    })
  }

  it('say the same things in Spanish as in English', () => {
    const en = errorsOf('en')
    const es = errorsOf('es')
    for (const [key, text] of Object.entries(en)) {
      if (!key.startsWith('store_')) continue
      expect(placeholders(es[key] ?? '').sort(), `errors.${key}`).toEqual(placeholders(text).sort())
    }
  })
})
