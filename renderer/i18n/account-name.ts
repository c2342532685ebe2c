import type { TFunction } from 'i18next'
import { languageOf } from './language-of'

/**
 * A Connectif account as the merchant reads it. Main names a routing target by a label built for
 * reports and the command line (targetLabel in main/core/profiles/profile-rules.ts:
 * `lang=es+ca,currency=EUR,shops=2`); the screens say what it serves in the UI's language
 * instead: "Spanish or Catalan · EUR · shop 2" / "Español o catalán · EUR · tienda 2".
 */

/** What a target serves, read back from its label; an empty list serves any. */
export interface TargetConditions {
  readonly languages: readonly string[]
  readonly currencies: readonly string[]
  readonly shops: readonly string[]
}

/** The label's names for each condition (targetLabel's). */
const LABEL_PARTS = { lang: 'languages', currency: 'currencies', shops: 'shops' } as const

function isLabelPart(name: string): name is keyof typeof LABEL_PARTS {
  return Object.hasOwn(LABEL_PARTS, name)
}

/** The conditions a target's label spells; null when it is not such a label. */
export function parseTargetLabel(label: string): TargetConditions | null {
  const conditions: Record<keyof TargetConditions, string[]> = {
    languages: [],
    currencies: [],
    shops: [],
  }
  for (const part of label.split(',')) {
    const [name = '', values = '', ...rest] = part.split('=')
    if (!isLabelPart(name) || values === '' || rest.length > 0) return null
    const field = LABEL_PARTS[name]
    if (conditions[field].length > 0) return null
    conditions[field] = values.split('+')
  }
  return conditions
}

/** A language code (`es`, `pt-br`) as `language` calls it: "Spanish", "portugués de Brasil". */
export function languageName(language: string, code: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(code) ?? code
  } catch {
    // Not a code Intl knows the shape of: said as written.
    return code
  }
}

/** Alternatives, as `language` lists them: "Spanish or Catalan", "EUR o USD". */
function oneOf(language: string, items: readonly string[]): string {
  return new Intl.ListFormat(language, { type: 'disjunction' }).format(items)
}

function capitalised(language: string, text: string): string {
  return text.charAt(0).toLocaleUpperCase(language) + text.slice(1)
}

/**
 * A target's conditions (its label) in plain words, to go inside a sentence; a label without
 * conditions is "no condition", and one that is not a target's label is shown as it is.
 */
export function conditionName(t: TFunction, label: string): string {
  if (label === '') return t('profileRules.noCondition')
  const conditions = parseTargetLabel(label)
  if (conditions === null) return label
  const language = languageOf(t)
  const languages = oneOf(
    language,
    conditions.languages.map((code) => languageName(language, code)),
  )
  const currencies = oneOf(language, conditions.currencies)
  const served =
    conditions.languages.length > 0 && conditions.currencies.length > 0
      ? t('accounts.languageAndCurrency', { languages, currencies })
      : conditions.languages.length > 0
        ? t('accounts.languageOnly', { languages })
        : conditions.currencies.length > 0
          ? t('accounts.currencyOnly', { currencies })
          : ''
  const shops =
    conditions.shops.length > 0
      ? t('accounts.shops', {
          count: conditions.shops.length,
          shops: oneOf(language, conditions.shops),
        })
      : ''
  return served !== '' && shops !== ''
    ? t('accounts.withShops', { served, shops })
    : served || shops
}

/** A profile's target, by its label, where its name stands alone (a title, a chip). */
export function targetName(t: TFunction, label: string): string {
  const name = conditionName(t, label)
  // A label that is not a target's is shown exactly as it came.
  return name === label ? name : capitalised(languageOf(t), name)
}

/**
 * The Connectif account of a routed sending's order or count: `main` is the main account, ''
 * is none (an order no target serves, not sent), anything else a target's label.
 */
export function accountName(t: TFunction, target: string): string {
  if (target === 'main') return t('accounts.main')
  if (target === '') return t('accounts.none')
  return targetName(t, target)
}
