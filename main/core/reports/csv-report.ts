/**
 * The CSV report of a sending (see docs/cli-contract.md, "CSV report"): streamed row by row, so
 * a sending of a hundred thousand orders never sits in memory as one string.
 */
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import type { HistoryStore } from '../history/history-store'
import type { ReportRow, SendingRecord } from '../history/history-types'
import { importNotesByAccount } from './import-notes'

/** The contract's header, in order. Columns may be appended, never inserted or renamed. */
export const REPORT_COLUMNS = [
  'order_id',
  'order_reference',
  'order_date',
  'customer_email',
  'total',
  'result',
  'http_status',
  'error_code',
  'message',
  'response',
  'attempts',
  'sent_at',
  // Added after the contract's columns: scripts reading them by position are unaffected.
  'target',
  // How the account's missing contacts and products were created (import-notes.ts).
  'preparing',
] as const

export type ReportColumn = (typeof REPORT_COLUMNS)[number]

/** Columns that hold numbers: a plain number in them (a refund's "-12.50") stays as it is. */
const NUMERIC_COLUMNS: ReadonlySet<ReportColumn> = new Set([
  'order_id',
  'total',
  'http_status',
  'attempts',
])

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/
const FORMULA_START = /^[=+\-@\t\r\n]/

/**
 * A spreadsheet runs a cell that begins with = + - @ (and, after a tab, a carriage return or a
 * line feed, what follows) as a formula; a leading single quote makes it text. The quote is
 * visible outside a spreadsheet, which is the accepted price (OWASP "CSV Injection").
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

function cell(column: ReportColumn, value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  if (NUMERIC_COLUMNS.has(column) && PLAIN_NUMBER.test(text)) return text
  return neutraliseCell(text)
}

function toRecord(row: ReportRow, preparing: string | null): string[] {
  return [
    cell('order_id', row.orderId),
    cell('order_reference', row.orderReference),
    cell('order_date', row.orderDate),
    cell('customer_email', row.customerEmail),
    cell('total', row.total),
    cell('result', row.result),
    cell('http_status', row.httpStatus),
    cell('error_code', row.errorCode),
    cell('message', row.message),
    cell('response', row.response),
    cell('attempts', row.attempts),
    cell('sent_at', row.sentAt),
    cell('target', row.target),
    cell('preparing', preparing),
  ]
}

/**
 * Writes the report of a sending to `output` and ends it: by default the orders whose result is
 * not `created`, with `all` every order. UTF-8 with a BOM (so Excel reads accents right), CRLF
 * between records as RFC 4180 says and Excel writes. An unfinished sending's unsent orders
 * appear with the result `pending`.
 */
export async function writeSendingReport(
  history: HistoryStore,
  sendingId: number,
  output: Writable,
  options: { readonly all: boolean },
): Promise<{ rows: number }> {
  // Read before the stream starts, so an unknown sending rejects without writing a header.
  const rows = history.reportRows(sendingId, options)
  const notes = importNotesByAccount(history.importsOf(sendingId))
  let count = 0
  function* records(): Generator<string[]> {
    for (const row of rows) {
      count++
      // Skipped orders were never sent: how contacts were created is not their story.
      yield toRecord(row, row.result === 'skipped' ? null : (notes.get(row.target) ?? null))
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({
      bom: true,
      header: true,
      columns: [...REPORT_COLUMNS],
      record_delimiter: 'windows',
      // Setting record_delimiter turns this off by default: a message holding a lone "\n" would
      // then be written unquoted and split the record in two.
      quote_record_delimiter: true,
    }),
    output,
  )
  return { rows: count }
}

/**
 * A default file name: `purchase-sender_<profile>_<from>_<to>_sending-<id>.csv`, with the
 * profile's name reduced to lower-case ASCII letters, digits and dashes.
 */
export function reportFileName(
  profileName: string,
  sending: Pick<SendingRecord, 'id' | 'from' | 'to'>,
): string {
  const slug =
    profileName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'profile'
  return `purchase-sender_${slug}_${sending.from}_${sending.to}_sending-${sending.id}.csv`
}
