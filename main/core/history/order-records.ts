/**
 * The `sending_orders` rows of a sending, one per order read from the store, and the counters on
 * the `sendings` row that count them: recording a page with the read position, the pending
 * orders to send, Connectif's answers, the counts (per Connectif account too) and the retry of
 * the failed ones. The methods that write move the rows and their counters together, so they
 * must run inside one synchronous write transaction (HistoryStore's): that is what keeps the
 * counters equal to the rows they count.
 */
import type Database from 'better-sqlite3'
import { toCounts, type CountsRow } from './history-rows'
import type { NewOrderRow, OrderResultUpdate, PendingOrder, SendingCounts } from './history-types'
import { sendingNotFound } from './sending-lifecycle'

/** Orders recorded before routing existed all went to the profile's one account. */
const MAIN_TARGET = 'main'

function prepareStatements(db: Database.Database) {
  return {
    countsByTarget: db.prepare<[number], { target: string | null; result: string; orders: number }>(
      `SELECT target, result, COUNT(*) AS orders FROM sending_orders
       WHERE sending_id = ? GROUP BY target, result`,
    ),
    // Positional parameters on the two per-order statements (insertOrder, writeResult): binding
    // an object per row costs more than the insert itself at tens of thousands of rows.
    insertOrder: db.prepare<
      [
        sendingId: number,
        orderId: number,
        reference: string,
        orderDate: string,
        customerEmail: string,
        total: string,
        shopId: number,
        stateId: number,
        result: string,
        payload: string | null,
        message: string | null,
        target: string | null,
        account: string | null,
        errorCode: string | null,
      ]
    >(
      // Not INSERT OR IGNORE: that would also swallow CHECK and NOT NULL violations silently.
      `INSERT INTO sending_orders (sending_id, order_id, reference, order_date, customer_email,
         total, shop_id, state_id, result, payload, message, target, account, error_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sending_id, order_id) DO NOTHING`,
    ),
    advanceRead: db.prepare<{
      id: number
      added: number
      pending: number
      skipped: number
      alreadySent: number
      placedAt: string | null
      orderId: number | null
      readComplete: 0 | 1
      now: string
    }>(
      // The cursor only moves forward, so re-recording an earlier page cannot rewind the read.
      `UPDATE sendings SET
         total = total + @added, pending = pending + @pending, skipped = skipped + @skipped,
         already_sent = already_sent + @alreadySent,
         cursor_placed_at = CASE WHEN @orderId IS NOT NULL AND (cursor_order_id IS NULL
           OR (@placedAt, @orderId) > (cursor_placed_at, cursor_order_id))
           THEN @placedAt ELSE cursor_placed_at END,
         cursor_order_id = CASE WHEN @orderId IS NOT NULL AND (cursor_order_id IS NULL
           OR (@placedAt, @orderId) > (cursor_placed_at, cursor_order_id))
           THEN @orderId ELSE cursor_order_id END,
         read_complete = max(read_complete, @readComplete),
         heartbeat_at = @now
       WHERE id = @id`,
    ),
    pendingOrders: db.prepare<[number, number, number], PendingOrder>(
      `SELECT order_id AS orderId, payload, attempts FROM sending_orders
       WHERE sending_id = ? AND result = 'pending' AND order_id > ?
       ORDER BY order_id LIMIT ?`,
    ),
    writeResult: db.prepare<
      [
        result: string,
        httpStatus: number | null,
        errorCode: string | null,
        message: string | null,
        response: string | null,
        attempts: number,
        sentAt: string,
        sendingId: number,
        orderId: number,
      ]
    >(
      // Only a pending row changes: a result, once written, is final.
      `UPDATE sending_orders SET result = ?, http_status = ?, error_code = ?, message = ?,
         response = ?, attempts = attempts + ?, sent_at = ?
       WHERE sending_id = ? AND order_id = ? AND result = 'pending'`,
    ),
    addResults: db.prepare<{
      id: number
      created: number
      alreadyExisted: number
      failed: number
      contacts: number
      products: number
      now: string
    }>(
      `UPDATE sendings SET created = created + @created,
         already_existed = already_existed + @alreadyExisted, failed = failed + @failed,
         pending = pending - (@created + @alreadyExisted + @failed),
         contacts_created = contacts_created + @contacts,
         products_created = products_created + @products, heartbeat_at = @now
       WHERE id = @id`,
    ),
    // One statement per page size: SQLite has no array parameter, and a page's ids in one IN
    // list is a handful of seeks in the partial index of sent rows.
    alreadySent: (size: number) =>
      db.prepare<unknown[], { orderId: number }>(
        `SELECT DISTINCT order_id AS orderId FROM sending_orders
         WHERE account = ? AND result IN ('created', 'already_exists') AND sending_id <> ?
           AND order_id IN (${Array.from({ length: size }, () => '?').join(', ')})`,
      ),
    counts: db.prepare<[number], CountsRow>(
      `SELECT total, created, already_existed, failed, skipped, pending
       FROM sendings WHERE id = ?`,
    ),
    // A failed order whose payload was removed (kept days passed, the customer erased) cannot
    // be sent again: it stays failed.
    resetFailed: db.prepare<[number]>(
      `UPDATE sending_orders SET result = 'pending', http_status = NULL, error_code = NULL,
         message = NULL, response = NULL, sent_at = NULL
       WHERE sending_id = ? AND result = 'failed' AND payload IS NOT NULL`,
    ),
    moveFailedToPending: db.prepare<{ id: number; count: number }>(
      `UPDATE sendings SET failed = failed - @count, pending = pending + @count WHERE id = @id`,
    ),
  }
}

