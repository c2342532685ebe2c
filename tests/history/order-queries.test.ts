import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HistoryStore, OrderPageQuery } from '../../main/core/history/history-store'
import type {
  NewOrderRow,
  OrderResult,
  OrderResultUpdate,
} from '../../main/core/history/history-types'
import { createTestSending, openTestHistory } from '../support/history-fixture'

/**
 * Reading a sending's orders for its page (order-queries.ts through HistoryStore): filters,
 * searches, sorts and paging against a real SQLite database, one order's detail, and the
 * results over time.
 */

let store: HistoryStore
let remove: () => Promise<void>

beforeEach(async () => {
  ;({ store, remove } = await openTestHistory('order-queries'))
})

afterEach(() => remove())

function newSending(name = 'Tienda'): number {
  return createTestSending(store, { name })
}

function order(orderId: number, overrides: Partial<NewOrderRow> = {}): NewOrderRow {
  return {
    orderId,
    reference: `REF${orderId}`,
    orderDate: `2025-01-${String(10 + (orderId % 20)).padStart(2, '0')}T10:00:00+01:00`,
    customerEmail: `customer${orderId}@example.com`,
    total: '10.00',
    shopId: 1,
    stateId: 2,
    result: 'pending',
    payload: JSON.stringify({ purchase: { purchaseId: String(orderId) }, contact: { email: 'x' } }),
    message: null,
    ...overrides,
  }
}

function answer(
  orderId: number,
  outcome: OrderResultUpdate['result'],
  overrides: Partial<OrderResultUpdate> = {},
): OrderResultUpdate {
  return {
    orderId,
    result: outcome,
    httpStatus: outcome === 'created' ? 201 : outcome === 'already_exists' ? 409 : 400,
    errorCode: outcome === 'failed' ? 'invalid_purchase' : null,
    message: outcome === 'failed' ? 'The purchase was refused' : null,
    response: outcome === 'created' ? null : `{"status":${outcome === 'failed' ? 400 : 409}}`,
    attempts: 1,
    sentAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  }
}

/**
 * Ten orders of every kind: ids 101–110, answered at different times with different attempts;
 * 104 skipped, 109 and 110 still pending. Another sending holds orders that must never show.
 */
function tenOrders(): number {
  const id = newSending()
  store.recordOrders(
    id,
    [
      order(101, { reference: 'XKBKNABJK', customerEmail: 'Ana.Garcia@Example.com' }),
      order(102, { reference: 'QWERTYUIO', customerEmail: 'luis@example.org' }),
      order(103, { reference: 'ABC_100%', customerEmail: 'ana@shop.es' }),
      order(104, {
        reference: 'ZZZZZZZZZ',
        customerEmail: '',
        result: 'skipped',
        payload: null,
        message: 'No e-mail',
      }),
      order(105, { reference: 'ABCX100Y', customerEmail: 'marta@example.com' }),
      order(106),
      order(107),
      order(108),
      order(109),
      order(110),
    ],
    { placedAt: '2025-01-30T10:00:00+01:00', orderId: 110 },
    true,
  )
  store.writeResults(id, [
    answer(101, 'created', { sentAt: '2025-03-01T10:00:30.000Z' }),
    answer(102, 'failed', { sentAt: '2025-03-01T10:03:10.000Z', attempts: 3 }),
    answer(103, 'already_exists', { sentAt: '2025-03-01T10:00:10.000Z' }),
    answer(105, 'created', { sentAt: '2025-03-01T10:02:00.000Z', attempts: 2 }),
    answer(106, 'failed', { sentAt: '2025-03-01T10:00:10.000Z' }),
    answer(107, 'created', { sentAt: '2025-03-01T10:01:59.999Z' }),
    answer(108, 'created', { sentAt: '2025-03-01T10:00:10.000Z', attempts: 2 }),
  ])
  const other = newSending('Otra tienda')
  store.recordOrders(
    other,
    [order(101, { customerEmail: 'ana.garcia@example.com' }), order(999)],
    null,
    true,
  )
  store.writeResults(other, [answer(101, 'failed'), answer(999, 'failed')])
  return id
}

const ids = (sendingId: number, query: Partial<OrderPageQuery>): number[] =>
  store.orderPage(sendingId, { limit: 100, ...query }).rows.map((row) => row.orderId)

