/**
 * Reading a sending's orders for its page and the `orders` command: a page of them (filtered by
 * result, searched, sorted), one order with what was sent and answered, and the results over time.
 * Read-only: nothing here writes, so none of it needs the write lock.
 *
 * Every query pages in SQLite (LIMIT/OFFSET, or a keyset for the command line) over the indexes of
 * schema step 6, so a page of a sending of 100,000 orders costs a few index seeks, never a read of
 * every row (npm run bench:history). The SQL is put together only from the fixed pieces below
 * (never from the caller's text, which is always a bound parameter), and each shape is prepared
 * once.
 */
import type Database from 'better-sqlite3'
import type { OrderResult } from './history-types'
import { REASON_SQL } from './outcome-reasons'
import { sendingNotFound } from './sending-lifecycle'

export type OrderSortField = 'orderId' | 'orderDate' | 'sentAt' | 'attempts'
export type SortDirection = 'asc' | 'desc'

export interface OrderPageQuery {
  /** Only the orders with this result; all of them when null or absent. */
  readonly result?: OrderResult | null
  /**
   * Only the orders of this reason (outcome-reasons.ts: a skip reason, Connectif's code,
   * `http_400`…); with a result only. Null or absent: every reason.
   */
  readonly reason?: string | null
  /**
   * All digits: the order with that id. Otherwise part of the reference or of the e-mail, in any
   * case (letters beyond ASCII too: see parseSearch). Blank or absent: no search.
   */
  readonly search?: string | null
  /** orderId ascending when absent. Ties are broken by order id, in the same direction. */
  readonly sort?: { readonly field: OrderSortField; readonly direction: SortDirection }
  readonly offset?: number
  readonly limit: number
  /**
   * Keyset paging for whoever reads every order (the command line): only the orders after this
   * id. Only with the order id ascending sort, where it replaces an ever-growing OFFSET.
   */
  readonly afterOrderId?: number
}

/** One order of a sending as its page lists it. */
export interface OrderListRow {
  readonly orderId: number
  readonly reference: string
  readonly orderDate: string
  readonly customerEmail: string
  readonly total: string
  readonly result: OrderResult
  /** `main` or a target's label; '' when not routed (and for orders recorded before routing). */
  readonly target: string
  readonly httpStatus: number | null
  readonly errorCode: string | null
  readonly message: string | null
  readonly attempts: number
  readonly sentAt: string | null
}

export interface OrderPage {
  readonly rows: OrderListRow[]
  /** How many orders match the filter and search in all. */
  readonly total: number
}

/** One order with the JSON recorded to send it (null when skipped) and Connectif's raw answer. */
export interface OrderDetailRow extends OrderListRow {
  readonly payload: string | null
  readonly response: string | null
}

/** How many skipped or failed orders of a sending share a reason (outcome-reasons.ts). */
export interface OutcomeReason {
  readonly result: 'skipped' | 'failed'
  readonly code: string
  readonly orders: number
}

export interface ResultBucket {
  /** ISO start of the bucket. */
  readonly at: string
  readonly created: number
  readonly alreadyExisted: number
  readonly failed: number
}

export interface ResultTimeline {
  readonly bucketSeconds: number
  /** Oldest first, every bucket from the first answer to the last (empty ones with zeros). */
  readonly buckets: ResultBucket[]
}

/** Bucket sizes a chart reads easily, smallest first; beyond a week, whole weeks. */
const BUCKET_SIZES = [
  60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
]
/** A timeline has at most this many buckets. */
export const MAX_TIMELINE_BUCKETS = 120

const SORT_COLUMNS: Readonly<Record<OrderSortField, string>> = {
  orderId: 'order_id',
  orderDate: 'order_date',
  sentAt: 'sent_at',
  attempts: 'attempts',
}

/** The counter on the `sendings` row that counts each result (step 1 keeps them exact). */
const RESULT_COUNTERS: Readonly<Record<OrderResult, string>> = {
  pending: 'pending',
  created: 'created',
  already_exists: 'already_existed',
  failed: 'failed',
  skipped: 'skipped',
}

const LIST_COLUMNS_SQL = `order_id AS orderId, reference, order_date AS orderDate,
  customer_email AS customerEmail, total, result, COALESCE(target, '') AS target,
  http_status AS httpStatus, error_code AS errorCode, message, attempts, sent_at AS sentAt`

