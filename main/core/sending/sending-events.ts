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
    }
  | {
      readonly type: 'finished'
      readonly sendingId: number
      readonly state: SendingState
      readonly counts: SendingCounts
      readonly fatalError: { readonly code: string; readonly message: string } | null
    }

export type SendingEventListener = (event: SendingEvent) => void
