/**
 * Errors of the application layer as values: every expected failure becomes
 * `{ code, message, params?, details? }`, where `code` and `params` let the screens say it in the
 * user's language and `message` is the English sentence for logs and the command line. Anything
 * else is a bug: logged, and answered as `internal` without its details.
 */
import type { AppErrorValue, ErrorDetail } from '../../preload/contract'
import { HistoryError } from '../core/history/history-types'
import { targetLabel } from '../core/profiles/profile-rules'
import { InvalidProfileError } from '../core/profiles/profile-schema'
import type { ProfileInput } from '../core/profiles/profile-types'
import { SendingRequestError } from '../core/sending/sending-engine'
import { isStoreError } from '../core/store/store-errors'
import { SecretStoreError } from './secret-store'

/** An expected failure raised by the application layer itself. */
export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly code: string,
    message: string,
    readonly params?: Readonly<Record<string, string>>,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message)
  }
}

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside Purchase Sender. Nothing was lost; the details are in the log.'

export type Log = (message: string, error?: unknown) => void

/** Turns anything thrown into an error value; unexpected errors are logged and hidden. */
export function toErrorValue(error: unknown, log: Log): AppErrorValue {
  if (error instanceof AppError)
    return {
      code: error.code,
      message: error.message,
      ...(error.params ? { params: error.params } : {}),
      ...(error.details ? { details: error.details } : {}),
    }
  if (isStoreError(error))
    return {
      code: `store_${error.code}`,
      message: `The store could not be read: ${error.message}`,
      ...(error.params ? { params: error.params } : {}),
    }
  if (error instanceof HistoryError || error instanceof SecretStoreError)
    return {
      code: error.code,
      message: error.message,
      ...(Object.keys(error.params).length > 0 ? { params: error.params } : {}),
    }
  if (error instanceof InvalidProfileError) return toErrorValue(invalidProfile(error, null), log)
  if (error instanceof SendingRequestError)
    return {
      code: 'rules_violated',
      message: error.message,
      details: error.violations.map((violation) => ({
        field: violation.field,
        code: violation.code,
        message: violation.message,
        params: violation.params,
      })),
    }
  log('Unexpected error in the application service', error)
  return { code: 'internal', message: INTERNAL_ERROR_MESSAGE }
}

/**
 * An invalid profile as an error whose details name the field and the broken rule: `code` is the
 * rule, `params` its parameters; for a problem on routing targets, `field` is
 * `connectif.targets.<index>` and `params.targets` the indexes concerned (two for an overlap), so
 * the editor shows it on the target.
 */
export function invalidProfile(error: InvalidProfileError, input: ProfileInput | null): AppError {
  const targets = input?.connectif.targets ?? []
  const named = (index: number): string => {
    const target = targets[index]
    const label = target ? targetLabel(target) : ''
    return `Target ${index + 1}${label ? ` (${label})` : ''}`
  }
  const details = error.details.map((issue): ErrorDetail => {
    const indexes = issue.targets ?? []
    const code = issue.rule === 'invalid' ? 'invalid' : issue.rule
    if (indexes.length === 0) {
      const path = issue.path === '' ? 'profile' : issue.path
      return { field: issue.path, code, message: `${path} ${issue.message}`, params: issue.params }
    }
    const first = indexes[0] as number
    // A target's own sentences name it already ("Target 2 (lang=es): …"); a field's do not.
    const own = /^connectif\.targets\.\d+\.(\S+)$/.exec(issue.path)?.[1]
    const message = /^Targets? \d/.test(issue.message)
      ? issue.message
      : `${named(first)}: ${own ? `${own} ` : ''}${issue.message}`
    return {
      field: `connectif.targets.${first}`,
      code,
      message,
      // `field`: the target's field the problem is on (`keyEnv`, `apiUrl`…), when it is on one.
      params: { ...issue.params, targets: indexes.join(','), ...(own ? { field: own } : {}) },
    }
  })
  return new AppError(
    'invalid_profile',
    `The profile was not saved: ${details.map((detail) => detail.message).join('; ')}.`,
    undefined,
    details,
  )
}
