/**
 * Every way reading a store can fail that a merchant can act on. The code is for programs (the CLI's
 * exit code, the UI's choice of hint); the message is for people and says what to check.
 */
export type StoreErrorCode =
  | 'host_unreachable'
  | 'connection_timeout'
  | 'tls_failed'
  | 'access_denied'
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

export class StoreError extends Error {
  override readonly name = 'StoreError'

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError
}
