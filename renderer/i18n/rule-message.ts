import type { TFunction } from 'i18next'
import type { ErrorDetail, RuleViolationView } from '../../preload/contract'
import { errorText } from './error-text'
import { localParams } from './local-params'
import { isProfileRuleCode, profileRuleText } from './profile-rule-messages'

/** Never a translation: tells a missing key from a found one. */
const MISSING = '\u0000missing translation\u0000'

/**
 * A detail of an error in the UI's language, else its English message: a broken sending rule
 * (date range, statuses, targets the store lacks) is `rules.<code>`; a broken profile rule
 * (invalid_profile) is `profileRules.<code>`, with its params said as the profile editor says
 * them; anything else (a shop address, a request field) is said as an error, `errors.<code>`.
 * Days and targets among the params are said as the screens say them (localParams), in the
 * language of `t` unless `language` says another.
 */
export function ruleMessage(
  t: TFunction,
  violation: RuleViolationView | ErrorDetail,
  language?: string,
): string {
  const params = violation.params ?? {}
  if (isProfileRuleCode(violation.code)) return profileRuleText(t, violation.code, params, language)
  const rule: unknown = t(`rules.${violation.code}`, {
    ...localParams(t, params, language),
    defaultValue: MISSING,
  })
  if (typeof rule === 'string' && rule !== MISSING && rule !== '') return rule
  return errorText(t, violation, language)
}
