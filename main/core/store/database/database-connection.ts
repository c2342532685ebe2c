import mysql from 'mysql2/promise'
import type { Pool, PoolOptions, RowDataPacket } from 'mysql2/promise'
import { StoreError } from '../store-errors'

export interface DatabaseTlsOptions {
  /** Verify the server certificate (on unless the merchant knowingly turns it off). */
  readonly rejectUnauthorized?: boolean
  /** PEM of the certificate authority that signed the server certificate. */
  readonly ca?: string
}

export interface DatabaseConnectionOptions {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database: string
  /** PrestaShop's `_DB_PREFIX_`, `ps_` on most stores. */
  readonly tablePrefix: string
  readonly tls?: DatabaseTlsOptions | null
  readonly connectTimeoutMs?: number
  readonly queryTimeoutMs?: number
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_QUERY_TIMEOUT_MS = 120_000

/** The statement every connection runs before anything else; its failure stops the reading. */
export const READ_ONLY_STATEMENT = 'SET SESSION TRANSACTION READ ONLY'

/**
 * The store's connections. Every statement runs on a session that `READ_ONLY_STATEMENT` made
 * read-only first, so that even a bug that built a write statement is refused by the server; a
 * connection where that statement fails is destroyed before anything else is sent on it, and the
 * statement that asked for it fails with a StoreError (`read_only_failed`).
 */
export class ReadOnlyPool {
  readonly #pool: Pool
  readonly #options: DatabaseConnectionOptions
  /** mysql2's core connections whose session is read-only (a pooled connection keeps its session). */
  readonly #readOnly = new WeakSet<object>()

  constructor(pool: Pool, options: DatabaseConnectionOptions) {
    this.#pool = pool
    this.#options = options
  }