describe('a page of a sending’s orders', () => {
  it('lists them by order id with every field, and counts them all', () => {
    const id = tenOrders()
    const page = store.orderPage(id, { limit: 3 })
    expect(page.total).toBe(10)
    expect(page.rows).toEqual([
      {
        orderId: 101,
        reference: 'XKBKNABJK',
        orderDate: '2025-01-11T10:00:00+01:00',
        customerEmail: 'Ana.Garcia@Example.com',
        total: '10.00',
        result: 'created',
        target: '',
        httpStatus: 201,
        errorCode: null,
        message: null,
        attempts: 1,
        sentAt: '2025-03-01T10:00:30.000Z',
      },
      expect.objectContaining({ orderId: 102, result: 'failed', errorCode: 'invalid_purchase' }),
      expect.objectContaining({ orderId: 103, result: 'already_exists', httpStatus: 409 }),
    ])
    expect(ids(id, { limit: 3, offset: 3 })).toEqual([104, 105, 106])
    expect(ids(id, { limit: 3, offset: 9 })).toEqual([110])
    expect(store.orderPage(id, { limit: 3, offset: 30 })).toEqual({ rows: [], total: 10 })
  })

  it('keeps the orders with one result, counted', () => {
    const id = tenOrders()
    const expected: Record<OrderResult, number[]> = {
      created: [101, 105, 107, 108],
      already_exists: [103],
      failed: [102, 106],
      skipped: [104],
      pending: [109, 110],
    }
    for (const [result, orders] of Object.entries(expected) as [OrderResult, number[]][]) {
      const page = store.orderPage(id, { result, limit: 100 })
      expect(page.rows.map((row) => row.orderId)).toEqual(orders)
      expect(page.total).toBe(orders.length)
    }
    const second = store.orderPage(id, { result: 'created', limit: 2, offset: 2 })
    expect(second).toEqual({
      rows: [expect.objectContaining({ orderId: 107 }), expect.objectContaining({ orderId: 108 })],
      total: 4,
    })
    expect(store.orderPage(id, { result: 'skipped', limit: 10 }).rows[0]).toMatchObject({
      customerEmail: '',
      message: 'No e-mail',
      httpStatus: null,
      sentAt: null,
      attempts: 0,
    })
  })

  it('finds an order by its id: all digits is an id, never part of one', () => {
    const id = tenOrders()
    expect(store.orderPage(id, { search: '105', limit: 10 })).toEqual({
      rows: [expect.objectContaining({ orderId: 105 })],
      total: 1,
    })
    expect(store.orderPage(id, { search: ' 10 ', limit: 10 })).toEqual({ rows: [], total: 0 })
    // Not in this sending (only in the other one).
    expect(store.orderPage(id, { search: '999', limit: 10 }).total).toBe(0)
    expect(store.orderPage(id, { search: '105', result: 'failed', limit: 10 }).total).toBe(0)
    expect(store.orderPage(id, { search: '99999999999999999999', limit: 10 }).total).toBe(0)
  })

  it('searches part of the reference or the e-mail, in any case', () => {
    const id = tenOrders()
    expect(ids(id, { search: 'kbkna' })).toEqual([101])
    expect(ids(id, { search: 'ANA.GARCIA@example' })).toEqual([101])
    // "ana" is in two e-mails; the other sending's ana.garcia never shows.
    expect(ids(id, { search: 'ana' })).toEqual([101, 103])
    expect(store.orderPage(id, { search: 'EXAMPLE.', limit: 2 }).total).toBe(8)
    expect(ids(id, { search: 'example.com', result: 'created' })).toEqual([101, 105, 107, 108])
    // REF106…REF109 (REF110 has no "REF10" in it).
    expect(ids(id, { search: 'ref10', sort: { field: 'orderId', direction: 'desc' } })).toEqual([
      109, 108, 107, 106,
    ])
    expect(store.orderPage(id, { search: 'nobody', limit: 10 })).toEqual({ rows: [], total: 0 })
    // Blank is no search.
    expect(store.orderPage(id, { search: '   ', limit: 1 }).total).toBe(10)
  })

  it('folds the case of letters beyond ASCII too', () => {
    const id = newSending()
    store.recordOrders(
      id,
      [
        order(1, { customerEmail: 'zoe.nunez@exämple.test' }),
        order(2, { customerEmail: 'ÁLVARO@MUÑOZ.ES', reference: 'ÑANDÚ*' }),
        order(3, { customerEmail: 'zoe.nunez@example.test' }),
      ],
      null,
      true,
    )
    expect(ids(id, { search: 'EXÄMPLE' })).toEqual([1])
    expect(ids(id, { search: 'Exämple.TEST' })).toEqual([1])
    expect(ids(id, { search: 'álvaro@muñoz' })).toEqual([2])
    expect(ids(id, { search: 'ñandú*' })).toEqual([2])
    // GLOB's wildcards are letters to find too.
    expect(ids(id, { search: 'ñ*ú' })).toEqual([])
    expect(ids(id, { search: 'ñ?ndú' })).toEqual([])
    expect(store.orderPage(id, { search: 'MUÑOZ', result: 'pending', limit: 1 }).total).toBe(1)
  })

  it('takes % and _ as letters to find, not wildcards', () => {
    const id = tenOrders()
    expect(ids(id, { search: '100%' })).toEqual([103])
    expect(ids(id, { search: 'c_1' })).toEqual([103])
    expect(ids(id, { search: '%' })).toEqual([103])
  })

  it('sorts by date, answer time and attempts, ties by order id the same way', () => {
    const id = tenOrders()
    const sorted = (
      field: NonNullable<OrderPageQuery['sort']>['field'],
      direction: 'asc' | 'desc',
    ) => ids(id, { sort: { field, direction } })
    expect(sorted('orderId', 'desc')).toEqual([110, 109, 108, 107, 106, 105, 104, 103, 102, 101])
    // Order dates: day 10 + id % 20, so 101 (day 11) first… and all distinct.
    expect(sorted('orderDate', 'asc')).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110])
    expect(sorted('orderDate', 'desc')).toEqual([110, 109, 108, 107, 106, 105, 104, 103, 102, 101])
    // Never answered (null) first when ascending, last when descending.
    expect(sorted('sentAt', 'asc')).toEqual([104, 109, 110, 103, 106, 108, 101, 107, 105, 102])
    expect(sorted('sentAt', 'desc')).toEqual([102, 105, 107, 101, 108, 106, 103, 110, 109, 104])
    expect(sorted('attempts', 'desc')).toEqual([102, 108, 105, 107, 106, 103, 101, 110, 109, 104])
    expect(sorted('attempts', 'asc')).toEqual([104, 109, 110, 101, 103, 106, 107, 105, 108, 102])
    expect(
      ids(id, {
        result: 'created',
        sort: { field: 'sentAt', direction: 'desc' },
        limit: 2,
        offset: 1,
      }),
    ).toEqual([107, 101])
  })

  it('pages by keyset after an order id, its total still every match', () => {
    const id = tenOrders()
    const page = store.orderPage(id, { limit: 3, afterOrderId: 104 })
    expect(page.rows.map((row) => row.orderId)).toEqual([105, 106, 107])
    expect(page.total).toBe(10)
    expect(ids(id, { result: 'created', afterOrderId: 101 })).toEqual([105, 107, 108])
    expect(() =>
      store.orderPage(id, {
        limit: 3,
        afterOrderId: 1,
        sort: { field: 'sentAt', direction: 'asc' },
      }),
    ).toThrow(RangeError)
  })

  it('gives the same answers when a search matches thousands of orders', () => {
    const id = newSending()
    const count = 2_600
    const rows = Array.from({ length: count }, (_, index) =>
      order(index + 1, {
        customerEmail: `client${index + 1}@${index % 2 === 0 ? 'gmail.com' : 'shop.es'}`,
      }),
    )
    store.recordOrders(id, rows, null, true)
    store.writeResults(
      id,
      rows.map((row) =>
        answer(row.orderId, row.orderId % 3 === 0 ? 'failed' : 'created', {
          sentAt: new Date(Date.UTC(2025, 2, 1) + ((row.orderId * 7) % count) * 1000).toISOString(),
        }),
      ),
    )
    // Odd ids are @gmail.com: 1,300 matches (a few: read by id); "client" matches all 2,600.
    const gmail = rows.filter((row) => row.customerEmail.endsWith('gmail.com'))
    expect(store.orderPage(id, { search: 'GMAIL', limit: 5, offset: 1_290 })).toEqual({
      rows: gmail
        .slice(1_290, 1_295)
        .map((row) => expect.objectContaining({ orderId: row.orderId })),
      total: 1_300,
    })
    const all = store.orderPage(id, {
      search: 'client',
      limit: 4,
      offset: 2_000,
      sort: { field: 'sentAt', direction: 'desc' },
    })
    const bySentDesc = [...rows]
      .map((row) => ({ id: row.orderId, at: (row.orderId * 7) % count }))
      .sort((a, b) => b.at - a.at || b.id - a.id)
      .map((row) => row.id)
    expect(all.total).toBe(count)
    expect(all.rows.map((row) => row.orderId)).toEqual(bySentDesc.slice(2_000, 2_004))
    const failed = store.orderPage(id, { search: 'client', result: 'failed', limit: 3, offset: 10 })
    expect(failed.total).toBe(Math.floor(count / 3))
    expect(failed.rows.map((row) => row.orderId)).toEqual([33, 36, 39])
  })

  it('refuses a sending that does not exist', () => {
    tenOrders()
    expect(() => store.orderPage(404, { limit: 10 })).toThrow(
      expect.objectContaining({ code: 'sending_not_found', params: { sending: '404' } }),
    )
  })

  it('says which account each order of a routed sending went to', () => {
    const id = newSending()
    store.recordOrders(
      id,
      [order(1, { target: 'main' }), order(2, { target: 'lang=es' }), order(3, { target: '' })],
      null,
      true,
    )
    expect(store.orderPage(id, { limit: 10 }).rows.map((row) => row.target)).toEqual([
      'main',
      'lang=es',
      '',
    ])
  })
})

