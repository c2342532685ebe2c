/**
 * Part of the main ⇄ renderer contract (preload/contract.ts): a store's shops, languages, currencies
 * and order states, and the connection check.
 */
import type { AppErrorValue } from './results'

export interface ShopView {
  readonly id: number
  readonly name: string
  readonly timezone: string
  readonly active: boolean
  /** The shop's web address, as PrestaShop builds its links (`https://www.example.com/`). */
  readonly url?: string
}

export interface LanguageView {
  readonly id: number
  readonly isoCode: string
  readonly name: string
  readonly active: boolean
}

export interface CurrencyView {
  readonly id: number
  readonly isoCode: string
  readonly name: string
  readonly active: boolean
}

export interface OrderStateView {
  readonly id: number
  readonly name: string
  readonly color: string
  readonly paid: boolean
  /** PrestaShop counts its orders as valid ones (sales statistics): with `paid`, a sale. */
  readonly logable: boolean
  readonly shipped: boolean
  readonly hidden: boolean
  readonly deleted: boolean
  /**
   * A cancelled, refunded or payment error state (the store's `PS_OS_CANCELED`, `PS_OS_REFUND`,
   * `PS_OS_ERROR`; paid but not logable when it sets none): not a sale, nor awaiting one.
   */
  readonly cancelled: boolean
}

/** Something the merchant should know about a store connection that works. */
export interface StoreNoticeView {
  /** `insecure_http`, `key_in_url` or `dispatcher_url` (more may come). */
  readonly code: string
  readonly message: string
}

/** A store connection check: what the store is, or why it cannot be read. */
export type StoreCheck =
  | {
      readonly ok: true
      readonly message: string
      readonly version: string
      readonly shops: readonly ShopView[]
      readonly languages: readonly LanguageView[]
      readonly currencies: readonly CurrencyView[]
      /** Shown as warnings beside the success (an http:// address, the key sent in the URL…). */
      readonly notices: readonly StoreNoticeView[]
      /**
       * The store's order states, named in the draft's language (else the shop default): the
       * editor offers them as default statuses before the profile is saved.
       */
      readonly states?: readonly OrderStateView[]
    }
  | {
      readonly ok: false
      /** The error's code (`store_access_denied`, `secret_missing`…) and its parameters. */
      readonly code: string
      readonly message: string
      readonly params?: Readonly<Record<string, string>>
    }

/** What a Connectif key check came to. */
export type ConnectifProblem =
  | 'ok'
  | 'bad_key'
  | 'no_permission'
  | 'unreachable'
  | 'unexpected'
  | 'missing_key'
  /** A 404 without Connectif's JSON error body and rate-limit headers: not Connectif's API. */
  | 'not_connectif'

/** The check of one Connectif account of a profile: its main account or a routing target. */
export interface AccountCheck {
  /** `main`, or the target's label (`lang=es,currency=EUR`), as progress and reports name it. */
  readonly account: string
  /** The routing target's id; null for the main account. */
  readonly targetId: string | null
  readonly apiUrl: string
  /** The environment variable naming the key (browser mode and the command line), if any. */
  readonly keyEnv: string | null
  readonly ok: boolean
  readonly problem: ConnectifProblem
  readonly message: string
  /** For `missing_key`: the parameters of the missing-secret error. */
  readonly params?: Readonly<Record<string, string>>
  /**
   * Why the key could not be checked at all (`missing_key`: missing, or saved for another
   * address): an error value the screens translate.
   */
  readonly error?: AppErrorValue
  /**
   * What works, but less well, with a key that is accepted: `imports_not_allowed` (no Imports
   * permission: missing contacts and products are created one by one). Absent when none.
   */
  readonly warnings?: readonly AccountWarning[]
}

/** A warning about an accepted Connectif key; `params` has every variable part of `message`. */
export interface AccountWarning {
  readonly code: 'imports_not_allowed'
  readonly message: string
  readonly params: Readonly<Record<string, string>>
}

/**
 * A profile's connection check, the same for the screens and the command line's JSON: the store,
 * every Connectif account in the profile's order (main first), and `connectif`, which is the one
 * account's check for a profile without targets and sums up every account otherwise.
 */
export interface ConnectionTest {
  readonly store: StoreCheck
  readonly connectif: {
    readonly ok: boolean
    readonly message: string
    readonly problem?: ConnectifProblem
  }
  readonly accounts: readonly AccountCheck[]
}

export interface StoreLookup {
  readonly version: string
  readonly defaultShopId: number
  /** The default shop's time zone: the one the date rules use. */
  readonly timezone: string
  readonly shops: readonly ShopView[]
  readonly languages: readonly LanguageView[]
  readonly currencies: readonly CurrencyView[]
  /** The language the state names are in. */
  readonly languageId: number
  readonly states: readonly OrderStateView[]
  /**
   * The days (YYYY-MM-DD, the shop's clock) of the first and last orders of the profile's shops;
   * null when they have none.
   */
  readonly orderDays: { readonly first: string; readonly last: string } | null
}

export interface OrderCountView {
  readonly from: string
  readonly to: string
  readonly total: number
  /** Orders per state id (as a string key: JSON objects have string keys). */
  readonly byState: Readonly<Record<string, number>>
  readonly byShop: Readonly<Record<string, number>>
}

/** Orders of one status placed in one week (Monday to Sunday on the shop's clock). */
export interface OrderWeekView {
  /** The week's Monday, YYYY-MM-DD. */
  readonly weekStart: string
  readonly stateId: number
  readonly orders: number
}

export interface WeeklyCountsView {
  readonly from: string
  readonly to: string
  /** Non-empty (week, status) groups, by week then status. */
  readonly weeks: readonly OrderWeekView[]
}
