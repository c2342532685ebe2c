/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): results, where errors cross as values.
 */

/** One precise problem behind an error: a broken date rule, a profile field, a request field. */
export interface ErrorDetail {
  readonly field?: string
  readonly code: string
  readonly message: string
  readonly params?: Readonly<Record<string, string>>
}

export interface AppErrorValue {
  /** For programs: which hint or screen to show (`store_access_denied`, `invalid_request`…). */
  readonly code: string
  /** For people, in English (logs, the command line): what went wrong and what to do. */
  readonly message: string
  /** The variable parts of the message, for the screens to say it in the user's language. */
  readonly params?: Readonly<Record<string, string>>
  readonly details?: readonly ErrorDetail[]
}

export type Result<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: AppErrorValue }
