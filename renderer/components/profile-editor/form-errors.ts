/**
 * What the profile form shows as errors: the messages of a field's error (the form validates with
 * every criterion, so a field may break several rules), and main's answer when it refused a
 * profile, on the field or the routing target each problem is about. Pure.
 */
import type { TFunction } from 'i18next'
import type { AppErrorValue, ErrorDetail } from '../../../preload/contract'
import { errorText } from '../../i18n/error-text'
import { isProfileRuleCode, profileRuleMessages } from '../../i18n/profile-rule-messages'

/** A react-hook-form error of a field, of a list field, or of a nested object. */
export interface FieldErrorLike {
  readonly message?: unknown
  readonly types?: unknown
}

/** Every message of a field's error, first one first. */
export function errorMessages(error: FieldErrorLike | undefined): string[] {
  if (!error) return []
  const types = typeof error.types === 'object' && error.types !== null ? error.types : {}
  const all = Object.values(types).flatMap((value: unknown) =>
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.filter((item): item is string => typeof item === 'string')
        : [],
  )
  const messages =
    all.length > 0 ? all : typeof error.message === 'string' && error.message ? [error.message] : []
  return [...new Set(messages)]
}

/** A field's error as one text (undefined without one). */
export function fieldErrorText(error: FieldErrorLike | undefined): string | undefined {
  const messages = errorMessages(error)
  return messages.length > 0 ? messages.join(' ') : undefined
}

/** How a detail of main's refusal is said; main's English by default. */
export type DetailText = (detail: ErrorDetail) => string

const english: DetailText = (detail) => detail.message

/**
 * Main's details in the UI's language: a broken profile rule (`code` is the rule, `params` its
 * parameters), a shop address main could not read (its reason); anything else as main said it.
 */
export function serverDetailText(t: TFunction): DetailText {
  const rules = profileRuleMessages(t)
  return (detail) => {
    if (isProfileRuleCode(detail.code)) return rules(detail.code, detail.params ?? {})
    if (detail.code === 'invalid_url' && detail.params?.['reason'])
      return errorText(t, {
        code: 'store_invalid_url',
        message: detail.message,
        params: detail.params,
      })
    return detail.message
  }
}

const targetsOf = (detail: ErrorDetail): string[] =>
  detail.params?.['targets'] === undefined ? [] : detail.params['targets'].split(',')

/** Main's complaint about a field of the form (`source.url`…), when it refused the draft. */
export function serverFieldProblem(
  error: AppErrorValue | null,
  field: string,
  say: DetailText = english,
): string | undefined {
  const messages = (error?.details ?? [])
    .filter((detail) => detail.field === field && targetsOf(detail).length === 0)
    .map(say)
  return messages.length > 0 ? messages.join(' ') : undefined
}

/** Main's complaints about the target at `index` (on its fields, or an overlap with another). */
export function serverTargetProblems(
  error: AppErrorValue | null,
  index: number,
  say: DetailText = english,
): string[] {
  return (error?.details ?? [])
    .filter(
      (detail) =>
        detail.field === `connectif.targets.${index}` || targetsOf(detail).includes(String(index)),
    )
    .map(say)
}

/**
 * Whether changing the field `name` makes main's refusal stale: it was about that field (or a
 * field within it), or about targets, which it names by position.
 */
export function changeClearsServerError(error: AppErrorValue, name: string): boolean {
  if (error.code === 'invalid_profile' && name.startsWith('connectif.targets')) return true
  return (error.details ?? []).some(
    (detail) =>
      detail.field !== undefined &&
      detail.field !== '' &&
      (name === detail.field ||
        name.startsWith(`${detail.field}.`) ||
        detail.field.startsWith(`${name}.`)),
  )
}
