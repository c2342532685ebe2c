import type { TFunction } from 'i18next'
import { localParams } from './local-params'

/**
 * An error from the backend in the user's language: the sentence `errors.<code>` says with the
 * error's params, else the English message it came with. A `reason` param picks the code's
 * sentence for that situation (an i18next context, `errors.<code>_<reason>`), and a numeric `count`
 * param makes the sentence agree with it (i18next plurals). An `origin` param `scheduled` (the
 * sending in the way was started by a schedule) picks `errors.<code>_<reason>_scheduled` when
 * there is one.
 *
 * Some params are said in the user's language before they are put in the sentence:
 * - a day (`YYYY-MM-DD`) in the locale's format and a target's label by what the target serves
 *   (localParams), in the language of `t` unless `language` says another;
 * - `secret` (`dbPassword`, `webserviceKey`, `connectifKey`, `targetKey`) becomes `{{secretName}}`,
 *   from `errors.secretName_<secret>` (a target's key names the target by its `position` and
 *   `target` label, `_no_condition` when the label is empty);
 * - `state` (a sending's state) becomes `{{stateName}}`, from `states.<state>`.
 *
 * A sentence that needs a param the error does not carry (an error recorded without params, such
 * as a sending's fatal error) is not said with a hole in it: the English message is shown instead.
 */

export interface TranslatableError {
  /** `store_host_unreachable`, `invalid_request`…: the key under `errors`. */
  readonly code: string
  /** The English sentence, shown when there is no translation. */
  readonly message: string
  /** Every variable part of the sentence, by name. */
  readonly params?: Readonly<Record<string, string>>
}

/** Never a translation: tells a missing key from a found one. */
const MISSING = '\u0000missing translation\u0000'

/** `t`, or null when the key has no translation or the sentence lacks one of its params. */
function translate(t: TFunction, key: string, options: Record<string, unknown>): string | null {
  let incomplete = false
  const text: unknown = t(key, {
    ...options,
    defaultValue: MISSING,
    missingInterpolationHandler: () => {
      incomplete = true
      return ''
    },
  })
  return typeof text === 'string' && text !== MISSING && text !== '' && !incomplete ? text : null
}

/** The params said in the user's language (see above); absent when they cannot be. */
function namedParams(
  t: TFunction,
  params: Readonly<Record<string, string>>,
  local: Readonly<Record<string, string>>,
): Record<string, string> {
  const named: Record<string, string> = {}
  const secret = params['secret']
  if (secret) {
    const context = params['target'] === '' ? { context: 'no_condition' } : {}
    const name = translate(t, `errors.secretName_${secret}`, { ...local, ...context })
    if (name !== null) named['secretName'] = name
  }
  const state = params['state']
  if (state) {
    const name = translate(t, `states.${state}`, {})
    if (name !== null) named['stateName'] = name
  }
  return named
}

export function errorText(t: TFunction, error: TranslatableError, language?: string): string {
  const params = error.params ?? {}
  const local = localParams(t, params, language)
  const options: Record<string, unknown> = { ...namedParams(t, params, local), ...local }
  const reason = params['reason']
  if (reason !== undefined && reason !== '') options['context'] = reason
  const count = params['count']
  if (count !== undefined && /^\d+$/.test(count)) options['count'] = Number(count)
  // A sending a schedule started is said as such where the code has a sentence for it.
  // Its full key, not an i18next context: a missing context falls back to the code's general
  // sentence, and the reason's own sentence must win over that.
  if (params['origin'] === 'scheduled') {
    const { context, ...rest } = options
    const key = typeof context === 'string' ? `${error.code}_${context}` : error.code
    const scheduled = translate(t, `errors.${key}_scheduled`, rest)
    if (scheduled !== null) return scheduled
  }
  return translate(t, `errors.${error.code}`, options) ?? error.message
}

/**
 * What an error alert says: the error's sentence, and its details each in its own words
 * (`detailText`), without repeats nor one that only says the sentence again.
 */
export function errorWithDetails<Detail extends TranslatableError>(
  t: TFunction,
  error: TranslatableError & { readonly details?: readonly Detail[] },
  detailText: (detail: Detail) => string,
): { readonly text: string; readonly details: readonly string[] } {
  const text = errorText(t, error)
  const details = [...new Set((error.details ?? []).map(detailText))].filter(
    (detail) => detail !== '' && detail !== text,
  )
  return { text, details }
}
