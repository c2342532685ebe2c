import type {
  ConnectifSharing,
  ConnectifWait,
  ImportStatus,
  ImportType,
} from '../connectif/connectif-api'
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
      /**
       * Set while another integration (the live shop's Connectif module, another key) uses the
       * account's budget and the sending slows down to leave it room: its rate, the highest of
       * the sending's accounts.
       */
      readonly sharedWith?: ConnectifSharing
      /** Routed sendings only: the counts per account (`main`, a target's label, '' for none). */
      readonly byTarget?: readonly TargetCounts[]
      /** Skip-sent sendings only: orders left out so far because their account already has them. */
      readonly alreadySent?: number
    }
  | PreparingEvent
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

/**
 * A sending that creates missing contacts and products prepares before it sends: it reads the
 * whole range (`reading`), then imports the contacts and products Connectif may lack
 * (`importing`), one import per type and account. Throttled like progress; a `notice` (the
 * sending creates them one by one instead, and why) is sent at once.
 */
export interface PreparingEvent {
  readonly type: 'preparing'
  readonly sendingId: number
  readonly step: 'reading' | 'importing'
  /** Importing: what the import creates. */
  readonly what?: ImportType
  /** Reading: orders read so far. Importing: contacts or products in the import. */
  readonly count: number
  /** Reading: the orders the store counted in the range (those left out as already sent aside). */
  readonly total?: number
  /** Routed sendings: the account (`main` or a target's label). */
  readonly account?: string
  /** Importing: rows Connectif has gone through so far, when it says. */
  readonly done?: number
  /** Importing: the import's state at Connectif. */
  readonly status?: ImportStatus
  /** Importing: why these contacts or products will be created one by one instead. */
  readonly notice?: {
    readonly code: string
    readonly message: string
    readonly params: Readonly<Record<string, string>>
  }
}

export interface TargetCounts {
  readonly target: string
  readonly counts: SendingCounts
}

export type SendingEventListener = (event: SendingEvent) => void
