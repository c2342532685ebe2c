import type { CatalogueProduct, PurchaseCreation } from '../purchases/purchase'

/** Where and as whom to call Connectif. The key never leaves the main process. */
export interface ConnectifAccount {
  /** `https://api.connectif.cloud` unless the profile says otherwise; no trailing slash needed. */
  readonly apiUrl: string
  /** `KeyId:KeySecret`, sent as `Authorization: apiKey <key>`. */
  readonly apiKey: string
}

/**
 * What one call finally came to, after the client's own waiting (rate limit) and retries
 * (5xx, timeouts, dropped connections). The engine decides what each outcome means for the order.
 */
export type ConnectifOutcome =
  /** 2xx. */
  | { readonly kind: 'created' }
  /** 409: the purchase id is already in Connectif. A result, not a failure. */
  | { readonly kind: 'already_exists' }
  /** 400 E0101: the contact must exist first. */
  | { readonly kind: 'unknown_contact' }
  /** 400 E0102: these products must exist first. */
  | { readonly kind: 'unknown_products'; readonly productIds: readonly string[] }
  /**
   * 400 E0103 (a purchase) or E0201 (a product being created): a product URL's domain is not an
   * authorised domain of the Connectif store.
   */
  | {
      readonly kind: 'unauthorised_domain'
      readonly productIds: readonly string[]
      readonly allowedDomains: readonly string[]
    }
  /** Any other 4xx: the request itself is wrong; retrying it cannot help. */
  | { readonly kind: 'rejected' }
  /** 401 or 403: the key is wrong or lacks a permission; the whole sending must stop. */
  | { readonly kind: 'auth_failed'; readonly status: 401 | 403 }
  /** 5xx, timeouts or network errors that outlasted the retries. */
  | { readonly kind: 'unavailable' }

export interface ConnectifResult {
  readonly outcome: ConnectifOutcome
  /** HTTP status of the last answer; null when no answer came (network error, timeout). */
  readonly status: number | null
  /** Connectif's error code (E0101…), when the body carried one. */
  readonly code: string | null
  /** One human sentence: Connectif's `detail`, or what went wrong on the way. */
  readonly message: string
  /** The raw body of the last answer ("" when none), for the report. */
  readonly body: string
  /** HTTP requests this call made (1 when the first answer was final). */
  readonly attempts: number
}

export interface CallOptions {
  /** Stops waiting (rate limit, retry back-off) and, unless `finishInFlight`, the request itself. */
  readonly signal?: AbortSignal
  /**
   * Let a request already sent finish when the signal aborts, so its answer is known: a cancelled
   * sending then records what Connectif really did instead of leaving it in doubt.
   */
  readonly finishInFlight?: boolean
}

export interface ContactUpsert {
  readonly email: string
  readonly firstname?: string
  readonly lastname?: string
}

/** Why a sending is waiting instead of sending. */
export interface ConnectifWait {
  readonly reason: 'rate-limit' | 'retry'
  /** Epoch milliseconds at which requests resume. */
  readonly until: number
}

/**
 * Another consumer of the account's budget (the live shop's Connectif module, another key): its
 * rate as observed from the fall of `X-RateLimit-Remaining`, which the sending slows down for.
 */
export interface ConnectifSharing {
  /** The other consumer's smoothed rate, rounded; at least 1. */
  readonly requestsPerMinute: number
}

/** Connectif's Import API (docs/connectif-api.md §13): the two types the engine imports. */
export type ImportType = 'contacts' | 'products'

/** An import's state at Connectif; only `queued` and `inProgress` may still change. */
export type ImportStatus = 'queued' | 'inProgress' | 'finished' | 'error' | 'cancelled'

