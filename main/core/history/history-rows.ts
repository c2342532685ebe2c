/**
 * The rows of the `sendings` and `sending_orders` tables as SQLite returns them, and their
 * conversion to the records the rest of the core sees (history-types.ts).
 */
import type {
  ReportRow,
  SendingCounts,
  SendingRecord,
  SendingState,
  SendingStateName,
} from './history-types'

export interface SendingRow {
  id: number
  profile_id: number | null
  profile_name: string
  range_from: string
  range_to: string
  state_ids: string
  state_names: string | null
  shop_ids: string
  mode: SendingRecord['mode']
  options: string
  state: SendingState
  expected_total: number
  total: number
  created: number
  already_existed: number
  failed: number
  skipped: number
  pending: number
  already_sent: number
  origin: SendingRecord['origin']
  read_complete: 0 | 1
  cursor_placed_at: string | null
  cursor_order_id: number | null
  owner_pid: number | null
  heartbeat_at: string | null
  fatal_error_code: string | null
  fatal_error_message: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  shared_since: string | null
  shared_peak_per_minute: number | null
  shared_peak_at: string | null
  contacts_created: number
  products_created: number
}

export interface CountsRow {
  total: number
  created: number
  already_existed: number
  failed: number
  skipped: number
  pending: number
}

export interface ReportDbRow {
  order_id: number
  reference: string
  order_date: string
  customer_email: string
  total: string
  result: ReportRow['result']
  http_status: number | null
  error_code: string | null
  message: string | null
  response: string | null
  attempts: number
  sent_at: string | null
  target: string | null
}

export function toCounts(row: CountsRow): SendingCounts {
  return {
    total: row.total,
    created: row.created,
    alreadyExisted: row.already_existed,
    failed: row.failed,
    skipped: row.skipped,
    pending: row.pending,
  }
}

export function toSending(row: SendingRow): SendingRecord {
  return {
    id: row.id,
    profileId: row.profile_id,
    profileName: row.profile_name,
    from: row.range_from,
    to: row.range_to,
    stateIds: JSON.parse(row.state_ids) as number[],
    stateNames: row.state_names === null ? [] : (JSON.parse(row.state_names) as SendingStateName[]),
    shopIds: JSON.parse(row.shop_ids) as number[],
    mode: row.mode,
    options: JSON.parse(row.options) as SendingRecord['options'],
    state: row.state,
    expectedTotal: row.expected_total,
    counts: toCounts(row),
    alreadySent: row.already_sent,
    origin: row.origin,
    readComplete: row.read_complete === 1,
    cursor:
      row.cursor_placed_at === null || row.cursor_order_id === null
        ? null
        : { placedAt: row.cursor_placed_at, orderId: row.cursor_order_id },
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    fatalError:
      row.fatal_error_code === null || row.fatal_error_message === null
        ? null
        : { code: row.fatal_error_code, message: row.fatal_error_message },
    ownerPid: row.owner_pid,
    heartbeatAt: row.heartbeat_at,
    createdOneByOne: { contacts: row.contacts_created, products: row.products_created },
    ...(row.shared_since === null ||
    row.shared_peak_per_minute === null ||
    row.shared_peak_at === null
      ? {}
      : {
          sharing: {
            since: row.shared_since,
            peakPerMinute: row.shared_peak_per_minute,
            peakAt: row.shared_peak_at,
          },
        }),
  }
}

export function toReportRow(row: ReportDbRow): ReportRow {
  return {
    orderId: row.order_id,
    orderReference: row.reference,
    orderDate: row.order_date,
    customerEmail: row.customer_email,
    total: row.total,
    result: row.result,
    httpStatus: row.http_status,
    errorCode: row.error_code,
    message: row.message,
    response: row.response,
    attempts: row.attempts,
    sentAt: row.sent_at,
    target: row.target ?? '',
  }
}
