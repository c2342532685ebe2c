import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HistoryStore } from '../../main/core/history/history-store'
import type { NewOrderRow, OrderResultUpdate } from '../../main/core/history/history-types'
import { createTestSending, openTestHistory } from '../support/history-fixture'

/**
 * Why a sending's orders were skipped or failed, counted by reason, and its page of orders
 * filtered to one reason (order-queries.ts through HistoryStore); the contacts and products it
 * created one by one, counted with the results (order-records.ts). A real SQLite database.
 */

let store: HistoryStore
let remove: () => Promise<void>

beforeEach(async () => {
  ;({ store, remove } = await openTestHistory('outcome-reasons'))
})

afterEach(() => remove())

function newSending(name = 'Tienda'): number {
  return createTestSending(store, { name })
}

function pending(orderId: number): NewOrderRow {
  return {
    orderId,
    reference: `REF${orderId}`,
    orderDate: '2025-01-10T10:00:00+01:00',
    customerEmail: `customer${orderId}@example.com`,
    total: '10.00',
    shopId: 1,
    stateId: 2,
    result: 'pending',
    payload: JSON.stringify({ purchase: { purchaseId: String(orderId) } }),
    message: null,
  }
}

function skipped(orderId: number, errorCode: string | null): NewOrderRow {
  return { ...pending(orderId), result: 'skipped', payload: null, message: 'Why', errorCode }
}

function failed(
  orderId: number,
  errorCode: string | null,
  httpStatus: number | null,
): OrderResultUpdate {
  return {
    orderId,
    result: 'failed',
    httpStatus,
    errorCode,
    message: 'Refused',
    response: null,
    attempts: 1,
    sentAt: '2025-03-01T10:00:00.000Z',
  }
}

function created(orderId: number, items?: OrderResultUpdate['created']): OrderResultUpdate {
  return {
    orderId,
    result: 'created',
    httpStatus: 201,
    errorCode: null,
    message: null,
    response: null,
    attempts: 1,
    sentAt: '2025-03-01T10:00:00.000Z',
    ...(items === undefined ? {} : { created: items }),
  }
}

/**
 * Skipped: 3 deleted customers, 1 without e-mail, 1 recorded without a code. Failed: 2 E0101,
 * 1 network, 1 refused 400 and 1 answered 503 without a code. 2 created.
 */
function mixedSending(): number {
  const id = newSending()
  store.recordOrders(
    id,
    [
      skipped(1, 'customer_deleted'),
      skipped(2, 'no_email'),
      skipped(3, 'customer_deleted'),
      skipped(4, null),
      skipped(5, 'customer_deleted'),
      ...[10, 11, 12, 13, 14, 15, 16].map(pending),
    ],
    null,
    true,
  )
  store.writeResults(id, [
    failed(10, 'E0101', 400),
    failed(11, 'network', null),
    failed(12, null, 400),
    failed(13, 'E0101', 400),
    failed(14, null, 503),
    created(15),
    created(16),
  ])
  return id
}

describe('the reasons of skipped and failed orders', () => {
  it('counts them by result and reason, most first', () => {
    const id = mixedSending()
    // Another sending's orders never count.
    const other = newSending('Otra')
    store.recordOrders(other, [skipped(1, 'no_email'), skipped(2, 'no_email')], null, true)

    expect(store.outcomeReasons(id)).toEqual([
      { result: 'skipped', code: 'customer_deleted', orders: 3 },
      { result: 'failed', code: 'E0101', orders: 2 },
      { result: 'skipped', code: 'no_email', orders: 1 },
      { result: 'skipped', code: 'unknown', orders: 1 },
      { result: 'failed', code: 'http_400', orders: 1 },
      { result: 'failed', code: 'http_503', orders: 1 },
      { result: 'failed', code: 'network', orders: 1 },
    ])
    expect(store.outcomeReasons(newSending('Vacía'))).toEqual([])
  })

  it('filters a page of orders to one reason of a result, counted', () => {
    const id = mixedSending()
    const ids = (reason: string, result: 'skipped' | 'failed', search?: string) => {
      const page = store.orderPage(id, { result, reason, limit: 50, ...(search ? { search } : {}) })
      return { ids: page.rows.map((row) => row.orderId), total: page.total }
    }
    expect(ids('customer_deleted', 'skipped')).toEqual({ ids: [1, 3, 5], total: 3 })
    expect(ids('E0101', 'failed')).toEqual({ ids: [10, 13], total: 2 })
    expect(ids('http_400', 'failed')).toEqual({ ids: [12], total: 1 })
    expect(ids('unknown', 'skipped')).toEqual({ ids: [4], total: 1 })
    // A reason of another result matches nothing; a search narrows the reason further.
    expect(ids('E0101', 'skipped')).toEqual({ ids: [], total: 0 })
    expect(ids('customer_deleted', 'skipped', 'customer3@')).toEqual({ ids: [3], total: 1 })
    expect(ids('customer_deleted', 'skipped', '5')).toEqual({ ids: [5], total: 1 })
    // Paged: the total is still every order of the reason.
    const page = store.orderPage(id, {
      result: 'skipped',
      reason: 'customer_deleted',
      limit: 2,
      offset: 2,
    })
    expect(page).toMatchObject({ total: 3, rows: [{ orderId: 5, errorCode: 'customer_deleted' }] })
    // Without a result the reason is not applied: the page is every order.
    expect(store.orderPage(id, { reason: 'E0101', limit: 50 }).total).toBe(12)
  })
})

describe('contacts and products created one by one', () => {
  it('are counted with the result that wrote them, once', () => {
    const id = newSending()
    expect(store.getSending(id).createdOneByOne).toEqual({ contacts: 0, products: 0 })
    store.recordOrders(id, [1, 2, 3].map(pending), null, true)
    store.writeResults(id, [
      created(1, { contacts: 1, products: 2 }),
      created(2),
      { ...failed(3, 'E0201', 400), created: { contacts: 1, products: 0 } },
    ])
    // A result that is no longer pending is not written again, nor are its creations counted.
    store.writeResults(id, [created(1, { contacts: 1, products: 2 })])
    expect(store.getSending(id).createdOneByOne).toEqual({ contacts: 2, products: 2 })
  })
})
