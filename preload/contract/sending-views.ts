/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): sending rules and summaries, sendings
 * in the history, and the push channel of their progress.
 */
import type { ConnectifWait } from '../../main/core/connectif/connectif-api'
import type {
  SendingCounts,
  SendingOptions,
  SendingRecord,
  SendingState,
} from '../../main/core/history/history-types'
import type { SendingEvent, TargetCounts } from '../../main/core/sending/sending-events'
import type { RuleViolation } from '../../main/core/sending/sending-rules'

/**
 * The core's own types where the renderer sees exactly them (type-only: nothing of the core is
 * bundled), so the two can never drift apart.
 */
export type {
  ConnectifWait as ConnectifWaitView,
  RuleViolation as RuleViolationView,
  SendingCounts as SendingCountsView,
  SendingEvent,
  SendingState as SendingStateView,
  TargetCounts as TargetCountsView,
}

export interface SendingRulesView {
  readonly timezone: string
  /** Today in the shop's zone, YYYY-MM-DD: the latest day a range may end on. */
  readonly today: string
  readonly earliestStart: string
  /** The last end allowed for the `from` asked about; null when none was given (or invalid). */
  readonly latestEnd: string | null
  /** Rules the draft breaks; empty when it may be sent (or no draft was given). */
  readonly violations: readonly RuleViolation[]
}

export interface SendingSummary {
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  /** Orders of the range in the chosen statuses (already sent ones included). */
  readonly ordersToSend: number
  /**
   * Asked with `skipSent`: how many of `ordersToSend` their Connectif account already has (the
   * history recorded them as created or already existing there). They are left out and cost no
   * request. 0 when not asked.
   */
  readonly alreadySent: number
  readonly byState: Readonly<Record<string, number>>
  readonly rateLimit: number
  /** (ordersToSend − alreadySent) ÷ rateLimit: about one request per order sent. */
  readonly estimatedMinutes: number
  /**
   * Profiles with routing targets: how the orders split across the accounts, most first. `target`
   * is a target's label, `main`, or '' for orders no account serves (they will be skipped).
   * Null when every order goes to the one Connectif account.
   */
  readonly byTarget: readonly TargetOrders[] | null
}

export interface TargetOrders {
  readonly target: string
  readonly orders: number
}

export type { SendingOptions as SendingOptionsView }

/** A sending as the history records it, with what the screens can do with it. */
export interface SendingView extends Pick<
  SendingRecord,
  | 'id'
  | 'profileId'
  | 'profileName'
  | 'from'
  | 'to'
  | 'stateIds'
  | 'shopIds'
  | 'mode'
  | 'options'
  | 'state'
  | 'expectedTotal'
  | 'counts'
  | 'alreadySent'
  | 'origin'
  | 'createdAt'
  | 'startedAt'
  | 'finishedAt'
  | 'fatalError'
> {
  /** Up to now while it runs. */
  readonly durationSeconds: number | null
  /** Running in this app right now (so it can be cancelled here). */
  readonly runningHere: boolean
  readonly canResume: boolean
  readonly canRetryFailed: boolean
  /** Some orders were not created: the report has rows. */
  readonly hasReport: boolean
  /** Routed sendings only: the counts per Connectif account. */
  readonly byTarget?: readonly TargetCounts[]
}

export interface ReportExport {
  readonly fileName: string
  readonly rows: number
  /** UTF-8 CSV (with BOM, CRLF), ready to save as `fileName`. */
  readonly csv: string
}

// --- Push channel -----------------------------------------------------------------------------

export const SENDING_EVENT_CHANNEL = 'sending:event'
