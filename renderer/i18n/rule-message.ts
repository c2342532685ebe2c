import type { TFunction } from 'i18next'
import type { ErrorDetail, RuleViolationView } from '../../preload/contract'
import { errorText } from './error-text'
import { isProfileRuleCode } from './profile-rule-messages'

/** Never a translation: tells a missing key from a found one. */
const MISSING = '\u0000missing translation\u0000'

/**
 * A detail of an error in the UI's language, else its English message: a broken sending rule
 * (date range, statuses, targets the store lacks) is `rules.<code>`; a broken profile rule
 * (invalid_profile) is `profileRules.<code>`, with its params said as the profile editor says
 * them; anything else (a shop address, a request field) is said as an error, `errors.<code>`.
 */
export function ruleMessage(t: TFunction, violation: RuleViolationView | ErrorDetail): string {
  const params: Readonly<Record<string, string>> = violation.params ?? {}
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
  return errorText(t, violation)
}
