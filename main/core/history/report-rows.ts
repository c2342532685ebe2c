/**
 * The rows of a sending's CSV report, read from `sending_orders` in pages by order id.
 *
 * Read in pages rather than with one open `iterate()`: better-sqlite3 refuses every write on a
 * connection while an iterator is open, and a report is consumed across awaits (stream
 * back-pressure) while a sending may be writing results through this same connection.
 */
import type Database from 'better-sqlite3'
import { toReportRow, type ReportDbRow } from './history-rows'
import type { ReportRow } from './history-types'

const REPORT_COLUMNS_SQL = `order_id, reference, order_date, customer_email, total, result,
  http_status, error_code, message, response, attempts, sent_at, target`
/** Rows per report query: a report never holds the connection between rows (see above). */
const REPORT_PAGE_SIZE = 500

function prepareStatements(db: Database.Database) {
  return {
    reportPageAll: db.prepare<[number, number, number], ReportDbRow>(
      `SELECT ${REPORT_COLUMNS_SQL} FROM sending_orders
       WHERE sending_id = ? AND order_id > ? ORDER BY order_id LIMIT ?`,
    ),
    reportPageNotCreated: db.prepare<[number, number, number], ReportDbRow>(
      `SELECT ${REPORT_COLUMNS_SQL} FROM sending_orders
       WHERE sending_id = ? AND order_id > ? AND result <> 'created' ORDER BY order_id LIMIT ?`,
    ),
  }
}

export class ReportRows {
  readonly #sql: ReturnType<typeof prepareStatements>

  constructor(db: Database.Database) {
    this.#sql = prepareStatements(db)
  }

  /** The sending's rows in order id order: all of them, or those not `created`. */
  *rows(sendingId: number, all: boolean): Generator<ReportRow, void, undefined> {
    const statement = all ? this.#sql.reportPageAll : this.#sql.reportPageNotCreated
    let after = 0
    for (;;) {
      const page = statement.all(sendingId, after, REPORT_PAGE_SIZE)
      for (const row of page) yield toReportRow(row)
      const last = page[page.length - 1]
      if (last === undefined || page.length < REPORT_PAGE_SIZE) return
      after = last.order_id
    }
  }
}