describe('one order of a sending', () => {
  it('has the payload recorded to send it and Connectif’s raw answer', () => {
    const id = tenOrders()
    expect(store.orderDetail(id, 102)).toEqual(
      expect.objectContaining({
        orderId: 102,
        result: 'failed',
        attempts: 3,
        payload: JSON.stringify({ purchase: { purchaseId: '102' }, contact: { email: 'x' } }),
        response: '{"status":400}',
      }),
    )
    expect(store.orderDetail(id, 104)).toMatchObject({ payload: null, response: null })
    expect(store.orderDetail(id, 999)).toBeNull()
    expect(() => store.orderDetail(404, 101)).toThrow(
      expect.objectContaining({ code: 'sending_not_found' }),
    )
  })
})

describe('the results over time', () => {
  it('counts the answers per minute from the first to the last, empty minutes included', () => {
    const id = tenOrders()
    expect(store.resultTimeline(id)).toEqual({
      bucketSeconds: 60,
      buckets: [
        { at: '2025-03-01T10:00:00.000Z', created: 2, alreadyExisted: 1, failed: 1 },
        { at: '2025-03-01T10:01:00.000Z', created: 1, alreadyExisted: 0, failed: 0 },
        { at: '2025-03-01T10:02:00.000Z', created: 1, alreadyExisted: 0, failed: 0 },
        { at: '2025-03-01T10:03:00.000Z', created: 0, alreadyExisted: 0, failed: 1 },
      ],
    })
  })

  it('picks larger buckets for a long sending, at most 120 of them', () => {
    const id = newSending()
    const start = Date.parse('2025-03-01T09:59:00.000Z')
    // Answers spread over 30 hours: 5-minute buckets would be 360, 15-minute ones 121.
    const spreads = [0, 3_600_000, 30 * 3_600_000]
    store.recordOrders(
      id,
      spreads.map((_, index) => order(index + 1)),
      null,
      true,
    )
    store.writeResults(
      id,
      spreads.map((offset, index) =>
        answer(index + 1, 'created', { sentAt: new Date(start + offset).toISOString() }),
      ),
    )
    const timeline = store.resultTimeline(id)
    expect(timeline.bucketSeconds).toBe(1_800)
    expect(timeline.buckets.length).toBeLessThanOrEqual(120)
    expect(timeline.buckets[0]).toEqual({
      at: '2025-03-01T09:30:00.000Z',
      created: 1,
      alreadyExisted: 0,
      failed: 0,
    })
    expect(timeline.buckets.at(-1)).toEqual({
      at: '2025-03-02T15:30:00.000Z',
      created: 1,
      alreadyExisted: 0,
      failed: 0,
    })
    expect(timeline.buckets.reduce((sum, bucket) => sum + bucket.created, 0)).toBe(3)
  })

  it('uses whole weeks beyond what the sizes cover, still at most 120 buckets', () => {
    const id = newSending()
    store.recordOrders(id, [order(1), order(2)], null, true)
    store.writeResults(id, [
      answer(1, 'created', { sentAt: '2020-01-01T00:00:00.000Z' }),
      answer(2, 'failed', { sentAt: '2025-01-01T00:00:00.000Z' }),
    ])
    const timeline = store.resultTimeline(id)
    expect(timeline.bucketSeconds % 604_800).toBe(0)
    expect(timeline.buckets.length).toBeLessThanOrEqual(120)
    expect(timeline.buckets.length).toBeGreaterThan(60)
    expect(timeline.buckets.reduce((sum, bucket) => sum + bucket.created + bucket.failed, 0)).toBe(
      2,
    )
  })

  it('is empty before any answer, and refuses a sending that does not exist', () => {
    const id = newSending()
    store.recordOrders(id, [order(1)], null, false)
    expect(store.resultTimeline(id)).toEqual({ bucketSeconds: 60, buckets: [] })
    expect(() => store.resultTimeline(404)).toThrow(
      expect.objectContaining({ code: 'sending_not_found' }),
    )
  })
})
