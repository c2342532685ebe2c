/**
 * Every way reading a store can fail that a merchant can act on. The code is for programs (the CLI's
 * exit code, the UI's choice of hint); the message is for people and says what to check, in English
 * (logs, the CLI); the params hold every variable part of that message, so a screen can say the same
 * sentence in the user's language (`errors.store_<code>` in the renderer's translations).
 */
export type StoreErrorCode =
  | 'host_unreachable'
  | 'connection_timeout'
  | 'tls_failed'
  | 'access_denied'
  | 'read_only_failed'
  | 'database_access_denied'
  | 'unknown_database'
  | 'not_prestashop'
  | 'no_tables_with_prefix'
  | 'missing_select_privilege'
  | 'missing_table'
  | 'unsupported_version'
  | 'invalid_store_configuration'
  | 'connection_lost'
  | 'query_failed'
  | 'invalid_request'
  // The Webservice's own failures.
  | 'invalid_url'
  | 'webservice_disabled'
  | 'missing_permission'
  | 'shop_not_allowed'
  | 'not_webservice'
  | 'redirected'

/**
 * The sentences each code is thrown with, and the params each one carries. A code said in several
 * quite different sentences names the one in `params.reason` (the key `errors.store_<code>_<reason>`,
 * an i18next context); '' is a code's only sentence (no reason). A `count` param is a number the
 * sentence agrees with (i18next plurals). The constructor's types hold every throw to this list.
 */
export const STORE_ERROR_VARIANTS = {
  host_unreachable: {
    db_refused: ['host', 'port'],
    db_unknown_host: ['host'],
    db_unreachable: ['host'],
    ws_not_resolved: ['host', 'count'],
    ws_refused: ['host', 'count'],
  },
  connection_timeout: {
    db_timeout: ['host', 'port'],
    ws_timeout: ['host', 'seconds', 'count'],
  },
  tls_failed: {
    db_tls: ['host', 'port', 'detail'],
    ws_cert_expired: ['host'],
    ws_cert_name: ['host'],
    ws_cert_untrusted: ['host', 'errorCode'],
    ws_wrong_version: ['host', 'errorCode'],
  },
  access_denied: {
    db_user: ['user'],
    ws_key_missing: [],
    ws_key_length: ['count'],
    ws_key_characters: ['count'],
    ws_key_header_dropped: ['host'],
    ws_key_not_received: [],
    ws_key_malformed: ['said'],
    ws_key_unknown: ['host', 'said'],
    ws_key_refused: ['host', 'said'],
  },
  read_only_failed: { '': ['host', 'port', 'detail'] },
  database_access_denied: { '': ['user', 'database'] },
  unknown_database: { '': ['database', 'host', 'port'] },
  not_prestashop: {
    foreign_tables: ['prefix', 'database', 'missing', 'required'],
    no_visible_tables: ['database', 'user'],
    no_prestashop_tables: ['database'],
  },
  no_tables_with_prefix: { '': ['prefix', 'database', 'prefixes', 'count'] },
  missing_select_privilege: {
    denied: ['user', 'detail', 'database'],
    tables: ['user', 'tables', 'count', 'database'],
  },
  missing_table: { '': ['tables', 'count'] },
  unsupported_version: { '': ['version'] },
  invalid_store_configuration: {
    no_version: [],
    no_shop: [],
    time_zone: ['shop', 'timezone'],
  },
  connection_lost: {
    closed: [],
    db_lost: ['host', 'port'],
    ws_cut: ['host', 'count'],
    ws_other: ['host', 'count', 'detail'],
  },
  query_failed: {
    db_error: ['detail'],
    ws_server_error: ['status', 'resource'],
    ws_server_error_said: ['status', 'resource', 'said'],
    ws_request_refused: ['resource', 'status'],
    ws_request_refused_said: ['resource', 'status', 'said'],
  },
  invalid_request: {
    no_states: [],
    state_id: ['id'],
    shop_id: ['id'],
    invalid_dates: ['from', 'to'],
    end_before_start: ['from', 'to'],
  },
  invalid_url: {
    not_address: ['input'],
    not_http: ['input'],
    credentials: [],
  },
  webservice_disabled: { '': ['host', 'said'] },
  missing_permission: {
    resource: ['resource', 'resources', 'said'],
    resource_list: ['resources', 'said'],
  },
  shop_not_allowed: { '': ['said'] },
  not_webservice: {
    no_answer: ['url'],
    maintenance: ['host'],
    firewall: ['host', 'status'],
    not_found: ['url'],
    web_page: ['host', 'status'],
    markup: ['status'],
    empty: ['status'],
    unreadable: ['status'],
    content_type: ['status', 'contentType'],
    list_shape: ['resource'],
  },
  redirected: {
    too_many: ['max', 'url'],
    no_location: ['status'],
    other_origin: ['from', 'to', 'suggestedUrl'],
    other_host: ['from', 'to', 'suggestedUrl'],
  },
} as const satisfies Record<StoreErrorCode, Readonly<Record<string, readonly string[]>>>

type Variants = typeof STORE_ERROR_VARIANTS

type ParamNames<
  C extends StoreErrorCode,
  R extends keyof Variants[C],
> = Variants[C][R] extends readonly (infer Name extends string)[] ? Name : never

/** The params of one of a code's sentences: its reason (unless it is the only one) and its parts. */
export type StoreErrorParamsOf<C extends StoreErrorCode> = {
  [R in keyof Variants[C] & string]: (R extends '' ? unknown : { readonly reason: R }) & {
    readonly [Name in ParamNames<C, R>]: string
  }
}[keyof Variants[C] & string]

export interface StoreErrorOptions<C extends StoreErrorCode> {
  readonly cause?: unknown
  readonly params?: StoreErrorParamsOf<C>
}

/** A code, its English message, and the params that match that code's sentence. */
type StoreErrorArguments = {
  [C in StoreErrorCode]: [code: C, message: string, options?: StoreErrorOptions<C>]
}[StoreErrorCode]

export class StoreError extends Error {
  override readonly name = 'StoreError'
  readonly code: StoreErrorCode
  /** Every variable part of the message, by name (host, user, tables…), for translations. */
  readonly params: Readonly<Record<string, string>>

  constructor(...[code, message, options]: StoreErrorArguments) {
    super(message, options)
    this.code = code
    this.params = { ...options?.params }
  }
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError
}
