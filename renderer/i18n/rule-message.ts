import type { TFunction } from 'i18next'
import type { ErrorDetail, RuleViolationView } from '../../preload/contract'
import { errorText } from './error-text'
import { formatDay, isIsoDay } from './locale-format'
import { isProfileRuleCode } from './profile-rule-messages'

/** Never a translation: tells a missing key from a found one. */
const MISSING = '\u0000missing translation\u0000'

/**
 * A detail of an error in the UI's language, else its English message: a broken sending rule
 * (date range, statuses, targets the store lacks) is `rules.<code>`; a broken profile rule
 * (invalid_profile) is `profileRules.<code>`, with its params said as the profile editor says
 * them; anything else (a shop address, a request field) is said as an error, `errors.<code>`.
 * Given the UI's `language`, the days among the params (`YYYY-MM-DD`: a range's start, its limit,
 * today) are said in its locale.
 */
export function ruleMessage(
  t: TFunction,
  violation: RuleViolationView | ErrorDetail,
  language?: string,
): string {
  const params = localDays(violation.params ?? {}, language)
  if (isProfileRuleCode(violation.code)) {
    const values: Record<string, string> = { ...params }
    for (const key of ['label', 'firstLabel', 'secondLabel'])
      if (values[key] === '') values[key] = t('profileRules.noCondition')
    for (const key of ['languages', 'currencies', 'shops'])
      if (values[key] === 'any') values[key] = t('profileRules.any')
    const main = violation.code === 'target_no_condition' && params['mainAccount'] === 'true'
    return t(`profileRules.${violation.code}`, {
      ...values,
      ...(main ? { context: 'main' } : {}),
      defaultValue: violation.message,
    })
  }
  const rule: unknown = t(`rules.${violation.code}`, { ...params, defaultValue: MISSING })
  if (typeof rule === 'string' && rule !== MISSING && rule !== '') return rule
  return errorText(t, { ...violation, params })
}

function localDays(
  params: Readonly<Record<string, string>>,
  language: string | undefined,
): Readonly<Record<string, string>> {
  if (language === undefined) return params
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      isIsoDay(value) ? formatDay(language, value) : value,
    ]),
  )
}
