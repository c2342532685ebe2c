import type { TFunction } from 'i18next'
import {
  englishRuleMessages,
  PROFILE_RULE_CODES,
  type ProfileRuleCode,
  type RuleMessages,
  type RuleParams,
} from '../../main/core/profiles/profile-rules'
import { languageName } from './account-name'
import { languageOf } from './language-of'
import { localParams } from './local-params'

export function isProfileRuleCode(code: string): code is ProfileRuleCode {
  return (PROFILE_RULE_CODES as readonly string[]).includes(code)
}

/**
 * A broken profile rule in the UI's language: `profileRules.<code>` with the rule's params, else
 * the model's English sentence with the same params. Its targets are named by what they serve
 * (localParams; "no condition" for a target without any), what two targets share is said in
 * words too (languages by their names, `any`), and a target without a condition reads
 * `profileRules.target_no_condition_main` when the main account is used.
 */
export function profileRuleText(
  t: TFunction,
  code: ProfileRuleCode,
  params: RuleParams,
  language?: string,
): string {
  const values = localParams(t, params, language)
  // What two targets share: `any`, or codes joined by "+" (languages said by their names).
  const lang = language ?? languageOf(t)
  for (const key of ['languages', 'currencies', 'shops']) {
    const value = values[key]
    if (value === undefined) continue
    values[key] =
      value === 'any'
        ? t('profileRules.any')
        : new Intl.ListFormat(lang, { type: 'conjunction' }).format(
            value.split('+').map((code) => (key === 'languages' ? languageName(lang, code) : code)),
          )
  }
  const main = code === 'target_no_condition' && params['mainAccount'] === 'true'
  return t(`profileRules.${code}`, {
    ...values,
    ...(main ? { context: 'main' } : {}),
    defaultValue: englishRuleMessages(code, values),
  })
}

/** The profile model's sentences in the UI's language (profileRuleText). */
export function profileRuleMessages(t: TFunction): RuleMessages {
  return (code: ProfileRuleCode, params: RuleParams): string => profileRuleText(t, code, params)
}