  /** One SELECT with the connection's query timeout; errors are left to the caller to classify. */
  async select(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
    const timeout = this.#options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS
    const connection = await this.#pool.getConnection()
    let reusable = true
    try {
      if (!this.#readOnly.has(connection.connection)) {
        try {
          await connection.query({ sql: READ_ONLY_STATEMENT, timeout })
        } catch (error) {
          // Nothing more is sent on this session: it goes, and a later statement gets a new one.
          reusable = false
          throw readOnlyFailure(error, this.#options)
        }
        this.#readOnly.add(connection.connection)
      }
      const [rows] = await connection.query<RowDataPacket[]>({ sql, timeout }, params)
      return rows
    } finally {
      if (reusable) connection.release()
      else connection.destroy()
    }
  }

  end(): Promise<void> {
    return this.#pool.end()
  }
}

/** The read-only statement failed: the server's refusal is said as such, a network failure as itself. */
function readOnlyFailure(error: unknown, options: DatabaseConnectionOptions): StoreError {
  const err = (error ?? {}) as MysqlLikeError
  // An error packet from the server (or from a proxy in front of it) carries its message.
  if (err.sqlMessage === undefined) return classifyDatabaseError(error, options)
  const host = options.host
  const port = String(options.port)
  const detail = err.sqlMessage
  return new StoreError(
    'read_only_failed',
    `The connection to the database at ${host}:${port} could not be made read-only (the server answered "${detail}" to ${READ_ONLY_STATEMENT}), so Purchase Sender read nothing. If a proxy or load balancer stands in front of the database, let that statement through, or connect to the database server directly.`,
    { cause: error, params: { host, port, detail } },
  )
}

/**
 * A small pool: the reader runs one query at a time per page, and a merchant's database is a
 * production server we must not crowd.
 */
export function openPool(options: DatabaseConnectionOptions): ReadOnlyPool {
  const poolOptions: PoolOptions = {
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // 1.6 stores may still have 3-byte utf8 tables; utf8mb4 on the wire reads both.
    charset: 'utf8mb4',
    // Dates are shop wall-clock strings; zero dates ("0000-00-00 00:00:00") must not become Invalid Date.
    dateStrings: true,
    // DECIMAL columns stay exact strings.
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: false,
    connectionLimit: 2,
    maxIdle: 2,
    idleTimeout: 30_000,
    enableKeepAlive: true,
    // A reset on release would undo the session's read-only setting.
    resetOnRelease: false,
  }
  if (options.tls) {
    poolOptions.ssl = {
      rejectUnauthorized: options.tls.rejectUnauthorized ?? true,
      ...(options.tls.ca ? { ca: options.tls.ca } : {}),
    }
  }
  return new ReadOnlyPool(mysql.createPool(poolOptions), options)
}

interface MysqlLikeError {
  code?: string
  errno?: number
  sqlMessage?: string
  message?: string
}

function describeTarget(options: DatabaseConnectionOptions): string {
  return `${options.host}:${options.port}`
}

const TLS_CODES = new Set([
  'HANDSHAKE_NO_SSL_SUPPORT',
  'HANDSHAKE_SSL_ERROR',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
])

/** Turns a mysql2 or socket error into a message that tells the merchant what to fix. */
export function classifyDatabaseError(
  error: unknown,
  options: DatabaseConnectionOptions,
): StoreError {
  if (error instanceof StoreError) return error
  const err = (error ?? {}) as MysqlLikeError
  const code = err.code ?? ''
  const target = describeTarget(options)
  const { host, user, database } = options
  const port = String(options.port)
  switch (code) {
    case 'ECONNREFUSED':
      return new StoreError(
        'host_unreachable',
        `Nothing accepted the connection at ${target}. Check the host and port, and that the database server allows remote connections.`,
        { cause: error, params: { reason: 'db_refused', host, port } },
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StoreError(
        'host_unreachable',
        `The host "${options.host}" could not be found. Check its spelling.`,
        { cause: error, params: { reason: 'db_unknown_host', host } },
      )
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new StoreError(
        'host_unreachable',
        `The host ${options.host} cannot be reached from this computer.`,
        { cause: error, params: { reason: 'db_unreachable', host } },
      )
    case 'ETIMEDOUT':
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
      return new StoreError(
        'connection_timeout',
        `The database server at ${target} did not answer in time. A firewall may be dropping the connection.`,
        { cause: error, params: { reason: 'db_timeout', host, port } },
      )
    case 'ER_ACCESS_DENIED_ERROR':
      return new StoreError(
        'access_denied',
        `The database refused the user "${options.user}" with this password (from this computer's address). Check the user name and password, and that the user may connect from outside the server.`,
        { cause: error, params: { reason: 'db_user', user } },
      )
    case 'ER_DBACCESS_DENIED_ERROR':
      return new StoreError(
        'database_access_denied',
        `The user "${options.user}" has no access to the database "${options.database}". Grant it SELECT on that database.`,
        { cause: error, params: { user, database } },
      )
    case 'ER_BAD_DB_ERROR':
      return new StoreError(
        'unknown_database',
        `There is no database named "${options.database}" on ${target}.`,
        { cause: error, params: { database, host, port } },
      )
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR': {
      const detail = err.sqlMessage ?? err.message ?? ''
      return new StoreError(
        'missing_select_privilege',
        `The user "${options.user}" may not read everything Purchase Sender needs: ${detail}. Grant it SELECT on the database "${options.database}".`,
        { cause: error, params: { reason: 'denied', user, detail, database } },
      )
    }
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ECONNRESET':
    case 'EPIPE':
      return new StoreError(
        'connection_lost',
        `The connection to the database at ${target} was lost.`,
        { cause: error, params: { reason: 'db_lost', host, port } },
      )
  }
  if (TLS_CODES.has(code) || /ssl|tls|certificate/i.test(err.message ?? '')) {
    const detail = err.message ?? code
    return new StoreError(
      'tls_failed',
      `The secure (TLS) connection to ${target} failed: ${detail}. Check that the server supports TLS and that its certificate is trusted, or provide its CA certificate.`,
      { cause: error, params: { reason: 'db_tls', host, port, detail } },
    )
  }
  const detail = err.sqlMessage ?? err.message ?? String(error)
  return new StoreError('query_failed', `The database answered with an error: ${detail}`, {
    cause: error,
    params: { reason: 'db_error', detail },
  })
}