/** A search that matches at most this many orders reads them by row id, then sorts them. */
const FEW_MATCHES = 2_000

/**
 * The text search, answered from the search index (sending_id, customer_email, reference). LIKE
 * ignores the case of ASCII letters only, which is all an ASCII search needs; a search with other
 * letters ("exÄmple") is a GLOB with both cases of each letter (parseSearch), which is slower.
 */
function matchSql(glob: boolean): string {
  const test = (column: string) =>
    glob ? `${column} GLOB @pattern` : `${column} LIKE @pattern ESCAPE '\\'`
  return `sending_id = @sendingId AND (${test('reference')} OR ${test('customer_email')})`
}

/** `ids`: a text search whose few matches were found first (their row ids, as JSON). */
type SearchKind = 'none' | 'id' | 'text' | 'ids'

interface Shape {
  readonly byResult: boolean
  readonly byReason: boolean
  search: SearchKind
  /** A text search by GLOB rather than LIKE. */
  readonly glob: boolean
  readonly sort: NonNullable<OrderPageQuery['sort']>
  readonly keyset: boolean
}

interface PageParams {
  sendingId: number
  result: string | null
  reason: string | null
  orderId: number
  pattern: string
  ids: string
  after: number
  limit: number
  offset: number
}

function prepareStatements(db: Database.Database) {
  return {
    counters: db.prepare<[number], Record<string, number>>(
      `SELECT total, pending, created, already_existed, failed, skipped FROM sendings WHERE id = ?`,
    ),
    // The skipped and failed rows only, through the result index: a few rows in most sendings.
    reasons: db.prepare<[number], OutcomeReason>(
      `SELECT result, ${REASON_SQL} AS code, COUNT(*) AS orders FROM sending_orders
       WHERE sending_id = ? AND result IN ('skipped', 'failed')
       GROUP BY result, code ORDER BY orders DESC, result DESC, code`,
    ),
    detail: db.prepare<[number, number], OrderDetailRow>(
      `SELECT ${LIST_COLUMNS_SQL}, payload, response FROM sending_orders
       WHERE sending_id = ? AND order_id = ?`,
    ),
    // Each seeks one end of the sending's run in the sent_at index (MIN and MAX in one
    // statement would read the whole run instead).
    firstSent: db
      .prepare<[number], string | null>(
        `SELECT MIN(sent_at) FROM sending_orders WHERE sending_id = ? AND sent_at IS NOT NULL`,
      )
      .pluck(),
    lastSent: db
      .prepare<[number], string | null>(
        `SELECT MAX(sent_at) FROM sending_orders WHERE sending_id = ?`,
      )
      .pluck(),
    // From the search index alone; LIMIT: past FEW_MATCHES, how many no longer matters here.
    matchesLike: db
      .prepare<PageParams, number>(
        `SELECT rowid FROM sending_orders WHERE ${matchSql(false)} LIMIT @limit`,
      )
      .pluck(),
    matchesGlob: db
      .prepare<PageParams, number>(
        `SELECT rowid FROM sending_orders WHERE ${matchSql(true)} LIMIT @limit`,
      )
      .pluck(),
    // One bucket: a range of the sent_at index, which holds the result too, so the table is
    // never read. A range per bucket rather than one GROUP BY over a computed bucket: that
    // parsed every row's time and sorted them all again, several times slower. sent_at is always
    // written by toISOString (UTC, fixed width), so its text order is its time order.
    bucket: db.prepare<
      { sendingId: number; from: string; to: string },
      { created: number | null; alreadyExisted: number | null; failed: number | null }
    >(
      `SELECT SUM(result = 'created') AS created, SUM(result = 'already_exists') AS alreadyExisted,
         SUM(result = 'failed') AS failed
       FROM sending_orders WHERE sending_id = @sendingId AND sent_at >= @from AND sent_at < @to`,
    ),
  }
}

export class OrderQueries {
  readonly #db: Database.Database
  readonly #sql: ReturnType<typeof prepareStatements>
  /** Page and count statements by shape (filter, search, sort, keyset): a few dozen at most. */
  readonly #shapes = new Map<string, Database.Statement<PageParams, unknown>>()

  constructor(db: Database.Database) {
    this.#db = db
    this.#sql = prepareStatements(db)
  }

