/**
 * `purchase-sender orders SENDING_ID [--result R]`: a sending's orders as the history recorded
 * them, in order id order. Read from the history a page at a time and written out page by page,
 * so a sending of 100,000 orders never sits in memory whole, and a slow reader (a pipe into
 * `less`) only slows the reading down.
 */
import { isRouted } from '../../app/history-use-cases'
import type { OrderListRow } from '../../core/history/history-store'
import type { OrderResult } from '../../core/history/history-types'
import type { CliContext } from '../cli-context'
import { EXIT, invalidInput, type ExitCode } from '../cli-output'
import {
  parseSendingId,
  stringOption,
  usageOf,
  type CommandSpec,
  type ParsedCommand,
} from './command-args'

const RESULTS: readonly OrderResult[] = [
  'created',
  'already_exists',
  'failed',
  'skipped',
  'pending',
]

export const ORDERS: CommandSpec = {
  name: 'orders',
  usage: `purchase-sender orders SENDING_ID [--result ${RESULTS.join('|')}]

Lists the orders of a sending, in order id order: each one's result, Connectif's HTTP status,
error and message, the requests made and when the last answer came (and, for a routed profile,
the Connectif account it went to). --result keeps the orders with that result.`,
  options: { result: { type: 'string' } },
  positionals: ['SENDING_ID'],
}

/** Rows read from the history at a time (a keyset page: each costs the same, first or last). */
const PAGE_SIZE = 500

export async function orders(context: CliContext, parsed: ParsedCommand): Promise<ExitCode> {
  const id = parseSendingId(parsed.positionals[0] ?? '')
  const result = parseResult(stringOption(parsed.values, 'result'))
  // Before anything is written: an unknown sending is exit 2 with nothing on stdout.
  const sending = context.history.getSending(id)
  const routed = isRouted(sending)
  const output = context.output
  const table = routed
    ? [...COLUMNS.slice(0, -1), targetColumn(context, id), ...COLUMNS.slice(-1)]
    : COLUMNS
  let written = 0
  let after = 0
  // False once the reader has gone (`orders 12 | head`): stop reading, and say nothing more.
  let open = true
  while (open) {
    const { rows } = context.history.orderPage(id, {
      result,
      limit: PAGE_SIZE,
      afterOrderId: after,
    })
    if (output.json) {
      // Exactly what JSON.stringify(array, null, 2) prints, one element at a time.
      const items = rows.map((row) => indent(JSON.stringify(orderJson(row, routed), null, 2)))
      if (items.length > 0)
        open = await output.write(`${written === 0 ? '[\n' : ',\n'}${items.join(',\n')}`)
    } else if (rows.length > 0) {
      const lines = rows.map((row) => formatLine(table, row))
      open = await output.write(`${written === 0 ? `${header(table)}\n` : ''}${lines.join('\n')}\n`)
    }
    written += rows.length
    const last = rows[rows.length - 1]
    if (last === undefined || rows.length < PAGE_SIZE) break
    after = last.orderId
  }
  if (!open) return EXIT.ok
  if (output.json) await output.write(written === 0 ? '[]\n' : '\n]\n')
  else
    await output.write(
      written === 0
        ? `Sending #${id} has no orders${result ? ` with the result ${result}` : ''}.\n`
        : `${written} order${written === 1 ? '' : 's'}${result ? ` ${result}` : ''} in sending #${id}.\n`,
    )
  return EXIT.ok
}

function parseResult(text: string | undefined): OrderResult | null {
  if (text === undefined) return null
  const value = text.trim()
  if ((RESULTS as readonly string[]).includes(value)) return value as OrderResult
  throw invalidInput(
    `--result "${text}" is not an order result: use one of ${RESULTS.join(', ')}.`,
    usageOf(ORDERS),
  )
}

/** The contract's fields (docs/cli-contract.md), `target` only for a routed sending. */
function orderJson(row: OrderListRow, routed: boolean): Record<string, unknown> {
  return {
    orderId: row.orderId,
    reference: row.reference,
    result: row.result,
    httpStatus: row.httpStatus,
    errorCode: row.errorCode,
    message: row.message,
    attempts: row.attempts,
    sentAt: row.sentAt,
    ...(routed ? { target: row.target } : {}),
  }
}

function indent(json: string): string {
  return `  ${json.replace(/\n/g, '\n  ')}`
}

// --- The table -------------------------------------------------------------------------------

interface Column {
  readonly title: string
  /** Columns have fixed widths: the table is printed page by page, never measured whole. */
  readonly width: number
  readonly right?: boolean
  readonly cell: (row: OrderListRow) => string
}

const COLUMNS: readonly Column[] = [
  { title: 'Order', width: 8, right: true, cell: (row) => String(row.orderId) },
  { title: 'Reference', width: 10, cell: (row) => row.reference },
  { title: 'Result', width: 14, cell: (row) => row.result },
  { title: 'HTTP', width: 4, right: true, cell: (row) => String(row.httpStatus ?? '') },
  { title: 'Attempts', width: 8, right: true, cell: (row) => String(row.attempts) },
  {
    title: 'Sent at',
    width: 19,
    cell: (row) => (row.sentAt ?? '').replace('T', ' ').slice(0, 19),
  },
  // Last: a sentence of any length.
  { title: 'Message', width: 0, cell: (row) => row.message ?? row.errorCode ?? '' },
]

/** The account column, as wide as the longest label the sending's orders went to. */
function targetColumn(context: CliContext, id: number): Column {
  const labels = context.history.countsByTarget(id).map(({ target }) => target)
  return {
    title: 'Target',
    width: Math.max('Target'.length, ...labels.map((label) => label.length)),
    cell: (row) => row.target,
  }
}

function line(columns: readonly Column[], cells: readonly string[]): string {
  return columns
    .map((column, index) => {
      const cell = cells[index] ?? ''
      return column.right ? cell.padStart(column.width) : cell.padEnd(column.width)
    })
    .join('  ')
    .trimEnd()
}

function header(columns: readonly Column[]): string {
  return [
    line(
      columns,
      columns.map((column) => column.title),
    ),
    line(
      columns,
      columns.map((column) => '-'.repeat(Math.max(column.width, column.title.length))),
    ),
  ].join('\n')
}

function formatLine(columns: readonly Column[], row: OrderListRow): string {
  return line(
    columns,
    columns.map((column) => column.cell(row)),
  )
}
