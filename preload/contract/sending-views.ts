/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): sending rules and summaries, sendings
 * in the history, and the push channel of their progress.
 */
import type { ConnectifWait } from '../../main/core/connectif/connectif-api'
import type {
  CreatedItems,
  OrderResult,
  SendingCounts,
  SendingOptions,
  SendingRecord,
  SendingState,
  SendingStateName,
} from '../../main/core/history/history-types'
import type { ImportRecord } from '../../main/core/history/import-records'
import type { OutcomeReason } from '../../main/core/history/order-queries'
import type { SendingEvent, TargetCounts } from '../../main/core/sending/sending-events'
import type { RuleViolation } from '../../main/core/sending/sending-rules'

/**
 * The core's own types where the renderer sees exactly them (type-only: nothing of the core is
 * bundled), so the two can never drift apart.
 */
export type {
  ConnectifWait as ConnectifWaitView,
  CreatedItems as CreatedItemsView,
  OutcomeReason as OutcomeReasonView,
  RuleViolation as RuleViolationView,
  SendingCounts as SendingCountsView,
  SendingEvent,
  SendingState as SendingStateView,
  SendingStateName as SendingStateNameView,
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

/**
 * The orders of a sending's range and statuses that would be skipped, by reason: each order is
 * mapped exactly as the engine maps it (the same routing), without sending anything. `code` is a
 * skip reason code (`customer_deleted`, `no_email`, `no_account`…), most orders first.
 */
export interface ExpectedSkipsView {
  /** Orders read: those of the range in the chosen statuses. */
  readonly orders: number
  readonly skipped: number
  readonly byReason: readonly { readonly code: string; readonly orders: number }[]
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
  | 'sharing'
> {
  /**
   * Its statuses' names and colours as recorded when it was created, in its profile's language;
   * empty for a sending recorded before they were kept (show `#id` then).
   */
  readonly states: readonly SendingStateName[]
  /** Up to now while it runs. */
  readonly durationSeconds: number | null
  /** Running in this app right now (so it can be cancelled here). */
  readonly runningHere: boolean
  readonly canResume: boolean
  readonly canRetryFailed: boolean
  /**
   * What must be mended before resuming or retrying can help (a refused key, password or store
   * address, a missing secret); canResume and canRetryFailed are false while it is set.
   */
  readonly blockedBy: SendingBlockView | null
  /** Some orders were not created: the report has rows. */
  readonly hasReport: boolean
  /** Routed sendings only: the counts per Connectif account. */
  readonly byTarget?: readonly TargetCounts[]
  /**
   * The preparing step of a sending that creates missing contacts and products: its imports (one
   * per type and account, more only past Connectif's file size limit), in the order they were
   * made. Empty when the account had them all (its first purchase was created) or nothing was
   * imported.
   */
  readonly imports: readonly ImportView[]
  /**
   * Its skipped and failed orders counted by reason, most first: `code` is a skip reason, a
   * Connectif code, `network`, `http_<status>` or `unknown` (main/core/history/outcome-reasons.ts;
   * renderer/i18n/outcome-reason.ts says it), and `sending:orders` filters by it (`reason`).
   */
  readonly reasons: readonly OutcomeReason[]
  /** Contacts and products it created in Connectif: one by one, and by its imports. */
  readonly created: CreatedItems
}

/**
 * What to mend before a sending can go on: the Connectif key (`connectif_key`) or its permissions
 * (`connectif_permission`), the store's password or key (`store_access`), its address, database or
 * prefix (`store_address`), its Webservice or database permissions (`store_permission`), or a
 * secret the profile lacks (`secret_missing`).
 */
export type SendingFix =
  | 'connectif_key'
  | 'connectif_permission'
  | 'store_access'
  | 'store_address'
  | 'store_permission'
  | 'secret_missing'

export interface SendingBlockView {
  /** The sending's fatal error code, or `secret_missing`. */
  readonly code: string
  readonly fix: SendingFix
  /** The profile to mend (its editor: `#/profiles/<id>`). */
  readonly profileId: number
  /** The Connectif account concerned: `main`, a target's label; null when not known or none. */
  readonly account: string | null
  /** `secret_missing`: which secret. */
  readonly secret?: 'dbPassword' | 'webserviceKey' | 'connectifKey' | 'targetKey'
}

/** One import of a sending's preparing step, as the history records it. */
export type ImportView = Pick<
  ImportRecord,
  | 'target'
  | 'type'
  | 'part'
  | 'parts'
  | 'items'
  | 'status'
  | 'total'
  | 'success'
  | 'errors'
  | 'notice'
  | 'createdAt'
  | 'finishedAt'
>

/** `report:save`: where the report was written, or that the user cancelled the dialog. */
export type ReportSaved =
  | { readonly saved: false }
  | {
      readonly saved: true
      /** The file written, absolute: shown to the user. */
      readonly path: string
      readonly rows: number
    }

/** Browser mode: where the browser downloads a report from (once, within a minute). */
export interface ReportLink {
  /** Same-origin path with a one-use ticket: `/api/reports/12.csv?all=0&ticket=…`. */
  readonly url: string
  /** The default file name, also sent in the download's Content-Disposition. */
  readonly fileName: string
}

// --- Push channel -----------------------------------------------------------------------------

export const SENDING_EVENT_CHANNEL = 'sending:event'

// --- A sending's page: its orders, one order, its results over time ---------------------------

export type { OrderResult as OrderResultView }

/** One order of a sending as the history recorded it (a row of the sending's page). */
export interface SendingOrderView {
  readonly orderId: number
  readonly reference: string
  /** ISO 8601 with the shop's offset. */
  readonly orderDate: string
  readonly customerEmail: string
  readonly total: string
  readonly result: OrderResult
  /** The Connectif account it went to (`main` or a target's label); '' when not routed. */
  readonly target: string
  readonly httpStatus: number | null
  readonly errorCode: string | null
  readonly message: string | null
  /** Requests made for it, over every run. */
  readonly attempts: number
  /** When its last answer came; null while pending or when skipped. */
  readonly sentAt: string | null
}

/** A page of a sending's orders and how many match the filter in all. */
export interface SendingOrdersPage {
  readonly rows: readonly SendingOrderView[]
  readonly total: number
}

export interface SendingOrderDetail extends SendingOrderView {
  /**
   * The exact bodies that were (or will be) sent, parsed from the stored payload; `contact` is null
   * when no contact is sent with it. Null for a skipped order (nothing is sent).
   */
  readonly request: { readonly purchase: unknown; readonly contact: unknown | null } | null
  /** Connectif's raw answer; null before it answered. */
  readonly response: string | null
}

/** A sending's results over time (by `sentAt`), in buckets of `bucketSeconds`, oldest first. */
export interface SendingTimeline {
  readonly bucketSeconds: number
  readonly buckets: readonly SendingTimelineBucket[]
}

export interface SendingTimelineBucket {
  /** ISO start of the bucket. */
  readonly at: string
  readonly created: number
  readonly alreadyExisted: number
  readonly failed: number
}
