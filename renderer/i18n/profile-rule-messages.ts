import type { TFunction } from 'i18next'
import {
  englishRuleMessages,
  PROFILE_RULE_CODES,
  type ProfileRuleCode,
  type RuleMessages,
  type RuleParams,
} from '../../main/core/profiles/profile-rules'

export function isProfileRuleCode(code: string): code is ProfileRuleCode {
  return (PROFILE_RULE_CODES as readonly string[]).includes(code)
}

/**
 * The profile model's sentences in the UI's language: `profileRules.<code>` with the rule's
 * params, else the model's English sentence. A target without a condition has an empty label and
 * a condition two targets share may be `any`: both are said in the UI's language, and a target
 * without a condition reads `profileRules.target_no_condition_main` when the main account is used.
 */
export function profileRuleMessages(t: TFunction): RuleMessages {
  return (code: ProfileRuleCode, params: RuleParams): string => {
    const values: Record<string, string> = { ...params }
    for (const key of ['label', 'firstLabel', 'secondLabel'])
      if (values[key] === '') values[key] = t('profileRules.noCondition')
    for (const key of ['languages', 'currencies', 'shops'])
      if (values[key] === 'any') values[key] = t('profileRules.any')
    const context =
      code === 'target_no_condition' && params['mainAccount'] === 'true' ? 'main' : undefined
    return t(`profileRules.${code}`, {
      ...values,
      ...(context ? { context } : {}),
      defaultValue: englishRuleMessages(code, params),
    })
  }
}