  /** A page of the sending's orders and how many match; HistoryError when there is no sending. */
  page(sendingId: number, query: OrderPageQuery): OrderPage {
    const sort = query.sort ?? { field: 'orderId', direction: 'asc' }
    const keyset = query.afterOrderId !== undefined
    if (keyset && (sort.field !== 'orderId' || sort.direction !== 'asc'))
      throw new RangeError('afterOrderId pages only by order id, ascending.')
    const search = parseSearch(query.search)
    const result = query.result ?? null
    const params: PageParams = {
      sendingId,
      result,
      reason: result === null ? null : (query.reason ?? null),
      orderId: search.kind === 'id' ? search.orderId : 0,
      pattern: search.kind === 'text' ? search.pattern : '',
      ids: '[]',
      after: query.afterOrderId ?? 0,
      limit: query.limit,
      offset: keyset ? 0 : (query.offset ?? 0),
    }
    const shape: Shape = {
      byResult: params.result !== null,
      byReason: params.reason !== null,
      search: search.kind,
      glob: search.kind === 'text' && search.glob,
      sort,
      keyset,
    }
    // One read transaction: the rows and the total come from the same snapshot, even while a
    // sending of another process writes its results.
    return this.#db.transaction((): OrderPage => {
      const counters = this.#sql.counters.get(sendingId)
      if (counters === undefined) throw sendingNotFound(sendingId)
      if (shape.search === 'text') {
        // Most searches find a customer or an order: few rows. Their row ids, taken from the
        // search index alone, are then the whole work; only a search that finds many (part of
        // a domain, say) walks the sort order, testing each row against the search.
        const matches = shape.glob ? this.#sql.matchesGlob : this.#sql.matchesLike
        const ids = matches.all({ ...params, limit: FEW_MATCHES + 1 })
        if (ids.length <= FEW_MATCHES) {
          shape.search = 'ids'
          params.ids = JSON.stringify(ids)
        }
      }
      const rows = this.#statement('rows', shape).all(params) as OrderListRow[]
      // Without a search (or a reason) the counters on the sending's row are the total: no rows
      // to count.
      const total =
        shape.search === 'none' && !shape.byReason
          ? (counters[query.result ? RESULT_COUNTERS[query.result] : 'total'] ?? 0)
          : (this.#statement('count', shape).get(params) as { total: number }).total
      return { rows, total }
    })()
  }

  /**
   * The sending's skipped and failed orders counted by reason (outcome-reasons.ts), most first
   * (skipped before failed, then by code, when as many).
   */
  reasons(sendingId: number): OutcomeReason[] {
    return this.#sql.reasons.all(sendingId)
  }

  /** One order of the sending, or null when the sending has no such order. */
  detail(sendingId: number, orderId: number): OrderDetailRow | null {
    return this.#sql.detail.get(sendingId, orderId) ?? null
  }

  /**
   * The answered orders per interval of `sent_at`: the smallest size of BUCKET_SIZES (a minute at
   * least) that fits the span in MAX_TIMELINE_BUCKETS buckets, which start at multiples of it
   * since the epoch (so whole minutes, hours, UTC days).
   */
  timeline(sendingId: number): ResultTimeline {
    const first = this.#sql.firstSent.get(sendingId) ?? null
    const last = this.#sql.lastSent.get(sendingId) ?? null
    if (first === null || last === null) return { bucketSeconds: BUCKET_SIZES[0]!, buckets: [] }
    const from = Math.floor(Date.parse(first) / 1000)
    const to = Math.floor(Date.parse(last) / 1000)
    const size = bucketSize(from, to)
    const iso = (seconds: number): string => new Date(seconds * 1000).toISOString()
    // Read together, so the buckets add up even while a sending writes its results.
    return this.#db.transaction((): ResultTimeline => {
      const buckets: ResultBucket[] = []
      for (let start = Math.floor(from / size) * size; start <= to; start += size) {
        const row = this.#sql.bucket.get({ sendingId, from: iso(start), to: iso(start + size) })
        buckets.push({
          at: iso(start),
          created: row?.created ?? 0,
          alreadyExisted: row?.alreadyExisted ?? 0,
          failed: row?.failed ?? 0,
        })
      }
      return { bucketSeconds: size, buckets }
    })()
  }

  #statement(kind: 'rows' | 'count', shape: Shape): Database.Statement<PageParams, unknown> {
    const { byResult, byReason, search, glob, sort, keyset } = shape
    // A count ignores the sort and the keyset.
    const key = [
      kind,
      byResult,
      byReason,
      search,
      glob,
      ...(kind === 'rows' ? [sort.field, sort.direction, keyset] : []),
    ].join(':')
    let statement = this.#shapes.get(key)
    if (statement !== undefined) return statement
    // A count of all the matches reads the search index alone.
    const countMatches = search === 'text' && kind === 'count' && !byResult
    const where = [
      countMatches ? matchSql(glob) : 'sending_id = @sendingId',
      ...(byResult ? ['result = @result'] : []),
      ...(byReason ? [`${REASON_SQL} = @reason`] : []),
      ...(search === 'id' ? ['order_id = @orderId'] : []),
      // The matches found (a few ids); the table is read by row id for them only.
      ...(search === 'ids' ? ['rowid IN (SELECT value FROM json_each(@ids))'] : []),
      // Many matches: `+` keeps SQLite from reading the table by each matching row id (and then
      // sorting them all); it walks the sort's index instead, testing the row id against the
      // matches, and stops at the page.
      ...(search === 'text' && (kind === 'rows' || byResult)
        ? [`+rowid IN (SELECT rowid FROM sending_orders WHERE ${matchSql(glob)})`]
        : []),
      // The total counts every match, not only those after the keyset.
      ...(keyset && kind === 'rows' ? ['order_id > @after'] : []),
    ].join(' AND ')
    const direction = sort.direction === 'desc' ? 'DESC' : 'ASC'
    const order =
      sort.field === 'orderId'
        ? `order_id ${direction}`
        : `${SORT_COLUMNS[sort.field]} ${direction}, order_id ${direction}`
    const sql =
      kind === 'count'
        ? `SELECT COUNT(*) AS total FROM sending_orders WHERE ${where}`
        : `SELECT ${LIST_COLUMNS_SQL} FROM sending_orders WHERE ${where}
           ORDER BY ${order} LIMIT @limit OFFSET @offset`
    statement = this.#db.prepare<PageParams, unknown>(sql)
    this.#shapes.set(key, statement)
    return statement
  }
}

