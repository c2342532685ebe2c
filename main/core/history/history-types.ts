import type { Routing } from '../profiles/profile-types'

/**
 * The records of the local history database (sendings, one row per order of a sending) as the
 * rest of the core sees them; profiles are in ../profiles. All SQL lives in this folder.
 */

export type SendingState =
  | 'queued'
  | 'running'
  | 'completed'
  | 'completed_with_errors'
  | 'failed'
  | 'cancelled'
  | 'interrupted'

/** `progress` and `background` from the desktop app, `cli` from the command line. */
export type SendingMode = 'progress' | 'background' | 'cli'

export type OrderResult = 'pending' | 'created' | 'already_exists' | 'failed' | 'skipped'

export interface SendingOptions {
  /** Fire Connectif's "On purchase" workflows (false for past orders). */
  readonly triggerWorkflows: boolean
  readonly createContacts: boolean
  readonly createProducts: boolean
  /** Requests per minute allowed for each account. */
  readonly rateLimit: number
  /**
   * The routing when the sending was started, so a resumed sending routes as it began even if the
   * profile changed. Absent in sendings recorded before routing existed: main account only.
   */
  readonly routing?: Routing
  /**
   * Leave out the orders already sent to their Connectif account (HistoryStore.alreadySent):
   * neither requested nor recorded, only counted in `alreadySent`. Absent: every order is sent.
   */
  readonly skipSent?: boolean
}

/** Who started a sending: the merchant (wizard, `send`), or a schedule (the app's, or `sync`). */
export type SendingOrigin = 'manual' | 'scheduled'

export interface SendingCounts {
  /** Orders recorded so far (grows while the store is read), all results included. */
  readonly total: number
  readonly created: number
  readonly alreadyExisted: number
  readonly failed: number
  readonly skipped: number
  readonly pending: number
}

export interface SendingRecord {
  readonly id: number
  readonly profileId: number | null
  readonly profileName: string
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  /**
   * The statuses' names and colours when the sending was created, in the profile's language;
   * empty for sendings recorded before they were kept (a status the store no longer had is left
   * out).
   */
  readonly stateNames: readonly SendingStateName[]
  readonly shopIds: readonly number[]
  readonly mode: SendingMode
  readonly options: SendingOptions
  readonly state: SendingState
  /** Orders the store counted in the range when the sending started. */
  readonly expectedTotal: number
  readonly counts: SendingCounts
  /** Orders of the range left out because their account already had them (skip-sent sendings). */
  readonly alreadySent: number
  readonly origin: SendingOrigin
  /** Whether every order of the range has been recorded (the store was read to the end). */
  readonly readComplete: boolean
  /** Keyset position after the last recorded order, to continue reading after a restart. */
  readonly cursor: { readonly placedAt: string; readonly orderId: number } | null
  readonly createdAt: string
  readonly startedAt: string | null
  readonly finishedAt: string | null
  readonly fatalError: { readonly code: string; readonly message: string } | null
  /** Process that runs it, and when it last said so; how a crash is told from a long sending. */
  readonly ownerPid: number | null
  readonly heartbeatAt: string | null
  /** Another integration used its Connectif account's budget meanwhile; absent when none did. */
  readonly sharing?: SendingSharing
  /**
   * Contacts and products Connectif lacked that the sending created one at a time (its imports
   * are in sending_imports); 0 for sendings recorded before they were counted.
   */
  readonly createdOneByOne: CreatedItems
}

/** Contacts and products created in Connectif. */
export interface CreatedItems {
  readonly contacts: number
  readonly products: number
}

/**
 * Another consumer of the account's rate limit seen during a sending (the live shop's Connectif
 * module, another key), which the sending slowed down for (docs/connectif-api.md §8).
 */
export interface SendingSharing {
  /** When it was first seen (ISO). */
  readonly since: string
  /** The highest rate observed of the other consumer, in requests a minute. */
  readonly peakPerMinute: number
  /** When that rate was observed (ISO). */
  readonly peakAt: string
}

/** An order status as a sending recorded it. */
export interface SendingStateName {
  readonly id: number
  readonly name: string
  /** As the store keeps it (usually "#RRGGBB"). */
  readonly color: string
}

export interface NewSending {
  readonly profileId: number
  readonly from: string
  readonly to: string
  readonly stateIds: readonly number[]
  /** The statuses' names and colours; none when absent. */
  readonly stateNames?: readonly SendingStateName[]
  readonly shopIds: readonly number[]
  readonly mode: SendingMode
  readonly options: SendingOptions
  readonly expectedTotal: number
  readonly ownerPid: number
  /** `manual` when absent. */
  readonly origin?: SendingOrigin
}

/** An order as recorded before it is sent. */
export interface NewOrderRow {
  readonly orderId: number
  readonly reference: string
  /** ISO 8601 with offset. */
  readonly orderDate: string
  readonly customerEmail: string
  readonly total: string
  readonly shopId: number
  readonly stateId: number
  /** The Connectif account it goes to (`main` or a target's label); '' or absent when none. */
  readonly target?: string
  /** That account's fingerprint (main/core/connectif/account-key.ts); absent when none. */
  readonly account?: string
  /** `pending` (to send, with its body) or `skipped` (with the reason in `message`). */
  readonly result: 'pending' | 'skipped'
  /** JSON of what to send: the purchase and the contact (pending rows only). */
  readonly payload: string | null
  readonly message: string | null
  /** A skipped row's reason code (SKIP_REASON_CODES in main/core/purchases/purchase.ts). */
  readonly errorCode?: string | null
}

export interface PendingOrder {
  readonly orderId: number
  readonly payload: string
  readonly attempts: number
}

export interface OrderResultUpdate {
  readonly orderId: number
  readonly result: 'created' | 'already_exists' | 'failed'
  readonly httpStatus: number | null
  readonly errorCode: string | null
  readonly message: string | null
  readonly response: string | null
  /** Requests made for this order in this run, added to those of earlier runs. */
  readonly attempts: number
  readonly sentAt: string
  /**
   * The contacts and products this order's own requests created (one the sending had already
   * created for an earlier order is not counted again); 0 when absent.
   */
  readonly created?: CreatedItems
}

/** One line of the CSV report, in the contract's column order. */
export interface ReportRow {
  readonly orderId: number
  readonly orderReference: string
  readonly orderDate: string
  readonly customerEmail: string
  readonly total: string
  readonly result: Exclude<OrderResult, 'pending'> | 'pending'
  readonly httpStatus: number | null
  readonly errorCode: string | null
  readonly message: string | null
  readonly response: string | null
  readonly attempts: number
  readonly sentAt: string | null
  /** Appended after the contract's columns: the Connectif account of the order. */
  readonly target: string
}

export type HistoryErrorCode =
  | 'database_newer_than_app'
  | 'profile_exists'
  | 'profile_not_found'
  | 'sending_not_found'
  | 'sending_in_progress'
  | 'sending_not_resumable'

/** A sending running now: a phrase for English messages, and its parts as error params. */
export interface RunningSending {
  /** "sending #4 running since 2025-03-01T10:00:00.000Z (process 123)". */
  readonly description: string
  /** `running` (its id), `state`, `since` (ISO time) and `pid` ('' when unknown). */
  readonly params: Readonly<Record<string, string>>
}

/**
 * An expected failure of the history: `code` and `params` (every variable part of the English
 * `message`: `profile` names, `sending` ids, `pid`, `state`, schema versions…, and a `reason`
 * where one code has several sentences) let the screens say it in the user's language.
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError'
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message)
  }
}
