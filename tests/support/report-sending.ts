/**
 * A finished sending recorded straight into a history (no store, no Connectif), for the tests of
 * report files and downloads: orders created, already existing, failed and skipped, with texts a
 * CSV must quote (commas, quotes, line breaks, a formula), under a profile whose name is not
 * ASCII. Not a test file itself.
 */
import type { HistoryStore } from '../../main/core/history/history-store'
import type { NewOrderRow, OrderResultUpdate } from '../../main/core/history/history-types'

export const REPORT_PROFILE_NAME = 'Tienda España'

export interface ReportSending {
  readonly profileId: number
  /** `orders` orders: every 10th skipped, every 7th failed, every 5th already existing. */
  readonly sendingId: number
  /** A sending of the same profile with no orders at all. */
  readonly emptySendingId: number
  /** A sending whose every order was created: its default report is empty. */
  readonly allCreatedSendingId: number
}

function row(orderId: number, skipped: boolean): NewOrderRow {
  return {
    orderId,
    reference: `REF${orderId}`,
    orderDate: '2025-01-02T10:00:00+01:00',
    customerEmail: orderId === 3 ? '=HYPERLINK("http://x")@example.com' : `c${orderId}@example.com`,
    total: orderId === 4 ? '-12.50' : '10.00',
    shopId: 1,
    stateId: 2,
    result: skipped ? 'skipped' : 'pending',
    payload: skipped ? null : JSON.stringify({ purchaseId: String(orderId) }),
    message: skipped ? 'No e-mail, "none" given,\nskipped' : null,
  }
}

function answer(orderId: number, allCreated: boolean): OrderResultUpdate {
  const result = allCreated
    ? 'created'
    : orderId % 7 === 0
      ? 'failed'
      : orderId % 5 === 0
        ? 'already_exists'
        : 'created'
  return {
    orderId,
    result,
    httpStatus: result === 'created' ? 201 : result === 'already_exists' ? 409 : 400,
    errorCode: result === 'failed' ? 'invalid_purchase' : null,
    message: result === 'failed' ? 'Refused: "bad", really' : null,
    response: result === 'failed' ? '{"status":400}' : null,
    attempts: 1,
    sentAt: '2025-03-01T10:00:05.000Z',
  }
}

function sendingWith(
  history: HistoryStore,
  profileId: number,
  orders: number,
  allCreated: boolean,
) {
  const id = history.createSending({
    profileId,
    from: '2025-01-01',
    to: '2025-01-31',
    stateIds: [2],
    shopIds: [1],
    mode: 'cli',
    options: { triggerWorkflows: false, createContacts: true, createProducts: true, rateLimit: 60 },
    expectedTotal: orders,
    ownerPid: process.pid,
  }).id
  const rows = Array.from({ length: orders }, (_, index) => {
    const orderId = index + 1
    return row(orderId, !allCreated && orderId % 10 === 0)
  })
  const last = rows[rows.length - 1]
  history.recordOrders(
    id,
    rows,
    last ? { placedAt: last.orderDate, orderId: last.orderId } : null,
    true,
  )
  history.writeResults(
    id,
    rows
      .filter((each) => each.result === 'pending')
      .map((each) => answer(each.orderId, allCreated)),
  )
  history.finishSending(id, allCreated || orders === 0 ? 'completed' : 'completed_with_errors')
  return id
}

/** Records the sendings of ReportSending in `history`. */
export function recordReportSendings(history: HistoryStore, orders = 40): ReportSending {
  const profileId = history.profiles.create({
    name: REPORT_PROFILE_NAME,
    source: {
      kind: 'database',
      host: '127.0.0.1',
      port: 3306,
      user: 'prestashop',
      database: 'prestashop',
      tablePrefix: 'ps_',
      ssl: false,
      passwordEnv: 'PURCHASE_SENDER_DB_PASSWORD',
    },
    connectif: { apiUrl: 'https://api.connectif.cloud', keyEnv: 'PURCHASE_SENDER_CONNECTIF_KEY' },
    shopIds: [1],
    languageIso: 'es',
    defaultStateIds: [2],
  }).id
  return {
    profileId,
    sendingId: sendingWith(history, profileId, orders, false),
    emptySendingId: sendingWith(history, profileId, 0, false),
    allCreatedSendingId: sendingWith(history, profileId, 5, true),
  }
}