type Search =
  | { readonly kind: 'none' }
  | { readonly kind: 'id'; readonly orderId: number }
  | { readonly kind: 'text'; readonly pattern: string; readonly glob: boolean }

/**
 * All digits: an order id (one too big to be an id matches none). Otherwise a pattern of the text
 * anywhere, any case: LIKE for ASCII text; else GLOB, each letter as the class of its cases
 * (`[äÄ]`). Either way the caller's text is only letters to find: LIKE's % and _, GLOB's * ? [
 * are escaped.
 */
function parseSearch(text: string | null | undefined): Search {
  const search = text?.trim() ?? ''
  if (search === '') return { kind: 'none' }
  if (/^\d+$/.test(search)) {
    const orderId = Number(search)
    return { kind: 'id', orderId: Number.isSafeInteger(orderId) ? orderId : -1 }
  }
  if (/^[\x20-\x7e]*$/.test(search))
    return {
      kind: 'text',
      glob: false,
      pattern: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    }
  const letters = [...search].map((c) => {
    // Only one-character cases: "ß".toUpperCase() is "SS", which a class cannot hold.
    const cases = [...new Set([c, c.toLowerCase(), c.toUpperCase()])].filter(
      (variant) => [...variant].length === 1,
    )
    if (cases.length > 1) return `[${cases.join('')}]`
    return '*?['.includes(c) ? `[${c}]` : c
  })
  return { kind: 'text', glob: true, pattern: `*${letters.join('')}*` }
}

function bucketSize(from: number, to: number): number {
  for (const size of BUCKET_SIZES)
    if (Math.floor(to / size) - Math.floor(from / size) + 1 <= MAX_TIMELINE_BUCKETS) return size
  // Longer than BUCKET_SIZES covers (over two years of answers): whole weeks.
  const week = BUCKET_SIZES[BUCKET_SIZES.length - 1]!
  let size = week * Math.max(1, Math.floor((to - from) / week / MAX_TIMELINE_BUCKETS))
  while (Math.floor(to / size) - Math.floor(from / size) + 1 > MAX_TIMELINE_BUCKETS) size += week
  return size
}