export interface OrderRecordsOptions {
  /** The current time as an ISO string. */
  readonly now: () => string
}

/** Order ids looked up at once when asking which orders an account already has. */
const ALREADY_SENT_CHUNK = 500

export class OrderRecords {
  readonly #sql: ReturnType<typeof prepareStatements>
  readonly #options: OrderRecordsOptions
  readonly #alreadySentBySize = new Map<
    number,
    ReturnType<ReturnType<typeof prepareStatements>['alreadySent']>
  >()

  constructor(db: Database.Database, options: OrderRecordsOptions) {
    this.#sql = prepareStatements(db)
    this.#options = options
  }

  /**
   * Inside a write transaction: inserts the rows not recorded yet, moves the counters and the
   * read position, and returns how many rows were new.
   */
  record(
    sendingId: number,
    rows: readonly NewOrderRow[],
    cursor: { readonly placedAt: string; readonly orderId: number } | null,
    readComplete: boolean,
    alreadySent = 0,
  ): number {
    let pending = 0
    let skipped = 0
    for (const row of rows) {
      const inserted = this.#sql.insertOrder.run(
        sendingId,
        row.orderId,
        row.reference,
        row.orderDate,
        row.customerEmail,
        row.total,
        row.shopId,
        row.stateId,
        row.result,
        row.payload,
        row.message,
        row.target ?? null,
        row.account ?? null,
        row.errorCode ?? null,
      ).changes
      if (inserted === 0) continue
      if (row.result === 'pending') pending++
      else skipped++
    }
    const updated = this.#sql.advanceRead.run({
      id: sendingId,
      added: pending + skipped,
      pending,
      skipped,
      alreadySent,
      placedAt: cursor?.placedAt ?? null,
      orderId: cursor?.orderId ?? null,
      readComplete: readComplete ? 1 : 0,
      now: this.#options.now(),
    })
    if (updated.changes === 0) throw sendingNotFound(sendingId)
    return pending + skipped
  }

  /**
   * The orders among `orderIds` that another sending than `sendingId` recorded as created or
   * already existing in `account` (a sending's own rows are its own business: a page read again
   * after a restart must not count them twice).
   */
  alreadySent(account: string, orderIds: readonly number[], sendingId: number): Set<number> {
    const sent = new Set<number>()
    for (let start = 0; start < orderIds.length; start += ALREADY_SENT_CHUNK) {
      const chunk = orderIds.slice(start, start + ALREADY_SENT_CHUNK)
      let statement = this.#alreadySentBySize.get(chunk.length)
      if (statement === undefined) {
        statement = this.#sql.alreadySent(chunk.length)
        this.#alreadySentBySize.set(chunk.length, statement)
      }
      for (const row of statement.all(account, sendingId, ...chunk)) sent.add(row.orderId)
    }
    return sent
  }

  pending(sendingId: number, limit: number, afterOrderId: number): PendingOrder[] {
    return this.#sql.pendingOrders.all(sendingId, afterOrderId, limit)
  }

  /**
   * Inside a write transaction: writes the answers to the rows still pending, moves the counters,
   * and returns how many rows changed.
   */
  writeResults(sendingId: number, updates: readonly OrderResultUpdate[]): number {
    let created = 0
    let alreadyExisted = 0
    let failed = 0
    let contacts = 0
    let products = 0
    for (const update of updates) {
      const changed = this.#sql.writeResult.run(
        update.result,
        update.httpStatus,
        update.errorCode,
        update.message,
        update.response,
        update.attempts,
        update.sentAt,
        sendingId,
        update.orderId,
      ).changes
      if (changed === 0) continue
      // Counted in the transaction that writes the order's result: a crash keeps both or neither.
      contacts += update.created?.contacts ?? 0
      products += update.created?.products ?? 0
      if (update.result === 'created') created++
      else if (update.result === 'already_exists') alreadyExisted++
      else failed++
    }
    const updated = this.#sql.addResults.run({
      id: sendingId,
      created,
      alreadyExisted,
      failed,
      contacts,
      products,
      now: this.#options.now(),
    })
    if (updated.changes === 0) throw sendingNotFound(sendingId)
    return created + alreadyExisted + failed
  }

  counts(sendingId: number): SendingCounts {
    const row = this.#sql.counts.get(sendingId)
    if (row === undefined) throw sendingNotFound(sendingId)
    return toCounts(row)
  }

  /** Per account: `main` first, then the targets' labels ('' for none) in alphabetical order. */
  countsByTarget(sendingId: number): { target: string; counts: SendingCounts }[] {
    const rows = this.#sql.countsByTarget.all(sendingId)
    const byTarget = new Map<string, { -readonly [K in keyof SendingCounts]: number }>()
    for (const row of rows) {
      const target = row.target ?? MAIN_TARGET
      const counts = byTarget.get(target) ?? {
        total: 0,
        created: 0,
        alreadyExisted: 0,
        failed: 0,
        skipped: 0,
        pending: 0,
      }
      counts.total += row.orders
      if (row.result === 'created') counts.created += row.orders
      else if (row.result === 'already_exists') counts.alreadyExisted += row.orders
      else if (row.result === 'failed') counts.failed += row.orders
      else if (row.result === 'skipped') counts.skipped += row.orders
      else counts.pending += row.orders
      byTarget.set(target, counts)
    }
    return [...byTarget.entries()]
      .sort(([a], [b]) => (a === MAIN_TARGET ? -1 : b === MAIN_TARGET ? 1 : a.localeCompare(b)))
      .map(([target, counts]) => ({ target, counts }))
  }

  /**
   * Inside a write transaction: moves the failed rows back to pending (attempts kept, last error
   * cleared) with the counters, and returns how many moved.
   */
  resetFailed(sendingId: number): number {
    const moved = this.#sql.resetFailed.run(sendingId).changes
    if (moved === 0) return 0
    this.#sql.moveFailedToPending.run({ id: sendingId, count: moved })
    return moved
  }
}

/** A pending order is sent from its payload, so it must have one. */
export function assertRecordableOrders(rows: readonly NewOrderRow[]): void {
  for (const row of rows)
    if (row.result === 'pending' && row.payload === null)
      throw new RangeError(`Order ${row.orderId} is pending but has no payload to send.`)
}