/** An import as Connectif describes it (`POST /imports/`, `GET /imports/{id}`). */
export interface ConnectifImport {
  readonly id: string
  readonly status: ImportStatus
  /** Rows in the file, and those done so far; null until Connectif says. */
  readonly total: number | null
  readonly success: number | null
  readonly errors: number | null
  /** Where Connectif lists the rows it refused, when there are any. */
  readonly errorReportFileUrl: string | null
}

/** One CSV file to import: UTF-8, comma-delimited, its header row Connectif's field ids. */
export interface ImportFile {
  readonly type: ImportType
  readonly csv: string
  /** The file's name in the upload (Connectif shows it in its list of imports). */
  readonly fileName: string
}

/** What an Import API call came to, after the client's waiting and retries. */
export type ImportOutcome =
  /** 2xx with an import in the body: created (`POST`) or read (`GET`). */
  | { readonly kind: 'accepted'; readonly import: ConnectifImport }
  /** 400 to `POST /imports/`: the account already has 10 imports queued. */
  | { readonly kind: 'queue_full' }
  /** 403: the key lacks the Imports permission (or the account is blocked). */
  | { readonly kind: 'not_allowed' }
  /** 404 to `GET /imports/{id}`: Connectif does not know the import. */
  | { readonly kind: 'not_found' }
  /** 413, 415, 422 or any other 4xx, or a 2xx without a readable import: retrying cannot help. */
  | { readonly kind: 'rejected' }
  /** 401: the key is wrong; the whole sending must stop. */
  | { readonly kind: 'auth_failed'; readonly status: 401 }
  /** 5xx, timeouts or network errors that outlasted the retries. */
  | { readonly kind: 'unavailable' }

export interface ImportCallResult {
  readonly outcome: ImportOutcome
  readonly status: number | null
  readonly code: string | null
  readonly message: string
  readonly body: string
  readonly attempts: number
}

/** Whether the key may use the Import API: null when the answer says neither. */
export interface ImportAccessCheck {
  readonly allowed: boolean | null
  readonly message: string
}

export interface AccessCheck {
  readonly ok: boolean
  /**
   * `ok`, `bad_key` (401), `no_permission` (403), `unreachable`, `unexpected`, `not_connectif`
   * (a 404 without Connectif's error body and rate-limit headers: something else answers there).
   */
  readonly problem:
    'ok' | 'bad_key' | 'no_permission' | 'unreachable' | 'unexpected' | 'not_connectif'
  readonly message: string
}

/** Connectif's REST API as the sending engine uses it (docs/connectif-api.md). */
export interface ConnectifApi {
  /** The account's fingerprint (account-key.ts), recorded with every order sent to it. */
  readonly accountKey: string
  /** `POST /purchases/?triggerPurchaseEvent=…`. */
  createPurchase(
    purchase: PurchaseCreation,
    options: CallOptions & { readonly triggerPurchaseEvent: boolean },
  ): Promise<ConnectifResult>
  /** `PATCH /contacts/{email}`: creates the contact when it does not exist. */
  upsertContact(contact: ContactUpsert, options?: CallOptions): Promise<ConnectifResult>
  /**
   * `PATCH /products/product-id/{id}`: creates the product when it does not exist (and would
   * overwrite one that does: the engine only calls it for a product Connectif said it lacks).
   */
  upsertProduct(product: CatalogueProduct, options?: CallOptions): Promise<ConnectifResult>
  /** Whether the key is accepted, without creating anything. */
  checkAccess(options?: CallOptions): Promise<AccessCheck>
  /**
   * `POST /imports/` (multipart): one CSV file of contacts or products, never overwriting what
   * the account already has (`overrideExisting=false`).
   */
  createImport(file: ImportFile, options?: CallOptions): Promise<ImportCallResult>
  /** `GET /imports/{id}`: the import's status and counts. */
  getImport(importId: string, options?: CallOptions): Promise<ImportCallResult>
  /** `GET /imports/?limit=1`: whether the key has the Imports permission, creating nothing. */
  checkImportAccess(options?: CallOptions): Promise<ImportAccessCheck>
}
