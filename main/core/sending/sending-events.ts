import type { ConnectifWait } from '../connectif/connectif-api'
import type { SendingCounts, SendingState } from '../history/history-types'

/**
 * What a running sending tells whoever watches it (the progress window, the history table, the
 * command line's bar): one channel, one discriminated union, throttled to about ten a second.
 */
export type SendingEvent =
  | {
      readonly type: 'started'
      readonly sendingId: number
      /** Orders the store counted in the range when the sending started. */
      readonly expectedTotal: number
    }
  | {
      readonly type: 'progress'
      readonly sendingId: number
      readonly expectedTotal: number
      readonly counts: SendingCounts
      /** Orders finished in the last minute. */
      readonly perMinute: number
      /** Seconds left at the current pace; null until there is a pace. */
      readonly etaSeconds: number | null
      /** Set while Connectif's rate limit (or a retry) holds requests back. */
      readonly waiting: ConnectifWait | null
      /** Routed sendings only: the counts per account (`main`, a target's label, '' for none). */
      readonly byTarget?: readonly TargetCounts[]
      /** Skip-sent sendings only: orders left out so far because their account already has them. */
      readonly alreadySent?: number
    }
  | {
      readonly type: 'finished'
      readonly sendingId: number
      readonly state: SendingState
      readonly counts: SendingCounts
      readonly fatalError: { readonly code: string; readonly message: string } | null
      readonly byTarget?: readonly TargetCounts[]
      /** Skip-sent sendings only: orders left out because their account already had them. */
      readonly alreadySent?: number
    }

export interface TargetCounts {
  readonly target: string
  readonly counts: SendingCounts
}

export type SendingEventListener = (event: SendingEvent) => void
